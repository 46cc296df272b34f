"""Building iCalendar text: a pure function of plain event data.

What calendar clients need (RFC 5545 and practice): a stable UID per meeting, SEQUENCE and
LAST-MODIFIED that move when the meeting changes, times in Europe/London with a matching
VTIMEZONE (never floating), cancelled meetings kept with STATUS:CANCELLED, CRLF line ends and
lines folded at 75 octets without splitting a UTF-8 character (icalendar does both), and the
same bytes for the same data.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from functools import lru_cache

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vDuration, vRecur

from cluster.timeutil import LONDON

PRODID = "-//cluster//SENCO network meetings//EN"


@dataclass(frozen=True)
class FeedEvent:
    """One timed meeting, as the feed shows it."""

    uid: str
    sequence: int
    summary: str
    starts_at: datetime
    ends_at: datetime
    stamp: datetime  # last change: DTSTAMP and LAST-MODIFIED
    status: str  # CONFIRMED, TENTATIVE or CANCELLED
    description: str = ""
    location: str = ""
    url: str = ""
    organiser_name: str = ""
    organiser_email: str = ""


@dataclass(frozen=True)
class FeedDay:
    """An all-day item (a poll closing, an action due): VALUE=DATE with an exclusive end."""

    uid: str
    summary: str
    day: date
    stamp: datetime
    description: str = ""
    url: str = ""


@lru_cache(maxsize=1)
def london_vtimezone() -> Timezone:
    """Europe/London as VTIMEZONE with yearly rules (last Sunday of March and October), built once."""
    tz = Timezone()
    tz.add("TZID", "Europe/London")
    summer = TimezoneDaylight()
    summer.add("TZNAME", "BST")
    summer.add("TZOFFSETFROM", timedelta(hours=0))
    summer.add("TZOFFSETTO", timedelta(hours=1))
    summer.add("DTSTART", datetime(1970, 3, 29, 1, 0, 0))
    summer.add("RRULE", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("TZNAME", "GMT")
    winter.add("TZOFFSETFROM", timedelta(hours=1))
    winter.add("TZOFFSETTO", timedelta(hours=0))
    winter.add("DTSTART", datetime(1970, 10, 25, 2, 0, 0))
    winter.add("RRULE", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def build_calendar(name: str, events: list[FeedEvent], days: list[FeedDay] = ()) -> bytes:
    """The whole feed as bytes; identical input gives identical output.

    Each VEVENT (and the VTIMEZONE) is serialised once and its bytes reused (:func:`_serialised_event`):
    the members of a network share its meetings, so at national scale most of a feed's events have
    been serialised for someone else already, and serialising is most of the cost of a feed. The
    bytes are exactly those of serialising the whole calendar in one go.
    """
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add("X-WR-CALNAME", name)
    cal.add("NAME", name)
    cal.add("X-WR-TIMEZONE", "Europe/London")
    cal.add("REFRESH-INTERVAL", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vDuration(timedelta(hours=1)))
    head = cal.to_ical()
    assert head.endswith(_END), "icalendar ends a calendar with END:VCALENDAR"
    parts = [head[: -len(_END)]]
    if events:
        parts.append(_vtimezone_ical())
    parts.extend(
        _serialised_event(as_tuple(item)) for item in sorted(events, key=lambda e: (e.starts_at, e.uid))
    )
    parts.extend(_serialised_day(as_tuple(item)) for item in sorted(days, key=lambda d: (d.day, d.uid)))
    parts.append(_END)
    return b"".join(parts)


_END = b"END:VCALENDAR\r\n"
#: Serialised events kept per process: a national deployment has about 25,000 meetings in the
#: feeds' window, of well under a kilobyte each.
SERIALISED_EVENTS_KEPT = 32_768


@lru_cache(maxsize=1)
def _vtimezone_ical() -> bytes:
    return london_vtimezone().to_ical()


def as_tuple(item: FeedEvent | FeedDay) -> tuple:
    """The item's fields as a tuple, in order (``type(item)(*as_tuple(item))`` makes it again).

    What a worker keeps by the tens of thousands is kept in this form: a tuple of strings, numbers
    and times is one the garbage collector stops looking at, where it scanned every dataclass
    instance in every full collection (about 70 ms with a national deployment's events in memory).
    It is also the key under which the item's serialised bytes are kept."""
    return tuple(getattr(item, name) for name in _FIELDS[type(item)])


_FIELDS = {kind: tuple(field.name for field in fields(kind)) for kind in (FeedEvent, FeedDay)}


@lru_cache(maxsize=SERIALISED_EVENTS_KEPT)
def _serialised_event(values: tuple) -> bytes:
    return _vevent(FeedEvent(*values)).to_ical()


@lru_cache(maxsize=SERIALISED_EVENTS_KEPT // 4)
def _serialised_day(values: tuple) -> bytes:
    return _all_day_vevent(FeedDay(*values)).to_ical()


def _vevent(item: FeedEvent) -> Event:
    event = Event()
    event.add("UID", item.uid)
    event.add("SEQUENCE", item.sequence)
    event.add("DTSTAMP", item.stamp)
    event.add("LAST-MODIFIED", item.stamp)
    event.add("DTSTART", item.starts_at.astimezone(LONDON))
    event.add("DTEND", item.ends_at.astimezone(LONDON))
    cancelled = item.status == "CANCELLED"
    event.add("SUMMARY", f"Cancelled: {item.summary}" if cancelled else item.summary)
    event.add("STATUS", item.status)
    event.add("TRANSP", "TRANSPARENT" if cancelled else "OPAQUE")
    if item.description:
        event.add("DESCRIPTION", item.description)
    if item.location:
        event.add("LOCATION", item.location)
    if item.url:
        event.add("URL", item.url)
    if item.organiser_email:
        event.add(
            "ORGANIZER",
            f"mailto:{item.organiser_email}",
            parameters={"CN": item.organiser_name or item.organiser_email},
        )
    return event


def _all_day_vevent(item: FeedDay) -> Event:
    event = Event()
    event.add("UID", item.uid)
    event.add("DTSTAMP", item.stamp)
    event.add("DTSTART", item.day)
    event.add("DTEND", item.day + timedelta(days=1))
    event.add("SUMMARY", item.summary)
    event.add("TRANSP", "TRANSPARENT")
    if item.description:
        event.add("DESCRIPTION", item.description)
    if item.url:
        event.add("URL", item.url)
    return event
