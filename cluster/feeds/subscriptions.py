"""Feed subscriptions and their secret addresses.

The token in a feed's URL is derived from the subscription's nonce and the app's secret key, so the
address can be shown again; only the token's hash is stored, for look-ups. A new nonce makes the old
address stop working at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import sqlalchemy as sa
from flask import current_app

from cluster.auth.models import User
from cluster.auth.tokens import hash_token
from cluster.extensions import db
from cluster.feeds.models import FeedSubscription


def feed_token(subscription: FeedSubscription) -> str:
    """The secret in the URL: 256 bits from the app's secret key and the subscription's nonce."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"feed:{subscription.nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def existing_subscription(user: User) -> FeedSubscription | None:
    """The user's subscription, if they have made one (reading never makes one)."""
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
