"""The jobs of the domains that exist today. (Later domains register theirs in
``cluster/<domain>/jobs.py``: see :mod:`cluster.jobs.registry`.)"""
from __future__ import annotations

from datetime import datetime, timedelta

from cluster.jobs import heartbeat
from cluster.jobs.registry import scheduled_job

#: When this process's scheduler started (shown with its heartbeat).
STARTED_AT: datetime | None = None


@scheduled_job("heartbeat", every=heartbeat.EVERY, misfire_grace=timedelta(seconds=50), run_at_start=True)
def scheduler_heartbeat(now: datetime) -> None:
    """Write the scheduler's heartbeat (read by health checks and by a second scheduler)."""
    heartbeat.beat(now, started_at=STARTED_AT)


@scheduled_job("send-digests", every=timedelta(minutes=15), misfire_grace=timedelta(minutes=14), run_at_start=True)
def send_digests(now: datetime) -> str:
    """Send the digests that are due, in each person's own time zone, exactly once."""
    from cluster.digests.delivery import send_due_digests
    from cluster.extensions import utcnow

    # Due is worked out at ``now``; each attempt is stamped with the real time, so that a long run's
    # last messages do not look abandoned to another run.
    return f"digests: {send_due_digests(now, clock=utcnow)}"


@scheduled_job("close-polls", every=timedelta(minutes=5), misfire_grace=timedelta(minutes=4), run_at_start=True)
def close_polls(now: datetime) -> str:
    """Close the date polls whose closing time has passed."""
    from cluster.polls.services import close_due_polls

    closed = close_due_polls(now)
    return f"closed {len(closed)} date poll{'s' if len(closed) != 1 else ''}"


@scheduled_job("meeting-reminders", every=timedelta(minutes=15), misfire_grace=timedelta(minutes=14), run_at_start=True)
def meeting_reminders(now: datetime) -> str:
    """Remind the people coming to a meeting the day before, with the .ics attached, exactly once."""
    from cluster.jobs.reminders import send_meeting_reminders

    return f"meeting reminders: {send_meeting_reminders(now)}"
