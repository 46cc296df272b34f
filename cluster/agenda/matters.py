"""Matters arising: what earlier meetings of the network left open, shown at the top of the
next agenda.

Sources plug in here. A source is ``source(network, meeting) -> list[MattersArisingItem]``,
added with :func:`add_matters_arising_source` in a domain's ``register(app)``; it must issue a
fixed number of queries (the agenda pages call every source). The agenda's own source is its
unfinished business: items deferred or not reached at an earlier meeting and not yet placed
again; the actions domain adds open actions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import joinedload

from cluster.agenda.models import OUTCOMES, AgendaItem
from cluster.extensions import db
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
from cluster.plugins import Registry
from cluster.timeutil import to_local

#: At most this many from each source: the top of an agenda is no place for a backlog.
SOURCE_LIMIT = 20


@dataclass(frozen=True)
class MattersArisingItem:
    title: str
    #: Plain text: where it came from and what is open about it.
    detail: str = ""
    #: What kind of matter this is, in words ("Deferred item", "Action").
    source: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> MattersArisingItem:
        return cls(**{key: str(data.get(key, "")) for key in ("title", "detail", "source")})


MattersArisingSource = Callable[[Network, Meeting], list[MattersArisingItem]]
MATTERS_ARISING_SOURCES: Registry[MattersArisingSource] = Registry("matters arising sources")


def add_matters_arising_source(app: Flask, name: str, source: MattersArisingSource) -> None:
    """Show ``source(network, meeting)``'s items at the top of every agenda (a domain calls this in
    its ``register(app)``)."""
    MATTERS_ARISING_SOURCES.add(app, name, source)


def matters_arising(network: Network, meeting: Meeting) -> list[MattersArisingItem]:
    """Every source's matters for ``meeting``, in the order the sources were registered."""
    found: list[MattersArisingItem] = []
    for source in MATTERS_ARISING_SOURCES.entries().values():
        found.extend(source(network, meeting)[:SOURCE_LIMIT])
    return found


def deferred_items(network: Network, meeting: Meeting) -> list[MattersArisingItem]:
    """Items deferred or not reached at an earlier meeting of the network that are still open
    (once placed again they are on the agenda proper, not a matter arising). One query."""
    earlier = sa.select(Meeting.id).where(
        Meeting.network_id == network.id, Meeting.starts_at < meeting.starts_at
    )
    items = db.session.scalars(
        sa.select(AgendaItem)
        .where(
            AgendaItem.network_id == network.id,
            AgendaItem.status == "open",
            AgendaItem.deferred_from_meeting_id.in_(earlier),
        )
        .options(joinedload(AgendaItem.deferred_from))
        .order_by(AgendaItem.deferred_at.desc(), AgendaItem.id.desc())
        .limit(SOURCE_LIMIT)
    )
    return [
        MattersArisingItem(
            title=item.title,
            detail=f"{OUTCOMES.get(item.deferred_reason, 'Deferred')} at {item.deferred_from.title} "
            f"on {to_local(item.deferred_from.starts_at).strftime('%-d %B %Y')}; back on the proposals list "
            f"with {item.support_count} {'supporter' if item.support_count == 1 else 'supporters'}.",
            source="Deferred item",
        )
        for item in items
        if item.deferred_from is not None
    ]
