"""The scheduler's jobs.

A job is a function of the time, ``fn(now) -> anything``, that is idempotent and safe to run
late or twice (a job that sends email records what it sends before sending, see
:mod:`cluster.mail.outbox`). A domain adds its jobs in its ``register(app)``::

    from cluster.jobs.registry import add_job

    def register(app, pages):
        add_job(app, "purge-expired-cases", jobs.purge_expired_cases, every=timedelta(days=1),
                misfire_grace=timedelta(hours=23))

Every job runs on a UTC interval (never a cron expression in local time, which fires at the
wrong hour, or twice, or not at all when the clocks change): work that is due at a local time
asks "who is due now?" in each person's own zone, as the digest job does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask

from cluster.plugins import Registry


@dataclass(frozen=True)
class ScheduledJob:
    id: str
    fn: Callable[[datetime], object]
    every: timedelta
    #: How late a run may start and still run (a later one is skipped; the next tick catches up).
    misfire_grace: timedelta
    #: Run once as soon as the scheduler starts, as well as on the interval.
    run_at_start: bool
    description: str


JOBS: Registry[ScheduledJob] = Registry("scheduled jobs")


def add_job(
    app: Flask,
    job_id: str,
    fn: Callable[[datetime], object],
    *,
    every: timedelta,
    misfire_grace: timedelta | None = None,
    run_at_start: bool = False,
) -> ScheduledJob:
    """Run ``fn(now)`` every ``every`` under the explicit id ``job_id``; its docstring's first
    paragraph describes it in ``flask jobs list``."""
    grace = misfire_grace if misfire_grace is not None else max(every * 0.9, timedelta(seconds=30))
    if grace <= timedelta(seconds=1):
        raise ValueError("a misfire grace time of a second or less silently drops late runs")
    doc = (fn.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
    return JOBS.add(app, job_id, ScheduledJob(job_id, fn, every, grace, run_at_start, doc))


def registered_jobs(app: Flask | None = None) -> Mapping[str, ScheduledJob]:
    """Every job the domains registered."""
    return JOBS.entries(app)
