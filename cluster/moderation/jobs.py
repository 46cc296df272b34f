"""Moderation's scheduled jobs: close judging when it is due, purge cases past retention."""

from __future__ import annotations

from datetime import datetime

from cluster.extensions import db
from cluster.moderation import services
from cluster.moderation.storage import moderation_storage
from cluster.timeutil import local_date


def close_moderation_judging(now: datetime) -> str:
    """Close judging of cases whose closing time, or linked meeting's start, has passed."""
    count = services.close_due(now)
    db.session.commit()
    return f"{count} cases closed"


def purge_expired_cases(now: datetime) -> str:
    """Delete for good the moderation cases past their retention date (rows and files); anonymous
    agreement statistics stay."""
    count, unused = services.purge_expired(local_date(now))
    db.session.commit()
    services.remove_files(moderation_storage(), unused)
    return f"{count} cases purged, {len(unused)} files deleted"
