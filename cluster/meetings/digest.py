"""What the digest says about meetings: those coming up, and changes to the programme."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cluster.digests.sections import DigestBatch, DigestItem
from cluster.extensions import db
from cluster.meetings.models import ATTENDANCE_MODES, Meeting, Rsvp

#: "Coming up" looks this far ahead.
COMING_UP = timedelta(days=14)
REPLIES = {"yes": "Your reply: coming", "maybe": "Your reply: maybe", "no": "Your reply: not coming"}


def meetings_coming_up(batch: DigestBatch) -> dict[int, list[DigestItem]]:
    """Scheduled meetings of the reader's networks in the next 14 days: when, where, the online
    link and the reader's reply. Two queries."""
    meetings = list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.network_id.in_(batch.network_ids),
                Meeting.status == "scheduled",
                Meeting.starts_at >= batch.now,
                Meeting.starts_at < batch.now + COMING_UP,
            )
            .options(joinedload(Meeting.host_school))
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )
    replies = {
        (meeting_id, user_id): (response, mode)
        for meeting_id, user_id, response, mode in db.session.execute(
            sa.select(Rsvp.meeting_id, Rsvp.user_id, Rsvp.response, Rsvp.mode).where(
                Rsvp.meeting_id.in_([m.id for m in meetings]), Rsvp.user_id.in_(batch.user_ids)
            )
        )
    }
    found: dict[int, list[DigestItem]] = {}
    for meeting in meetings:
        for reader in batch.readers_in(meeting.network_id):
            reply = replies.get((meeting.id, reader.user_id))
            if reply is None:
                said = "You have not replied yet"
            elif reply[0] == "no":
                said = REPLIES["no"]
            else:
                said = f"{REPLIES[reply[0]]}, {ATTENDANCE_MODES.get(reply[1], '').lower()}".rstrip(", ")
            facts = [batch.span(reader.user_id, meeting.starts_at, meeting.ends_at), place(meeting), said]
            if meeting.refreshments:
                facts.append(f"Refreshments: {meeting.refreshments}")
            found.setdefault(reader.user_id, []).append(
                DigestItem(
                    network_id=meeting.network_id,
                    kind="Meeting",
                    title=meeting.title,
                    sort_at=meeting.starts_at,
                    url=batch.network_link("org.meetings.show", meeting.network_id, meeting_id=meeting.id),
                    facts=tuple(facts),
                    links=online_link(meeting),
                    key=f"meeting:{meeting.id}",
                )
            )
    return found


def programme_changes(batch: DigestBatch) -> dict[int, list[DigestItem]]:
    """Meetings added to (or moved in) the programme beyond the next 14 days, and meetings
    cancelled, since the reader's last digest. One query."""
    readers = list(batch.readers.values())
    earliest = min((r.since for r in readers), default=batch.now)
    latest = max((r.until for r in readers), default=batch.now)
    meetings = list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.network_id.in_(batch.network_ids),
                Meeting.status.in_(("scheduled", "cancelled")),
                Meeting.changed_at > earliest,
                Meeting.changed_at <= latest,
                Meeting.starts_at >= batch.now,
            )
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )
    found: dict[int, list[DigestItem]] = {}
    for meeting in meetings:
        cancelled = meeting.status == "cancelled"
        if not cancelled and meeting.starts_at < batch.now + COMING_UP:
            continue  # "Coming up" shows it as it is now
        for reader in batch.readers_in(meeting.network_id):
            if not reader.since < meeting.changed_at <= reader.until:
                continue
            when = batch.span(reader.user_id, meeting.starts_at, meeting.ends_at)
            if cancelled:
                reason = (f"Reason: {meeting.cancel_reason}",) if meeting.cancel_reason else ()
                facts = (f"It was to be on {when}", *reason)
            else:
                changed = batch.when(reader.user_id, meeting.changed_at, "%A %-d %B")
                facts = (when, f"Added to the programme or changed on {changed}")
            found.setdefault(reader.user_id, []).append(
                DigestItem(
                    network_id=meeting.network_id,
                    kind="Cancelled" if cancelled else "In the programme",
                    title=meeting.title,
                    sort_at=meeting.starts_at,
                    facts=facts,
                    url=batch.network_link("org.meetings.show", meeting.network_id, meeting_id=meeting.id),
                    key=f"{'cancelled' if cancelled else 'programme'}:{meeting.id}",
                )
            )
    return found


def place(meeting: Meeting) -> str:
    school = meeting.host_school
    parts = [
        school.name if school else "",
        school.postcode if school and school.postcode else "",
        meeting.address,
    ]
    where = ", ".join(p for p in parts if p)
    if where and meeting.online_url:
        return f"At {where}, or online"
    if where:
        return f"At {where}"
    return "Online" if meeting.online_url else "Place to be confirmed"


def online_link(meeting: Meeting) -> tuple[tuple[str, str], ...]:
    """The online link, only if it is a web address (organisers type it)."""
    url = (meeting.online_url or "").strip()
    if url.lower().startswith(("https://", "http://")):
        return ((f"Join {meeting.title} online", url),)
    return ()
