"""Meeting reminders: the day before, to those who said yes or maybe, with the .ics, exactly once."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import sqlalchemy as sa

from cluster.extensions import db
from cluster.meetings.models import MeetingReminder
from cluster.meetings.reminders import send_meeting_reminders
from cluster.meetings.services import cancel_meeting, update_meeting
from tests.digests.helpers import closed_port, northbrook, recipients, utc
from tests.helpers import parts

STARTS = utc("2026-12-03T13:30")


def _meeting_with_replies(make):
    nb = northbrook(make)
    meeting = make.meeting(
        nb.network,
        title="Autumn 2 network meeting",
        starts_at=STARTS,
        ends_at=STARTS + timedelta(hours=2, minutes=30),
        host_school_id=nb.primary.id,
        online_url="https://meet.example/north",
    )
    make.rsvp(meeting, nb.member, "yes")
    make.rsvp(meeting, nb.other, "maybe", mode="online")
    make.rsvp(meeting, nb.observer, "no")
    return nb, meeting  # the organiser has not replied


def test_reminders_go_the_day_before_to_those_coming_or_maybe_coming(make, mailbox):
    nb, meeting = _meeting_with_replies(make)
    send_meeting_reminders(STARTS - timedelta(hours=25))
    assert mailbox == []  # not yet
    send_meeting_reminders(STARTS - timedelta(hours=24))
    assert recipients(mailbox) == ["ben@nb.example", "priya@nb.example"]
    ben = next(m for m in mailbox if "ben@" in str(m["To"]))
    assert ben["Subject"] == "Reminder: Autumn 2 network meeting, tomorrow at 13:30"
    text, html = parts(ben)
    assert (
        "Thursday 3 December 2026, 13:30 to 16:00" in text and "You said you are coming (in person)" in text
    )
    assert "https://meet.example/north" in text and "http://cluster.test/o/nb/meetings/" in html
    priya = next(m for m in mailbox if "priya@" in str(m["To"]))
    assert "You said you may come (online)" in parts(priya)[0]


def test_the_reminder_carries_the_meeting_as_an_ics_with_the_feed_s_uid(make, mailbox):
    _, meeting = _meeting_with_replies(make)
    send_meeting_reminders(STARTS - timedelta(hours=20))
    message = mailbox[0]
    assert message.get_content_type() == "multipart/mixed"
    body, attachment = list(message.iter_parts())
    assert body.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in body.iter_parts()] == ["text/plain", "text/html"]
    assert attachment.get_content_type() == "text/calendar" and attachment.get_filename() == "meeting.ics"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == meeting.uid and event.decoded("DTSTART").astimezone(STARTS.tzinfo) == STARTS


def test_each_person_is_reminded_once_however_often_the_job_runs(make, mailbox):
    _meeting_with_replies(make)
    for minutes in range(0, 24 * 60 - 60, 15):
        send_meeting_reminders(STARTS - timedelta(hours=24) + timedelta(minutes=minutes))
    assert recipients(mailbox) == ["ben@nb.example", "priya@nb.example"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MeetingReminder)) == 2


def test_a_meeting_moved_to_another_day_is_reminded_of_again_and_a_cancelled_one_not(make, mailbox):
    nb, meeting = _meeting_with_replies(make)
    send_meeting_reminders(STARTS - timedelta(hours=23))
    later = STARTS + timedelta(days=7)
    update_meeting(meeting, starts_at=later, ends_at=later + timedelta(hours=2))
    db.session.commit()
    mailbox.clear()
    send_meeting_reminders(later - timedelta(hours=23))
    assert recipients(mailbox) == ["ben@nb.example", "priya@nb.example"]
    other = make.meeting(
        nb.network,
        title="Called off",
        starts_at=STARTS + timedelta(days=1),
        ends_at=STARTS + timedelta(days=1, hours=1),
    )
    make.rsvp(other, nb.member, "yes")
    cancel_meeting(other, "Snow")
    db.session.commit()
    mailbox.clear()
    send_meeting_reminders(STARTS + timedelta(hours=2))
    assert mailbox == []


def test_a_reminder_that_failed_is_retried_while_the_meeting_is_ahead(app, make, mailbox, monkeypatch):
    _meeting_with_replies(make)
    monkeypatch.setitem(app.config, "MAIL_PORT", closed_port())
    send_meeting_reminders(STARTS - timedelta(hours=24))
    assert {r.status for r in db.session.scalars(sa.select(MeetingReminder))} == {"retrying"}
    monkeypatch.undo()
    send_meeting_reminders(STARTS - timedelta(hours=23, minutes=45))
    assert recipients(mailbox) == ["ben@nb.example", "priya@nb.example"]
    db.session.expire_all()
    assert {(r.status, r.attempts) for r in db.session.scalars(sa.select(MeetingReminder))} == {("sent", 2)}
