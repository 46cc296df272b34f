"""Agreement statistics: worked examples from the literature and an independent library."""

from __future__ import annotations

import math
import random

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cluster.moderation.agreement import (
    CaseRecord,
    NetworkAgreement,
    by_period,
    distribution,
    fleiss_kappa,
    krippendorff_alpha,
    match_rate,
    modal_levels,
    percent_agreement,
)

# Fleiss (1971) as worked on Wikipedia's "Fleiss' kappa" page: 10 subjects, 14 raters, 5 categories.
FLEISS_EXAMPLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]

# Krippendorff's canonical reliability data: 4 coders (rows), 12 units (columns), None missing.
_ = None
KRIPPENDORFF_CODERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
]
# Per unit, the levels judged (values 1..5 become levels 0..4).
KRIPPENDORFF_UNITS = [
    [coder[u] - 1 for coder in KRIPPENDORFF_CODERS if coder[u] is not None] for u in range(12)
]


def test_distribution_counts_each_level():
    assert distribution([0, 2, 2, 1, 2], 4) == [1, 1, 3, 0]
    assert distribution([], 3) == [0, 0, 0]
    with pytest.raises(ValueError):
        distribution([3], 3)


def test_percent_agreement_is_the_share_equal_to_the_outcome():
    assert percent_agreement([1, 1, 2, 1], 1) == 0.75
    assert percent_agreement([0, 2], 1) == 0
    assert percent_agreement([], 1) is None


def test_match_rate_is_the_share_of_proposals_that_were_the_outcome():
    assert match_rate([(1, 1), (2, 1), (3, 3), (0, 1)]) == 0.5
    assert match_rate([]) is None


def test_modal_levels():
    assert modal_levels([2, 1, 2, 1, 0]) == [1, 2]
    assert modal_levels([]) == []


def test_fleiss_kappa_matches_the_worked_example():
    assert fleiss_kappa(FLEISS_EXAMPLE) == pytest.approx(0.20993, abs=5e-5)


def test_fleiss_kappa_is_one_for_perfect_agreement_and_undefined_without_variation():
    assert fleiss_kappa([[3, 0, 0], [0, 3, 0], [0, 0, 3]]) == pytest.approx(1)
    assert fleiss_kappa([[4, 0], [4, 0]]) is None  # every judgment on one level: P_e = 1
    assert fleiss_kappa([[2, 1, 0]]) is None  # one case
    assert fleiss_kappa([]) is None
    assert fleiss_kappa([[1, 0], [0, 1]]) is None  # no case has two judgments


def test_fleiss_kappa_with_unequal_raters_uses_each_cases_own_n():
    # Two cases with 3 raters, one with 5: P_i = (2/6, 6/6, 8/20) pooled, shares over 11 judgments.
    counts = [[2, 1], [3, 0], [1, 4]]
    observed = (2 / 6 + 1 + (0 + 12) / 20) / 3
    shares = [6 / 11, 5 / 11]
    expected = sum(p * p for p in shares)
    assert fleiss_kappa(counts) == pytest.approx((observed - expected) / (1 - expected))
    # Cases with fewer than two judgments are left out.
    assert fleiss_kappa([*counts, [1, 0], [0, 0]]) == fleiss_kappa(counts)


@pytest.mark.parametrize(
    "level, expected",
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)],
)
def test_krippendorff_alpha_matches_the_canonical_example(level, expected):
    assert krippendorff_alpha(KRIPPENDORFF_UNITS, 5, level) == pytest.approx(expected, abs=5e-4)


def test_krippendorff_alpha_is_one_for_perfect_agreement():
    assert krippendorff_alpha([[0, 0, 0], [2, 2], [1, 1, 1, 1]], 3) == pytest.approx(1)


def test_krippendorff_alpha_is_undefined_without_pairs_or_variation():
    assert krippendorff_alpha([], 3) is None
    assert krippendorff_alpha([[1], [2], []], 3) is None  # nothing pairable
    assert krippendorff_alpha([[1, 1], [1, 1, 1]], 3) is None  # one level only: D_e = 0
    with pytest.raises(ValueError):
        krippendorff_alpha([[0, 1]], 2, "ratio")


def _library_alpha(units: list[list[int]], k: int, level: str) -> float:
    width = max(len(unit) for unit in units)
    data = np.full((width, len(units)), np.nan)
    for u, unit in enumerate(units):
        data[: len(unit), u] = unit
    return krippendorff.alpha(reliability_data=data, level_of_measurement=level, value_domain=list(range(k)))


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
@pytest.mark.parametrize("seed", range(25))
def test_krippendorff_alpha_agrees_with_the_krippendorff_package_on_random_data(level, seed):
    rng = random.Random(seed)
    k = rng.randint(2, 7)
    units = [[rng.randrange(k) for _ in range(rng.randint(0, 9))] for _ in range(rng.randint(2, 30))]
    # Judges lean towards a level per case, so alpha ranges over realistic values.
    for unit in units:
        anchor = rng.randrange(k)
        for i in range(len(unit)):
            if rng.random() < 0.6:
                unit[i] = anchor
    ours = krippendorff_alpha(units, k, level)
    pairable = [unit for unit in units if len(unit) >= 2]
    if ours is None:
        values = {v for unit in pairable for v in unit}
        assert len(values) <= 1
        return
    assert ours == pytest.approx(_library_alpha(pairable, k, level), abs=1e-9)


def test_krippendorff_alpha_agrees_with_the_package_on_the_canonical_example():
    for level in ("nominal", "ordinal", "interval"):
        library = krippendorff.alpha(
            reliability_data=np.array(KRIPPENDORFF_CODERS, dtype=float),
            level_of_measurement=level,
        )
        assert krippendorff_alpha(KRIPPENDORFF_UNITS, 5, level) == pytest.approx(library, abs=1e-9)


units_strategy = st.integers(2, 6).flatmap(
    lambda k: st.tuples(
        st.just(k),
        st.lists(st.lists(st.integers(0, k - 1), min_size=0, max_size=8), min_size=1, max_size=15),
    )
)


@settings(max_examples=150, deadline=None)
@given(units_strategy, st.sampled_from(["nominal", "ordinal", "interval"]), st.randoms())
def test_alpha_is_at_most_one_and_ignores_the_order_of_cases_and_of_judges(data, level, rnd):
    k, units = data
    alpha = krippendorff_alpha(units, k, level)
    shuffled = [rnd.sample(unit, len(unit)) for unit in units]
    rnd.shuffle(shuffled)
    again = krippendorff_alpha(shuffled, k, level)
    if alpha is None:
        assert again is None
    else:
        assert alpha <= 1 + 1e-9 and math.isfinite(alpha)
        assert again == pytest.approx(alpha, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(units_strategy)
def test_nominal_alpha_does_not_depend_on_the_names_of_the_levels(data):
    k, units = data
    mapping = list(reversed(range(k)))
    renamed = [[mapping[v] for v in unit] for unit in units]
    a, b = krippendorff_alpha(units, k, "nominal"), krippendorff_alpha(renamed, k, "nominal")
    assert (a is None and b is None) or a == pytest.approx(b, abs=1e-9)
    # Reversing an ordinal scale keeps the ordinal and interval alphas too.
    for level in ("ordinal", "interval"):
        a, b = krippendorff_alpha(units, k, level), krippendorff_alpha(renamed, k, level)
        assert (a is None and b is None) or a == pytest.approx(b, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda k: st.lists(st.lists(st.integers(0, 6), min_size=k, max_size=k), min_size=1, max_size=12)
    ),
    st.randoms(),
)
def test_kappa_is_at_most_one_and_ignores_the_order_of_cases(counts, rnd):
    kappa = fleiss_kappa(counts)
    shuffled = rnd.sample(counts, len(counts))
    if kappa is None:
        assert fleiss_kappa(shuffled) is None
    else:
        assert kappa <= 1 + 1e-9
        assert fleiss_kappa(shuffled) == pytest.approx(kappa, abs=1e-9)


def test_by_period_summarises_each_period_in_order():
    rows = [
        CaseRecord("2025/26 Autumn", [2, 2, 2, 1], proposed=2, outcome=2),
        CaseRecord("2025/26 Autumn", [0, 0, 1, 0], proposed=1, outcome=0),
        CaseRecord("2025/26 Autumn", [1, 1, 1, 1], proposed=1, outcome=1),
        CaseRecord("2025/26 Spring", [0, 2], proposed=0, outcome=None),  # outcome not yet agreed
        CaseRecord("2025/26 Spring", [], proposed=None, outcome=None),
        CaseRecord("2024/25 Summer", [1, 1, 1], proposed=1, outcome=1),
    ]
    autumn, spring, summer = by_period(rows, k=3)
    periods = [autumn.period, spring.period, summer.period]
    assert periods == ["2025/26 Autumn", "2025/26 Spring", "2024/25 Summer"]
    assert isinstance(autumn, NetworkAgreement)
    assert autumn.cases == 3 and spring.cases == 2 and summer.cases == 1
    assert autumn.match_rate == pytest.approx(2 / 3)
    assert autumn.mean_agreement == pytest.approx((0.75 + 0.75 + 1) / 3)
    assert autumn.alpha == pytest.approx(krippendorff_alpha([r.levels for r in rows[:3]], 3))
    assert autumn.kappa == pytest.approx(fleiss_kappa([[0, 1, 3], [3, 1, 0], [0, 4, 0]]))
    assert autumn.alpha is not None and 0 < autumn.alpha < 1
    assert spring.match_rate is None and spring.mean_agreement is None
    assert spring.kappa is None  # one case with judgments
    assert summer.alpha is None and summer.kappa is None and summer.match_rate == 1
    assert by_period([], k=3) == []
