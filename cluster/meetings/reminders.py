"""Meeting reminders: the day before a meeting, to everyone who said they are coming or may come,
with the meeting's ``.ics`` attached. Exactly once per person and start time (see
:mod:`cluster.mail.outbox`): a meeting moved to another day is reminded of again."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from functools import partial

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import joinedload

from cluster.auth.models import User
from cluster.digests.services import UNDELIVERED_SHOWN
from cluster.extensions import db, utcnow
from cluster.mail import Mailer, absolute_url, build_message, url_context
from cluster.mail.headers import finish_headers, new_message_id, one_line, recipient
from cluster.mail.outbox import (
    RunReport,
    claim,
    deliver,
    give_up_abandoned,
    take,
    takeable,
)
from cluster.meetings.digest import online_link, place
from cluster.meetings.feed import meeting_ics
from cluster.meetings.models import ATTENDANCE_MODES, Meeting, MeetingReminder, Rsvp
from cluster.networks.models import Network
from cluster.tenancy.models import Membership, Organisation
from cluster.timeutil import zone_of

#: Reminders go this long before the meeting starts...
LEAD = timedelta(hours=24)
#: ...and not at all once it is this close (nobody needs a reminder of a meeting in 20 minutes).
LAST_CALL = timedelta(hours=1)


def send_meeting_reminders(now: datetime | None = None) -> RunReport:
    """Remind everyone who replied yes or maybe to a scheduled meeting starting between one and
    24 hours from ``now``; retry reminders that failed while the meeting is still ahead. Commits
    each claim before sending and each outcome after."""
    now = now or utcnow()
    report = RunReport()
    with url_context(), Mailer() as mailer:
        give_up_abandoned(MeetingReminder, now)
        db.session.commit()
        retry = db.session.execute(
            sa.select(
                MeetingReminder.id,
                MeetingReminder.meeting_id,
                MeetingReminder.user_id,
                MeetingReminder.message_id,
            )
            .join(Meeting, Meeting.id == MeetingReminder.meeting_id)
            .where(
                takeable(MeetingReminder, now),
                Meeting.status == "scheduled",
                Meeting.starts_at == MeetingReminder.starts_at,
                Meeting.starts_at > now + LAST_CALL,
            )
        ).all()
        due = db.session.execute(
            sa.select(Meeting.id, Meeting.organisation_id, Meeting.starts_at, Rsvp.user_id)
            .join(Rsvp, Rsvp.meeting_id == Meeting.id)
            .join(User, User.id == Rsvp.user_id)
            .join(
                Membership,
                sa.and_(
                    Membership.user_id == Rsvp.user_id, Membership.organisation_id == Meeting.organisation_id
                ),
            )
            .where(
                Meeting.status == "scheduled",
                Meeting.starts_at > now + LAST_CALL,
                Meeting.starts_at <= now + LEAD,
                Rsvp.response.in_(("yes", "maybe")),
                User.active.is_(True),
            )
        ).all()
        rows = [
            {
                "organisation_id": org_id,
                "meeting_id": meeting_id,
                "user_id": user_id,
                "starts_at": starts_at,
                "status": "queued",
                "attempts": 0,
                "created_at": now,
                "message_id": new_message_id("reminder"),
                "last_error": "",
            }
            for meeting_id, org_id, starts_at, user_id in due
        ]
        claimed = claim(MeetingReminder, rows, ("meeting_id", "user_id", "starts_at"))
        db.session.commit()  # on record before anything is sent: a second run finds these rows
        fresh = set(claimed.values())
        work = [(row.id, row.meeting_id, row.user_id, row.message_id) for row in retry]
        work += [
            (claimed[key], row["meeting_id"], row["user_id"], row["message_id"])
            for row in rows
            if (key := (row["meeting_id"], row["user_id"], row["starts_at"])) in claimed
        ]
        meetings = _meetings({meeting_id for _, meeting_id, _, _ in work})
        people = {
            u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_({w[2] for w in work})))
        }
        replies = {
            (rsvp.meeting_id, rsvp.user_id): rsvp
            for rsvp in db.session.scalars(
                sa.select(Rsvp).where(Rsvp.meeting_id.in_(list(meetings)), Rsvp.user_id.in_(list(people)))
            )
        }
        for row_id, meeting_id, user_id, message_id in sorted(work):
            attempt_at = now
            if not take(MeetingReminder, row_id, attempt_at, fresh=row_id in fresh):
                continue  # another run is sending it
            db.session.commit()  # this attempt (and the previous outcome) on record before SMTP sees it
            meeting, person, rsvp = meetings[meeting_id], people[user_id], replies.get((meeting_id, user_id))
            build = partial(reminder_message, meeting, person, rsvp, message_id, attempt_at)
            deliver(MeetingReminder, row_id, build, mailer, attempt_at, report, commit=False)
        db.session.commit()
    return report


def _meetings(ids: set[int]) -> dict[int, Meeting]:
    return {
        meeting.id: meeting
        for meeting in db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.id.in_(ids))
            .options(
                joinedload(Meeting.host_school),
                joinedload(Meeting.created_by),
                joinedload(Meeting.network).joinedload(Network.organisation),
            )
        )
    }


def reminder_message(
    meeting: Meeting, person: User, rsvp: Rsvp | None, message_id: str, now: datetime
) -> EmailMessage:
    """The reminder: when (on the person's clock), where, the online link, their reply, a link to
    the meeting, and the meeting as an ``.ics`` attachment (the same UID as in their feed)."""
    zone = zone_of(person.time_zone)
    start, end = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
    today = now.astimezone(zone).date()
    day = {today: "today", today + timedelta(days=1): "tomorrow"}.get(
        start.date(), start.strftime("on %A %-d %B")
    )
    reply = (
        "You said you may come"
        if rsvp is not None and rsvp.response == "maybe"
        else "You said you are coming"
    )
    if rsvp is not None and rsvp.response != "no":
        reply += f" ({ATTENDANCE_MODES.get(rsvp.mode, '').lower()})" if rsvp.mode in ATTENDANCE_MODES else ""
    subject = f"Reminder: {one_line(meeting.title)}, {day} at {start.strftime('%H:%M')}"
    message = build_message(
        recipient(person.name, person.email),
        subject,
        "meeting_reminder",
        person=person,
        meeting=meeting,
        when=f"{start.strftime('%A %-d %B %Y, %H:%M')} to {end.strftime('%H:%M')}",
        day=day,
        place=place(meeting),
        online=online_link(meeting),
        reply=reply,
        zone_name=zone.key,
        link=absolute_url(
            url_for("org.meetings.show", org_slug=meeting.network.organisation.slug, meeting_id=meeting.id)
        ),
    )
    finish_headers(message, message_id, now)
    message.add_attachment(
        meeting_ics(meeting),
        maintype="text",
        subtype="calendar",
        filename="meeting.ics",
        params={"method": "PUBLISH"},
    )
    return message


def meeting_reminders(now: datetime) -> str:
    """Remind the people coming to a meeting the day before, with the .ics attached, exactly once."""
    return f"meeting reminders: {send_meeting_reminders(now)}"


def undelivered_reminders(organisation: Organisation) -> list[MeetingReminder]:
    """Reminders of the organisation's meetings that failed or wait to be tried again, the latest
    first (for the org admins' page of undelivered mail). One query."""
    return list(
        db.session.scalars(
            sa.select(MeetingReminder)
            .where(
                MeetingReminder.organisation_id == organisation.id,
                MeetingReminder.status.in_(("failed", "retrying")),
            )
            .options(joinedload(MeetingReminder.user), joinedload(MeetingReminder.meeting))
            .order_by(MeetingReminder.created_at.desc(), MeetingReminder.id.desc())
            .limit(UNDELIVERED_SHOWN)
        )
    )
