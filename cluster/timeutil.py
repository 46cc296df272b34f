"""Times: stored in UTC, entered and shown in Europe/London (or the user's zone)."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def local_to_utc(day: date, at: time, zone: ZoneInfo = LONDON) -> datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``zone`` (13:30 stays 13:30 across the clock change)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(timezone.utc)


def to_local(moment: datetime, zone: ZoneInfo = LONDON) -> datetime:
    return moment.astimezone(zone)


def local_date(moment: datetime, zone: ZoneInfo = LONDON) -> date:
    return moment.astimezone(zone).date()
