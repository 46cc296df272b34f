"""Background work: APScheduler in exactly one process, a registry of idempotent jobs, their
exactly-once email (:mod:`.outbox`), and the scheduler's heartbeat.

- :mod:`.registry`: ``@scheduled_job`` and how a domain adds its jobs.
- :mod:`.scheduler`: building the scheduler; the in-process one of ``make run``.
- :mod:`.cli`: ``flask --app cluster scheduler`` and ``flask --app cluster jobs list|run``.
- :mod:`.outbox`: claim, take, send, retry with back-off, give up.
- :mod:`.reminders`: meeting reminders the day before.
"""
from __future__ import annotations

from datetime import datetime, timedelta


def scheduler_heartbeat_age(now: datetime | None = None) -> timedelta | None:
    """How long ago the scheduler last wrote its heartbeat (every minute while it runs); None if
    it never has. For ``/healthz``: older than a few minutes means no scheduler is running."""
    from cluster.jobs.heartbeat import heartbeat_age

    return heartbeat_age(now)
