"""Agendas built from the schools' proposals: propose, support, time-box, publish, carry over;
minutes per item."""

from __future__ import annotations

from flask import Blueprint, Flask

from cluster.agenda import digest, matters, views
from cluster.agenda.views.plan import agenda_for_meeting
from cluster.digests.sections import add_section
from cluster.meetings.views import MEETING_PANELS


def register(app: Flask, pages: Blueprint) -> None:
    """The proposals, agenda and minutes pages; proposals and agendas in the digest; deferred items
    as matters arising."""
    pages.register_blueprint(views.bp)
    add_section(app, "needs_you", digest.proposals_awaiting_support, order=30)
    add_section(app, "new", digest.new_agenda_news, order=40)
    matters.add_matters_arising_source(app, "deferred items", matters.deferred_items)
    MEETING_PANELS.add_panel(app, "agenda", "agenda/_meeting_block.html", agenda_for_meeting, order=10)
