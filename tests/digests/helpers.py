"""A Northbrook network on a fixed clock, for digest and scheduler tests."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.digests.models import DigestDelivery
from cluster.extensions import db
from cluster.networks.models import Network
from cluster.schools.models import School
from cluster.tenancy.models import Organisation


def utc(text: str) -> datetime:
    """``2026-03-30T06:00`` as an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass
class Northbrook:
    org: Organisation
    network: Network
    primary: School
    secondary: School
    organiser: User
    member: User  # Ben, SENCO of a member school: votes in polls
    other: User  # Priya, SENCO of the other member school
    observer: User  # Ruth, EP service: observes, never votes


def northbrook(make, slug: str = "nb") -> Northbrook:
    org = make.organisation(slug=slug, name=f"{slug.title()} Council")
    primary = make.school(org, name="Fernhill Primary School", postcode="NB3 1AB")
    secondary = make.school(org, name="Ashcombe High School", phase="Secondary")
    organiser = make.user(org, name="Sophie Adeyemi", email=f"organiser@{slug}.example")
    member = make.user(org, name="Ben Clarke", email=f"ben@{slug}.example", school=primary)
    other = make.user(org, name="Priya Sharma", email=f"priya@{slug}.example", school=secondary)
    observer = make.user(
        org, name="Ruth Okonjo", email=f"ruth@{slug}.example", job_title="Educational psychology service"
    )
    network = make.network(
        org, name="North SENCOs", schools=[primary, secondary], organisers=[organiser], observers=[observer]
    )
    return Northbrook(org, network, primary, secondary, organiser, member, other, observer)


def poll_needing_answers(make, network: Network, opened: datetime, title: str = "Spring 2 meeting dates"):
    """An open poll, opened at ``opened`` and closing in December 2026, that nobody has answered."""
    return make.open_poll(
        network,
        title=title,
        closes_at=utc("2026-12-01T17:00"),
        created_at=opened,
        slots=[
            (utc("2026-12-08T13:30"), utc("2026-12-08T16:00")),
            (utc("2026-12-10T13:30"), utc("2026-12-10T16:00")),
        ],
    )


def recipients(mailbox) -> list[str]:
    return sorted(address.addr_spec for message in mailbox for address in message["To"].addresses)


def deliveries(user: User | None = None) -> list[DigestDelivery]:
    db.session.expire_all()
    stmt = sa.select(DigestDelivery).order_by(DigestDelivery.id)
    if user is not None:
        stmt = stmt.where(DigestDelivery.user_id == user.id)
    return list(db.session.scalars(stmt))


def closed_port() -> int:
    """A port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ticks(start: datetime, end: datetime, every: timedelta = timedelta(minutes=15)):
    moment = start
    while moment <= end:
        yield moment
        moment += every
