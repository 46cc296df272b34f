"""Ranking slots: schools covered (each once), then yes over if need be, then the earlier slot;
phase balance shown for each slot. A pure function, tested without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from cluster.polls.ranking import AnswerRow, SchoolRef, rank_slots

START = datetime(2027, 6, 8, 12, 30, tzinfo=UTC)


def slots(n: int):
    return [SimpleNamespace(id=i, starts_at=START + timedelta(days=7 * (i - 1))) for i in range(1, n + 1)]


PRIMARY_A, PRIMARY_B = SchoolRef(10, "primary"), SchoolRef(11, "primary")
SECONDARY, SPECIAL, ALL_THROUGH = (
    SchoolRef(20, "secondary"),
    SchoolRef(30, "special"),
    SchoolRef(40, "all-through"),
)


def test_a_school_counts_once_however_many_of_its_sencos_say_yes():
    members = {1: PRIMARY_A, 2: PRIMARY_A}
    [result] = rank_slots(slots(1), [AnswerRow(1, 1, False, "yes"), AnswerRow(1, 2, False, "yes")], members)
    assert result.yes == 2 and result.schools_covered == 1 and result.schools_yes == {PRIMARY_A.id}


def test_if_need_be_covers_a_school_but_ranks_below_yes():
    members = {1: PRIMARY_A}
    first, second = slots(2)
    ranked = rank_slots(
        [first, second], [AnswerRow(1, 1, False, "maybe"), AnswerRow(2, 1, False, "yes")], members
    )
    assert [r.slot.id for r in ranked] == [2, 1]  # the later slot wins: its school said yes
    assert [r.schools_covered for r in ranked] == [1, 1]
    assert ranked[1].schools_maybe == {PRIMARY_A.id} and ranked[1].maybe == 1


def test_more_schools_covered_beats_more_yeses():
    members = {1: PRIMARY_A, 2: PRIMARY_B, 3: SECONDARY}
    answers = [
        AnswerRow(1, 1, False, "yes"),
        AnswerRow(1, 2, False, "no"),
        AnswerRow(1, 3, False, "no"),
        AnswerRow(2, 1, False, "maybe"),
        AnswerRow(2, 2, False, "maybe"),
        AnswerRow(2, 3, False, "no"),
    ]
    ranked = rank_slots(slots(2), answers, members)
    assert [(r.slot.id, r.schools_covered, len(r.schools_yes)) for r in ranked] == [(2, 2, 0), (1, 1, 1)]
    assert [r.rank for r in ranked] == [1, 2]


def test_a_schools_best_answer_counts():
    members = {1: PRIMARY_A, 2: PRIMARY_A}
    [result] = rank_slots(slots(1), [AnswerRow(1, 1, False, "no"), AnswerRow(1, 2, False, "maybe")], members)
    assert result.schools_maybe == {PRIMARY_A.id} and result.no == 1 and result.maybe == 1


def test_deputy_answers_count_for_their_school():
    members = {1: SECONDARY}
    answers = [AnswerRow(1, 1, False, "no"), AnswerRow(1, 1, True, "yes")]
    [result] = rank_slots(slots(1), answers, members)
    assert result.schools_yes == {SECONDARY.id} and (result.yes, result.no) == (1, 1)
    assert result.respondents["yes"] == [(1, True)] and result.respondents["no"] == [(1, False)]


def test_ties_are_broken_by_start_time():
    members = {1: PRIMARY_A, 2: SECONDARY}
    later_first = list(reversed(slots(3)))
    answers = [AnswerRow(s.id, u, False, "yes") for s in later_first for u in (1, 2)]
    assert [r.slot.id for r in rank_slots(later_first, answers, members)] == [1, 2, 3]


def test_phase_balance_needs_every_phase_of_the_network():
    members = {1: PRIMARY_A, 2: SECONDARY, 3: SPECIAL}
    answers = [
        AnswerRow(1, 1, False, "yes"),
        AnswerRow(1, 2, False, "maybe"),
        AnswerRow(1, 3, False, "yes"),
        AnswerRow(2, 1, False, "yes"),
        AnswerRow(2, 2, False, "no"),
        AnswerRow(2, 3, False, "yes"),
    ]
    balanced, unbalanced = rank_slots(
        slots(2), answers, members, network_phases=["primary", "secondary", "special"]
    )
    assert balanced.balanced and balanced.phases_covered == {"primary", "secondary", "special"}
    assert not unbalanced.balanced and unbalanced.phases_missing == ("secondary",)


def test_an_all_through_school_stands_for_primary_and_secondary():
    members = {1: ALL_THROUGH}
    [result] = rank_slots(
        slots(1), [AnswerRow(1, 1, False, "yes")], members, network_phases=["primary", "secondary"]
    )
    assert result.balanced and result.phases_covered == {"primary", "secondary"}


def test_people_without_a_member_school_count_as_answers_not_schools():
    [result] = rank_slots(slots(1), [AnswerRow(1, 9, False, "yes")], {9: None}, network_phases=["primary"])
    assert result.yes == 1 and result.schools_covered == 0 and result.phases_missing == ("primary",)


def test_slots_nobody_answered_are_still_ranked():
    ranked = rank_slots(slots(2), [], {}, network_phases=[])
    assert [(r.slot.id, r.schools_covered, r.balanced) for r in ranked] == [(1, 0, True), (2, 0, True)]
