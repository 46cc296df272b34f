"""Guest speakers: the organisation's directory and bookings of speakers into meetings."""

from __future__ import annotations

from flask import Blueprint, Flask

from cluster.agenda.views import AGENDA_BUILDER_PANELS
from cluster.meetings.views import MEETING_PANELS
from cluster.speakers import hooks, views


def register(app: Flask, pages: Blueprint) -> None:
    """The directory and booking pages, the speakers' own answer page, and speakers following
    their meetings when they move or are cancelled."""
    pages.register_blueprint(views.bp)
    app.register_blueprint(views.answer_bp)
    hooks.connect()
    MEETING_PANELS.add_panel(
        app, "speakers", "speakers/_meeting_speakers.html", views.meeting_page_bookings, order=30
    )
    AGENDA_BUILDER_PANELS.add_panel(
        app, "speakers", "speakers/_agenda_speakers.html", views.meeting_speaker_bookings
    )
