"""The scheduler: its jobs and their options, where it may run, its heartbeat, and the commands."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import click
import pytest
import sqlalchemy as sa
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from cluster.extensions import db, utcnow
from cluster.jobs import heartbeat, registry, scheduler_heartbeat_age
from cluster.jobs.models import SchedulerHeartbeat
from cluster.jobs.scheduler import add_jobs, build_scheduler, in_process_wanted, run_job
from cluster.timeutil import LONDON
from tests.digests.helpers import northbrook, poll_needing_answers, utc

ROOT = Path(__file__).resolve().parents[2]


def test_every_job_has_an_explicit_id_a_utc_interval_and_safe_options(app):
    scheduler = build_scheduler(app, BackgroundScheduler)
    scheduler.start(paused=True)
    try:
        add_jobs(scheduler, app)  # a second time: replaced, not doubled
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert {"heartbeat", "send-digests", "close-polls", "meeting-reminders"} <= set(jobs)
        assert len(scheduler.get_jobs()) == len(jobs)
        for job_id in ("heartbeat", "send-digests", "close-polls", "meeting-reminders"):
            job = jobs[job_id]
            assert isinstance(job.trigger, IntervalTrigger) and str(job.trigger.timezone) == "UTC"
            assert job.coalesce is True and job.max_instances == 1
            assert 30 <= job.misfire_grace_time < job.trigger.interval.total_seconds()
        assert jobs["send-digests"].trigger.interval == timedelta(minutes=15)
        assert jobs["heartbeat"].trigger.interval == timedelta(minutes=1)
        # Runs fall on the quarter hour.
        assert jobs["send-digests"].trigger.get_next_fire_time(None, utc("2026-03-30T06:07")) == utc(
            "2026-03-30T06:15"
        )
        assert "send-digests@start" in jobs  # and once straight away
    finally:
        scheduler.shutdown(wait=False)


def test_a_misfire_grace_of_a_second_is_refused(app):
    with pytest.raises(ValueError):
        registry.add_job(
            app, "too-tight", lambda now: None, every=timedelta(minutes=5), misfire_grace=timedelta(seconds=1)
        )
    assert "too-tight" not in registry.registered_jobs(app)


def _run_context():
    return click.Context(click.Command("run"), info_name="run")


def test_the_scheduler_runs_in_process_only_under_flask_run_when_asked(app, monkeypatch):
    monkeypatch.setitem(app.config, "CLUSTER_RUN_SCHEDULER", True)
    with _run_context() as context:
        context.params["reload"] = False
        assert not in_process_wanted(app)  # never in tests
        monkeypatch.setattr(app, "testing", False)
        assert in_process_wanted(app)
        context.params["reload"] = True
        monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
        assert not in_process_wanted(app)  # the reloader's watching parent
        monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
        assert in_process_wanted(app)  # its serving child
    monkeypatch.setattr(app, "testing", False)
    assert not in_process_wanted(
        app
    )  # not under any other command (flask db upgrade, flask demo...) nor gunicorn
    with _run_context() as context:
        context.params["reload"] = False
        monkeypatch.setitem(app.config, "CLUSTER_RUN_SCHEDULER", False)
        assert not in_process_wanted(app)


def test_the_heartbeat_says_how_long_ago_the_scheduler_was_alive(app_context):
    now = utc("2026-03-30T06:00")
    assert scheduler_heartbeat_age(now) is None
    heartbeat.beat(now, owner="host-a:1")
    heartbeat.beat(now + timedelta(minutes=1), owner="host-a:1")
    db.session.commit()
    assert scheduler_heartbeat_age(now + timedelta(minutes=2, seconds=30)) == timedelta(minutes=1, seconds=30)
    assert heartbeat.other_scheduler(now + timedelta(minutes=2), me="host-b:2").owner == "host-a:1"
    assert heartbeat.other_scheduler(now + timedelta(minutes=2), me="host-a:1") is None
    assert (
        heartbeat.other_scheduler(now + timedelta(minutes=5), me="host-b:2") is None
    )  # stale: it has stopped


def test_a_failing_job_is_logged_and_does_not_stop_the_scheduler(app, monkeypatch, caplog):
    def boom(now):
        raise RuntimeError("kaboom")

    jobs = app.extensions["cluster.plugins"]["scheduled jobs"]
    monkeypatch.setitem(
        jobs,
        "boom",
        registry.ScheduledJob("boom", boom, timedelta(minutes=5), timedelta(minutes=4), False, ""),
    )
    run_job(app, "boom")
    assert "job boom failed" in caplog.text


def test_jobs_run_runs_one_job_now_and_a_second_time_does_nothing(app, make, mailbox):
    nb = northbrook(make)
    poll_needing_answers(make, nb.network, opened=utc("2026-11-27T09:00"))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["jobs", "run", "send-digests", "--now", "2026-11-30T07:00"])
    assert first.exit_code == 0, first.output
    assert "2 sent" in first.output and len(mailbox) == 2
    again = runner.invoke(args=["jobs", "run", "send-digests", "--now", "2026-11-30T07:15"])
    assert "0 sent" in again.output and len(mailbox) == 2
    assert runner.invoke(args=["jobs", "run", "nonsense"]).exit_code != 0
    assert "send-digests" in runner.invoke(args=["jobs", "list"]).output


def test_flask_scheduler_runs_the_jobs_and_stops_cleanly(app, make, mailbox, smtp_server):
    """The production command, in a process of its own: it beats, sends the digest that is due
    now (at start, not 15 minutes later), and on SIGTERM stops and clears its heartbeat."""
    nb = northbrook(make)
    now = utcnow()
    make.open_poll(
        nb.network,
        title="Spring 2 meeting dates",
        closes_at=now + timedelta(days=7),
        slots=[(now + timedelta(days=30), now + timedelta(days=30, hours=2))],
    )
    local = now.astimezone(LONDON)
    make.digest_preference(nb.member, weekday=local.weekday(), hour=local.hour)
    make.digest_preference(nb.other, frequency="off")
    db.session.remove()
    controller, _ = smtp_server
    env = {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "SECRET_KEY": "test-secret",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(controller.port),
        "CLUSTER_BASE_URL": "http://cluster.test",
        "CLUSTER_INSTANCE_PATH": app.instance_path,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "cluster", "scheduler"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (mailbox and scheduler_heartbeat_age() is not None):
            time.sleep(0.2)
            db.session.remove()
        assert [m["To"].addresses[0].addr_spec for m in mailbox] == ["ben@nb.example"]
        assert scheduler_heartbeat_age() < timedelta(minutes=1)
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=60)[0].decode()
    assert process.returncode == 0, output
    assert "Scheduler" in output and "send-digests" in output
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SchedulerHeartbeat)) == 0
