"""Reading date polls for pages: a fixed number of queries whatever the number of slots,
answers or members (each function says how many)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from cluster.auth.models import User
from cluster.calendar.services import DayFlag, day_flags
from cluster.extensions import db, utcnow
from cluster.networks.models import Network, NetworkSchool
from cluster.networks.queries import voters_in
from cluster.polls.models import DatePoll, PollAnswer, PollComment, PollReminder, PollSlot
from cluster.polls.ranking import AnswerRow, SchoolRef, SlotResult, rank_slots
from cluster.polls.services import is_open, slot_when
from cluster.schools.models import School
from cluster.tenancy.models import Membership, Organisation
from cluster.timeutil import local_date


@dataclass(frozen=True)
class SlotView:
    """A slot as pages show it: when (Europe/London), where, and why its day may be a poor one."""

    slot: PollSlot
    when: str
    flags: list[DayFlag]

    @property
    def hint(self) -> str:
        parts = [f"At {self.slot.place}." if self.slot.place else ""] + [
            f"{flag.text}." for flag in self.flags
        ]
        return " ".join(p for p in parts if p)


def slot_views(organisation: Organisation, slots: list[PollSlot]) -> dict[int, SlotView]:
    """Each slot with its label and calendar flags (bank holiday, school holiday, INSET day,
    weekend). One query."""
    flags = day_flags(organisation, sorted({local_date(slot.starts_at) for slot in slots}))
    return {
        slot.id: SlotView(
            slot, slot_when(slot.starts_at, slot.ends_at), flags.get(local_date(slot.starts_at), [])
        )
        for slot in slots
    }


def own_answers(poll: DatePoll, user: User) -> dict[tuple[int, bool], str]:
    """``user``'s answers, ``{(slot_id, for_deputy): answer}``. One query."""
    rows = db.session.execute(
        sa.select(PollAnswer.slot_id, PollAnswer.for_deputy, PollAnswer.answer).where(
            PollAnswer.poll_id == poll.id, PollAnswer.user_id == user.id
        )
    )
    return {(slot_id, for_deputy): answer for slot_id, for_deputy, answer in rows}


def own_comment(poll: DatePoll, user: User) -> str:
    body = db.session.scalar(
        sa.select(PollComment.body).where(PollComment.poll_id == poll.id, PollComment.user_id == user.id)
    )
    return body or ""


def voters(network: Network) -> list[Membership]:
    """The people expected to answer (:func:`cluster.networks.queries.voters_in`), active, with
    their users and schools. One query."""
    return list(
        db.session.scalars(
            sa.select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.organisation_id == network.organisation_id,
                Membership.user_id.in_(voters_in(network.id)),
                User.active.is_(True),
            )
            .options(contains_eager(Membership.user), joinedload(Membership.school))
            .order_by(User.name)
        )
    )


def non_respondents(poll: DatePoll, network: Network) -> list[Membership]:
    """Voters who have given no answer at all. Two queries."""
    answered = set(
        db.session.scalars(sa.select(PollAnswer.user_id).where(PollAnswer.poll_id == poll.id).distinct())
    )
    return [m for m in voters(network) if m.user_id not in answered]


def people_who_can_come(poll: DatePoll, slot: PollSlot) -> list[User]:
    """Everyone who answered yes or if need be for ``slot`` (for themselves or their deputy),
    once each. One query."""
    said = sa.select(PollAnswer.user_id).where(
        PollAnswer.slot_id == slot.id, PollAnswer.answer.in_(("yes", "maybe"))
    )
    return list(
        db.session.scalars(
            sa.select(User).where(User.id.in_(said), User.active.is_(True)).order_by(User.name)
        )
    )


@dataclass
class PollListing:
    poll: DatePoll
    open: bool
    slot_count: int
    #: For voters: whether they have answered (None for people who do not vote).
    answered: bool | None


def network_polls(
    network: Network, user: User, can_vote: bool, now: datetime | None = None
) -> list[PollListing]:
    """The network's polls, open ones first (soonest to close first), then the rest, newest
    first. One query, with or without polls."""
    now = now or utcnow()
    slot_count = (
        sa.select(sa.func.count(PollSlot.id)).where(PollSlot.poll_id == DatePoll.id).scalar_subquery()
    )
    answered = sa.exists().where(PollAnswer.poll_id == DatePoll.id, PollAnswer.user_id == user.id)
    rows = db.session.execute(
        sa.select(DatePoll, slot_count, answered).where(DatePoll.network_id == network.id)
    ).all()
    listings = [
        PollListing(poll, is_open(poll, now), count, bool(said) if can_vote else None)
        for poll, count, said in rows
    ]
    opened = sorted((item for item in listings if item.open), key=lambda item: item.poll.closes_at)
    others = sorted(
        (item for item in listings if not item.open), key=lambda item: item.poll.closes_at, reverse=True
    )
    return opened + others


@dataclass
class PollResults:
    ranked: list[SlotResult]
    slots: dict[int, SlotView]
    #: (user_id, for_deputy) -> "Name, School" (or the deputy's name and who answered for them).
    names: dict[tuple[int, bool], str]
    school_count: int
    network_phases: list[str]
    voters: list[Membership]
    non_respondents: list[Membership]
    comments: list[PollComment]
    last_reminder: PollReminder | None
    respondent_ids: set[int] = field(default_factory=set)

    @property
    def suggested(self) -> SlotResult | None:
        """The top slot, unless nobody has answered yet."""
        return self.ranked[0] if self.ranked and self.respondent_ids else None


def poll_results(poll: DatePoll, network: Network, organisation: Organisation) -> PollResults:
    """The ranking and everything the results page shows. Six queries, whatever the size."""
    schools = db.session.scalars(
        sa.select(School)
        .join(NetworkSchool, NetworkSchool.school_id == School.id)
        .where(NetworkSchool.network_id == network.id)
    ).all()
    school_by_id = {school.id: school for school in schools}
    rows = db.session.execute(
        sa.select(
            PollAnswer.slot_id,
            PollAnswer.user_id,
            PollAnswer.for_deputy,
            PollAnswer.answer,
            User.name,
            Membership.school_id,
            Membership.deputy_name,
        )
        .join(User, User.id == PollAnswer.user_id)
        .outerjoin(
            Membership,
            sa.and_(
                Membership.user_id == PollAnswer.user_id,
                Membership.organisation_id == PollAnswer.organisation_id,
            ),
        )
        .where(PollAnswer.poll_id == poll.id)
    ).all()
    members: dict[int, SchoolRef | None] = {}
    names: dict[tuple[int, bool], str] = {}
    for _, user_id, _, _, name, school_id, deputy_name in rows:
        school = school_by_id.get(school_id)
        members[user_id] = SchoolRef(school.id, school.phase_group) if school else None
        at = f", {school.name}" if school else ""
        names[(user_id, False)] = f"{name}{at}"
        names[(user_id, True)] = f"{deputy_name or 'Their deputy'}{at} (deputy; answered by {name})"
    answers = [
        AnswerRow(slot_id, user_id, for_deputy, answer) for slot_id, user_id, for_deputy, answer, *_ in rows
    ]
    everyone = voters(network)
    respondent_ids = set(members)
    comments = db.session.scalars(
        sa.select(PollComment)
        .where(PollComment.poll_id == poll.id)
        .options(joinedload(PollComment.user))
        .order_by(PollComment.updated_at)
    ).all()
    last_reminder = db.session.scalar(
        sa.select(PollReminder)
        .where(PollReminder.poll_id == poll.id)
        .order_by(PollReminder.sent_at.desc())
        .limit(1)
    )
    phases = {school.phase_group for school in schools}
    return PollResults(
        ranked=rank_slots(poll.slots, answers, members, network_phases=phases),
        slots=slot_views(organisation, poll.slots),
        names=names,
        school_count=len(schools),
        network_phases=sorted(phases),
        voters=everyone,
        non_respondents=[m for m in everyone if m.user_id not in respondent_ids],
        comments=[c for c in comments if c.body],
        last_reminder=last_reminder,
        respondent_ids=respondent_ids,
    )
