"""When a person's digest is due: pure functions of their preference, their time zone and ``now``.

The scheduler does not keep a timer per person (a cron trigger per user fires at the wrong hour
after the clocks change). Every 15 minutes it asks, for each person, "what is the latest moment
you asked for that is not in the future?" That moment is worked out from the wall clock in the
person's own zone (Monday 07:00 in Europe/London is 06:00 UTC in summer and 07:00 UTC in
winter), so the digest comes at 07:00 on the Monday after the clocks go forward and after they
go back. A wall-clock hour that does not exist on the day the clocks go forward is taken as the
first moment after the gap; an hour that happens twice when they go back, as the first of the two.

A moment is *due* for :data:`LATE_LIMIT` after it: a scheduler that was down for an hour still
sends, but someone who joins on a Wednesday does not get Monday's digest on Wednesday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LATE_LIMIT = timedelta(hours=12)
#: The first digest (and one after a long pause) reports what is new over at most this long.
LONGEST_LOOKBACK = timedelta(days=28)
PERIOD_LENGTH = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


@dataclass(frozen=True)
class Period:
    """One digest's slot: its key (unique per person) and the moment it was asked for."""

    key: str
    frequency: str
    scheduled_at: datetime  # UTC

    @property
    def length(self) -> timedelta:
        return PERIOD_LENGTH[self.frequency]


def wall_clock(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """The UTC moment of ``hour``:00 on ``day`` in ``zone`` (through the zone's rules for that day)."""
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


def period_key(frequency: str, day: date) -> str:
    if frequency == "weekly":
        year, week, _ = day.isocalendar()
        return f"W{year}-{week:02d}"
    return f"D{day.isoformat()}"


def latest_slot(frequency: str, weekday: int, hour: int, zone: ZoneInfo, now: datetime) -> Period | None:
    """The latest slot at or before ``now`` (None when the digest is off)."""
    if frequency not in PERIOD_LENGTH:
        return None
    local = now.astimezone(zone)
    day = local.date()
    step = timedelta(days=1)
    if frequency == "weekly":
        day -= timedelta(days=(local.weekday() - weekday) % 7)
        step = timedelta(days=7)
    scheduled = wall_clock(day, hour, zone)
    if scheduled > now:
        day -= step
        scheduled = wall_clock(day, hour, zone)
    return Period(period_key(frequency, day), frequency, scheduled)


def due_period(frequency: str, weekday: int, hour: int, zone: ZoneInfo, now: datetime) -> Period | None:
    """The slot to send now, if its moment has come and is less than LATE_LIMIT old."""
    period = latest_slot(frequency, weekday, hour, zone, now)
    if period is None or now - period.scheduled_at >= LATE_LIMIT:
        return None
    return period


def next_slot(frequency: str, weekday: int, hour: int, zone: ZoneInfo, now: datetime) -> datetime | None:
    """The first slot after ``now`` (for telling people when their next digest comes)."""
    latest = latest_slot(frequency, weekday, hour, zone, now)
    if latest is None:
        return None
    local_day = latest.scheduled_at.astimezone(zone).date()
    # The slot's day is what moves: the same wall-clock hour one period on, whatever the offset.
    for periods in (1, 2):
        candidate = wall_clock(local_day + PERIOD_LENGTH[frequency] * periods, hour, zone)
        if candidate > now:
            return candidate
    return None


def window_start(last_sent_until: datetime | None, period_length: timedelta, until: datetime) -> datetime:
    """Where "new since your last digest" starts: where the last sent digest ended, or one
    period back for a first digest, and never more than LONGEST_LOOKBACK back."""
    start = last_sent_until if last_sent_until is not None else until - period_length
    return max(start, until - LONGEST_LOOKBACK)
