"""Rendering a feed's bytes, and keeping what was rendered.

A network's items (its events and all-day items) are shared by every member's feed: each process
keeps them by (network, feed version, day), read on a miss for all the missing networks at once
with one statement per source. Whole feeds are kept by ETag, which names everything their bytes
depend on (:class:`cluster.feeds.state.FeedState`). Neither can go stale: a change gives the
network a new version, and a new day a new key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar

import sqlalchemy as sa

from cluster.feeds.ical import FeedDay, FeedEvent, as_tuple, build_calendar
from cluster.feeds.sources import DAY_SOURCES, EVENT_SOURCES, day_start
from cluster.feeds.state import FeedState
from cluster.tenancy.models import Membership

K = TypeVar("K")
V = TypeVar("V")


class LRUCache(Generic[K, V]):
    """At most ``size`` entries, the least recently used forgotten first; safe across threads."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


@dataclass(frozen=True)
class RenderedFeed:
    body: bytes
    etag: str
    last_modified: datetime


#: A :class:`~cluster.feeds.sources.DayItem` as a plain tuple, less its network (the items are kept
#: by network): (user id, school id, the :class:`FeedDay` as a tuple).
DayItemTuple = tuple[int | None, int | None, tuple]


@dataclass(frozen=True)
class NetworkItems:
    """A network's part of its members' feeds on one day, at one version: its events, and its
    all-day items by kind. Events and days are kept as plain tuples (:func:`cluster.feeds.ical.as_tuple`),
    which the garbage collector does not scan."""

    events: tuple[tuple, ...]
    days: dict[str, tuple[DayItemTuple, ...]]


#: Feeds by ETag, and networks' items by (network, version, day): a national deployment has about
#: 2,000 networks, and a network's items are shared by all its members' feeds.
rendered_feeds: LRUCache[str, RenderedFeed] = LRUCache(2048)
network_items: LRUCache[tuple[int, int, date], NetworkItems] = LRUCache(4096)


def _items_of_networks(
    connection: sa.Connection, networks: tuple[tuple[int, int], ...], day: date
) -> list[NetworkItems]:
    """The items of ``networks`` (id, version) on ``day``: from this process's memory, and the
    rest in one query per source for all the networks missing."""
    found = {network_id: network_items.get((network_id, version, day)) for network_id, version in networks}
    missing = [network_id for network_id, items in found.items() if items is None]
    if missing:
        since = day_start(day)
        events: dict[int, list[tuple]] = {network_id: [] for network_id in missing}
        for source in EVENT_SOURCES.entries().values():
            for network_id, event in source(connection, missing, since):
                events[network_id].append(as_tuple(event))
        days: dict[int, dict[str, list[DayItemTuple]]] = {network_id: {} for network_id in missing}
        for kind, source in sorted(DAY_SOURCES.entries().items()):
            for item in source(connection, missing, since):
                days[item.network_id].setdefault(kind, []).append(
                    (item.user_id, item.school_id, as_tuple(item.day))
                )
        versions = dict(networks)
        for network_id in missing:
            items = NetworkItems(
                events=tuple(events[network_id]),
                days={kind: tuple(listed) for kind, listed in days[network_id].items()},
            )
            network_items.put((network_id, versions[network_id], day), items)
            found[network_id] = items
    return [found[network_id] for network_id, _ in networks]


_READERS_SCHOOLS = sa.select(Membership.school_id).where(
    Membership.user_id == sa.bindparam("user_id"), Membership.school_id.is_not(None)
)


def _schools_of_reader(connection: sa.Connection, user_id: int) -> set[int]:
    return set(connection.scalars(_READERS_SCHOOLS, {"user_id": user_id}))


def rendered_feed(connection: sa.Connection, state: FeedState) -> RenderedFeed:
    """The feed's bytes: recalled by ETag when this process has rendered them already, else built
    from its networks' items (most of them already in memory), with the all-day items of the kinds
    the reader chose that are for them."""
    feed = rendered_feeds.get(state.etag)
    if feed is not None:
        return feed
    networks = _items_of_networks(connection, state.networks, state.day)
    events = [FeedEvent(*values) for items in networks for values in items.events]
    kinds_shown = {kind for kind, included in state.options if included}
    candidates = [
        item
        for items in networks
        for kind, listed in items.days.items()
        if kind in kinds_shown
        for item in listed
    ]
    schools = (
        _schools_of_reader(connection, state.user_id)
        if any(school_id is not None for _, school_id, _ in candidates)
        else set()
    )
    days = [
        FeedDay(*values)
        for user_id, school_id, values in candidates
        if (user_id is None and school_id is None)
        or user_id == state.user_id
        or (school_id is not None and school_id in schools)
    ]
    body = build_calendar(state.calendar_name, events, days)
    stamps = [e.stamp for e in events] + [d.stamp for d in days] + [state.created_at]
    feed = RenderedFeed(body=body, etag=state.etag, last_modified=max(stamps))
    rendered_feeds.put(state.etag, feed)
    return feed
