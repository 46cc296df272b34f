"""All-day feed items contributed by other domains: poll closing dates and actions due.

Each statement is built once (a statement object keeps its cache key, and the server keeps it
prepared): these run whenever a network's items are not in a process's memory.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from flask import url_for

from cluster.actions.models import Action
from cluster.feeds.ical import FeedDay
from cluster.feeds.services import HISTORY, DayItem, _absolute, day_source
from cluster.networks.models import Network
from cluster.polls.models import DatePoll
from cluster.tenancy.models import Organisation
from cluster.timeutil import local_date


@lru_cache(maxsize=1)
def _polls_statement() -> sa.Select:
    return (
        sa.select(DatePoll.id, DatePoll.network_id, DatePoll.title, DatePoll.closes_at, DatePoll.created_at,
                  Network.name, Organisation.slug)
        .join(Network, Network.id == DatePoll.network_id)
        .join(Organisation, Organisation.id == Network.organisation_id)
        .where(DatePoll.network_id.in_(sa.bindparam("network_ids", expanding=True)), DatePoll.status == "open",
               DatePoll.closes_at >= sa.bindparam("closing_after", type_=DatePoll.closes_at.type))
    )


@day_source("polls")
def poll_closing_dates(connection: sa.Connection, network_ids: list[int], since: datetime) -> list[DayItem]:
    """Open date polls of the networks, on the day they close: for everyone in the network."""
    rows = connection.execute(_polls_statement(), {"network_ids": network_ids, "closing_after": since - timedelta(days=1)})
    return [
        DayItem(network_id=network_id, day=FeedDay(
            uid=f"poll-{poll_id}-closes@cluster",
            summary=f"Date poll closes: {title}",
            day=local_date(closes_at),
            stamp=created_at,
            description=f"{network_name}: answer before it closes.",
            url=_absolute(url_for("org.polls.show", org_slug=slug, network_id=network_id, poll_id=poll_id)),
        ))
        for poll_id, network_id, title, closes_at, created_at, network_name, slug in rows
    ]


@lru_cache(maxsize=1)
def _actions_statement() -> sa.Select:
    return (
        sa.select(Action.id, Action.network_id, Action.description, Action.due_on, Action.created_at,
                  Action.owner_user_id, Action.owner_school_id, Network.name, Organisation.slug)
        .join(Network, Network.id == Action.network_id)
        .join(Organisation, Organisation.id == Action.organisation_id)
        .where(Action.network_id.in_(sa.bindparam("network_ids", expanding=True)), Action.status == "open",
               Action.due_on >= sa.bindparam("due_after", type_=Action.due_on.type),
               sa.or_(Action.owner_user_id.is_not(None), Action.owner_school_id.is_not(None)))
    )


@day_source("actions")
def actions_due(connection: sa.Connection, network_ids: list[int], since: datetime) -> list[DayItem]:
    """Open actions of the networks, on the day they are due: for their owner, a person or a school."""
    rows = connection.execute(_actions_statement(), {"network_ids": network_ids, "due_after": local_date(since - HISTORY)})
    return [
        DayItem(network_id=network_id, user_id=owner_user_id, school_id=owner_school_id, day=FeedDay(
            uid=f"action-{action_id}-due@cluster",
            summary="Action due: " + (description if len(description) <= 100 else description[:97] + "…"),
            day=due_on,
            stamp=created_at,
            description=f"{network_name}: {description}\nMark it done or dropped, with what came of it.",
            url=_absolute(url_for("org.actions.show", org_slug=slug, action_id=action_id)),
        ))
        for (action_id, network_id, description, due_on, created_at, owner_user_id, owner_school_id,
             network_name, slug) in rows
    ]
