"""A feed's state and ETag, read from its token in one statement: what every calendar client's
hourly poll costs.

Everything a feed's bytes depend on is in :class:`FeedState`: the reader, their options, the
versions of their networks (:mod:`cluster.feeds.versions`) and the day. Its ETag is made from
those alone, so a conditional GET is answered without building anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache

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


@lru_cache(maxsize=4)
def _state_statement(kinds: tuple[str, ...]) -> sa.Select:
    """The subscription behind a token hash, its reader, its options, and a row per network of the
    reader (one row with no network for a reader in none).

    Built once per set of kinds: a statement object keeps its cache key, and the server keeps it
    prepared."""
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
            *(getattr(FeedSubscription, option_column(kind)) for kind in kinds),
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
        _record_fetch(connection, state.subscription_id, now)
    return state


def _record_fetch(connection: sa.Connection, subscription_id: int, now: datetime) -> None:
    """Note when the feed was last fetched: its page tells the reader whether a calendar app has it."""
    connection.execute(
        sa.update(FeedSubscription).where(FeedSubscription.id == subscription_id).values(last_fetched_at=now)
    )
