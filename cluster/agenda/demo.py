"""Agendas for the Northbrook demo: standing items, proposals with supports and comments, and for
each network a past meeting whose agenda was published, minuted and closed (one item carried
over, so the next meeting has a matter arising), plus a coming meeting to build an agenda for.

:func:`build_agenda_demo` runs after :func:`cluster.web.demo.builder.build_demo`; it is idempotent
(a network that already has agenda items or standing items is left alone) and flushes only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from cluster.agenda import planning
from cluster.agenda.minutes import close_agenda, save_minutes
from cluster.agenda.models import AgendaItem, StandingItem
from cluster.agenda.services import (
    ProposalDraft,
    add_comment,
    add_standing_item,
    decline,
    propose,
    set_support,
)
from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting
from cluster.meetings.services import create_meeting, mark_held
from cluster.networks.models import Network
from cluster.networks.queries import people_in, sencos_of
from cluster.tenancy.models import Membership, Organisation
from cluster.timeutil import LONDON, local_to_utc


@dataclass(frozen=True)
class Proposal:
    title: str
    kind: str
    phases: tuple[str, ...]
    minutes: int
    description: str
    #: "placed" items go on the past meeting's agenda; "not_reached" ones are carried over;
    #: "declined" ones are closed with ``reason``.
    fate: str = "open"
    reason: str = ""


STANDING = [
    ("Welcome, apologies and notes of the last meeting", 10, "", False),
    ("LA update", 15, "LA SEND team", False),
    ("School updates and emerging issues", 20, "", True),
    ("Any other business and date of the next meeting", 5, "", True),
]

PROPOSALS: dict[str, list[Proposal]] = {
    "North primary SENCOs": [
        Proposal(
            "Phonics catch-up for pupils with SEN in Year 2",
            "discussion",
            ("primary",),
            20,
            "Which interventions are schools using alongside **Read Write Inc** or Little Wandle, and what do the "
            "Year 2 phonics rechecks show?",
            fate="placed",
        ),
        Proposal(
            "Moderating SEN support: what counts as “additional to or different from”",
            "moderation",
            ("all",),
            30,
            "Bring two anonymised pupil profiles at SEN support so that we can agree thresholds across schools.",
            fate="placed",
        ),
        Proposal(
            "Early years: requesting EHC needs assessments before Reception",
            "information",
            ("primary",),
            20,
            "The LA's new early years panel dates and what evidence it expects.",
            fate="not_reached",
        ),
        Proposal(
            "Speech and language therapy waiting times",
            "guest_speaker",
            ("primary", "special"),
            30,
            "Could we invite the NHS speech and language therapy lead to explain the new referral pathway?",
        ),
        Proposal(
            "One-page profiles for transition to Year 7",
            "discussion",
            ("primary", "secondary"),
            20,
            "A shared template so that secondary schools get the same information from every primary.",
        ),
        Proposal(
            "Training: emotion coaching for lunchtime staff",
            "training",
            ("all",),
            45,
            "Two schools have trained their midday supervisors; a short session on what changed.",
        ),
        Proposal(
            "Year 4 pupil at Highfield: request for advice",
            "discussion",
            ("primary",),
            15,
            "Advice on a pupil with escalating needs.",
            fate="declined",
            reason="Individual pupils go to the LIFT panel with parental consent, not the network meeting. "
            "I have sent you the referral form.",
        ),
    ],
    "Secondary SENCO network": [
        Proposal(
            "Exam access arrangements: the JCQ changes this year",
            "information",
            ("secondary",),
            20,
            "What has changed in the JCQ regulations, and Form 8 evidence that inspectors accepted.",
            fate="placed",
        ),
        Proposal(
            "Post-16 transition and EHCP reviews in Year 11",
            "discussion",
            ("secondary",),
            25,
            "Getting colleges to the Year 11 annual review, and naming a post-16 placement in time.",
            fate="placed",
        ),
        Proposal(
            "Reduced timetables: what the guidance says",
            "decision",
            ("secondary", "special"),
            20,
            "Agree a network position and a shared record form.",
            fate="not_reached",
        ),
        Proposal(
            "CAMHS schools link: referral criteria",
            "guest_speaker",
            ("all",),
            30,
            "Topic for a guest speaker from the CAMHS schools link team.",
        ),
        Proposal(
            "Moderating top-up funding requests",
            "moderation",
            ("secondary",),
            30,
            "First-stage moderation of exceptional needs funding requests before the LA panel.",
        ),
    ],
    "Special schools and AP": [
        Proposal(
            "Outreach offer for 2026 to 2027",
            "decision",
            ("special",),
            25,
            "Agree what Oakfield and Willowbank offer mainstream schools next year, and how to request it.",
            fate="placed",
        ),
        Proposal(
            "Reintegration from alternative provision to mainstream",
            "discussion",
            ("secondary", "special"),
            20,
            "What makes a return stick: the six-week review and a named key adult.",
            fate="placed",
        ),
        Proposal(
            "Placement panel timelines",
            "information",
            ("special",),
            15,
            "The LA's panel calendar for September placements.",
            fate="not_reached",
        ),
        Proposal(
            "Positive handling training refresh",
            "training",
            ("special",),
            45,
            "Shared training day for staff across the special schools and the PRU.",
        ),
    ],
}

COMMENTS = [
    "We tried this last year: happy to share what worked.",
    "Our educational psychologist has a useful checklist for this.",
    "Could we have this early in the meeting? I have to leave at 3.",
    "Yes please: this comes up in almost every annual review.",
]


def _afternoon(day: date) -> tuple[datetime, datetime]:
    return local_to_utc(day, time(13, 30)), local_to_utc(day, time(16, 0))


def _tuesday(day: date, forwards: bool) -> date:
    while day.weekday() != 1:
        day += timedelta(days=1 if forwards else -1)
    return day


def _meetings(network: Network, organiser: User, now: datetime) -> tuple[Meeting, Meeting]:
    """The network's last meeting before now and its next one; made when there are none."""
    past = db.session.scalar(
        sa.select(Meeting)
        .where(
            Meeting.network_id == network.id, Meeting.ends_at < now, Meeting.status.in_(("scheduled", "held"))
        )
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )
    if past is None:
        starts, ends = _afternoon(
            _tuesday((now - timedelta(days=35)).astimezone(LONDON).date(), forwards=False)
        )
        past = create_meeting(
            network,
            created_by=organiser,
            status="scheduled",
            title="Autumn 2 network meeting",
            starts_at=starts,
            ends_at=ends,
            address="Northbrook Teachers' Centre, Room 2",
            refreshments="Tea, coffee and cake",
            now=starts - timedelta(days=40),
        )
    coming = db.session.scalar(
        sa.select(Meeting)
        .where(Meeting.network_id == network.id, Meeting.starts_at > now, Meeting.status == "scheduled")
        .order_by(Meeting.starts_at)
        .limit(1)
    )
    if coming is None:
        starts, ends = _afternoon(
            _tuesday((now + timedelta(days=21)).astimezone(LONDON).date(), forwards=True)
        )
        coming = create_meeting(
            network,
            created_by=organiser,
            status="scheduled",
            title="Spring 1 network meeting",
            starts_at=starts,
            ends_at=ends,
            address="Northbrook Teachers' Centre, Room 2",
            online_url="https://meet.example/northbrook-senco",
            now=now,
        )
    return past, coming


def _members(network: Network) -> list[Membership]:
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(
                Membership.user_id.in_(sencos_of(network.id)),
                Membership.organisation_id == network.organisation_id,
            )
            .order_by(Membership.id)
        )
    )


def _network_demo(network: Network, organiser: User, rng: random.Random, now: datetime) -> None:
    members = _members(network)
    if not members:
        return
    past, coming = _meetings(network, organiser, now)
    for title, minutes, presenter, at_end in STANDING:
        add_standing_item(network, title, minutes, presenter, at_end=at_end)

    items: list[tuple[Proposal, AgendaItem]] = []
    for n, proposal in enumerate(PROPOSALS.get(network.name, [])):
        proposer = members[n % len(members)]
        target = coming.id if proposal.fate == "open" and n % 2 else None
        item = propose(
            network,
            proposer.user,
            proposer.school,
            ProposalDraft(
                proposal.title, proposal.description, proposal.kind, proposal.phases, proposal.minutes, target
            ),
            now=past.starts_at - timedelta(days=30 - 2 * n),
        )
        for supporter in rng.sample(members, k=min(len(members), rng.randint(1, 6))):
            set_support(item, supporter.user, supporter.school, True)
        for comment_no in range(rng.randint(0, 2)):
            commenter = rng.choice(members)
            add_comment(
                item,
                commenter.user,
                commenter.school,
                COMMENTS[(n + comment_no) % len(COMMENTS)],
                now=item.created_at + timedelta(days=1 + comment_no),
            )
        if proposal.fate == "declined":
            decline(item, organiser, proposal.reason, now=item.created_at + timedelta(days=3))
        items.append((proposal, item))

    agenda = planning.start_agenda(past, now=past.starts_at - timedelta(days=10))
    for proposal, item in items:
        if proposal.fate in ("placed", "not_reached"):
            planning.place_item(agenda, item)
    planning.add_break(agenda, minutes=15)
    taker = members[-1]
    agenda.minute_taker_id = taker.user_id
    for slot in planning.slots_of(agenda):
        if slot.item is not None:
            slot.presenter = slot.item.proposed_by.name if slot.item.proposed_by else ""
    _publish_then_hold(agenda, past, organiser)
    outcomes = {}
    for slot in planning.slots_of(agenda):
        fate = next((p.fate for p, i in items if i.id == slot.item_id), None)
        if fate == "not_reached":
            outcomes[slot.id] = "not_reached"
            continue
        if slot.item_id is not None:
            outcomes[slot.id] = "discussed"
        if slot.kind in ("item", "standing"):
            save_minutes(
                slot,
                taker.user,
                slot.minutes_version,
                _minutes_for(slot.title),
                "Agreed: the organisers circulate a one-page summary to all schools." if slot.item_id else "",
                now=past.ends_at + timedelta(days=1),
            )
    close_agenda(agenda, outcomes, now=past.ends_at + timedelta(days=1))


def _publish_then_hold(agenda, past: Meeting, organiser: User) -> None:
    """Publish as the organiser did before the meeting, then mark it held. A meeting someone
    already marked held is scheduled again just for the publishing, which only scheduled
    meetings allow."""
    if past.status == "held":
        past.status = "scheduled"
    planning.publish(agenda, organiser, now=past.starts_at - timedelta(days=7))
    mark_held(past, now=past.ends_at)


#: What the minute-taker wrote, by entry title (anything else gets a short generic note).
MINUTES = {
    "Welcome, apologies and notes of the last meeting": "Apologies from two schools. The notes of the last meeting were agreed.",
    "LA update": "The LA SEND team explained the new EHC needs assessment request form and the panel dates for the "
    "spring term. **Annual review paperwork** now goes through the portal only.",
    "School updates and emerging issues": "- More requests for reduced timetables in Key Stage 3.\n"
    "- Two schools report long waits for the community paediatrician.",
    "Any other business and date of the next meeting": "None. The next meeting is on the programme.",
    "Phonics catch-up for pupils with SEN in Year 2": "Three schools run daily keep-up sessions; Fernhill shared its "
    "tracking sheet. Rechecks show most gains for pupils at SEN support.",
    "Moderating SEN support: what counts as “additional to or different from”": "Two anonymised profiles discussed. "
    "Agreement that a time-limited intervention alone, without a plan reviewed with parents, is not SEN support.",
    "Exam access arrangements: the JCQ changes this year": "The exams lead summarised the changes. Schools to check "
    "Form 8 evidence before the February deadline.",
    "Post-16 transition and EHCP reviews in Year 11": "Colleges attend when invited early; the LA will share the "
    "college contacts list.",
    "Outreach offer for 2026 to 2027": "Oakfield and Willowbank outlined their offer; requests through the LA outreach "
    "form from January.",
    "Reintegration from alternative provision to mainstream": "A named key adult and a six-week review made the "
    "difference in every successful return discussed.",
}


def _minutes_for(title: str) -> str:
    return MINUTES.get(title, f"{title}: discussed; notes circulated with these minutes.")


def build_agenda_demo(now: datetime | None = None, seed: int = 11) -> bool:
    """Add the agenda demo to Northbrook's networks; False when there was nothing to add."""
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "northbrook"))
    if organisation is None:
        return False
    now, rng, added = now or utcnow(), random.Random(seed), False
    networks = db.session.scalars(
        sa.select(Network)
        .where(Network.organisation_id == organisation.id, Network.name.in_(PROPOSALS))
        .order_by(Network.name)
    ).all()
    for network in networks:
        started = db.session.scalar(
            sa.select(AgendaItem.id).where(AgendaItem.network_id == network.id).limit(1)
        ) or db.session.scalar(
            sa.select(StandingItem.id).where(StandingItem.network_id == network.id).limit(1)
        )
        organiser = db.session.scalar(
            sa.select(User)
            .where(User.id.in_(people_in(network.id, "organiser")))
            .order_by(User.email)
            .limit(1)
        )
        if started or organiser is None:
            continue
        _network_demo(network, organiser, rng, now)
        added = True
    db.session.flush()
    return added
