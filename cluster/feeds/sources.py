"""All-day feed items contributed by other domains."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import joinedload

from cluster.auth.models import User
from cluster.extensions import db
from cluster.feeds.ical import FeedDay
from cluster.feeds.services import _absolute, day_source
from cluster.networks.models import Network
from cluster.polls.models import DatePoll
from cluster.timeutil import local_date


@day_source("polls")
def poll_closing_dates(user: User, network_ids: list[int], now: datetime) -> list[FeedDay]:
    """Open date polls of the user's networks, on the day they close."""
    if not network_ids:
        return []
    polls = db.session.scalars(
        sa.select(DatePoll)
        .where(DatePoll.network_id.in_(network_ids), DatePoll.status == "open", DatePoll.closes_at >= now - timedelta(days=1))
        .options(joinedload(DatePoll.network).joinedload(Network.organisation))
    )
    return [
        FeedDay(
            uid=f"poll-{poll.id}-closes@cluster",
            summary=f"Date poll closes: {poll.title}",
            day=local_date(poll.closes_at),
            stamp=poll.created_at,
            description=f"{poll.network.name}: answer before it closes.",
            url=_absolute(url_for("org.polls.show", org_slug=poll.network.organisation.slug, network_id=poll.network_id,
                                 poll_id=poll.id)),
        )
        for poll in polls
    ]
