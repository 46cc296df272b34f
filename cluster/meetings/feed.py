"""Meetings in calendars: the events of the feeds, and a meeting's own ``.ics``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
from flask import Flask, url_for
from sqlalchemy.orm import aliased

from cluster.auth.models import User
from cluster.feeds.ical import FeedEvent, build_calendar
from cluster.feeds.sources import CANCELLED_KEPT, HISTORY
from cluster.feeds.versions import Watch, networks_with_ids, watch
from cluster.mail import absolute_url
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
from cluster.schools.models import School
from cluster.tenancy.models import Organisation


@lru_cache(maxsize=1)
def _meetings_statement() -> sa.Select:
    """Built once (aliases are costly to make, and a statement object keeps its cache key). A row's
    column names (their own, or a label) are the arguments of :func:`_meeting_event`."""
    host, creator = aliased(School), aliased(User)
    return (
        sa.select(
            Meeting.id.label("meeting_id"),
            Meeting.network_id,
            Meeting.uid,
            Meeting.sequence,
            Meeting.title,
            Meeting.starts_at,
            Meeting.ends_at,
            Meeting.updated_at,
            Meeting.status,
            Meeting.cancel_reason,
            Meeting.online_url,
            Meeting.refreshments,
            Meeting.address,
            Network.name.label("network_name"),
            Organisation.slug.label("org_slug"),
            host.name.label("host_name"),
            host.postcode.label("host_postcode"),
            creator.name.label("creator_name"),
            creator.email.label("creator_email"),
        )
        .join(Network, Network.id == Meeting.network_id)
        .join(Organisation, Organisation.id == Network.organisation_id)
        .outerjoin(host, host.id == Meeting.host_school_id)
        .outerjoin(creator, creator.id == Meeting.created_by_id)
        .where(
            Meeting.network_id.in_(sa.bindparam("network_ids", expanding=True)),
            Meeting.status != "draft",
            Meeting.ends_at >= sa.bindparam("ended_after", type_=Meeting.ends_at.type),
            sa.or_(
                Meeting.status != "cancelled",
                Meeting.changed_at >= sa.bindparam("cancelled_after", type_=Meeting.changed_at.type),
            ),
        )
    )


def _meeting_rows(connection: sa.Connection, network_ids: list[int], since: datetime) -> list[sa.Row]:
    """The meetings of ``network_ids`` in the feed's window, with what their events show."""
    return connection.execute(
        _meetings_statement(),
        {
            "network_ids": network_ids,
            "ended_after": since - HISTORY,
            "cancelled_after": since - CANCELLED_KEPT,
        },
    ).all()


def feed_event(meeting: Meeting) -> FeedEvent:
    """How a meeting reads in a calendar (the feed and the single ``.ics`` agree, UID included)."""
    host, creator = meeting.host_school, meeting.created_by
    return _meeting_event(
        meeting_id=meeting.id,
        uid=meeting.uid,
        sequence=meeting.sequence,
        title=meeting.title,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        updated_at=meeting.updated_at,
        status=meeting.status,
        cancel_reason=meeting.cancel_reason,
        online_url=meeting.online_url,
        refreshments=meeting.refreshments,
        address=meeting.address,
        network_name=meeting.network.name,
        org_slug=meeting.network.organisation.slug,
        host_name=host.name if host else None,
        host_postcode=host.postcode if host else None,
        creator_name=creator.name if creator else None,
        creator_email=creator.email if creator else None,
    )


def _meeting_event(
    *,
    meeting_id: int,
    uid: str,
    sequence: int,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    updated_at: datetime,
    status: str,
    cancel_reason: str,
    online_url: str,
    refreshments: str,
    address: str,
    network_name: str,
    org_slug: str,
    host_name: str | None,
    host_postcode: str | None,
    creator_name: str | None,
    creator_email: str | None,
    network_id: int | None = None,
) -> FeedEvent:
    """The event from a meeting's values (``network_id`` comes with the feed's rows, which are
    grouped by it; the event does not show it)."""
    link = absolute_url(url_for("org.meetings.show", org_slug=org_slug, meeting_id=meeting_id))
    place = ", ".join(p for p in [host_name, host_postcode, address] if p)
    lines = [f"{network_name}."]
    if status == "cancelled" and cancel_reason:
        lines.append(f"Cancelled: {cancel_reason}")
    if online_url:
        lines.append(f"Join online: {online_url}")
    if refreshments:
        lines.append(f"Refreshments: {refreshments}")
    lines.append(f"Agenda and replies: {link}")
    return FeedEvent(
        uid=uid,
        sequence=sequence,
        summary=title,
        starts_at=starts_at,
        ends_at=ends_at,
        stamp=updated_at,
        status="CANCELLED" if status == "cancelled" else "CONFIRMED",
        description="\n".join(lines),
        location=place or ("Online" if online_url else ""),
        url=link,
        organiser_name=creator_name or "",
        organiser_email=creator_email or "",
    )


def feed_events(
    connection: sa.Connection, network_ids: list[int], since: datetime
) -> Iterator[tuple[int, FeedEvent]]:
    """The feeds' event source: each meeting of ``network_ids`` in the window, as an event."""
    for row in _meeting_rows(connection, network_ids, since):
        yield row.network_id, _meeting_event(**row._mapping)


def meeting_ics(meeting: Meeting) -> bytes:
    return build_calendar(meeting.title, [feed_event(meeting)])


def _networks_hosting(school_ids: list) -> sa.ColumnElement[bool]:
    return Network.id.in_(sa.select(Meeting.network_id).where(Meeting.host_school_id.in_(school_ids)))


def _networks_with_meetings_made_by(user_ids: list) -> sa.ColumnElement[bool]:
    return Network.id.in_(sa.select(Meeting.network_id).where(Meeting.created_by_id.in_(user_ids)))


def watch_meetings(app: Flask) -> None:
    """What a meeting's event shows: the meeting, its host school's name and postcode (its place),
    and the name and email of the person who made it (its ORGANIZER)."""
    watch(app, Meeting, Watch("network_id", networks_with_ids))
    watch(app, School, Watch("id", _networks_hosting, frozenset({"name", "postcode"}), on_insert=False))
    watch(
        app, User, Watch("id", _networks_with_meetings_made_by, frozenset({"name", "email"}), on_insert=False)
    )
