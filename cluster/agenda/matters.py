"""Matters arising: what earlier meetings of the network left open, shown at the top of the
next agenda.

Sources plug in here. A source is ``source(network, meeting) -> list[MattersArisingItem]``,
registered with :func:`matters_arising_source`; it must issue a fixed number of queries (the
agenda pages call every source). Today's source is the unfinished business of the agenda
itself: items deferred or not reached at an earlier meeting and not yet placed again. The
actions issue adds open actions with another source, in its own module, imported where the app
starts (``cluster/models.py`` imports every domain's models, which is a good place).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cluster.agenda.models import OUTCOMES, AgendaItem
from cluster.extensions import db
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
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
MATTERS_ARISING_SOURCES: dict[str, MattersArisingSource] = {}


def matters_arising_source(name: str):
    """Register a source of matters arising under ``name`` (registering again replaces it)."""

    def register(fn: MattersArisingSource) -> MattersArisingSource:
        MATTERS_ARISING_SOURCES[name] = fn
        return fn

    return register


def matters_arising(network: Network, meeting: Meeting) -> list[MattersArisingItem]:
    """Every source's matters for ``meeting``, in the order the sources were registered."""
    found: list[MattersArisingItem] = []
    for source in MATTERS_ARISING_SOURCES.values():
        found.extend(source(network, meeting)[:SOURCE_LIMIT])
    return found


@matters_arising_source("deferred items")
def deferred_items(network: Network, meeting: Meeting) -> list[MattersArisingItem]:
    """Items deferred or not reached at an earlier meeting of the network that are still open
    (once placed again they are on the agenda proper, not a matter arising). One query."""
    earlier = sa.select(Meeting.id).where(Meeting.network_id == network.id, Meeting.starts_at < meeting.starts_at)
    items = db.session.scalars(
        sa.select(AgendaItem)
        .where(AgendaItem.network_id == network.id, AgendaItem.status == "open",
               AgendaItem.deferred_from_meeting_id.in_(earlier))
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
        for item in items if item.deferred_from is not None
    ]
