"""Date polls in calendar feeds: an all-day item on the day each open poll closes."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from flask import Flask, url_for

from cluster.feeds.ical import FeedDay
from cluster.feeds.sources import DayItem
from cluster.feeds.versions import Watch, networks_with_ids, watch
from cluster.mail import absolute_url
from cluster.networks.models import Network
from cluster.polls.models import DatePoll
from cluster.tenancy.models import Organisation
from cluster.timeutil import local_date


@lru_cache(maxsize=1)
def _polls_statement() -> sa.Select:
    return (
        sa.select(
            DatePoll.id.label("poll_id"),
            DatePoll.network_id,
            DatePoll.title,
            DatePoll.closes_at,
            DatePoll.created_at,
            Network.name.label("network_name"),
            Organisation.slug.label("org_slug"),
        )
        .join(Network, Network.id == DatePoll.network_id)
        .join(Organisation, Organisation.id == Network.organisation_id)
        .where(
            DatePoll.network_id.in_(sa.bindparam("network_ids", expanding=True)),
            DatePoll.status == "open",
            DatePoll.closes_at >= sa.bindparam("closing_after", type_=DatePoll.closes_at.type),
        )
    )


def poll_closing_dates(connection: sa.Connection, network_ids: list[int], since: datetime) -> list[DayItem]:
    """Open date polls of the networks, on the day they close: for everyone in the network."""
    rows = connection.execute(
        _polls_statement(), {"network_ids": network_ids, "closing_after": since - timedelta(days=1)}
    )
    return [
        DayItem(
            network_id=row.network_id,
            day=FeedDay(
                uid=f"poll-{row.poll_id}-closes@cluster",
                summary=f"Date poll closes: {row.title}",
                day=local_date(row.closes_at),
                stamp=row.created_at,
                description=f"{row.network_name}: answer before it closes.",
                url=absolute_url(
                    url_for(
                        "org.polls.show",
                        org_slug=row.org_slug,
                        network_id=row.network_id,
                        poll_id=row.poll_id,
                    )
                ),
            ),
        )
        for row in rows
    ]


def watch_polls(app: Flask) -> None:
    watch(app, DatePoll, Watch("network_id", networks_with_ids))
