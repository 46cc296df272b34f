"""Feedback after every meeting."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask

from cluster.digests.sections import add_section
from cluster.feedback import digest, jobs, queries, reports, views
from cluster.jobs.registry import add_job
from cluster.meetings.views import MEETING_PANELS
from cluster.speakers.views import SPEAKER_PANELS


def register(app: Flask, pages: Blueprint) -> None:
    """The feedback, charts and reports pages; feedback wanted in the digest; the job that asks for it."""
    pages.register_blueprint(views.bp)
    add_section(app, "needs_you", digest.feedback_wanted, order=40)
    add_job(
        app,
        "feedback-requests",
        jobs.feedback_requests,
        every=timedelta(minutes=15),
        misfire_grace=timedelta(minutes=14),
    )
    MEETING_PANELS.add_panel(
        app, "feedback", "feedback/_meeting_block.html", views.feedback_for_meeting, order=20
    )
    reports.add_report(app, "attendance", "Attendance", reports.attendance_rows)
    reports.add_report(app, "feedback", "Feedback", reports.feedback_rows)
    SPEAKER_PANELS.add_panel(app, "feedback", "feedback/_speaker_feedback.html", queries.rated_sessions)
