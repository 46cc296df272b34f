"""APScheduler, in exactly one process.

Production runs one ``flask --app cluster scheduler`` process next to the gunicorn workers (which
never start it). For the demo, ``make run`` sets ``CLUSTER_RUN_SCHEDULER=1`` on its ``flask run``
line and the development server runs it in-process (:func:`start_in_process_if_asked`); tests
never do.

Every job has an explicit id and is added with ``replace_existing=True``; ``coalesce=True`` and
``max_instances=1`` turn a backlog into one run, never a pile of overlapping ones; a misfire
grace time (not APScheduler's default of one second, which silently drops a run that starts a
little late) lets a busy or briefly paused process still run it. Triggers are UTC intervals
aligned on the hour, so a 15-minute job runs at :00, :15, :30 and :45.
"""

from __future__ import annotations

import atexit
import os
from datetime import UTC, datetime

import click
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from cluster.extensions import db, utcnow
from cluster.jobs import heartbeat
from cluster.jobs.registry import ScheduledJob, registered_jobs

#: Interval triggers count from here (a Monday at midnight UTC), so runs fall on round times.
ALIGNED = datetime(2024, 1, 1, tzinfo=UTC)

_in_process: BackgroundScheduler | None = None


def run_job(app: Flask, job_id: str) -> None:
    """Run one job in an app context of its own, commit, and log what it did (or how it failed:
    a failing job must not stop the scheduler)."""
    job = registered_jobs(app)[job_id]
    with app.app_context():
        try:
            result = job.fn(utcnow())
            db.session.commit()
            if result:
                app.logger.info("job %s: %s", job_id, result)
        except Exception:  # noqa: BLE001
            db.session.rollback()
            app.logger.exception("job %s failed", job_id)
        finally:
            db.session.remove()


def add_jobs(scheduler: BaseScheduler, app: Flask) -> None:
    """Add every registered job to ``scheduler`` (again, safely: ids are explicit and replaced)."""
    for job in registered_jobs(app).values():
        options = _options(job)
        scheduler.add_job(
            run_job,
            IntervalTrigger(seconds=int(job.every.total_seconds()), start_date=ALIGNED, timezone=UTC),
            args=(app, job.id),
            id=job.id,
            name=job.description or job.id,
            **options,
        )
        if job.run_at_start:
            # A one-off run now, as a job of its own: giving the interval job a first run time
            # instead would shift all its later runs off the round times.
            scheduler.add_job(
                run_job,
                DateTrigger(utcnow(), timezone=UTC),
                args=(app, job.id),
                id=f"{job.id}@start",
                name=f"{job.description or job.id} (at start)",
                **options,
            )


def _options(job: ScheduledJob) -> dict:
    return {
        "replace_existing": True,
        "coalesce": True,
        "max_instances": 1,
        "misfire_grace_time": int(job.misfire_grace.total_seconds()),
    }


def build_scheduler(app: Flask, scheduler_class: type[BaseScheduler] = BackgroundScheduler) -> BaseScheduler:
    """A scheduler (not started) with every job, in UTC."""
    heartbeat.mark_started(utcnow())
    scheduler = scheduler_class(timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1})
    add_jobs(scheduler, app)
    return scheduler


def in_process_wanted(app: Flask) -> bool:
    """Whether this process should run the scheduler alongside the web app: only under
    ``flask run`` with ``CLUSTER_RUN_SCHEDULER=1``, never in tests or under gunicorn, and only in
    the serving child when the reloader is on (its parent would be a second scheduler)."""
    if not app.config.get("CLUSTER_RUN_SCHEDULER") or app.testing:
        return False
    # Under gunicorn (or any other server) there is no ``flask run`` command: no scheduler.
    context = click.get_current_context(silent=True)
    if context is None or context.info_name != "run":
        return False
    reload = context.params.get("reload")
    if reload is None:
        from flask.helpers import get_debug_flag

        reload = get_debug_flag()
    return not reload or os.environ.get("WERKZEUG_RUN_MAIN") == "true"


def start_in_process_if_asked(app: Flask) -> BackgroundScheduler | None:
    """Start the in-process scheduler of the development server (see :func:`in_process_wanted`);
    once per process."""
    global _in_process
    if _in_process is not None or not in_process_wanted(app):
        return None
    _in_process = build_scheduler(app, BackgroundScheduler)
    _in_process.start()
    atexit.register(lambda: _in_process.shutdown(wait=False) if _in_process and _in_process.running else None)
    app.logger.warning(
        "The scheduler runs inside this development server (CLUSTER_RUN_SCHEDULER=1). "
        "In production run `flask --app cluster scheduler` as its own single process."
    )
    return _in_process
