"""The feed's events are serialised once and reused (cluster/feeds/ical.py): the bytes must be
exactly those of serialising the whole calendar with icalendar in one go."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from cluster.feeds import ical
from cluster.feeds.ical import FeedDay, FeedEvent, build_calendar


def _whole(name, events, days):
    """The calendar serialised in one go, as build_calendar did before it reused events."""
    cal = Calendar()
    for key, value in [
        ("PRODID", ical.PRODID),
        ("VERSION", "2.0"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("X-WR-CALNAME", name),
        ("NAME", name),
        ("X-WR-TIMEZONE", "Europe/London"),
    ]:
        cal.add(key, value)
    cal.add("REFRESH-INTERVAL", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", ical.vDuration(timedelta(hours=1)))
    if events:
        cal.add_component(ical.london_vtimezone())
    for item in sorted(events, key=lambda e: (e.starts_at, e.uid)):
        cal.add_component(ical._vevent(item))
    for item in sorted(days, key=lambda d: (d.day, d.uid)):
        cal.add_component(ical._all_day_vevent(item))
    return cal.to_ical()


def _events():
    start = datetime(2026, 3, 28, 13, 30, tzinfo=UTC)  # the day before the clocks go forward
    return [
        FeedEvent(
            uid=f"m{n}@cluster",
            sequence=n,
            summary=f"Réunion {n}: transition to secondary — ünïcode " * (n + 1),
            starts_at=start + timedelta(days=n),
            ends_at=start + timedelta(days=n, hours=2),
            stamp=start,
            status="CANCELLED" if n == 2 else "CONFIRMED",
            description="Agenda: https://x.example/" + "a" * 90,
            location="Northbrook Primary, NB1 2AB",
            url=f"https://cluster.test/o/nb/meetings/{n}",
            organiser_name="Ola Organiser",
            organiser_email="organiser@northbrook.example",
        )
        for n in range(4)
    ]


def test_reused_events_give_the_same_bytes_as_one_serialisation():
    events = _events()
    days = [
        FeedDay(
            uid="poll-1-closes@cluster",
            summary="Date poll closes: summer",
            day=date(2026, 4, 2),
            stamp=events[0].stamp,
            url="https://cluster.test/p/1",
        )
    ]
    for name, evs, ds in [
        ("cluster: Ann Example", events, days),
        ("cluster: Nobody", [], []),
        ("x", events[:1], []),
    ]:
        assert build_calendar(name, evs, ds) == _whole(name, evs, ds)


def test_a_changed_event_is_serialised_afresh():
    event = _events()[0]
    before = build_calendar("cluster: A", [event])
    moved = FeedEvent(**{**event.__dict__, "sequence": event.sequence + 1, "summary": "Moved meeting"})
    after = build_calendar("cluster: A", [moved])
    assert b"Moved meeting" in after and b"SEQUENCE:1" in after and after != before
    assert build_calendar("cluster: A", [event]) == before
    assert Calendar.from_ical(after).walk("VEVENT")[0]["SUMMARY"] == "Moved meeting"
