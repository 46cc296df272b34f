"""Times: stored in UTC, entered and shown in Europe/London (or the user's zone)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LONDON = ZoneInfo("Europe/London")


def local_to_utc(day: date, at: time, zone: ZoneInfo = LONDON) -> datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``zone`` (13:30 stays 13:30 across the clock change)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def to_local(moment: datetime, zone: ZoneInfo = LONDON) -> datetime:
    return moment.astimezone(zone)


def local_date(moment: datetime, zone: ZoneInfo = LONDON) -> date:
    return moment.astimezone(zone).date()


def zone_of(name: str | None) -> ZoneInfo:
    """The person's time zone, or Europe/London if it is missing or unknown."""
    try:
        return ZoneInfo(name) if name else LONDON
    except (ZoneInfoNotFoundError, ValueError):
        return LONDON
