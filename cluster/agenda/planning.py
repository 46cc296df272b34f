"""Building a meeting's agenda: starting it, placing proposals, standing items and breaks,
ordering and timing the entries, naming a minute-taker and publishing. Functions flush, never
commit; each docstring states the rule it keeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from cluster.agenda.matters import matters_arising
from cluster.agenda.models import Agenda, AgendaItem, AgendaSlot, StandingItem
from cluster.agenda.services import MAX_MINUTES, AgendaRuleError, standing_items
from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting
from cluster.meetings.services import network_people

#: The time "Matters arising" is given when an agenda starts with some.
MATTERS_MINUTES = 10
BREAK_MINUTES = 15
#: An afternoon's agenda; more entries than this is a mistake (or a script).
MAX_SLOTS = 40


class PlanConflict(AgendaRuleError):
    """The plan changed since the form was loaded (another organiser, another tab)."""


def agenda_of(meeting: Meeting) -> Agenda | None:
    return db.session.scalar(sa.select(Agenda).where(Agenda.meeting_id == meeting.id))


def slots_of(agenda: Agenda) -> list[AgendaSlot]:
    """The agenda's entries in order, with their proposals (and proposers' schools) and who last
    edited the minutes. One query."""
    return list(
        db.session.scalars(
            sa.select(AgendaSlot)
            .where(AgendaSlot.agenda_id == agenda.id)
            .options(
                joinedload(AgendaSlot.item).joinedload(AgendaItem.proposer_school),
                joinedload(AgendaSlot.minutes_updated_by),
            )
            .order_by(AgendaSlot.position, AgendaSlot.id)
        )
    )


def start_agenda(meeting: Meeting, now: datetime | None = None) -> Agenda:
    """The meeting's agenda (one per meeting; starting again returns it). A cancelled meeting
    gets none. It opens with "Matters arising" when earlier meetings left any, then the
    network's standing items that open a meeting, then those that close one."""
    existing = agenda_of(meeting)
    if existing is not None:
        return existing
    if meeting.status == "cancelled":
        raise AgendaRuleError("This meeting is cancelled: it has no agenda")
    now = now or utcnow()
    agenda = Agenda(
        organisation_id=meeting.organisation_id,
        meeting_id=meeting.id,
        network_id=meeting.network_id,
        status="draft",
        plan_version=0,
        created_at=now,
    )
    db.session.add(agenda)
    db.session.flush()
    entries = []
    if matters_arising(meeting.network, meeting):
        entries.append({"kind": "matters", "title": "Matters arising", "minutes": MATTERS_MINUTES})
    for standing in standing_items(meeting.network):
        entries.append(
            {
                "kind": "standing",
                "standing_item_id": standing.id,
                "title": standing.title,
                "minutes": standing.minutes,
                "presenter": standing.presenter,
                "at_end": standing.at_end,
            }
        )
    db.session.add_all(
        AgendaSlot(
            organisation_id=agenda.organisation_id, agenda_id=agenda.id, position=n, created_at=now, **entry
        )
        for n, entry in enumerate(entries)
    )
    db.session.flush()
    return agenda


def _open_slots(agenda: Agenda) -> list[AgendaSlot]:
    if agenda.status == "closed":
        raise AgendaRuleError("This agenda is closed: the meeting has happened")
    return slots_of(agenda)


def _editable(agenda: Agenda) -> list[AgendaSlot]:
    """The entries of an agenda that may take one more."""
    slots = _open_slots(agenda)
    if len(slots) >= MAX_SLOTS:
        raise AgendaRuleError(f"An agenda can have at most {MAX_SLOTS} entries")
    return slots


def _insert(agenda: Agenda, slots: list[AgendaSlot], slot: AgendaSlot) -> AgendaSlot:
    """Add ``slot`` before the entries that close a meeting (or at the end), and renumber."""
    at = next((n for n, s in enumerate(slots) if s.at_end), len(slots))
    slots.insert(at, slot)
    db.session.add(slot)
    _renumber(agenda, slots)
    return slot


def _renumber(agenda: Agenda, slots: list[AgendaSlot], bump: bool = True) -> None:
    for n, slot in enumerate(slots):
        slot.position = n
    if bump:
        agenda.plan_version += 1
    db.session.flush()


def _claim(agenda: Agenda, version: int) -> None:
    """Move the plan from ``version`` to the next one in the database, or raise PlanConflict.

    A conditional UPDATE rather than a comparison in Python: of two organisers saving the same
    version at the same moment, exactly one wins, and the other is shown the new plan."""
    claimed = db.session.execute(
        sa.update(Agenda)
        .where(Agenda.id == agenda.id, Agenda.plan_version == version)
        .values(plan_version=version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise PlanConflict(
            "The agenda was changed by someone else while you were editing it. "
            "This is the agenda as it is now: make your changes again.",
            "plan",
        )
    set_committed_value(agenda, "plan_version", version + 1)


def place_item(agenda: Agenda, item: AgendaItem, now: datetime | None = None) -> AgendaSlot:
    """Put an open proposal of the agenda's network on the agenda, with the minutes it asked
    for, before the closing standing items. It leaves the proposals list until it is taken off
    again or carried over after the meeting."""
    if item.network_id != agenda.network_id or item.organisation_id != agenda.organisation_id:
        raise AgendaRuleError("That item belongs to another network")
    if item.status != "open":
        raise AgendaRuleError(
            f"“{item.title}” is {item.status_label.lower()}: only open proposals can be placed"
        )
    slots = _editable(agenda)
    item.status = "placed"
    return _insert(
        agenda,
        slots,
        AgendaSlot(
            organisation_id=agenda.organisation_id,
            agenda_id=agenda.id,
            kind="item",
            item_id=item.id,
            title=item.title,
            minutes=item.minutes_needed,
            created_at=now or utcnow(),
        ),
    )


def add_standing(agenda: Agenda, standing: StandingItem, now: datetime | None = None) -> AgendaSlot:
    """Add one of the network's standing items again (say, after it was taken off)."""
    if standing.network_id != agenda.network_id:
        raise AgendaRuleError("That standing item belongs to another network")
    slots = _editable(agenda)
    slot = AgendaSlot(
        organisation_id=agenda.organisation_id,
        agenda_id=agenda.id,
        kind="standing",
        standing_item_id=standing.id,
        title=standing.title,
        minutes=standing.minutes,
        presenter=standing.presenter,
        at_end=standing.at_end,
        created_at=now or utcnow(),
    )
    if standing.at_end:
        slots.append(slot)
        db.session.add(slot)
        _renumber(agenda, slots)
        return slot
    return _insert(agenda, slots, slot)


def add_break(agenda: Agenda, minutes: int = BREAK_MINUTES, now: datetime | None = None) -> AgendaSlot:
    """A break, placed before the closing standing items; move it where it belongs."""
    return _insert(
        agenda,
        _editable(agenda),
        AgendaSlot(
            organisation_id=agenda.organisation_id,
            agenda_id=agenda.id,
            kind="break",
            title="Break",
            minutes=minutes,
            created_at=now or utcnow(),
        ),
    )


@dataclass(frozen=True)
class SlotEdit:
    """What the plan form says about one entry: its place in the order, minutes and presenter,
    and its title (for entries that are not proposals; None leaves it)."""

    position: int
    minutes: int
    presenter: str
    title: str | None = None


def save_plan(
    agenda: Agenda,
    version: int,
    edits: dict[int, SlotEdit],
    move: tuple[int, str] | None = None,
    remove: int | None = None,
) -> None:
    """Apply the organiser's plan form: order (by the positions given), minutes and presenters,
    then one move up or down, or one removal. The form must be of the current plan (``version``)
    and cover exactly its entries, else nothing is saved (:class:`PlanConflict`). A proposal
    taken off goes back to the proposals list, its supports intact."""
    slots = _open_slots(agenda)
    if version != agenda.plan_version or set(edits) != {slot.id for slot in slots}:
        raise PlanConflict(
            "The agenda was changed by someone else while you were editing it. "
            "This is the agenda as it is now: make your changes again.",
            "plan",
        )
    gone = next((s for s in slots if s.id == remove), None) if remove is not None else None
    if gone is not None and gone.has_minutes:
        raise AgendaRuleError(f"“{gone.title}” has minutes, so it stays on the agenda", "plan")
    for slot in slots:  # every entry checked before any is changed
        edit = edits[slot.id]
        if not 0 <= edit.minutes <= MAX_MINUTES:  # 0 suits "date of the next meeting"
            raise AgendaRuleError(
                f"Minutes must be a whole number from 0 to {MAX_MINUTES}", f"minutes-{slot.id}"
            )
        if edit.title is not None and slot.kind != "item" and not edit.title.strip():
            raise AgendaRuleError("Enter a title", f"title-{slot.id}")
    _claim(agenda, version)
    for slot in slots:
        edit = edits[slot.id]
        slot.minutes, slot.presenter = edit.minutes, edit.presenter.strip()[:200]
        if edit.title is not None and slot.kind != "item":
            slot.title = edit.title.strip()[:200]
    ordered = sorted(slots, key=lambda s: (edits[s.id].position, s.position))
    if move is not None:
        slot_id, direction = move
        at = next((n for n, s in enumerate(ordered) if s.id == slot_id), None)
        to = None if at is None else at - 1 if direction == "up" else at + 1 if direction == "down" else None
        if to is not None and 0 <= to < len(ordered):
            ordered[at], ordered[to] = ordered[to], ordered[at]
    if gone is not None:
        ordered.remove(gone)
        if gone.item is not None and gone.item.status == "placed":
            gone.item.status = "open"
        db.session.delete(gone)
    _renumber(agenda, ordered, bump=False)


def set_minute_taker(agenda: Agenda, user_id: int | None) -> None:
    """Name who records the minutes (besides the organisers): someone in the network, or nobody."""
    if user_id is not None and user_id not in {user.id for user in network_people(agenda.meeting.network)}:
        raise AgendaRuleError("Choose someone in the network", "minute_taker_id")
    agenda.minute_taker_id = user_id
    db.session.flush()


def publish(agenda: Agenda, by: User, now: datetime | None = None) -> list[AgendaSlot]:
    """Publish the agenda of a scheduled meeting: members see it on the meeting page and are
    emailed it (by the caller, after the commit). Publishing again after changes sends it
    again. Matters arising are fixed as published. Returns the entries whose proposers are
    to be told their item is on the agenda: each proposer is told once per placement."""
    meeting = agenda.meeting
    if agenda.status == "closed":
        raise AgendaRuleError("This agenda is closed: the meeting has happened")
    if meeting.status != "scheduled":
        raise AgendaRuleError(
            "Schedule the meeting first: members cannot see a draft meeting"
            if meeting.status == "draft"
            else f"The meeting is {meeting.status_label.lower()}: its agenda cannot be published"
        )
    slots = slots_of(agenda)
    if not slots:
        raise AgendaRuleError("Add something to the agenda before publishing it")
    now = now or utcnow()
    agenda.status, agenda.published_at, agenda.published_by_id = "published", now, by.id
    agenda.published_version = agenda.plan_version
    agenda.matters_snapshot = [m.as_dict() for m in matters_arising(meeting.network, meeting)]
    to_tell = [slot for slot in slots if slot.item is not None and slot.proposer_told_at is None]
    for slot in to_tell:
        slot.proposer_told_at = now
    db.session.flush()
    return to_tell
