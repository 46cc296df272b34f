"""Digest preferences, unsubscribe links, the preview, and what the org admin sees of failures.

Functions flush and never commit; the view commits once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import contains_eager

from cluster.auth.models import User
from cluster.digests.compose import Digest, compose, load_batch
from cluster.digests.models import (
    DEFAULT_FREQUENCY,
    DEFAULT_HOUR,
    DEFAULT_WEEKDAY,
    FREQUENCIES,
    WEEKDAYS,
    DigestDelivery,
    DigestPreference,
)
from cluster.digests.schedule import PERIOD_LENGTH, next_slot, window_start
from cluster.digests.sections import Reader
from cluster.extensions import UTCDateTime, db, utcnow
from cluster.tenancy.models import Membership, Organisation
from cluster.timeutil import zone_of

#: Failed and retrying messages shown to an org admin (the most recent first).
UNDELIVERED_SHOWN = 100


# Preferences -----------------------------------------------------------------------------------


def preference_of(user_id: int) -> DigestPreference:
    """The person's preference, or the defaults (weekly, Monday, 07:00) as an unsaved object:
    reading never writes."""
    found = db.session.scalar(sa.select(DigestPreference).where(DigestPreference.user_id == user_id))
    return found or DigestPreference(
        user_id=user_id,
        frequency=DEFAULT_FREQUENCY,
        weekday=DEFAULT_WEEKDAY,
        hour=DEFAULT_HOUR,
        pause_in_holidays=False,
    )


def save_preference(
    user_id: int,
    *,
    frequency: str,
    weekday: int,
    hour: int,
    pause_in_holidays: bool,
    now: datetime | None = None,
) -> DigestPreference:
    """Set how often the person gets the digest: weekly (on ``weekday``, 0 for Monday) or daily,
    at ``hour`` o'clock in their time zone; or off. Raises ValueError for anything else."""
    if frequency not in FREQUENCIES or not 0 <= weekday <= 6 or not 0 <= hour <= 23:
        raise ValueError("frequency must be weekly, daily or off; weekday 0-6; hour 0-23")
    preference = _stored(user_id)
    preference.frequency, preference.weekday, preference.hour = frequency, weekday, hour
    preference.pause_in_holidays = pause_in_holidays
    preference.updated_at = now or utcnow()
    db.session.flush()
    return preference


def unsubscribe(user_id: int, now: datetime | None = None) -> bool:
    """Turn the person's digest off (from the link in a digest). True if it was on; doing it
    again changes nothing."""
    preference = _stored(user_id)
    was_on = preference.frequency != "off"
    if was_on:
        preference.frequency = "off"
        preference.unsubscribed_at = preference.updated_at = now or utcnow()
    db.session.flush()
    return was_on


def _stored(user_id: int) -> DigestPreference:
    preference = db.session.scalar(sa.select(DigestPreference).where(DigestPreference.user_id == user_id))
    if preference is None:
        preference = preference_of(user_id)
        db.session.add(preference)
    return preference


def schedule_in_words(frequency: str, weekday: int, hour: int) -> str:
    """ "every Monday at 07:00", "every day at 18:00" or "never"."""
    if frequency == "weekly":
        return f"every {WEEKDAYS[weekday]} at {hour:02d}:00"
    if frequency == "daily":
        return f"every day at {hour:02d}:00"
    return "never"


def next_digest_at(
    preference: DigestPreference, time_zone: str | None, now: datetime | None = None
) -> datetime | None:
    return next_slot(
        preference.frequency, preference.weekday, preference.hour, zone_of(time_zone), now or utcnow()
    )


# Unsubscribe links ------------------------------------------------------------------------------


def unsubscribe_token(user_id: int) -> str:
    """The secret in a person's unsubscribe link: their id and an HMAC of it with the app's
    secret key (nothing stored; a new SECRET_KEY retires old links)."""
    return f"{user_id}.{_mac(user_id)}"


def user_id_for_token(token: str) -> int | None:
    """The person an unsubscribe token belongs to, or None for a wrong or malformed one."""
    user_part, _, mac = (token or "").partition(".")
    if not user_part.isascii() or not user_part.isdigit() or len(user_part) > 12:
        return None
    user_id = int(user_part)
    return (
        user_id if hmac.compare_digest(mac.encode("utf-8", "surrogatepass"), _mac(user_id).encode()) else None
    )


def _mac(user_id: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"digest-unsubscribe:{user_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


# The preview, and the window of "new since" -------------------------------------------------------


def last_sent_until(user_ids: list[int]) -> dict[int, datetime]:
    """Where each person's last sent digest ended (people never sent one are left out). One query."""
    rows = db.session.execute(
        sa.select(
            DigestDelivery.user_id, sa.type_coerce(sa.func.max(DigestDelivery.covers_until), UTCDateTime)
        )
        .where(DigestDelivery.user_id.in_(user_ids), DigestDelivery.status == "sent")
        .group_by(DigestDelivery.user_id)
    )
    return {user_id: until for user_id, until in rows if until is not None}


def preview(user: User, now: datetime | None = None) -> Digest:
    """The digest ``user`` would get if it were sent now (whatever their schedule, even if it is
    off). Reads only; a fixed number of queries."""
    now = now or utcnow()
    preference = preference_of(user.id)
    frequency = preference.frequency if preference.frequency in PERIOD_LENGTH else "weekly"
    last = last_sent_until([user.id]).get(user.id)
    reader = Reader(
        user_id=user.id,
        email=user.email,
        name=user.name,
        zone=zone_of(user.time_zone),
        frequency=frequency,
        weekday=preference.weekday,
        hour=preference.hour,
        since=window_start(last, PERIOD_LENGTH[frequency], now),
        until=now,
        had_digest=last is not None,
    )
    return compose(load_batch([reader], now))[user.id]


# Failures, for the org admin --------------------------------------------------------------------------


def administered(user: User) -> list[Organisation]:
    """The organisations ``user`` administers (they see its undelivered emails). One query."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.user_id == user.id, Membership.is_admin.is_(True))
            .order_by(Organisation.name)
        )
    )


def undelivered(organisation: Organisation) -> list[DigestDelivery]:
    """Digests of the organisation's members that failed or are waiting to be tried again, the
    latest first. One query."""
    digests = db.session.scalars(
        sa.select(DigestDelivery)
        .join(User, User.id == DigestDelivery.user_id)
        .join(
            Membership, sa.and_(Membership.user_id == User.id, Membership.organisation_id == organisation.id)
        )
        .where(DigestDelivery.status.in_(("failed", "retrying")))
        .options(contains_eager(DigestDelivery.user))
        .order_by(DigestDelivery.created_at.desc(), DigestDelivery.id.desc())
        .limit(UNDELIVERED_SHOWN)
    ).all()
    return list(digests)
