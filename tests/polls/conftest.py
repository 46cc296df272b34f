"""Date-poll fixtures: "now" fixed in late 2026, and a network to run polls in: four member
schools (two primary, a secondary, a special school), their SENCOs, an organiser, an observer,
an org admin and an outsider."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from cluster.extensions import db
from cluster.polls import forms, queries, services
from cluster.tenancy.models import Membership

#: The tests use real 2027 dates (bank holidays ship as data, and labels such as "Tuesday 8 June
#: 2027" are asserted), so the polls' "now" is fixed before them rather than read from the clock.
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def now(monkeypatch) -> datetime:
    for module in (services, forms, queries):
        monkeypatch.setattr(module, "utcnow", lambda: NOW)
    return NOW


def membership_of(user) -> Membership:
    return db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))


@pytest.fixture()
def net(make):
    org = make.organisation(slug="nb", name="Northbrook Council")
    fernhill = make.school(org, name="Fernhill Primary")
    oakwood = make.school(org, name="Oakwood Primary")
    ashcombe = make.school(org, name="Ashcombe High", phase="Secondary")
    brook = make.school(
        org, name="Brook School", phase="Not applicable", establishment_type="Community special school"
    )
    elsewhere = make.school(org, name="Elsewhere Primary")
    people = SimpleNamespace(
        organiser=make.user(org, email="organiser@nb.example", name="Olive Organiser"),
        observer=make.user(org, email="ep@nb.example", name="Edna Psychologist", job_title="EP service"),
        admin=make.user(org, email="admin@nb.example", name="Adam Admin", is_admin=True),
        fern1=make.user(org, email="fern1@nb.example", name="Fay Fernhill", school=fernhill),
        fern2=make.user(org, email="fern2@nb.example", name="Fred Fernhill", school=fernhill),
        oak=make.user(org, email="oak@nb.example", name="Omar Oakwood", school=oakwood),
        ash=make.user(org, email="ash@nb.example", name="Asha Ashcombe", school=ashcombe),
        brook=make.user(org, email="brook@nb.example", name="Bea Brook", school=brook),
        outsider=make.user(org, email="out@nb.example", name="Olly Outsider", school=elsewhere),
    )
    network = make.network(
        org,
        name="North SENCOs",
        schools=[fernhill, oakwood, ashcombe, brook],
        organisers=[people.organiser],
        observers=[people.observer],
    )
    return SimpleNamespace(
        org=org,
        network=network,
        people=people,
        schools=SimpleNamespace(
            fernhill=fernhill, oakwood=oakwood, ashcombe=ashcombe, brook=brook, elsewhere=elsewhere
        ),
        base=f"/o/nb/networks/{network.id}/polls",
    )
