"""Actions in calendar feeds: an all-day item on the day each open action is due, for its owner."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
from flask import Flask, url_for

from cluster.actions.models import Action
from cluster.feeds.ical import FeedDay
from cluster.feeds.sources import HISTORY, DayItem
from cluster.feeds.versions import Watch, networks_with_ids, watch
from cluster.mail import absolute_url
from cluster.networks.models import Network
from cluster.tenancy.models import Organisation
from cluster.timeutil import local_date


@lru_cache(maxsize=1)
def _actions_statement() -> sa.Select:
    return (
        sa.select(
            Action.id.label("action_id"),
            Action.network_id,
            Action.description,
            Action.due_on,
            Action.created_at,
            Action.owner_user_id,
            Action.owner_school_id,
            Network.name.label("network_name"),
            Organisation.slug.label("org_slug"),
        )
        .join(Network, Network.id == Action.network_id)
        .join(Organisation, Organisation.id == Action.organisation_id)
        .where(
            Action.network_id.in_(sa.bindparam("network_ids", expanding=True)),
            Action.status == "open",
            Action.due_on >= sa.bindparam("due_after", type_=Action.due_on.type),
            sa.or_(Action.owner_user_id.is_not(None), Action.owner_school_id.is_not(None)),
        )
    )


def actions_due(connection: sa.Connection, network_ids: list[int], since: datetime) -> list[DayItem]:
    """Open actions of the networks, on the day they are due: for their owner, a person or a school."""
    rows = connection.execute(
        _actions_statement(), {"network_ids": network_ids, "due_after": local_date(since - HISTORY)}
    )
    return [
        DayItem(
            network_id=row.network_id,
            user_id=row.owner_user_id,
            school_id=row.owner_school_id,
            day=FeedDay(
                uid=f"action-{row.action_id}-due@cluster",
                summary="Action due: "
                + (row.description if len(row.description) <= 100 else row.description[:97] + "…"),
                day=row.due_on,
                stamp=row.created_at,
                description=f"{row.network_name}: {row.description}\nMark it done or dropped, with what came of it.",
                url=absolute_url(url_for("org.actions.show", org_slug=row.org_slug, action_id=row.action_id)),
            ),
        )
        for row in rows
    ]


def watch_actions(app: Flask) -> None:
    watch(app, Action, Watch("network_id", networks_with_ids))
