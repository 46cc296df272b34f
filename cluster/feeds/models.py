"""Personal calendar feed subscriptions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cluster.extensions import UTCDateTime, db, utcnow


class FeedSubscription(db.Model):
    """A user's secret calendar feed. The URL's token is derived from ``nonce`` and the app's
    secret key, so it can be shown again; only its hash is stored for look-ups. A new nonce
    (reset) makes the old URL stop working at once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    nonce: Mapped[str] = mapped_column(sa.String(64))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    include_polls: Mapped[bool] = mapped_column(default=True)
    include_actions: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
