"""Template filters for pages: times in the signed-in viewer's zone, counts in words.

What is not a page (a service, an email, a job) takes the zone of the person it is for as an
argument instead; the import contract "no-viewer-below-views" keeps it from importing this."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from flask_login import current_user

from cluster.timeutil import zone_of
from cluster.ui.markdown import render_markdown


def viewer_zone() -> ZoneInfo:
    """The signed-in person's time zone (Europe/London for anyone else): pages only. An email is
    written in its recipient's zone, which its sender passes in."""
    return zone_of(getattr(current_user, "time_zone", None) if current_user else None)


def format_datetime(
    value: datetime | None, fmt: str = "%-d %B %Y, %H:%M", zone: ZoneInfo | None = None
) -> str:
    """``value`` as text on the clock of ``zone`` (the viewer's when none): "4 November 2026, 13:30"."""
    if value is None:
        return ""
    return value.astimezone(zone or viewer_zone()).strftime(fmt)


def format_date(value: datetime | None, zone: ZoneInfo | None = None) -> str:
    """``value``'s day as text: "4 November 2026"."""
    return format_datetime(value, "%-d %B %Y", zone)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def init_filters(app: Flask) -> None:
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_date, "date")
    app.add_template_global(plural)
