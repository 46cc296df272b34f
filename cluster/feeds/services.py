"""Calendar feeds: secret per-user URLs, what goes in them, and serving them cheaply.

A feed holds the meetings of the user's networks from 12 months back onward (drafts never;
cancelled meetings for 30 days after the cancellation), and optionally all-day items from
other domains (poll closing dates, actions due) contributed through :data:`DAY_SOURCES`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property, lru_cache
from typing import Generic, TypeVar

import sqlalchemy as sa
from flask import Flask, current_app

from cluster.auth.models import User
from cluster.auth.tokens import hash_token
from cluster.extensions import db, utcnow
from cluster.feeds.ical import FeedDay, FeedEvent, as_tuple, build_calendar
from cluster.feeds.models import FeedSubscription
from cluster.networks.models import Network
from cluster.networks.queries import network_ids_of
from cluster.plugins import Registry
from cluster.tenancy.models import Membership
from cluster.timeutil import local_date, local_to_utc

HISTORY = timedelta(days=365)
CANCELLED_KEPT = timedelta(days=30)
#: How stale ``last_fetched_at`` may get before a fetch writes it again (clients poll often).
FETCH_RECORD_EVERY = timedelta(minutes=5)


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
#: in the network. ``since`` is the start of the feed's day.
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


# Tokens ----------------------------------------------------------------------------------------


def feed_token(subscription: FeedSubscription) -> str:
    """The secret in the URL: 256 bits from the app's secret key and the subscription's nonce."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"feed:{subscription.nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def existing_subscription(user: User) -> FeedSubscription | None:
    return db.session.scalar(sa.select(FeedSubscription).where(FeedSubscription.user_id == user.id))


def subscription_for(user: User) -> FeedSubscription:
    """The user's subscription, created on first use."""
    subscription = existing_subscription(user)
    if subscription is None:
        subscription = FeedSubscription(user_id=user.id)
        db.session.add(subscription)
        _new_secret(subscription)
        db.session.flush()
    return subscription


def reset(subscription: FeedSubscription) -> None:
    """A new URL; the old one stops working at once."""
    _new_secret(subscription)
    subscription.last_fetched_at = None
    db.session.flush()


def _new_secret(subscription: FeedSubscription) -> None:
    subscription.nonce = secrets.token_hex(32)
    subscription.token_hash = hash_token(feed_token(subscription))


# What a feed is built from ---------------------------------------------------------------------

#: Part of every ETag: change it when the way a feed is written changes, so clients fetch anew.
FEED_FORMAT = 2


@dataclass(frozen=True)
class FeedState:
    """Everything a feed's bytes depend on, read from its token in one query: enough to answer a
    conditional GET without building anything (see :mod:`cluster.feeds.versions`).

    The feed shows the meetings of ``networks`` as they stand at ``versions``, for the reader
    ``user_id``, on ``day`` (its windows start at the beginning of a day, so the bytes are a pure
    function of these fields and the ETag can be made from them).
    """

    subscription_id: int
    user_id: int
    calendar_name: str
    #: (kind, included) for each kind of all-day item in :data:`DAY_SOURCES`.
    options: tuple[tuple[str, bool], ...]
    #: (network id, feed version) for every network the reader is in.
    networks: tuple[tuple[int, int], ...]
    day: date
    created_at: datetime
    last_fetched_at: datetime | None

    @property
    def network_ids(self) -> list[int]:
        return [network_id for network_id, _ in self.networks]

    @cached_property
    def etag(self) -> str:
        key = (
            FEED_FORMAT,
            self.user_id,
            self.calendar_name,
            self.options,
            self.networks,
            self.day.isoformat(),
        )
        return hashlib.sha256(repr(key).encode()).hexdigest()[:40]


@lru_cache(maxsize=4)
def _state_statement(kinds: tuple[str, ...]) -> sa.Select:
    """Built once: a statement object keeps its cache key, and the server keeps it prepared."""
    token_hash = sa.bindparam("token_hash", type_=sa.String)
    reader = (
        sa.select(FeedSubscription.user_id).where(FeedSubscription.token_hash == token_hash).scalar_subquery()
    )
    return (
        sa.select(
            FeedSubscription.id,
            FeedSubscription.user_id,
            FeedSubscription.created_at,
            FeedSubscription.last_fetched_at,
            User.name,
            User.active,
            *(getattr(FeedSubscription, f"include_{kind}") for kind in kinds),
            Network.id,
            Network.feed_version,
        )
        .join(User, User.id == FeedSubscription.user_id)
        .outerjoin(Network, Network.id.in_(network_ids_of(reader)))
        .where(FeedSubscription.token_hash == token_hash)
        .order_by(Network.id)
    )


@contextmanager
def feed_connection() -> Iterator[sa.Connection]:
    """A connection for serving a feed: in autocommit, so a poll costs no BEGIN or ROLLBACK, and
    read with plain statements rather than the session (a feed loads no objects to change)."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        yield connection


def feed_state(connection: sa.Connection, token: str, now: datetime | None = None) -> FeedState | None:
    """The feed behind ``token`` (None when there is none, or its owner is deactivated).

    One statement, a row per network of the reader: this is what every calendar client's hourly
    poll costs. Also notes the fetch, at most every few minutes, so polling clients cost no writes.
    """
    now = now or utcnow()
    kinds = tuple(sorted(DAY_SOURCES.entries()))
    rows = connection.execute(_state_statement(kinds), {"token_hash": hash_token(token)}).all()
    if not rows or not rows[0].active:
        return None
    first = rows[0]
    state = FeedState(
        subscription_id=first[0],
        user_id=first[1],
        created_at=first[2],
        last_fetched_at=first[3],
        calendar_name=f"cluster: {first[4]}",
        options=tuple(zip(kinds, (bool(first[6 + i]) for i in range(len(kinds))))),
        networks=tuple((row[-2], row[-1]) for row in rows if row[-2] is not None),
        day=local_date(now),
    )
    if not state.last_fetched_at or now - state.last_fetched_at >= FETCH_RECORD_EVERY:
        connection.execute(
            sa.update(FeedSubscription)
            .where(FeedSubscription.id == state.subscription_id)
            .values(last_fetched_at=now)
        )
    return state


def day_start(day: date) -> datetime:
    """Where a feed's day begins: the windows below are measured from it, not from the moment."""
    return local_to_utc(day, time(0))


@dataclass(frozen=True)
class Feed:
    body: bytes
    etag: str
    last_modified: datetime


K = TypeVar("K")
V = TypeVar("V")


class _Kept(Generic[K, V]):
    """What this process has built, most recently used kept while there is room (thread-safe)."""

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


@dataclass(frozen=True)
class _NetworkItems:
    """A network's part of its members' feeds on one day, at one version, as plain tuples
    (:func:`cluster.feeds.ical.as_tuple`): events, and for each kind of all-day item
    (user id, school id, day) as in :class:`DayItem`."""

    events: tuple[tuple, ...]
    days: dict[str, tuple[tuple[int | None, int | None, tuple], ...]]


#: Feeds by ETag, and networks' items by (network, version, day): a national deployment has about
#: 2,000 networks, and a network's items are shared by all its members' feeds.
_feeds: _Kept[str, Feed] = _Kept(2048)
_networks: _Kept[tuple[int, int, date], _NetworkItems] = _Kept(4096)


def _items_of(
    connection: sa.Connection, networks: tuple[tuple[int, int], ...], day: date
) -> list[_NetworkItems]:
    """The items of ``networks`` (id, version) on ``day``: from this process's memory, and the
    rest in one query per kind of item for all the networks missing."""
    found = {network_id: _networks.get((network_id, version, day)) for network_id, version in networks}
    missing = [network_id for network_id, items in found.items() if items is None]
    if missing:
        since = day_start(day)
        events: dict[int, list[tuple]] = {network_id: [] for network_id in missing}
        for source in EVENT_SOURCES.entries().values():
            for network_id, event in source(connection, missing, since):
                events[network_id].append(as_tuple(event))
        days: dict[int, dict[str, list[tuple]]] = {network_id: {} for network_id in missing}
        for kind, source in sorted(DAY_SOURCES.entries().items()):
            for item in source(connection, missing, since):
                days[item.network_id].setdefault(kind, []).append(
                    (item.user_id, item.school_id, as_tuple(item.day))
                )
        versions = dict(networks)
        for network_id in missing:
            items = _NetworkItems(
                events=tuple(events[network_id]),
                days={kind: tuple(listed) for kind, listed in days[network_id].items()},
            )
            _networks.put((network_id, versions[network_id], day), items)
            found[network_id] = items
    return [found[network_id] for network_id, _ in networks]


_SCHOOLS_OF = sa.select(Membership.school_id).where(
    Membership.user_id == sa.bindparam("user_id"), Membership.school_id.is_not(None)
)


def _schools_of(connection: sa.Connection, user_id: int) -> set[int]:
    return set(connection.scalars(_SCHOOLS_OF, {"user_id": user_id}))


def rendered(connection: sa.Connection, state: FeedState) -> Feed:
    """The feed's bytes: recalled by ETag when this process has built them already, else built
    from its networks' items (most of them already in memory)."""
    feed = _feeds.get(state.etag)
    if feed is not None:
        return feed
    networks = _items_of(connection, state.networks, state.day)
    events = [FeedEvent(*values) for items in networks for values in items.events]
    shown = {kind for kind, included in state.options if included}
    offered = [
        item for items in networks for kind, found in items.days.items() if kind in shown for item in found
    ]
    schools = (
        _schools_of(connection, state.user_id)
        if any(school_id is not None for _, school_id, _ in offered)
        else set()
    )
    days = [
        FeedDay(*values)
        for user_id, school_id, values in offered
        if (user_id is None and school_id is None)
        or user_id == state.user_id
        or (school_id is not None and school_id in schools)
    ]
    body = build_calendar(state.calendar_name, events, days)
    stamps = [e.stamp for e in events] + [d.stamp for d in days] + [state.created_at]
    feed = Feed(body=body, etag=state.etag, last_modified=max(stamps))
    _feeds.put(state.etag, feed)
    return feed
