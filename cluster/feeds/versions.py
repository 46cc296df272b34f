"""Feed versions: a number on each network that changes whenever anything its feeds show changes.

A calendar client asks "has my feed changed?" every hour or so. Answering that by rebuilding the
feed costs as much as sending it; instead each network carries ``feed_version``, and a feed's ETag
is made from the versions of the reader's networks (with the reader's name and options, and the
day). A conditional GET is then one indexed query (:func:`cluster.feeds.state.feed_state`).

The version changes in the same transaction as the change, from the session's flush, so no caller
can forget it: :data:`WATCHED` holds every model a feed is built from, the column that says which
networks' feeds show a row, and which columns matter (none listed: any); each domain adds its own
with :func:`watch`. Bulk ``UPDATE`` and ``DELETE`` statements on those models are caught too,
before they run. ``tests/feeds/test_versions.py`` records the tables a feed reads and checks that
each is watched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from cluster.networks.models import Network, NetworkSchool, new_feed_version
from cluster.plugins import Registry
from cluster.tenancy.models import Membership


@dataclass(frozen=True)
class Watch:
    #: The attribute whose values name what to bump (old and new values both count).
    link: str
    #: The networks whose feeds show rows with those values.
    networks: Callable[[list], sa.ColumnElement[bool]]
    #: Changes to these attributes matter; empty: a change to any does.
    columns: frozenset[str] = frozenset()
    #: Whether a new row can show in a feed (a new school hosts no meeting yet).
    on_insert: bool = True


def networks_with_ids(ids: list) -> sa.ColumnElement[bool]:
    """The networks with these ids (for models whose rows name their network)."""
    return Network.id.in_(ids)


def _networks_with_schools(school_ids: list) -> sa.ColumnElement[bool]:
    return Network.id.in_(sa.select(NetworkSchool.network_id).where(NetworkSchool.school_id.in_(school_ids)))


#: Every model a feed is built from, with how a change to it moves the feeds' versions. A domain
#: whose rows a feed shows adds its models with :func:`watch` in its ``register(app)``.
WATCHED: Registry[Watch] = Registry("feed watches")


def watch(app: Flask, model: type, how: Watch) -> None:
    WATCHED.add(app, f"{model.__module__}.{model.__qualname__}", how)


def _watch_of(model: type | None) -> Watch | None:
    if model is None or not has_app_context():
        return None
    return WATCHED.entries().get(f"{model.__module__}.{model.__qualname__}")


def watch_networks(app: Flask) -> None:
    """The feeds' own watches (a network's name is every event's description; which school a member
    is at decides which school-owned items are theirs), and the listeners that apply them all."""
    watch(app, Network, Watch("id", networks_with_ids, frozenset({"name"}), on_insert=False))
    # Joining or leaving a network changes the set of networks in the ETag, which needs no bump.
    watch(app, Membership, Watch("school_id", _networks_with_schools, frozenset({"school_id"})))
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _before_bulk_change)


def bump(connection: sa.Connection, where: Iterable[sa.ColumnElement[bool]]) -> None:
    """Give every network matching any of ``where`` a new version."""
    where = list(where)
    if where:
        connection.execute(
            Network.__table__.update().where(sa.or_(*where)).values(feed_version=new_feed_version())
        )


def _changed_links(obj, watch: Watch, *, dirty: bool) -> set:
    state = sa.inspect(obj)
    if dirty and watch.columns and not any(state.attrs[name].history.has_changes() for name in watch.columns):
        return set()
    history = state.attrs[watch.link].history
    values = {getattr(obj, watch.link)} | set(history.deleted or ())
    return {value for value in values if value is not None}


def _after_flush(session: Session, _context) -> None:
    links: dict[type, set] = {}
    for objects, kind in ((session.new, "new"), (session.dirty, "dirty"), (session.deleted, "deleted")):
        for obj in objects:
            watch = _watch_of(type(obj))
            if watch is None or (kind == "new" and not watch.on_insert):
                continue
            if kind != "dirty" or session.is_modified(obj, include_collections=False):
                links.setdefault(type(obj), set()).update(_changed_links(obj, watch, dirty=kind == "dirty"))
    bump(
        session.connection(),
        (_watch_of(model).networks(sorted(values)) for model, values in links.items() if values),
    )


def _before_bulk_change(state: ORMExecuteState) -> None:
    """A bulk ``UPDATE`` or ``DELETE`` on a watched model: bump the networks of the rows it will
    change, found with the statement's own condition before it runs."""
    if not (state.is_update or state.is_delete):
        return
    model = state.bind_mapper.class_ if state.bind_mapper is not None else None
    watch = _watch_of(model)
    if watch is None:
        return
    link = getattr(model, watch.link)
    where = state.statement.whereclause
    if where is None:
        rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
        ids = [row["id"] for row in rows if row.get("id") is not None]
        if len(ids) != len(rows):  # no condition and no primary keys: every row may change
            bump(state.session.connection(), [sa.true()])
            return
        where = model.id.in_(ids)
    values = sorted(state.session.connection().scalars(sa.select(link).where(where).distinct()))
    values = [value for value in values if value is not None]
    if values:
        bump(state.session.connection(), [watch.networks(values)])
