"""Emails to speakers (who have no account): the invitation with the session as an ``.ics``, and
the cancellation. Called after the commit, so that nobody hears of a change that was not saved.

A speaker has no time zone of their own: their emails give UK time (:data:`SPEAKER_ZONE`), the
clock the organiser booked the session on."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr
from zoneinfo import ZoneInfo

from flask import url_for

from cluster.feeds.ical import build_calendar
from cluster.mail import absolute_url, build_message, send
from cluster.meetings.feed import feed_event
from cluster.meetings.notify import place_text, when_text
from cluster.speakers.models import SpeakerBooking
from cluster.timeutil import LONDON

SPEAKER_ZONE = LONDON


def session_text(booking: SpeakerBooking, zone: ZoneInfo) -> str:
    """ "13:45 to 14:30 (45 minutes)" on the clock of ``zone``."""
    if booking.starts_at is None:
        return "Time within the meeting to be confirmed" + (
            f" ({booking.minutes} minutes)" if booking.minutes else ""
        )
    text = f"{booking.starts_at.astimezone(zone):%H:%M}"
    if booking.minutes:
        ends = (booking.starts_at + timedelta(minutes=booking.minutes)).astimezone(zone)
        text += f" to {ends:%H:%M} ({booking.minutes} minutes)"
    return text


def session_ics(booking: SpeakerBooking) -> bytes:
    """The meeting as the feed describes it (place, online link, description), narrowed to the
    speaker's session when it has a time. Its own UID, so that it never overwrites the meeting in
    the calendar of a speaker who is also a member; cancelled with the booking."""
    meeting = booking.meeting
    event = feed_event(meeting)
    starts = booking.starts_at or meeting.starts_at
    ends = (
        starts + timedelta(minutes=booking.minutes)
        if booking.starts_at and booking.minutes
        else (
            meeting.ends_at
            if booking.starts_at is None
            else min(meeting.ends_at, starts + timedelta(minutes=30))
        )
    )
    cancelled = booking.status in ("cancelled", "declined") or meeting.status == "cancelled"
    event = replace(
        event,
        uid=f"speaker-{booking.id}-{meeting.uid}",
        sequence=booking.sequence + meeting.sequence,
        summary=f"Speaking: {booking.topic} ({meeting.title})",
        starts_at=starts,
        ends_at=ends,
        stamp=max(booking.updated_at, meeting.updated_at),
        status="CANCELLED" if cancelled else "CONFIRMED",
        description=f"Your session: {booking.topic}, {session_text(booking, SPEAKER_ZONE)}.\n{event.description}",
    )
    return build_calendar(meeting.title, [event])


def _recipient(booking: SpeakerBooking) -> str:
    return formataddr((booking.speaker.name, booking.speaker.email))


def _message(booking: SpeakerBooking, subject: str, template: str, **context) -> EmailMessage:
    meeting = booking.meeting
    message = build_message(
        _recipient(booking),
        subject,
        template,
        booking=booking,
        speaker=booking.speaker,
        meeting=meeting,
        when=when_text(meeting, SPEAKER_ZONE),
        place=place_text(meeting),
        session=session_text(booking, SPEAKER_ZONE),
        organiser=booking.invited_by,
        **context,
    )
    if booking.invited_by is not None:
        message["Reply-To"] = formataddr((booking.invited_by.name, booking.invited_by.email))
    message.add_attachment(
        session_ics(booking),
        maintype="text",
        subtype="calendar",
        filename="session.ics",
        params={"method": "PUBLISH"},
    )
    return message


def invitation(booking: SpeakerBooking, token: str) -> bool:
    """Invite the speaker, with links to confirm or decline (no account needed). False when the
    directory holds no email address for them."""
    if not booking.speaker.email:
        return False
    answer = absolute_url(url_for("speaker_answer.answer", token=token))
    day = booking.meeting.starts_at.astimezone(SPEAKER_ZONE)
    subject = f"Invitation to speak: {booking.meeting.title}, {day:%-d %B %Y}"
    send([_message(booking, subject, "speaker_invitation", answer_link=answer)])
    return True


def rescheduled(booking: SpeakerBooking) -> bool:
    """Tell the speaker the meeting has changed: the new time and place, and an updated ``.ics``."""
    if not booking.speaker.email:
        return False
    subject = f"Changed: your session at {booking.meeting.title}"
    send([_message(booking, subject, "speaker_changed")])
    return True


def cancellation(booking: SpeakerBooking) -> bool:
    """Tell the speaker their session will not take place."""
    if not booking.speaker.email:
        return False
    subject = f"Cancelled: your session at {booking.meeting.title}"
    send([_message(booking, subject, "speaker_cancelled")])
    return True
