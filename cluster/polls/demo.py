"""Demo data for date polls: an open poll in each of Northbrook's networks, partly answered."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.meetings.services import network_people
from cluster.networks.models import Network
from cluster.networks.queries import people_in
from cluster.polls.models import DatePoll
from cluster.polls.services import SlotDraft, create_poll, save_answers
from cluster.tenancy.models import Membership, Organisation
from cluster.timeutil import LONDON, local_to_utc


def build_polls_demo(now: datetime | None = None, seed: int = 5) -> bool:
    """Add an open date poll to each of Northbrook's networks. False if Northbrook has polls."""
    northbrook = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "northbrook"))
    if northbrook is None or db.session.scalar(
        sa.select(DatePoll.id).where(DatePoll.organisation_id == northbrook.id).limit(1)
    ):
        return False
    now, rng = now or utcnow(), random.Random(seed)
    for network in db.session.scalars(
        sa.select(Network).where(Network.organisation_id == northbrook.id).order_by(Network.name)
    ).all():
        organiser = db.session.scalar(
            sa.select(User).where(User.id.in_(people_in(network.id, "organiser"))).order_by(User.id)
        )
        _open_poll(network, organiser, network_people(network), now, rng)
    db.session.flush()
    return True


def _open_poll(
    network: Network, organiser: User | None, people: list[User], now: datetime, rng: random.Random
) -> None:
    """A poll for a summer meeting, some members already answered (one for their deputy)."""
    base = (now + timedelta(days=70)).astimezone(LONDON).date()
    days = [base + timedelta(days=offset) for offset in (0, 1, 7, 8)]
    poll = create_poll(
        network,
        created_by=organiser,
        title="Extra meeting: moderation of EHCNA requests",
        description="Which afternoon suits your school? Answer for each date.",
        closes_at=local_to_utc((now + timedelta(days=10)).astimezone(LONDON).date(), time(17, 0)),
        slots=[
            SlotDraft(local_to_utc(d, time(13, 30)), local_to_utc(d, time(15, 30)), "Oakfield Special School")
            for d in days
        ],
        now=now,
    )
    members = [
        p
        for p in people
        if db.session.scalar(
            sa.select(Membership.school_id).where(
                Membership.user_id == p.id, Membership.organisation_id == network.organisation_id
            )
        )
    ]
    for person in members[: max(1, len(members) * 2 // 3)]:
        save_answers(
            poll,
            person,
            {(slot.id, False): rng.choice(["yes", "yes", "maybe", "no"]) for slot in poll.slots},
            comment=rng.choice([None, None, "Tuesdays are hard for us: annual reviews."]),
            now=now,
        )
