"""Planning a programme from a rule such as "the second Tuesday of each half term, 13:30 to 16:00".

Pure functions of their arguments (no database, no request, no clock), so that the rule can be
tested on its own and the view only fetches the half terms, calls :func:`plan_series` and shows
the result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from cluster.timeutil import LONDON, local_to_utc

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Which one of the weekday in a half term: the first to fourth, or the last (-1).
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
#: Written where the half term's name goes in a title pattern.
HALF_TERM_PLACEHOLDER = "[half term]"


class HalfTermLike(Protocol):
    """Anything with a name and inclusive first and last days (a ``CalendarEntry`` of kind term)."""

    name: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class HalfTerm:
    name: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class SeriesRule:
    """The organiser's rule: the ``ordinal`` ``weekday`` (0 = Monday) of each half term, from
    ``starts`` to ``ends`` on the wall clock of the organisation (Europe/London)."""

    weekday: int
    ordinal: int
    starts: time
    ends: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {self.weekday}")
        if self.ordinal not in ORDINALS:
            raise ValueError(f"ordinal must be one of {sorted(ORDINALS)}, not {self.ordinal}")
        if self.ends <= self.starts:
            raise ValueError("a meeting must end after it starts")

    def describe(self) -> str:
        """The rule in words, e.g. "The second Tuesday of each half term, 13:30 to 16:00"."""
        return (
            f"The {ORDINALS[self.ordinal]} {WEEKDAYS[self.weekday]} of each half term, "
            f"{self.starts:%H:%M} to {self.ends:%H:%M}"
        )


@dataclass(frozen=True)
class Candidate:
    """One proposed meeting: its half term, its day, and its start and end as UTC instants."""

    half_term: HalfTermLike
    day: date
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class SeriesPlan:
    candidates: list[Candidate]
    #: Half terms too short to have the chosen weekday that many times: they get no meeting.
    skipped: list[HalfTermLike]


def nth_weekday(starts_on: date, ends_on: date, weekday: int, ordinal: int) -> date | None:
    """The ``ordinal`` (1-4, or -1 for the last) ``weekday`` between ``starts_on`` and ``ends_on``
    inclusive, or None when the span has fewer of that weekday.

    Counting starts from the span's own first day: in a half term that starts on a Thursday, the
    first Tuesday is the one after.
    """
    if ends_on < starts_on:
        return None
    if ordinal == -1:
        day = ends_on - timedelta(days=(ends_on.weekday() - weekday) % 7)
    else:
        day = starts_on + timedelta(days=(weekday - starts_on.weekday()) % 7 + 7 * (ordinal - 1))
    return day if starts_on <= day <= ends_on else None


def plan_series(half_terms: Iterable[HalfTermLike], rule: SeriesRule, zone: ZoneInfo = LONDON) -> SeriesPlan:
    """The candidate meetings of ``rule``: one per half term, in date order, each at the rule's
    wall-clock times in ``zone`` converted to UTC (so 13:30 is 13:30 in October and in November,
    whichever side of the clock change). A half term without such a day is skipped."""
    candidates: list[Candidate] = []
    skipped: list[HalfTermLike] = []
    for half_term in sorted(half_terms, key=lambda h: (h.starts_on, h.ends_on)):
        day = nth_weekday(half_term.starts_on, half_term.ends_on, rule.weekday, rule.ordinal)
        if day is None:
            skipped.append(half_term)
            continue
        candidates.append(
            Candidate(
                half_term, day, local_to_utc(day, rule.starts, zone), local_to_utc(day, rule.ends, zone)
            )
        )
    return SeriesPlan(candidates, skipped)


def meeting_title(pattern: str, half_term_name: str, limit: int = 200) -> str:
    """``pattern`` with ``[half term]`` replaced by the half term's name ("[half term] network
    meeting" gives "Autumn 1 network meeting"); a pattern without it is used as it is."""
    placeholder = re.compile(re.escape(HALF_TERM_PLACEHOLDER), re.IGNORECASE)
    title = placeholder.sub(lambda _: half_term_name.strip(), pattern) if pattern.strip() else half_term_name
    return " ".join(title.split())[:limit]
