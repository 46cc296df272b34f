"""A network with a person in each standing, and a way to ask a loader as one of them."""

from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa
from flask import g
from werkzeug.exceptions import Forbidden, NotFound

from cluster.extensions import db
from cluster.tenancy.models import Membership

OK, FORBIDDEN, NOT_FOUND = "ok", 403, 404


def membership(user, organisation) -> Membership:
    return db.session.scalar(
        sa.select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == organisation.id
        )
    )


def answer(app, user, organisation, loader, *args):
    """What ``loader(*args)`` answers ``user`` inside ``organisation``: OK, 403 or 404."""
    with app.test_request_context():
        g.membership = membership(user, organisation)
        g.organisation = organisation
        try:
            loader(*args)
        except NotFound:
            return NOT_FOUND
        except Forbidden:
            return FORBIDDEN
    return OK


def network_place(make) -> SimpleNamespace:
    """A network of two schools with a person in each standing, and people it does not concern."""
    org = make.organisation(slug="nb")
    school, other_school, elsewhere = make.school(org), make.school(org), make.school(org)
    people = SimpleNamespace(
        member=make.user(org, school=school),
        organiser=make.user(org),
        organising_senco=make.user(org, school=other_school),
        observer=make.user(org, job_title="EP service"),
        observing_senco=make.user(org, school=other_school),
        admin=make.user(org, is_admin=True),
        outsider=make.user(org, school=elsewhere),
    )
    network = make.network(
        org,
        schools=[school, other_school],
        organisers=[people.organiser, people.organising_senco],
        observers=[people.observer, people.observing_senco],
    )
    other_org = make.organisation(slug="ew")
    foreign = make.network(other_org, schools=[make.school(other_org)])
    return SimpleNamespace(org=org, network=network, foreign=foreign, people=people)
