"""What goes in a feed: its window, and the domains' contributions to it.

A feed holds the meetings of the reader's networks from 12 months back onward (drafts never;
cancelled meetings for 30 days after the cancellation), and optionally all-day items from other
domains (poll closing dates, actions due). The feeds know none of those domains: each adds its
source here from its ``register(app)``, and watches what its source reads
(:func:`cluster.feeds.versions.watch`) so that feeds change when it does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import Flask

from cluster.feeds.ical import FeedDay, FeedEvent
from cluster.plugins import Registry
from cluster.timeutil import local_to_utc

#: How far back a feed shows meetings and actions.
HISTORY = timedelta(days=365)
#: How long a cancelled meeting stays in feeds after its cancellation (so clients remove it).
CANCELLED_KEPT = timedelta(days=30)


def day_start(day: date) -> datetime:
    """Where a feed's day begins: its windows are measured from it, not from the moment, so a
    feed's bytes are the same all day."""
    return local_to_utc(day, time(0))


@dataclass(frozen=True)
class DayItem:
    """An all-day item of a network, and whose calendars show it: everyone in the network (no
    ``user_id`` or ``school_id``), one person, or the SENCOs of one school."""

    network_id: int
    day: FeedDay
    user_id: int | None = None
    school_id: int | None = None


EventSource = Callable[[sa.Connection, list[int], datetime], Iterable[tuple[int, FeedEvent]]]
DaySource = Callable[[sa.Connection, list[int], datetime], list[DayItem]]

#: Contributors of timed events (meetings): ``source(connection, network_ids, since)`` yields
#: ``(network_id, FeedEvent)`` for the events of those networks in the feed's window, for everyone
#: in the network. ``since`` is the start of the feed's day (:func:`day_start`).
EVENT_SOURCES: Registry[EventSource] = Registry("feed event sources")
#: Contributors of all-day items: ``source(connection, network_ids, since) -> list[DayItem]``, with the
#: items of those networks for everyone who may see them (a feed picks the reader's). A
#: subscription shows a kind ("polls", "actions") when its ``include_<kind>`` column says so.
DAY_SOURCES: Registry[DaySource] = Registry("feed day sources")


def add_event_source(app: Flask, name: str, source: EventSource) -> None:
    """Show ``source``'s events in every feed. What it reads must be watched
    (:func:`cluster.feeds.versions.watch`), so that feeds change when it does."""
    EVENT_SOURCES.add(app, name, source)


def add_day_source(app: Flask, kind: str, source: DaySource) -> None:
    """Show ``source``'s all-day items in the feeds whose ``include_<kind>`` is set. What it reads
    must be watched (:func:`cluster.feeds.versions.watch`)."""
    DAY_SOURCES.add(app, kind, source)


def option_column(kind: str) -> str:
    """The subscription's column that says whether its feed shows items of ``kind``."""
    return f"include_{kind}"
