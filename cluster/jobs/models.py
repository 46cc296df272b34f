"""What the scheduler keeps: its heartbeat."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cluster.extensions import UTCDateTime, db


class SchedulerHeartbeat(db.Model):
    """One row per scheduler, written every minute: a health check reads how old it is, and a
    second scheduler started by mistake sees that one is already running."""

    #: "scheduler": there is one.
    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Which process: "host:pid".
    owner: Mapped[str] = mapped_column(sa.String(200), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
