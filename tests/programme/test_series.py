"""The pure rule behind a year's programme: which day of each half term, at which UTC instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from cluster.meetings.series import HalfTerm, SeriesRule, meeting_title, nth_weekday, plan_series
from cluster.timeutil import to_local
from tests.calendar.helpers import YEAR_2026_27

TUESDAY, FRIDAY = 1, 4
HALF_TERMS = [
    HalfTerm(name, date.fromisoformat(start), date.fromisoformat(end))
    for kind, name, start, end in YEAR_2026_27
    if kind == "term"
]
AFTERNOON = (time(13, 30), time(16, 0))


def test_every_second_tuesday_of_each_half_term():
    plan = plan_series(HALF_TERMS, SeriesRule(TUESDAY, 2, *AFTERNOON))
    # Autumn 1 starts on a Thursday: its first Tuesday is 8 September, its second the 15th.
    assert [(c.half_term.name, c.day) for c in plan.candidates] == [
        ("Autumn 1", date(2026, 9, 15)),
        ("Autumn 2", date(2026, 11, 10)),
        ("Spring 1", date(2027, 1, 12)),
        ("Spring 2", date(2027, 3, 2)),
        ("Summer 1", date(2027, 4, 20)),
        ("Summer 2", date(2027, 6, 15)),
    ]
    assert plan.skipped == []


def test_the_last_friday_of_each_half_term():
    plan = plan_series(HALF_TERMS, SeriesRule(FRIDAY, -1, *AFTERNOON))
    assert [c.day for c in plan.candidates] == [
        date(2026, 10, 23),
        date(2026, 12, 18),
        date(2027, 2, 12),
        date(2027, 3, 26),
        date(2027, 5, 28),
        date(2027, 7, 16),
    ]  # Summer 2 ends on Wednesday 21 July: its last Friday is the 16th


def test_a_half_term_too_short_for_the_rule_is_skipped():
    short = HalfTerm("Summer 3", date(2027, 7, 19), date(2027, 7, 21))  # Monday to Wednesday
    plan = plan_series([short, *HALF_TERMS[:1]], SeriesRule(TUESDAY, 2, *AFTERNOON))
    assert [c.half_term.name for c in plan.candidates] == ["Autumn 1"] and plan.skipped == [short]
    assert plan_series([short], SeriesRule(TUESDAY, 1, *AFTERNOON)).candidates[0].day == date(2027, 7, 20)
    assert plan_series([short], SeriesRule(FRIDAY, -1, *AFTERNOON)).skipped == [short]
    assert nth_weekday(date(2026, 9, 1), date(2026, 9, 30), TUESDAY, 4) == date(2026, 9, 22)
    assert nth_weekday(date(2026, 9, 1), date(2026, 9, 28), TUESDAY, -1) == date(2026, 9, 22)  # the last
    assert nth_weekday(date(2026, 9, 3), date(2026, 9, 14), TUESDAY, 3) is None


def test_meetings_keep_their_local_time_across_the_october_clock_change():
    # Clocks go back on Sunday 25 October 2026: the last Tuesday of Autumn 1 is in British Summer
    # Time, the last Tuesday of Autumn 2 in Greenwich Mean Time. Both are 13:30 to 16:00 in London.
    autumn_1, autumn_2 = plan_series(HALF_TERMS[:2], SeriesRule(TUESDAY, -1, *AFTERNOON)).candidates
    assert (autumn_1.day, autumn_2.day) == (date(2026, 10, 20), date(2026, 12, 15))
    assert autumn_1.starts_at == datetime(2026, 10, 20, 12, 30, tzinfo=UTC)
    assert autumn_1.ends_at == datetime(2026, 10, 20, 15, 0, tzinfo=UTC)
    assert autumn_2.starts_at == datetime(2026, 12, 15, 13, 30, tzinfo=UTC)
    assert [to_local(c.starts_at).time() for c in (autumn_1, autumn_2)] == [time(13, 30)] * 2
    # The week either side of the change: Tuesday 20 and Tuesday 27 October.
    either_side = plan_series(
        [
            HalfTerm("A", date(2026, 10, 19), date(2026, 10, 23)),
            HalfTerm("B", date(2026, 10, 26), date(2026, 10, 30)),
        ],
        SeriesRule(TUESDAY, 1, *AFTERNOON),
    )
    assert [c.starts_at.hour for c in either_side.candidates] == [12, 13]


def test_the_rule_in_words_and_its_limits():
    assert (
        SeriesRule(TUESDAY, 2, *AFTERNOON).describe()
        == "The second Tuesday of each half term, 13:30 to 16:00"
    )
    assert (
        SeriesRule(FRIDAY, -1, time(9), time(12)).describe()
        == "The last Friday of each half term, 09:00 to 12:00"
    )
    with pytest.raises(ValueError):
        SeriesRule(TUESDAY, 5, *AFTERNOON)
    with pytest.raises(ValueError):
        SeriesRule(TUESDAY, 2, time(16), time(13, 30))


def test_titles_from_a_pattern():
    assert meeting_title("[half term] network meeting", "Autumn 1") == "Autumn 1 network meeting"
    assert meeting_title("SENCO network – [Half Term]", "Spring 2") == "SENCO network – Spring 2"
    assert meeting_title("Network meeting", "Summer 1") == "Network meeting"
    assert len(meeting_title("x" * 150 + " [half term]", "y" * 120)) == 200
