"""Speakers follow their meeting: moved, their session moves and they get the new time with an
updated .ics; cancelled, they are told. Declined and cancelled bookings hear nothing."""

from __future__ import annotations

from datetime import time, timedelta

import icalendar
import sqlalchemy as sa

from cluster.extensions import db
from cluster.speakers.models import SpeakerBooking
from cluster.timeutil import LONDON
from tests.helpers import parts
from tests.speakers.test_booking import _form, _ics, _world


def _book(client, w, **overrides):
    client.post(f"/o/nb/meetings/{w.meeting.id}/speakers/new", data=_form(w, **overrides))
    return db.session.scalar(sa.select(SpeakerBooking).order_by(SpeakerBooking.id.desc()).limit(1))


def _edit(client, w, day, start="13:30", end="16:00"):
    return client.post(
        f"/o/nb/meetings/{w.meeting.id}/edit",
        data={
            "title": w.meeting.title,
            "day": [str(day.day), str(day.month), str(day.year)],
            "start": start,
            "end": end,
            "address": "Library",
            "online_url": "https://meet.example/north",
            "refreshments": "",
            "capacity": "",
            "description": "",
            "host_school_id": "",
        },
    )


def test_moving_the_meeting_moves_the_session_and_tells_the_speaker(client, make, login, mailbox):
    w = _world(make)
    login(w.organiser)
    booking = _book(client, w, start="14:00")
    declined = _book(client, w, start="15:00", topic="Declined session")
    declined.status = "declined"
    db.session.commit()
    mailbox.clear()
    old_start, sequence = booking.starts_at, booking.sequence
    new_day = w.meeting.starts_at.astimezone(LONDON).date() + timedelta(days=7)
    assert _edit(client, w, new_day, start="14:30", end="17:00").status_code == 302
    db.session.refresh(booking)
    assert booking.starts_at - old_start == timedelta(days=7, hours=1)  # the same point of the meeting
    assert booking.starts_at.astimezone(LONDON).time() == time(15, 0) and booking.sequence == sequence + 1
    to_speaker = [m for m in mailbox if "priya@nhs.example" in m["To"]]
    assert len(to_speaker) == 1 and to_speaker[0]["Subject"].startswith("Changed: your session")
    text, _ = parts(to_speaker[0])
    assert "15:00 to 15:30" in text and new_day.strftime("%-d %B %Y") in text
    [event] = icalendar.Calendar.from_ical(_ics(to_speaker[0])).walk("VEVENT")
    assert event["DTSTART"].dt == booking.starts_at and int(event["SEQUENCE"]) > 0
    assert str(event["STATUS"]) == "CONFIRMED"


def test_editing_without_moving_tells_no_speaker(client, make, login, mailbox):
    w = _world(make)
    login(w.organiser)
    _book(client, w)
    mailbox.clear()
    day = w.meeting.starts_at.astimezone(LONDON).date()
    start = w.meeting.starts_at.astimezone(LONDON).strftime("%H:%M")
    end = w.meeting.ends_at.astimezone(LONDON).strftime("%H:%M")
    _edit(client, w, day, start=start, end=end)
    assert mailbox == []


def test_cancelling_the_meeting_tells_the_speaker_with_a_cancelled_ics(client, make, login, mailbox):
    w = _world(make)
    login(w.organiser)
    _book(client, w)
    mailbox.clear()
    client.post(f"/o/nb/meetings/{w.meeting.id}/cancel", data={"reason": "The hall is flooded"})
    to_speaker = [m for m in mailbox if "priya@nhs.example" in m["To"]]
    assert len(to_speaker) == 1 and to_speaker[0]["Subject"].startswith("Cancelled: your session")
    [event] = icalendar.Calendar.from_ical(_ics(to_speaker[0])).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
