"""The date polls' job: close the polls whose closing time has passed."""

from __future__ import annotations

from datetime import datetime

from cluster.polls.services import close_due_polls


def close_polls(now: datetime) -> str:
    """Close the date polls whose closing time has passed."""
    closed = close_due_polls(now)
    return f"closed {len(closed)} date poll{'s' if len(closed) != 1 else ''}"
