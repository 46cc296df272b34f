"""Calendar feeds: secret per-user URLs, what goes in them, and serving them cheaply.

A feed holds the meetings of the user's networks from 12 months back onward (drafts never;
cancelled meetings for 30 days after the cancellation), and optionally all-day items from
other domains (poll closing dates, actions due) contributed through :data:`DAY_SOURCES`.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from sqlalchemy.orm import joinedload

from cluster.auth.models import User
from cluster.auth.tokens import hash_token
from cluster.extensions import db, utcnow
from cluster.feeds.ical import FeedDay, FeedEvent, build_calendar
from cluster.feeds.models import FeedSubscription
from cluster.meetings.models import Meeting
from cluster.networks.models import Network, NetworkRole, NetworkSchool
from cluster.tenancy.models import Membership

HISTORY = timedelta(days=365)
CANCELLED_KEPT = timedelta(days=30)
#: How stale ``last_fetched_at`` may get before a fetch writes it again (clients poll often).
FETCH_RECORD_EVERY = timedelta(minutes=5)

#: Contributors of all-day items: ``source(user, network_ids, now) -> list[FeedDay]``, each
#: called only when the subscription asks for that kind ("polls" or "actions").
DAY_SOURCES: dict[str, Callable[[User, list[int], datetime], list[FeedDay]]] = {}


def day_source(kind: str):
    """Register a contributor of all-day feed items of ``kind``."""

    def register(fn):
        DAY_SOURCES[kind] = fn
        return fn

    return register


# Tokens ----------------------------------------------------------------------------------------


def feed_token(subscription: FeedSubscription) -> str:
    """The secret in the URL: 256 bits from the app's secret key and the subscription's nonce."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"feed:{subscription.nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def existing_subscription(user: User) -> FeedSubscription | None:
    return db.session.scalar(sa.select(FeedSubscription).where(FeedSubscription.user_id == user.id))


def subscription_for(user: User) -> FeedSubscription:
    """The user's subscription, created on first use."""
    subscription = existing_subscription(user)
    if subscription is None:
        subscription = FeedSubscription(user_id=user.id)
        db.session.add(subscription)
        _new_secret(subscription)
        db.session.flush()
    return subscription


def reset(subscription: FeedSubscription) -> None:
    """A new URL; the old one stops working at once."""
    _new_secret(subscription)
    subscription.last_fetched_at = None
    db.session.flush()


def _new_secret(subscription: FeedSubscription) -> None:
    subscription.nonce = secrets.token_hex(32)
    subscription.token_hash = hash_token(feed_token(subscription))


def find_subscription(token: str) -> FeedSubscription | None:
    return db.session.scalar(
        sa.select(FeedSubscription).where(FeedSubscription.token_hash == hash_token(token))
    )


def record_fetch(subscription: FeedSubscription, now: datetime | None = None) -> bool:
    """Note when the feed was fetched; at most every few minutes, so polling clients cost no writes."""
    now = now or utcnow()
    if subscription.last_fetched_at and now - subscription.last_fetched_at < FETCH_RECORD_EVERY:
        return False
    subscription.last_fetched_at = now
    return True


# Content ---------------------------------------------------------------------------------------


def network_ids_of(user: User) -> list[int]:
    """Every network the user is in, in any organisation: appointed, or through their school."""
    appointed = sa.select(NetworkRole.network_id).where(NetworkRole.user_id == user.id)
    through_school = (
        sa.select(NetworkSchool.network_id)
        .join(Membership, sa.and_(Membership.school_id == NetworkSchool.school_id,
                                  Membership.organisation_id == NetworkSchool.organisation_id))
        .where(Membership.user_id == user.id)
    )
    return sorted(db.session.scalars(appointed.union(through_school)))


def feed_meetings(network_ids: list[int], now: datetime) -> list[Meeting]:
    if not network_ids:
        return []
    return list(db.session.scalars(
        sa.select(Meeting)
        .where(
            Meeting.network_id.in_(network_ids),
            Meeting.status != "draft",
            Meeting.ends_at >= now - HISTORY,
            sa.or_(Meeting.status != "cancelled", Meeting.changed_at >= now - CANCELLED_KEPT),
        )
        .options(
            joinedload(Meeting.host_school), joinedload(Meeting.created_by),
            joinedload(Meeting.network).joinedload(Network.organisation),
        )
        .order_by(Meeting.starts_at, Meeting.id)
    ))


def feed_event(meeting: Meeting) -> FeedEvent:
    """How a meeting reads in a calendar (the feed and the single ``.ics`` agree, UID included)."""
    link = _absolute(url_for("org.meetings.show", org_slug=meeting.network.organisation.slug, meeting_id=meeting.id))
    place = ", ".join(p for p in [
        meeting.host_school.name if meeting.host_school else "",
        meeting.host_school.postcode if meeting.host_school and meeting.host_school.postcode else "",
        meeting.address,
    ] if p)
    lines = [f"{meeting.network.name}."]
    if meeting.status == "cancelled" and meeting.cancel_reason:
        lines.append(f"Cancelled: {meeting.cancel_reason}")
    if meeting.online_url:
        lines.append(f"Join online: {meeting.online_url}")
    if meeting.refreshments:
        lines.append(f"Refreshments: {meeting.refreshments}")
    lines.append(f"Agenda and replies: {link}")
    status = {"cancelled": "CANCELLED"}.get(meeting.status, "CONFIRMED")
    return FeedEvent(
        uid=meeting.uid, sequence=meeting.sequence, summary=meeting.title,
        starts_at=meeting.starts_at, ends_at=meeting.ends_at, stamp=meeting.updated_at, status=status,
        description="\n".join(lines), location=place or ("Online" if meeting.online_url else ""), url=link,
        organiser_name=meeting.created_by.name if meeting.created_by else "",
        organiser_email=meeting.created_by.email if meeting.created_by else "",
    )


def _absolute(path: str) -> str:
    return current_app.config["CLUSTER_BASE_URL"].rstrip("/") + path


@dataclass(frozen=True)
class Feed:
    body: bytes
    etag: str
    last_modified: datetime


_rendered: OrderedDict[str, Feed] = OrderedDict()
_rendered_lock = threading.Lock()
_RENDERED_MAX = 2048


def feed_for(subscription: FeedSubscription, user: User, now: datetime | None = None) -> tuple[str, Callable[[], Feed]]:
    """The feed's inputs fingerprinted, and a function that renders (or recalls) it.

    The fingerprint covers everything the body is built from, so a cached rendering (and its
    ETag) is reused only when the bytes would be identical: a 304 needs no rendering at all.
    """
    now = now or utcnow()
    network_ids = network_ids_of(user)
    events = [feed_event(meeting) for meeting in feed_meetings(network_ids, now)]
    days: list[FeedDay] = []
    for kind, source in sorted(DAY_SOURCES.items()):
        if getattr(subscription, f"include_{kind}", False):
            days.extend(source(user, network_ids, now))
    name = f"cluster: {user.name}"
    fingerprint = hashlib.sha256(repr((name, events, sorted(days, key=lambda d: d.uid))).encode()).hexdigest()

    def render() -> Feed:
        with _rendered_lock:
            cached = _rendered.get(fingerprint)
            if cached is not None:
                _rendered.move_to_end(fingerprint)
                return cached
        body = build_calendar(name, events, days)
        stamps = [e.stamp for e in events] + [d.stamp for d in days] + [subscription.created_at]
        feed = Feed(body=body, etag=hashlib.sha256(body).hexdigest()[:40], last_modified=max(stamps))
        with _rendered_lock:
            _rendered[fingerprint] = feed
            while len(_rendered) > _RENDERED_MAX:
                _rendered.popitem(last=False)
        return feed

    return fingerprint, render


def cached_etag(fingerprint: str) -> str | None:
    with _rendered_lock:
        cached = _rendered.get(fingerprint)
    return cached.etag if cached else None


def meeting_ics(meeting: Meeting) -> bytes:
    return build_calendar(meeting.title, [feed_event(meeting)])
