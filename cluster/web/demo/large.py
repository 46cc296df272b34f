"""Every feature's data for the large authority (``flask --app cluster demo --scale large``), so that
its organisers and SENCOs see populated pages and the query-count checks have lists to grow."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from cluster.actions.demo import populate_feedback
from cluster.agenda.services import ProposalDraft, propose, set_support
from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.meetings.services import member_schools
from cluster.moderation.demo import populate_large as populate_moderation
from cluster.networks.models import Network, NetworkRole
from cluster.polls.services import SlotDraft, create_poll, save_answers
from cluster.resources.services import share
from cluster.resources.storage import storage
from cluster.speakers.demo import populate_speakers
from cluster.tenancy.models import Membership, Organisation
from cluster.timeutil import LONDON, local_to_utc

TOPICS = [
    "Transition to secondary",
    "Exam access arrangements",
    "EHC needs assessment requests",
    "Provision maps",
    "Emotionally based school avoidance",
    "Speech and language screening",
    "SEN support reviews",
]


def populate_features(
    organisation: Organisation,
    *,
    proposals: int = 8,
    resources: int = 6,
    voters: int = 10,
    seed: int = 5,
    now: datetime | None = None,
) -> None:
    """For each network of ``organisation``: an open date poll with answers, supported agenda
    proposals and shared links. Uses the domains' own services, so the data obeys their rules."""
    now, rng = now or utcnow(), random.Random(seed)
    networks = db.session.scalars(
        sa.select(Network).where(Network.organisation_id == organisation.id).order_by(Network.id)
    )
    store = storage()
    for network in networks:
        organiser = db.session.scalar(
            sa.select(User)
            .join(NetworkRole, NetworkRole.user_id == User.id)
            .where(NetworkRole.network_id == network.id, NetworkRole.role == "organiser")
            .limit(1)
        )
        schools = {s.id: s for s in member_schools(network)}
        members = db.session.execute(
            sa.select(User, Membership.school_id)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organisation_id == organisation.id, Membership.school_id.in_(schools))
            .order_by(User.id)
            .limit(voters)
        ).all()
        if organiser is None or not members:
            continue
        base = (now + timedelta(days=60)).astimezone(LONDON).date()
        poll = create_poll(
            network,
            created_by=organiser,
            title="Summer term meeting",
            description="",
            now=now,
            closes_at=local_to_utc((now + timedelta(days=14)).astimezone(LONDON).date(), time(17)),
            slots=[
                SlotDraft(
                    local_to_utc(base + timedelta(days=d), time(13, 30)),
                    local_to_utc(base + timedelta(days=d), time(16)),
                )
                for d in (0, 1, 7)
            ],
        )
        for user, _ in members:
            save_answers(
                poll,
                user,
                {(slot.id, False): rng.choice(["yes", "maybe", "no"]) for slot in poll.slots},
                now=now,
            )
        for n in range(proposals):
            user, school_id = members[n % len(members)]
            item = propose(
                network,
                user,
                schools[school_id],
                ProposalDraft(
                    title=f"{TOPICS[n % len(TOPICS)]} ({n + 1})",
                    description="Proposed for the next meeting.",
                    kind=rng.choice(["discussion", "information", "training"]),
                    phases=("all",),
                    minutes_needed=20,
                ),
                now=now,
            )
            for supporter, supporter_school in members[: rng.randint(0, len(members))]:
                if supporter.id != user.id:
                    set_support(item, supporter, schools[supporter_school], True, now=now)
        for n in range(resources):
            user, _ = members[n % len(members)]
            share(
                network,
                user,
                store,
                title=f"{TOPICS[(n + 3) % len(TOPICS)]}: guidance {n + 1}",
                description="",
                area_of_need=rng.choice(["communication", "cognition", "semh", "sensory"]),
                phase="all",
                tags="guidance",
                visibility="network",
                url=f"https://example.org/guidance/{network.id}/{n + 1}",
            )

    populate_speakers(organisation, now)  # guest speakers and their sessions

    populate_moderation(
        organisation, now=now
    )  # a moderation scale, cases, judgments and agreement statistics

    populate_feedback(organisation, rng=rng, now=now)  # feedback at held meetings, actions, "you said" themes
    db.session.flush()
