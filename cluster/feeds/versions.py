"""Feed versions: a number on each network that changes whenever anything its feeds show changes.

A calendar client asks "has my feed changed?" every hour or so. Answering that by rebuilding the
feed costs as much as sending it; instead each network carries ``feed_version``, and a feed's ETag
is made from the versions of the reader's networks (with the reader's name and options, and the
day). A conditional GET is then one indexed query (:func:`cluster.feeds.services.feed_state`).

The version changes in the same transaction as the change, from the session's flush, so no caller
can forget it: :data:`WATCHED` lists every model a feed is built from, the column that says which
networks' feeds show a row, and which columns matter (none listed: any). Bulk ``UPDATE`` and
``DELETE`` statements on those models are caught too, before they run. A model a feed starts
reading from must be added here; ``tests/feeds/test_versions.py`` checks each one.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from cluster.actions.models import Action
from cluster.auth.models import User
from cluster.meetings.models import Meeting
from cluster.networks.models import Network, NetworkSchool, new_feed_version
from cluster.polls.models import DatePoll
from cluster.schools.models import School
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


def _these(ids: list) -> sa.ColumnElement[bool]:
    return Network.id.in_(ids)


def _hosting(school_ids: list) -> sa.ColumnElement[bool]:
    return Network.id.in_(sa.select(Meeting.network_id).where(Meeting.host_school_id.in_(school_ids)))


def _organised_by(user_ids: list) -> sa.ColumnElement[bool]:
    return Network.id.in_(sa.select(Meeting.network_id).where(Meeting.created_by_id.in_(user_ids)))


def _with_schools(school_ids: list) -> sa.ColumnElement[bool]:
    return Network.id.in_(sa.select(NetworkSchool.network_id).where(NetworkSchool.school_id.in_(school_ids)))


WATCHED: dict[type, Watch] = {
    Meeting: Watch("network_id", _these),
    DatePoll: Watch("network_id", _these),
    Action: Watch("network_id", _these),
    Network: Watch("id", _these, frozenset({"name"}), on_insert=False),
    # A meeting's place is its host school's name and postcode.
    School: Watch("id", _hosting, frozenset({"name", "postcode"}), on_insert=False),
    # A meeting's ORGANIZER is the person who made it.
    User: Watch("id", _organised_by, frozenset({"name", "email"}), on_insert=False),
    # Which school a member is at decides which school-owned actions are theirs. (Joining or
    # leaving a network changes the set of networks in the ETag, which needs no bump.)
    Membership: Watch("school_id", _with_schools, frozenset({"school_id"})),
}


def bump(connection: sa.Connection, where: Iterable[sa.ColumnElement[bool]]) -> None:
    """Give every network matching any of ``where`` a new version."""
    where = list(where)
    if where:
        connection.execute(Network.__table__.update().where(sa.or_(*where)).values(feed_version=new_feed_version()))


def _changed_links(obj, watch: Watch, *, dirty: bool) -> set:
    state = sa.inspect(obj)
    if dirty and watch.columns and not any(state.attrs[name].history.has_changes() for name in watch.columns):
        return set()
    history = state.attrs[watch.link].history
    values = {getattr(obj, watch.link)} | set(history.deleted or ())
    return {value for value in values if value is not None}


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    links: dict[type, set] = {}
    for objects, kind in ((session.new, "new"), (session.dirty, "dirty"), (session.deleted, "deleted")):
        for obj in objects:
            watch = WATCHED.get(type(obj))
            if watch is None or (kind == "new" and not watch.on_insert):
                continue
            if kind != "dirty" or session.is_modified(obj, include_collections=False):
                links.setdefault(type(obj), set()).update(_changed_links(obj, watch, dirty=kind == "dirty"))
    bump(session.connection(), (WATCHED[model].networks(sorted(values)) for model, values in links.items() if values))


@event.listens_for(Session, "do_orm_execute")
def _before_bulk_change(state: ORMExecuteState) -> None:
    """A bulk ``UPDATE`` or ``DELETE`` on a watched model: bump the networks of the rows it will
    change, found with the statement's own condition before it runs."""
    if not (state.is_update or state.is_delete):
        return
    model = state.bind_mapper.class_ if state.bind_mapper is not None else None
    watch = WATCHED.get(model)
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
