"""Template filters: times in the reader's zone, counts in words."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from flask_login import current_user

from cluster.timeutil import LONDON
from cluster.ui.markdown import render_markdown


def local_zone() -> ZoneInfo:
    zone = getattr(current_user, "time_zone", None) if current_user else None
    try:
        return ZoneInfo(zone) if zone else LONDON
    except Exception:
        return LONDON


def local_datetime(value: datetime | None, fmt: str = "%-d %B %Y, %H:%M") -> str:
    if value is None:
        return ""
    return value.astimezone(local_zone()).strftime(fmt)


def local_date(value: datetime | None) -> str:
    return local_datetime(value, "%-d %B %Y")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def init_filters(app: Flask) -> None:

    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(local_datetime, "datetime")
    app.add_template_filter(local_date, "date")
    app.add_template_global(plural)
