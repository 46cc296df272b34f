"""Calendar feeds: each person's secret iCalendar address with every meeting of their networks."""

from __future__ import annotations

from flask import Blueprint, Flask

from cluster.feeds import versions, views


def register(app: Flask, pages: Blueprint) -> None:
    """The feed itself and the page about it; feeds that change when their networks do."""
    app.register_blueprint(views.bp)
    versions.watch_networks(app)
