"""The scheduler's heartbeat: a row it writes every minute, so that a health check can tell
whether it is alive, and a second scheduler started by mistake can tell that one already is."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

import sqlalchemy as sa

from cluster.extensions import db, utcnow
from cluster.jobs.models import SchedulerHeartbeat

NAME = "scheduler"
EVERY = timedelta(minutes=1)
#: A heartbeat older than this is from a scheduler that has stopped.
STALE_AFTER = timedelta(minutes=3)


def this_process() -> str:
    """ "host:pid", naming the process in the heartbeat."""
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(now: datetime | None = None, owner: str | None = None, started_at: datetime | None = None) -> None:
    """Record that the scheduler in ``owner`` is alive at ``now`` (one upsert). Flushes."""
    now = now or utcnow()
    values = {"name": NAME, "beat_at": now, "owner": owner or this_process(), "started_at": started_at or now}
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(SchedulerHeartbeat).values(values)
    db.session.execute(
        stmt.on_conflict_do_update(
            index_elements=["name"],
            set_={
                "beat_at": stmt.excluded.beat_at,
                "owner": stmt.excluded.owner,
                "started_at": stmt.excluded.started_at,
            },
        )
    )
    db.session.flush()


def heartbeat() -> SchedulerHeartbeat | None:
    return db.session.get(SchedulerHeartbeat, NAME)


def heartbeat_age(now: datetime | None = None) -> timedelta | None:
    """How long ago the scheduler last beat; None if it never has. One query."""
    beat_at = db.session.scalar(sa.select(SchedulerHeartbeat.beat_at).where(SchedulerHeartbeat.name == NAME))
    if beat_at is None:
        return None
    return max((now or utcnow()) - beat_at, timedelta(0))


def other_scheduler(now: datetime | None = None, me: str | None = None) -> SchedulerHeartbeat | None:
    """The heartbeat of another scheduler that is still alive (younger than STALE_AFTER), if any."""
    found = heartbeat()
    now = now or utcnow()
    if found is None or found.owner == (me or this_process()) or now - found.beat_at >= STALE_AFTER:
        return None
    return found


def forget(me: str | None = None) -> None:
    """Remove this process's heartbeat when it stops cleanly, so that a successor starts at once."""
    db.session.execute(
        sa.delete(SchedulerHeartbeat).where(
            SchedulerHeartbeat.name == NAME, SchedulerHeartbeat.owner == (me or this_process())
        )
    )


#: When this process's scheduler started (shown with its heartbeat).
_started_at: datetime | None = None


def mark_started(now: datetime) -> None:
    global _started_at
    _started_at = now


def scheduler_heartbeat(now: datetime) -> None:
    """Write the scheduler's heartbeat (read by health checks and by a second scheduler)."""
    beat(now, started_at=_started_at)
