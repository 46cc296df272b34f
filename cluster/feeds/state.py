"""A feed's state and ETag, read from its token in one statement: what every calendar client's
hourly poll costs.

Everything a feed's bytes depend on is in :class:`FeedState`: the reader, their options, the
versions of their networks (:mod:`cluster.feeds.versions`) and the day. Its ETag is made from
those alone, so a conditional GET is answered without building anything.
"""

from __future__ import annotations

import hashlib
from collections import namedtuple
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache
from typing import NamedTuple

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.auth.tokens import hash_token
from cluster.extensions import db, utcnow
from cluster.feeds.models import FeedSubscription
from cluster.feeds.sources import DAY_SOURCES, option_column
from cluster.networks.models import Network
from cluster.networks.queries import network_ids_of
from cluster.timeutil import local_date

#: Part of every ETag: change it when the way a feed is written changes, so clients fetch anew.
FEED_FORMAT = 2
#: How stale ``last_fetched_at`` may get before a fetch writes it again (clients poll often).
FETCH_RECORD_EVERY = timedelta(minutes=5)


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
    #: (kind, included) for each kind of all-day item in :data:`~cluster.feeds.sources.DAY_SOURCES`.
    options: tuple[tuple[str, bool], ...]
    #: (network id, feed version) for every network the reader is in.
    networks: tuple[tuple[int, int], ...]
    day: date
    created_at: datetime
    last_fetched_at: datetime | None

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


class _StateQuery(NamedTuple):
    statement: sa.Select
    #: A named tuple with a field per label of the statement, to read its rows by name at nearly the
    #: cost of reading them by position (3.5 µs a poll against 2 µs; a SQLAlchemy row's own
    #: attributes cost 8.5 µs).
    row: type


@lru_cache(maxsize=4)
def _state_query(kinds: tuple[str, ...]) -> _StateQuery:
    """The subscription behind a token hash, its reader, its options, and a row per network of the
    reader (one row with no network for a reader in none), every column labelled.

    Built once per set of kinds: a statement object keeps its cache key, and the server keeps it
    prepared."""
    token_hash = sa.bindparam("token_hash", type_=sa.String)
    reader = (
        sa.select(FeedSubscription.user_id).where(FeedSubscription.token_hash == token_hash).scalar_subquery()
    )
    statement = (
        sa.select(
            FeedSubscription.id.label("subscription_id"),
            FeedSubscription.user_id.label("user_id"),
            FeedSubscription.created_at.label("created_at"),
            FeedSubscription.last_fetched_at.label("last_fetched_at"),
            User.name.label("reader_name"),
            User.active.label("reader_active"),
            *(getattr(FeedSubscription, option_column(kind)).label(option_column(kind)) for kind in kinds),
            Network.id.label("network_id"),
            Network.feed_version.label("feed_version"),
        )
        .join(User, User.id == FeedSubscription.user_id)
        .outerjoin(Network, Network.id.in_(network_ids_of(reader)))
        .where(FeedSubscription.token_hash == token_hash)
        .order_by(Network.id)
    )
    return _StateQuery(statement, namedtuple("FeedStateRow", statement.selected_columns.keys()))


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
    query = _state_query(kinds)
    rows = list(map(query.row._make, connection.execute(query.statement, {"token_hash": hash_token(token)})))
    if not rows or not rows[0].reader_active:
        return None
    first = rows[0]
    state = FeedState(
        subscription_id=first.subscription_id,
        user_id=first.user_id,
        created_at=first.created_at,
        last_fetched_at=first.last_fetched_at,
        calendar_name=f"cluster: {first.reader_name}",
        options=tuple((kind, bool(getattr(first, option_column(kind)))) for kind in kinds),
        networks=tuple((row.network_id, row.feed_version) for row in rows if row.network_id is not None),
        day=local_date(now),
    )
    if not state.last_fetched_at or now - state.last_fetched_at >= FETCH_RECORD_EVERY:
        _record_fetch(connection, state.subscription_id, now)
    return state


def _record_fetch(connection: sa.Connection, subscription_id: int, now: datetime) -> None:
    """Note when the feed was last fetched: its page tells the reader whether a calendar app has it."""
    connection.execute(
        sa.update(FeedSubscription).where(FeedSubscription.id == subscription_id).values(last_fetched_at=now)
    )
