"""Date polls: the rules for opening, answering, reminding, closing and finalising them.

Every function takes explicit arguments and flushes; the caller commits once, then sends any
email. Rule breaks raise :class:`PollRuleError`, whose problems say what is wrong and where.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting
from cluster.meetings.services import create_meeting
from cluster.networks.models import Network
from cluster.polls.models import ANSWERS, DatePoll, PollAnswer, PollComment, PollReminder, PollSlot
from cluster.timeutil import LONDON, to_local

MIN_SLOTS = 2
MAX_SLOTS = 30
#: A second reminder within this time is refused: a double click must not email everyone twice.
REMINDER_GAP = timedelta(hours=1)
COMMENT_LENGTH = 1000


@dataclass(frozen=True)
class Problem:
    message: str
    #: Where it is: "title", "closes", "slots" (the slots as a whole) or "slot-<row>-<day|starts|ends>".
    field: str = ""


class PollRuleError(ValueError):
    """A change the rules do not allow; ``str()`` is the first message to show."""

    def __init__(self, *problems: Problem | str):
        self.problems = [p if isinstance(p, Problem) else Problem(p) for p in problems]
        super().__init__(self.problems[0].message)


@dataclass(frozen=True)
class SlotDraft:
    """A candidate slot as the organiser typed it (times already converted to UTC)."""

    starts_at: datetime
    ends_at: datetime
    place: str = ""
    #: The row of the form it came from (1 for the first), so that messages can point at it.
    row: int = 0


def slot_when(starts_at: datetime, ends_at: datetime, zone: ZoneInfo = LONDON) -> str:
    """ "Tuesday 8 June 2027, 13:30 to 16:00" on the clock of ``zone`` (UK time, the clock slots
    are entered on, unless a reader's own zone is given)."""
    start, end = to_local(starts_at, zone), to_local(ends_at, zone)
    until = end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%-d %B %Y, %H:%M")
    return f"{start.strftime('%A %-d %B %Y, %H:%M')} to {until}"


def is_open(poll: DatePoll, now: datetime | None = None) -> bool:
    """Open for answers: not closed or finalised, and its closing time has not passed (a poll
    stops taking answers at its closing time even before ``polls close-due`` records it)."""
    return poll.status == "open" and (now or utcnow()) < poll.closes_at


# Opening a poll ---------------------------------------------------------------------------


def poll_problems(
    closes_at: datetime | None, slots: Sequence[SlotDraft], now: datetime, *, all_slots: bool = True
) -> list[Problem]:
    """Everything wrong with a new poll: at least 2 and at most 30 slots; each starts in the
    future, ends after it starts and differs from the others; the poll closes in the future and
    before the first slot starts. ``all_slots=False`` when some rows could not be read yet, so
    that only the slots given are judged (not how many there are)."""
    problems = []
    if all_slots and len(slots) < MIN_SLOTS:
        problems.append(Problem(f"Add at least {MIN_SLOTS} slots, so that members have a choice", "slots"))
    if len(slots) > MAX_SLOTS:
        problems.append(Problem(f"A poll can have at most {MAX_SLOTS} slots", "slots"))
    seen: dict[tuple, int] = {}
    for slot in slots:
        if slot.starts_at <= now:
            problems.append(Problem(f"Slot {slot.row} must be in the future", f"slot-{slot.row}-day"))
        if slot.ends_at <= slot.starts_at:
            problems.append(Problem(f"Slot {slot.row} must end after it starts", f"slot-{slot.row}-ends"))
        key = (slot.starts_at, slot.ends_at, slot.place.strip().lower())
        if key in seen:
            problems.append(
                Problem(f"Slot {slot.row} is the same as slot {seen[key]}", f"slot-{slot.row}-day")
            )
        seen.setdefault(key, slot.row)
    if closes_at is not None:
        if closes_at <= now:
            problems.append(Problem("The closing date must be in the future", "closes"))
        elif slots and closes_at >= min(s.starts_at for s in slots):
            first = min(slots, key=lambda s: s.starts_at)
            problems.append(
                Problem(
                    f"The poll must close before the first slot starts ({slot_when(first.starts_at, first.ends_at)})",
                    "closes",
                )
            )
    return problems


def create_poll(
    network: Network,
    *,
    created_by: User | None,
    title: str,
    description: str,
    closes_at: datetime,
    slots: Sequence[SlotDraft],
    now: datetime | None = None,
) -> DatePoll:
    """Open a date poll for ``network`` with candidate ``slots`` (the rules are
    :func:`poll_problems`'s; every problem is reported at once)."""
    now = now or utcnow()
    if not title.strip():
        raise PollRuleError(Problem("Enter a title for the poll", "title"))
    problems = poll_problems(closes_at, slots, now)
    if problems:
        raise PollRuleError(*problems)
    poll = DatePoll(
        organisation_id=network.organisation_id,
        network_id=network.id,
        title=title.strip(),
        description=description.strip(),
        closes_at=closes_at,
        status="open",
        created_at=now,
        created_by_id=created_by.id if created_by else None,
    )
    poll.slots = [
        PollSlot(
            organisation_id=network.organisation_id,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            place=s.place.strip(),
        )
        for s in sorted(slots, key=lambda s: (s.starts_at, s.ends_at))
    ]
    db.session.add(poll)
    db.session.flush()
    return poll


# Answering ----------------------------------------------------------------------------------


def _dialect_insert():
    """INSERT with ON CONFLICT for the engine in use (PostgreSQL in production, SQLite embedded)."""
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def save_answers(
    poll: DatePoll,
    user: User,
    answers: Mapping[tuple[int, bool], str],
    *,
    comment: str | None = None,
    for_deputy_allowed: bool = False,
    now: datetime | None = None,
) -> None:
    """Record ``user``'s answers, ``{(slot_id, for_deputy): "yes" | "maybe" | "no"}``, and their comment.

    Only while the poll is open; only for its slots; for the deputy only when the member has
    named one. Answers not given are left as they were; at least one must be given. Each answer
    is one upsert on (slot, user, for_deputy), so two tabs or two requests at the same moment
    can neither duplicate nor lose an answer: the last one written wins. An empty comment
    removes the comment; ``None`` leaves it alone.
    """
    now = now or utcnow()
    if not is_open(poll, now):
        raise PollRuleError("This poll has closed: answers can no longer be changed")
    if not answers:
        raise PollRuleError(Problem("Choose yes, if need be or no for at least one date", "answers"))
    slot_ids = {slot.id for slot in poll.slots}
    for (slot_id, for_deputy), answer in answers.items():
        if slot_id not in slot_ids or answer not in ANSWERS:
            raise PollRuleError("Choose yes, if need be or no for each date")
        if for_deputy and not for_deputy_allowed:
            raise PollRuleError("Name your deputy before answering for them")
    if comment is not None and len(comment.strip()) > COMMENT_LENGTH:
        raise PollRuleError(Problem(f"Your comment must be {COMMENT_LENGTH} characters or fewer", "comment"))
    insert = _dialect_insert()
    # Sorted, so that concurrent requests take row locks in the same order and cannot deadlock.
    rows = [
        {
            "organisation_id": poll.organisation_id,
            "poll_id": poll.id,
            "slot_id": slot_id,
            "user_id": user.id,
            "for_deputy": for_deputy,
            "answer": answers[(slot_id, for_deputy)],
            "updated_at": now,
        }
        for slot_id, for_deputy in sorted(answers)
    ]
    stmt = insert(PollAnswer.__table__).values(rows)
    db.session.execute(
        stmt.on_conflict_do_update(
            index_elements=["slot_id", "user_id", "for_deputy"],
            set_={"answer": stmt.excluded.answer, "updated_at": stmt.excluded.updated_at},
        )
    )
    if comment is not None:
        _save_comment(poll, user, comment.strip(), now)
    db.session.flush()


def _save_comment(poll: DatePoll, user: User, body: str, now: datetime) -> None:
    if not body:
        db.session.execute(
            sa.delete(PollComment).where(PollComment.poll_id == poll.id, PollComment.user_id == user.id)
        )
        return
    stmt = _dialect_insert()(PollComment.__table__).values(
        organisation_id=poll.organisation_id,
        poll_id=poll.id,
        user_id=user.id,
        body=body,
        updated_at=now,
    )
    db.session.execute(
        stmt.on_conflict_do_update(
            index_elements=["poll_id", "user_id"],
            set_={"body": stmt.excluded.body, "updated_at": stmt.excluded.updated_at},
        )
    )


# Reminding, closing, finalising ---------------------------------------------------------------


def record_reminder(poll: DatePoll, recipients: Sequence[User], now: datetime | None = None) -> PollReminder:
    """Record a reminder to ``recipients`` (the members who have not answered), before it is sent.

    Only while the poll is open, only when someone has not answered, and not within an hour of
    the last reminder.
    """
    now = now or utcnow()
    if not is_open(poll, now):
        raise PollRuleError("This poll has closed: there is nobody to remind")
    if not recipients:
        raise PollRuleError("Everyone has answered: there is nobody to remind")
    last = db.session.scalar(
        sa.select(sa.func.max(PollReminder.sent_at)).where(PollReminder.poll_id == poll.id)
    )
    if last is not None and now - last < REMINDER_GAP:
        again = to_local(last + REMINDER_GAP).strftime("%H:%M")
        raise PollRuleError(
            f"A reminder was sent at {to_local(last).strftime('%H:%M')}. You can send another from {again}"
        )
    reminder = PollReminder(
        organisation_id=poll.organisation_id, poll_id=poll.id, sent_to=len(recipients), sent_at=now
    )
    db.session.add(reminder)
    db.session.flush()
    return reminder


def close_poll(poll: DatePoll, now: datetime | None = None) -> None:
    """Close an open poll now (the organiser closing early): answers can no longer change."""
    now = now or utcnow()
    if poll.status != "open":
        raise PollRuleError("This poll is already closed")
    poll.status, poll.closed_at = "closed", now
    db.session.flush()


def close_due_polls(now: datetime | None = None) -> list[DatePoll]:
    """Close every open poll whose closing time has passed, in every organisation (the scheduler's job).

    Idempotent, and safe in two processes at once: each poll is closed by one conditional
    UPDATE, and only the run whose UPDATE changed it reports it.
    """
    now = now or utcnow()
    due = db.session.scalars(
        sa.select(DatePoll)
        .where(DatePoll.status == "open", DatePoll.closes_at <= now)
        .options(joinedload(DatePoll.network))
        .order_by(DatePoll.closes_at, DatePoll.id)
    ).all()
    closed = []
    for poll in due:
        changed = db.session.execute(
            sa.update(DatePoll)
            .where(DatePoll.id == poll.id, DatePoll.status == "open")
            .values(status="closed", closed_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed:
            poll.status, poll.closed_at = "closed", now
            closed.append(poll)
    db.session.flush()
    return closed


def finalise_poll(
    poll: DatePoll, slot: PollSlot, *, by: User | None, title: str = "", now: datetime | None = None
) -> Meeting:
    """Schedule the meeting at ``slot`` and mark the poll finalised (closing it if still open).

    The slot must be one of the poll's and must not have started; a poll is finalised once, even
    if two organisers press the button together (a conditional UPDATE claims it).
    """
    now = now or utcnow()
    if slot.poll_id != poll.id:
        raise PollRuleError("Choose one of this poll's dates")
    if poll.status == "finalised":
        raise PollRuleError("This poll has already been finalised")
    if slot.starts_at <= now:
        raise PollRuleError("That date has already passed: choose a later one")
    claimed = db.session.execute(
        sa.update(DatePoll)
        .where(DatePoll.id == poll.id, DatePoll.status != "finalised")
        .values(status="finalised")
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        raise PollRuleError("This poll has already been finalised")
    meeting = create_meeting(
        poll.network,
        status="scheduled",
        created_by=by,
        title=(title or poll.title).strip(),
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        address=slot.place,
        now=now,
    )
    poll.status, poll.closed_at, poll.meeting_id = "finalised", poll.closed_at or now, meeting.id
    slot.chosen = True
    db.session.flush()
    return meeting
