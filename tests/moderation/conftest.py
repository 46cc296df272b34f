"""A network with two member schools, an organiser, an observer and an org admin, and a scale."""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass
class Place:
    org: object
    network: object
    school: object
    other_school: object
    submitter: object  # SENCO of ``school``
    judge: object  # SENCO of ``other_school``
    judge2: object  # another SENCO of ``other_school``
    organiser: object
    observer: object
    admin: object
    levels: list


@pytest.fixture()
def place(make) -> Place:
    from cluster.moderation.scale import levels_of

    org = make.organisation(slug="nb", name="Northbrook Council")
    school = make.school(org, name="Hill Primary", phase="Primary")
    other = make.school(org, name="Dale Primary", phase="Primary")
    submitter = make.user(org, email="senco@hill.example", name="Hana Hill", school=school)
    judge = make.user(org, email="senco@dale.example", name="Dev Dale", school=other)
    judge2 = make.user(org, email="deputy@dale.example", name="Dora Dale", school=other)
    organiser = make.user(org, email="organiser@nb.example", name="Olu Organiser")
    observer = make.user(org, email="ep@nb.example", name="Eve Psychologist", job_title="EP service")
    admin = make.user(org, email="admin@nb.example", name="Ada Admin", is_admin=True)
    network = make.network(
        org, name="North SENCOs", schools=[school, other], organisers=[organiser], observers=[observer]
    )
    make.moderation_scale(org)
    return Place(
        org, network, school, other, submitter, judge, judge2, organiser, observer, admin, levels_of(org.id)
    )


def url(endpoint: str, **values) -> str:
    from flask import current_app, url_for

    with current_app.test_request_context():
        return url_for(endpoint, org_slug="nb", **values)
