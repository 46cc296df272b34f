"""The shared resource library: files and links shared with a network or the whole organisation."""

from __future__ import annotations

from flask import Blueprint, Flask

from cluster.agenda.views import AGENDA_ITEM_PANELS
from cluster.digests.sections import add_section
from cluster.meetings.views import MEETING_PANELS
from cluster.resources import digest, views


def register(app: Flask, pages: Blueprint) -> None:
    """The library pages; reviews due and new resources in the digest."""
    pages.register_blueprint(views.bp)
    add_section(app, "needs_you", digest.reviews_due, order=60)
    add_section(app, "new", digest.new_resources, order=60)
    MEETING_PANELS.add_panel(
        app, "resources", "resources/_meeting_resources.html", views.meeting_resources, order=40
    )
    AGENDA_ITEM_PANELS.add_panel(
        app, "resources", "resources/_agenda_item_resources.html", views.agenda_item_resources
    )
