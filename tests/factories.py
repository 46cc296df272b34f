"""Small factories for tests: each call makes one valid object, with overridable fields."""
from __future__ import annotations

import itertools
from datetime import time, timedelta
from functools import lru_cache

from cluster.auth.models import User
from cluster.auth.passwords import hash_password
from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting
from cluster.meetings.services import create_meeting
from cluster.networks.models import Network
from cluster.networks.services import appoint, set_member_schools
from cluster.schools.models import School
from cluster.tenancy.models import Membership, Organisation
from cluster.timeutil import LONDON, local_to_utc

PASSWORD = "correct-horse-staple-9"
_counter = itertools.count(1)


@lru_cache(maxsize=1)
def password_hash() -> str:
    return hash_password(PASSWORD)


class Factory:
    def organisation(self, slug: str | None = None, name: str | None = None, kind: str = "local_authority") -> Organisation:
        n = next(_counter)
        org = Organisation(slug=slug or f"org-{n}", name=name or f"Organisation {n}", kind=kind)
        db.session.add(org)
        db.session.commit()
        return org

    def school(self, organisation: Organisation, name: str | None = None, phase: str = "Primary", urn: str | None = None, **fields) -> School:
        n = next(_counter)
        school = School(
            organisation_id=organisation.id, name=name or f"School {n}", phase=phase,
            urn=urn if urn is not None else f"{900000 + n}", **fields,
        )
        db.session.add(school)
        db.session.commit()
        return school

    def user(
        self, organisation: Organisation | None = None, email: str | None = None, name: str | None = None,
        *, is_admin: bool = False, school: School | None = None, job_title: str = "", platform_admin: bool = False,
    ) -> User:
        n = next(_counter)
        user = User(
            email=(email or f"user{n}@school.example").lower(), name=name or f"User {n}",
            password_hash=password_hash(), is_platform_admin=platform_admin,
        )
        db.session.add(user)
        db.session.flush()
        if organisation is not None:
            self.join(user, organisation, is_admin=is_admin, school=school, job_title=job_title)
        db.session.commit()
        return user

    def join(self, user: User, organisation: Organisation, *, is_admin: bool = False, school: School | None = None, job_title: str = "") -> Membership:
        membership = Membership(
            organisation_id=organisation.id, user_id=user.id, is_admin=is_admin,
            school_id=school.id if school else None, job_title=job_title,
        )
        db.session.add(membership)
        db.session.commit()
        return membership

    def network(self, organisation: Organisation, name: str | None = None, schools: list[School] = (), organisers=(), observers=()) -> Network:
        network = Network(organisation_id=organisation.id, name=name or f"Network {next(_counter)}")
        db.session.add(network)
        db.session.flush()
        set_member_schools(network, list(schools))
        for user in organisers:
            appoint(network, user, "organiser")
        for user in observers:
            appoint(network, user, "observer")
        db.session.commit()
        return network

    def meeting(self, network: Network, *, status: str = "scheduled", days_ahead: int = 14, title: str | None = None, **fields) -> Meeting:
        """A meeting ``days_ahead`` days from now (negative for the past), 13:30-16:00 UK time."""
        day = (utcnow() + timedelta(days=days_ahead)).astimezone(LONDON).date()
        fields.setdefault("starts_at", local_to_utc(day, time(13, 30)))
        fields.setdefault("ends_at", local_to_utc(day, time(16, 0)))
        meeting = create_meeting(network, status=status, title=title or f"Meeting {next(_counter)}", **fields)
        db.session.commit()
        return meeting
