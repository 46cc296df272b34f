"""When a digest is due: on the person's own clock, through both clock changes (pure functions)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from cluster.digests.schedule import LATE_LIMIT, due_period, latest_slot, next_slot, window_start
from cluster.timeutil import zone_of
from tests.digests.helpers import utc

LONDON = ZoneInfo("Europe/London")


def test_monday_seven_o_clock_in_london_is_six_utc_in_summer_and_seven_in_winter():
    # 30 March 2026 is the Monday after the clocks go forward; 26 October 2026 after they go back.
    spring = latest_slot("weekly", 0, 7, LONDON, utc("2026-03-30T09:00"))
    autumn = latest_slot("weekly", 0, 7, LONDON, utc("2026-10-26T09:00"))
    assert spring.scheduled_at == utc("2026-03-30T06:00") and spring.key == "W2026-14"
    assert autumn.scheduled_at == utc("2026-10-26T07:00") and autumn.key == "W2026-44"


@pytest.mark.parametrize(
    "now, due",
    [
        ("2026-03-30T05:45", False),
        ("2026-03-30T06:00", True),
        ("2026-03-30T17:45", True),
        ("2026-03-30T18:00", False),
        ("2026-10-26T06:00", False),
        ("2026-10-26T06:45", False),
        ("2026-10-26T07:00", True),
        ("2026-10-26T18:45", True),
    ],
)
def test_a_slot_is_due_from_its_moment_for_twelve_hours(now, due):
    assert (due_period("weekly", 0, 7, LONDON, utc(now)) is not None) is due
    assert LATE_LIMIT == timedelta(hours=12)


def test_the_week_s_key_stays_the_same_whatever_day_is_chosen():
    """Moving the digest from Monday to Friday in a week that had Monday's does not make a second one."""
    monday = latest_slot("weekly", 0, 7, LONDON, utc("2026-11-02T08:00"))
    friday = latest_slot("weekly", 4, 7, LONDON, utc("2026-11-06T08:00"))
    assert monday.key == friday.key == "W2026-45"


def test_an_hour_that_does_not_exist_is_the_first_moment_after_the_gap():
    # 29 March 2026: London jumps from 01:00 GMT to 02:00 BST. A 01:00 daily digest comes at 01:00 UTC (02:00 BST), once.
    slot = latest_slot("daily", 0, 1, LONDON, utc("2026-03-29T03:00"))
    assert slot.scheduled_at == utc("2026-03-29T01:00") and slot.key == "D2026-03-29"
    assert latest_slot("daily", 0, 1, LONDON, utc("2026-03-29T00:45")).key == "D2026-03-28"


def test_an_hour_that_happens_twice_is_the_first_of_the_two():
    # 25 October 2026: 01:00-02:00 happens in BST, then again in GMT. One daily slot, at the first 01:00 (00:00 UTC).
    assert latest_slot("daily", 0, 1, LONDON, utc("2026-10-25T00:30")).scheduled_at == utc("2026-10-25T00:00")
    assert latest_slot("daily", 0, 1, LONDON, utc("2026-10-25T01:30")).key == "D2026-10-25"


def test_other_time_zones_use_their_own_clock_and_unknown_ones_london():
    paris = latest_slot("daily", 0, 7, ZoneInfo("Europe/Paris"), utc("2026-07-01T12:00"))
    assert paris.scheduled_at == utc("2026-07-01T05:00")
    assert zone_of("Not/AZone") == LONDON and zone_of(None) == LONDON and zone_of("") == LONDON


def test_off_is_never_due_and_has_no_next_digest():
    assert due_period("off", 0, 7, LONDON, utc("2026-03-30T07:00")) is None
    assert next_slot("off", 0, 7, LONDON, utc("2026-03-30T07:00")) is None


def test_the_next_digest_keeps_the_wall_clock_hour_across_the_change():
    assert next_slot("weekly", 0, 7, LONDON, utc("2026-03-24T12:00")) == utc("2026-03-30T06:00")
    assert next_slot("weekly", 0, 7, LONDON, utc("2026-10-20T12:00")) == utc("2026-10-26T07:00")
    assert next_slot("daily", 0, 18, LONDON, utc("2026-10-25T12:00")) == utc("2026-10-25T18:00")


def test_new_since_starts_where_the_last_digest_ended_and_never_more_than_four_weeks_back():
    until = utc("2026-11-02T07:00")
    assert window_start(utc("2026-10-26T07:00"), timedelta(days=7), until) == utc("2026-10-26T07:00")
    assert window_start(None, timedelta(days=7), until) == utc("2026-10-26T07:00")
    assert window_start(utc("2026-01-05T07:00"), timedelta(days=7), until) == until - timedelta(days=28)
