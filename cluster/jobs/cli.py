"""``flask --app cluster scheduler`` (the one scheduler process) and ``flask --app cluster jobs ...``."""

from __future__ import annotations

import logging
import signal
import time
from datetime import UTC, datetime

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from cluster.extensions import db, utcnow
from cluster.jobs import heartbeat
from cluster.jobs.registry import registered_jobs
from cluster.jobs.scheduler import build_scheduler

#: How often a scheduler that found another one alive looks again.
WAIT_BETWEEN_CHECKS = 30


@click.command("scheduler")
@click.option("--force", is_flag=True, help="Start even if another scheduler's heartbeat is recent.")
@with_appcontext
def scheduler_command(force: bool) -> None:
    """Run the scheduler: digests, meeting reminders, closing date polls... Run exactly one.

    If another scheduler's heartbeat is less than three minutes old, this one waits until it has
    stopped (so a restart, or a second one started by mistake, never runs alongside it).
    """
    app = current_app._get_current_object()
    if app.logger.level == logging.NOTSET:
        app.logger.setLevel(logging.INFO)  # each job's summary ("digests: 120 sent, ...") goes to the log
    me = heartbeat.this_process()
    while not force:
        other = heartbeat.other_scheduler(me=me)
        db.session.remove()
        if other is None:
            break
        click.echo(
            f"Another scheduler ({other.owner}) was alive at {other.beat_at:%H:%M:%S} UTC: waiting for it "
            f"to stop (checking every {WAIT_BETWEEN_CHECKS} seconds; --force starts anyway).",
            err=True,
        )
        time.sleep(WAIT_BETWEEN_CHECKS)
    scheduler = build_scheduler(app, BlockingScheduler)

    def stop(signum, frame):
        click.echo("Stopping the scheduler (running jobs finish first).")
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    click.echo(f"Scheduler {me} started with jobs: {', '.join(sorted(registered_jobs()))}.")
    try:
        scheduler.start()
    finally:
        heartbeat.forget(me)
        db.session.commit()
        db.session.remove()


jobs_cli = AppGroup("jobs", help="The scheduler's jobs: list them, or run one now.")


@jobs_cli.command("list")
def list_jobs() -> None:
    """List the scheduler's jobs and how often they run."""
    for job in sorted(registered_jobs().values(), key=lambda j: j.id):
        minutes = job.every.total_seconds() / 60
        click.echo(f"{job.id:<20} every {minutes:g} min   {job.description}")


@jobs_cli.command("run")
@click.argument("job_id")
@click.option(
    "--now", "at", help="Run as if it were this time (ISO 8601, UTC if no offset), e.g. 2026-03-30T06:00."
)
def run_job_now(job_id: str, at: str | None) -> None:
    """Run one job once, now (it is safe alongside the scheduler: jobs are idempotent)."""
    jobs = registered_jobs()
    if job_id not in jobs:
        raise click.BadParameter(f"no job {job_id!r}; one of {', '.join(sorted(jobs))}", param_hint="JOB_ID")
    try:
        now = datetime.fromisoformat(at) if at else utcnow()
    except ValueError:
        raise click.BadParameter("give a time like 2026-03-30T06:00", param_hint="--now") from None
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    result = jobs[job_id].fn(now)
    db.session.commit()
    click.echo(result or f"{job_id}: done")
