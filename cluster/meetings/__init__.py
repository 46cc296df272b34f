"""Meetings of a network: the programme, replies, the register, and reminders the day before."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask

from cluster.digests.sections import add_section
from cluster.digests.views import UNDELIVERED_PANELS
from cluster.feeds.sources import add_event_source
from cluster.jobs.registry import add_job
from cluster.meetings import digest, feed, reminders, views


def register(app: Flask, pages: Blueprint) -> None:
    """The meetings, programme and register pages; meetings in the digest; the reminders job."""
    pages.register_blueprint(views.bp)
    add_section(app, "coming_up", digest.meetings_coming_up, order=10, name="meetings.coming_up")
    add_section(app, "new", digest.programme_changes, order=10, name="meetings.programme")
    add_job(
        app,
        "meeting-reminders",
        reminders.meeting_reminders,
        every=timedelta(minutes=15),
        misfire_grace=timedelta(minutes=14),
        run_at_start=True,
    )
    add_event_source(app, "meetings", feed.feed_events)
    feed.watch_meetings(app)
    UNDELIVERED_PANELS.add_panel(
        app, "meeting reminders", "meetings/_undelivered_reminders.html", reminders.undelivered_reminders
    )
