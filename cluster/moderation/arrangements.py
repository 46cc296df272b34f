"""The organiser's arrangements for a case: which meeting (or which moderation slot of its
agenda) discusses it, and which of the network's observers are invited to judge."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from cluster.agenda.models import Agenda, AgendaItem, AgendaSlot
from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting
from cluster.moderation.models import CaseObserver, ModerationCase
from cluster.networks.queries import people_in
from cluster.timeutil import to_local

#: Meetings offered: from a week ago, the next ones first, at most this many.
MEETINGS_OFFERED = 12


def choices_for(case: ModerationCase) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(meeting and slot choices, observer choices); three statements."""
    since = utcnow() - timedelta(days=7)
    meetings = db.session.execute(
        sa.select(Meeting.id, Meeting.title, Meeting.starts_at)
        .where(
            Meeting.network_id == case.network_id, Meeting.starts_at >= since, Meeting.status != "cancelled"
        )
        .order_by(Meeting.starts_at)
        .limit(MEETINGS_OFFERED)
    ).all()
    slots = (
        db.session.execute(
            sa.select(AgendaSlot.id, AgendaSlot.title, Agenda.meeting_id)
            .join(Agenda, Agenda.id == AgendaSlot.agenda_id)
            .join(AgendaItem, AgendaItem.id == AgendaSlot.item_id)
            .where(Agenda.meeting_id.in_([m.id for m in meetings]), AgendaItem.kind == "moderation")
            .order_by(AgendaSlot.position)
        ).all()
        if meetings
        else []
    )
    links = []
    for meeting in meetings:
        when = to_local(meeting.starts_at).strftime("%-d %B %Y, %H:%M")
        links.append((f"m{meeting.id}", f"{meeting.title} ({when})"))
        links += [
            (f"s{slot.id}", f"{meeting.title} ({when}): agenda item “{slot.title}”")
            for slot in slots
            if slot.meeting_id == meeting.id
        ]
    observers = db.session.execute(
        sa.select(User.id, User.name)
        .where(User.id.in_(people_in(case.network_id, "observer")))
        .order_by(User.name)
    ).all()
    return links, [(str(o.id), o.name) for o in observers]


def parse_link(value: str) -> tuple[int | None, int | None]:
    """``"m12"`` -> (meeting 12, no slot); ``"s7"`` -> (slot 7's meeting, slot 7). Values come from
    :func:`choices_for` (the form refuses anything else)."""
    if value.startswith("m") and value[1:].isdigit():
        return int(value[1:]), None
    if value.startswith("s") and value[1:].isdigit():
        meeting_id = db.session.scalar(
            sa.select(Agenda.meeting_id)
            .join(AgendaSlot, AgendaSlot.agenda_id == Agenda.id)
            .where(AgendaSlot.id == int(value[1:]))
        )
        return meeting_id, int(value[1:]) if meeting_id else None
    return None, None


def current_values(case: ModerationCase) -> dict:
    local = to_local(case.closes_at) if case.closes_at else None
    link = (
        f"s{case.agenda_slot_id}"
        if case.agenda_slot_id
        else (f"m{case.meeting_id}" if case.meeting_id else "")
    )
    observers = db.session.scalars(sa.select(CaseObserver.user_id).where(CaseObserver.case_id == case.id))
    return {
        "closes_day": local.date() if local else None,
        "closes_time": local.time() if local else None,
        "agenda_slot_id": link,
        "observer_ids": [str(uid) for uid in observers],
    }
