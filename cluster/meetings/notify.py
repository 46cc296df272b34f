"""Emails about meetings. Called after the commit, so that nobody hears of a change that was not
saved. Each person reads the time on their own clock (their ``time_zone``)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import url_for

from cluster.auth.models import User
from cluster.mail import absolute_url, build_message, send
from cluster.meetings.models import Meeting
from cluster.meetings.signals import meeting_announced
from cluster.timeutil import zone_of


def when_text(meeting: Meeting, zone: ZoneInfo) -> str:
    """ "Tuesday 4 November 2026, 13:30 to 16:00" on the clock of ``zone``."""
    starts, ends = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
    return f"{starts:%A %-d %B %Y, %H:%M} to {ends:%H:%M}"


def place_text(meeting: Meeting) -> str:
    parts = [meeting.host_school.name if meeting.host_school else "", meeting.address]
    place = ", ".join(p for p in parts if p)
    if meeting.online_url:
        place = f"{place} and online" if place else "Online"
    return place or "To be confirmed"


def meeting_changed(meeting: Meeting, people: list[User]) -> None:
    _send(meeting, people, f"Changed: {meeting.title}", "meeting_changed")
    meeting_announced.send(meeting, change="changed")


def meeting_cancelled(meeting: Meeting, people: list[User]) -> None:
    _send(meeting, people, f"Cancelled: {meeting.title}", "meeting_cancelled")
    meeting_announced.send(meeting, change="cancelled")


def _send(meeting: Meeting, people: list[User], subject: str, template: str) -> None:
    link = absolute_url(
        url_for("org.meetings.show", org_slug=meeting.network.organisation.slug, meeting_id=meeting.id)
    )
    place = place_text(meeting)
    send(
        [
            build_message(
                person.email,
                subject,
                template,
                person=person,
                meeting=meeting,
                when=when_text(meeting, zone_of(person.time_zone)),
                place=place,
                link=link,
            )
            for person in people
        ]
    )
