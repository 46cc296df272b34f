"""Actions that carry forward, and "you said, we did"."""

from __future__ import annotations

from flask import Blueprint, Flask

from cluster.actions import digest, feed, matters, queries, views
from cluster.agenda.matters import add_matters_arising_source
from cluster.digests.sections import add_section
from cluster.feedback.reports import add_report
from cluster.feedback.views import INSIGHTS_PANELS, RESULTS_PANELS
from cluster.feeds.sources import add_day_source


def register(app: Flask, pages: Blueprint) -> None:
    """The actions and "you said, we did" pages; actions due in the digest; open actions as
    matters arising."""
    pages.register_blueprint(views.bp)
    add_section(app, "needs_you", digest.actions_due, order=30)
    add_matters_arising_source(app, "actions", matters.open_actions)
    add_report(app, "actions", "Actions", queries.action_rows)
    add_day_source(app, "actions", feed.actions_due)
    feed.watch_actions(app)
    RESULTS_PANELS.add_panel(
        app, "actions", "actions/_feedback_results.html", queries.meeting_results_actions
    )
    INSIGHTS_PANELS.add_panel(app, "actions", "actions/_insights.html", queries.actions_chart)
