from __future__ import annotations

from dataclasses import dataclass

import pytest

from cluster.extensions import db


@dataclass
class Network:
    org: object
    network: object
    schools: list
    organiser: object
    sencos: list
    outsider: object
    meeting: object


@pytest.fixture()
def held(make):
    """A network of three schools with a SENCO each, an organiser, and a meeting held three days
    ago whose register has the first two schools."""
    from cluster.meetings.models import Attendance

    org = make.organisation()
    schools = [make.school(org, name=f"Feedback School {n}") for n in range(3)]
    organiser = make.user(org, name="Olive Organiser", email="olive@la.example")
    sencos = [
        make.user(org, school=s, name=f"Senco Person {n}", email=f"senco{n}@fb.example")
        for n, s in enumerate(schools)
    ]
    network = make.network(org, schools=schools, organisers=[organiser])
    outsider = make.user(org, name="Not In Network")
    meeting = make.meeting(network, status="scheduled", days_ahead=-3, title="Autumn network meeting")
    meeting.status = "held"
    db.session.add_all(
        Attendance(organisation_id=org.id, meeting_id=meeting.id, school_id=s.id) for s in schools[:2]
    )
    db.session.commit()
    return Network(org, network, schools, organiser, sencos, outsider, meeting)
