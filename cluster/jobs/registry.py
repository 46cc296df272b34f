"""The scheduler's jobs, registered in one place.

A job is a function of the time, ``fn(now) -> anything``, that is idempotent and safe to run
late or twice (a job that sends email records what it sends before sending, see
:mod:`cluster.jobs.outbox`). Register it with :func:`scheduled_job`; a domain puts its jobs in
``cluster/<domain>/jobs.py``, which :func:`load_jobs` finds and imports::

    from cluster.jobs.registry import scheduled_job

    @scheduled_job("purge-expired-cases", every=timedelta(hours=1), misfire_grace=timedelta(minutes=50))
    def purge_expired_cases(now: datetime) -> str:
        ...
        return f"{count} cases purged"   # logged

Every job runs on a UTC interval (never a cron expression in local time, which fires at the
wrong hour, or twice, or not at all when the clocks change): work that is due at a local time
asks "who is due now?" in each person's own zone, as the digest job does.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from cluster.plugins import import_domain_modules


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


JOBS: dict[str, ScheduledJob] = {}


def scheduled_job(job_id: str, *, every: timedelta, misfire_grace: timedelta | None = None, run_at_start: bool = False):
    """Register ``fn(now)`` to run every ``every`` under the explicit id ``job_id``."""
    grace = misfire_grace if misfire_grace is not None else max(every * 0.9, timedelta(seconds=30))
    if grace <= timedelta(seconds=1):
        raise ValueError("a misfire grace time of a second or less silently drops late runs")

    def register(fn: Callable[[datetime], object]) -> Callable[[datetime], object]:
        doc = (fn.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        JOBS[job_id] = ScheduledJob(job_id, fn, every, grace, run_at_start, doc)
        return fn

    return register


_loaded = False


def load_jobs() -> dict[str, ScheduledJob]:
    """The built-in jobs and every domain's ``cluster/<domain>/jobs.py`` (imported once)."""
    global _loaded
    if not _loaded:
        from cluster.jobs import builtin  # noqa: F401  (registers the built-in jobs)

        import_domain_modules("jobs")
        _loaded = True
    return JOBS
