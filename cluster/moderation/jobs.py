"""Moderation's scheduled jobs: close judging when it is due, purge cases past retention."""
from __future__ import annotations

from datetime import datetime, timedelta

from cluster.extensions import db
from cluster.jobs.registry import scheduled_job
from cluster.moderation import services
from cluster.moderation.storage import moderation_storage
from cluster.timeutil import local_date


@scheduled_job("close-moderation-judging", every=timedelta(minutes=5), misfire_grace=timedelta(minutes=4), run_at_start=True)
def close_moderation_judging(now: datetime) -> str:
    """Close judging of cases whose closing time, or linked meeting's start, has passed."""
    count = services.close_due(now)
    db.session.commit()
    return f"{count} cases closed"


@scheduled_job("purge-expired-cases", every=timedelta(days=1), misfire_grace=timedelta(hours=23), run_at_start=True)
def purge_expired_cases(now: datetime) -> str:
    """Delete for good the moderation cases past their retention date (rows and files); anonymous
    agreement statistics stay."""
    count, unused = services.purge_expired(local_date(now))
    db.session.commit()
    services.remove_files(moderation_storage(), unused)
    return f"{count} cases purged, {len(unused)} files deleted"
