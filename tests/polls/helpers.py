"""Helpers for date-poll tests, and for the access matrix's poll routes."""

from __future__ import annotations

from datetime import date, time, timedelta

import sqlalchemy as sa

from cluster.extensions import db
from cluster.networks.models import Network
from cluster.polls.models import DatePoll
from cluster.polls.services import SlotDraft, create_poll
from cluster.tenancy.models import Organisation
from cluster.timeutil import local_to_utc


def slot(day: str, start: str = "13:30", end: str = "16:00", place: str = "", row: int = 0) -> SlotDraft:
    """A slot on ISO ``day`` from ``start`` to ``end``, UK time."""
    on = date.fromisoformat(day)
    return SlotDraft(
        local_to_utc(on, time.fromisoformat(start)), local_to_utc(on, time.fromisoformat(end)), place, row
    )


def make_poll(
    network: Network,
    *days: str,
    closes: str = "2027-05-01",
    title: str = "Summer term meeting",
    created_by=None,
) -> DatePoll:
    """An open poll of ``network`` with a 13:30-16:00 slot on each ISO day (two in June 2027 by
    default), closing at 17:00 on ``closes``; committed."""
    days = days or ("2027-06-08", "2027-06-15")
    poll = create_poll(
        network,
        created_by=created_by,
        title=title,
        description="",
        slots=[slot(d, row=i) for i, d in enumerate(days, 1)],
        closes_at=local_to_utc(date.fromisoformat(closes), time(17, 0)),
    )
    db.session.commit()
    return poll


def poll_args(side) -> dict:
    """URL arguments of an open poll of the access matrix's network in ``side`` (made on first
    use, with dates a few weeks from today, since the matrix runs on the real clock)."""
    poll_id = db.session.scalar(sa.select(DatePoll.id).where(DatePoll.network_id == side.network))
    if poll_id is None:
        today = date.today()
        days = [(today + timedelta(weeks=weeks)).isoformat() for weeks in (4, 5)]
        poll_id = make_poll(
            db.session.get(Network, side.network), *days, closes=(today + timedelta(weeks=2)).isoformat()
        ).id
    return {"network_id": side.network, "poll_id": poll_id}


def organisation(slug: str) -> Organisation:
    return db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
