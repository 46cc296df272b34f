"""After (and during) the meeting: minutes and decisions per agenda entry, with every edit
kept and simultaneous edits detected; closing the agenda, which carries unfinished items over.
Functions flush, never commit; each docstring states the rule it keeps."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from cluster.agenda.models import OUTCOMES, Agenda, AgendaSlot, MinutesRevision
from cluster.agenda.planning import slots_of
from cluster.agenda.services import AgendaRuleError
from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting

MINUTES_LENGTH = 50_000


class MinutesConflict(AgendaRuleError):
    """Someone saved these minutes after the editor loaded them; ``current`` is what they saved."""

    def __init__(self, current: AgendaSlot):
        who = current.minutes_updated_by.name if current.minutes_updated_by else "Someone else"
        super().__init__(
            f"{who} saved these minutes while you were editing them. Your text has not been saved: "
            "compare it with theirs below, then save the version you want.",
            "minutes_text",
        )
        self.current = current


def save_minutes(
    slot: AgendaSlot, by: User, version: int, minutes_text: str, decisions: str, now: datetime | None = None
) -> None:
    """Record the minutes and decisions of one entry. The save must be of the version the
    editor loaded (``version``); if someone saved in between, nothing is saved and
    :class:`MinutesConflict` says who, so that nobody overwrites anyone silently. Every saved
    version is kept with who saved it and when."""
    minutes_text, decisions = minutes_text.strip(), decisions.strip()
    if len(minutes_text) > MINUTES_LENGTH or len(decisions) > MINUTES_LENGTH:
        raise AgendaRuleError(
            f"Minutes and decisions must each be {MINUTES_LENGTH:,} characters or fewer",
            "minutes_text" if len(minutes_text) > MINUTES_LENGTH else "decisions",
        )
    now = now or utcnow()
    # A conditional UPDATE, so that of two saves of the same version exactly one wins.
    claimed = db.session.execute(
        sa.update(AgendaSlot)
        .where(AgendaSlot.id == slot.id, AgendaSlot.minutes_version == version)
        .values(
            minutes_version=version + 1,
            minutes_text=minutes_text,
            decisions=decisions,
            minutes_updated_at=now,
            minutes_updated_by_id=by.id,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.expire(slot)
        current = db.session.scalar(
            sa.select(AgendaSlot)
            .where(AgendaSlot.id == slot.id)
            .options(joinedload(AgendaSlot.minutes_updated_by))
            .execution_options(populate_existing=True)
        )
        if current is None:
            raise AgendaRuleError(
                "This entry was taken off the agenda while you were editing it", "minutes_text"
            )
        raise MinutesConflict(current)
    for name, value in (
        ("minutes_version", version + 1),
        ("minutes_text", minutes_text),
        ("decisions", decisions),
        ("minutes_updated_at", now),
        ("minutes_updated_by_id", by.id),
    ):
        set_committed_value(slot, name, value)
    db.session.add(
        MinutesRevision(
            organisation_id=slot.organisation_id,
            slot_id=slot.id,
            version=version + 1,
            minutes_text=minutes_text,
            decisions=decisions,
            edited_by_id=by.id,
            edited_at=now,
        )
    )
    db.session.execute(
        sa.update(Agenda)
        .where(Agenda.id == slot.agenda_id)
        .values(minutes_updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()


def revisions(slot: AgendaSlot, limit: int = 20) -> list[MinutesRevision]:
    """The latest saved versions of an entry's minutes, newest first. One query."""
    return list(
        db.session.scalars(
            sa.select(MinutesRevision)
            .where(MinutesRevision.slot_id == slot.id)
            .options(joinedload(MinutesRevision.edited_by))
            .order_by(MinutesRevision.version.desc())
            .limit(limit)
        )
    )


def can_close(meeting: Meeting, now: datetime | None = None) -> bool:
    """An agenda is closed once its meeting has started (or was held or cancelled)."""
    now = now or utcnow()
    return meeting.status in ("held", "cancelled") or (
        meeting.status == "scheduled" and meeting.starts_at <= now
    )


def close_agenda(agenda: Agenda, outcomes: dict[int, str], now: datetime | None = None) -> list[AgendaSlot]:
    """Close the agenda after the meeting, with the outcome of each proposed item.

    Discussed items are done. Items not reached or deferred go back to the proposals list,
    their supports intact, marked with when and at which meeting they were deferred (and they
    become matters arising for the next meeting). At a cancelled meeting nothing was reached.
    Every proposed item needs an outcome. Returns the entries carried over."""
    meeting = agenda.meeting
    if agenda.status == "closed":
        raise AgendaRuleError("This agenda is already closed")
    if not can_close(meeting, now):
        raise AgendaRuleError("You can close the agenda once the meeting has started")
    items = [slot for slot in slots_of(agenda) if slot.item is not None]
    if meeting.status == "cancelled":
        outcomes = {slot.id: "not_reached" for slot in items}
    for slot in items:
        if outcomes.get(slot.id) not in OUTCOMES:
            raise AgendaRuleError(f"Say what happened to “{slot.title}”", f"outcome-{slot.id}")
    now = now or utcnow()
    carried = []
    for slot in items:
        slot.outcome = outcomes[slot.id]
        if slot.outcome == "discussed":
            slot.item.status = "done"
        else:
            slot.item.status, slot.item.deferred_at = "open", now
            slot.item.deferred_from_meeting_id, slot.item.deferred_reason = meeting.id, slot.outcome
            slot.item.target_meeting_id = None
            carried.append(slot)
    agenda.status, agenda.closed_at = "closed", now
    db.session.flush()
    return carried
