"""The timed plan: start and end times of each agenda entry, from the meeting's start.

A pure function of the entries' minutes, so that pages, emails, the printable view and the
export all show the same times, and tests can check the arithmetic without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar


class HasMinutes(Protocol):
    minutes: int


E = TypeVar("E", bound=HasMinutes)


@dataclass(frozen=True)
class TimedEntry(Generic[E]):
    entry: E
    starts_at: datetime
    ends_at: datetime
    #: The entry ends after the meeting's end.
    overruns: bool


@dataclass(frozen=True)
class TimedPlan(Generic[E]):
    entries: list[TimedEntry[E]]
    starts_at: datetime
    #: When the plan ends (the meeting's start when it is empty).
    ends_at: datetime
    meeting_ends_at: datetime

    @property
    def total_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def overrun_minutes(self) -> int:
        """Minutes past the meeting's end; 0 when the plan fits."""
        return max(0, int((self.ends_at - self.meeting_ends_at).total_seconds() // 60))

    @property
    def spare_minutes(self) -> int:
        return max(0, int((self.meeting_ends_at - self.ends_at).total_seconds() // 60))


def timed_plan(starts_at: datetime, ends_at: datetime, entries: Sequence[E]) -> TimedPlan[E]:
    """Each entry starts when the one before ends, the first at ``starts_at``; an entry overruns
    when it ends after ``ends_at``. Times are instants (UTC): shown in the reader's zone, a plan
    across a clock change still adds up."""
    timed, clock = [], starts_at
    for entry in entries:
        end = clock + timedelta(minutes=max(0, entry.minutes))
        timed.append(TimedEntry(entry, clock, end, end > ends_at))
        clock = end
    return TimedPlan(timed, starts_at, clock, ends_at)
