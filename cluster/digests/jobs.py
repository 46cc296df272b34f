"""The digest's job: every 15 minutes, the digests that are due."""

from __future__ import annotations

from datetime import datetime

from cluster.digests.delivery import send_due_digests
from cluster.extensions import utcnow


def send_digests(now: datetime) -> str:
    """Send the digests that are due, in each person's own time zone, exactly once."""
    # Due is worked out at ``now``; each attempt is stamped with the real time, so that a long run's
    # last messages do not look abandoned to another run.
    return f"digests: {send_due_digests(now, clock=utcnow)}"
