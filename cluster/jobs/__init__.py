"""Background work: APScheduler in exactly one process, a registry of idempotent jobs and the
scheduler's heartbeat. It knows no domain: each domain adds its jobs with
:func:`cluster.jobs.registry.add_job` in its own ``register(app)``.

- :mod:`.registry`: :func:`~cluster.jobs.registry.add_job` and the jobs of an app.
- :mod:`.scheduler`: building the scheduler; the in-process one of ``make run``.
- :mod:`.cli`: ``flask --app cluster scheduler`` and ``flask --app cluster jobs list|run``.
- :mod:`.heartbeat`: the row a running scheduler writes every minute.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask

from cluster.jobs import heartbeat
from cluster.jobs.cli import jobs_cli, scheduler_command
from cluster.jobs.registry import add_job


def init_app(app: Flask) -> None:
    """The scheduler's own job (its heartbeat) and its commands."""
    add_job(
        app,
        "heartbeat",
        heartbeat.scheduler_heartbeat,
        every=heartbeat.EVERY,
        misfire_grace=timedelta(seconds=50),
        run_at_start=True,
    )
    app.cli.add_command(jobs_cli)
    app.cli.add_command(scheduler_command)


def scheduler_heartbeat_age(now: datetime | None = None) -> timedelta | None:
    """How long ago the scheduler last wrote its heartbeat (every minute while it runs); None if
    it never has. For ``/healthz``: older than a few minutes means no scheduler is running."""
    return heartbeat.heartbeat_age(now)
