"""How far a network's judgments agree: per case and per network over time.

A pure module. Judgments are levels on the organisation's ordinal scale, identified by
their position 0..k-1. The per-network measures answer the question a network exists
for: do schools judge need consistently (Krippendorff's alpha, Fleiss' kappa), and does
the level a school proposes match the level the network agrees (match rate)?
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

LEVELS_OF_MEASUREMENT = ("nominal", "ordinal", "interval")


def distribution(levels: Sequence[int], k: int) -> list[int]:
    """How many judgments chose each level 0..k-1."""
    counts = [0] * k
    for level in levels:
        if not 0 <= level < k:
            raise ValueError(f"level {level} is not on a scale of {k} levels")
        counts[level] += 1
    return counts


def percent_agreement(levels: Sequence[int], outcome: int) -> float | None:
    """The share (0..1) of judgments equal to the agreed outcome; None without judgments."""
    if not levels:
        return None
    return sum(1 for level in levels if level == outcome) / len(levels)


def match_rate(pairs: Sequence[tuple[int, int]]) -> float | None:
    """The share of (proposed, outcome) pairs where the school's proposal was the outcome."""
    if not pairs:
        return None
    return sum(1 for proposed, outcome in pairs if proposed == outcome) / len(pairs)


def fleiss_kappa(counts: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' kappa (1971) over cases (rows) of counts of raters per level (columns).

    Fleiss assumes the same number of raters n for every case. Moderation cases are
    judged by whoever is present, so this is the usual generalisation to n_i raters per
    case: each case's agreement P_i = sum n_ij(n_ij - 1) / (n_i(n_i - 1)), the level
    shares p_j pooled over all judgments. With equal n it is exactly Fleiss' kappa.
    Cases with fewer than two judgments carry no agreement and are left out.
    None when undefined: fewer than two cases, or every judgment on one level (P_e = 1).
    """
    rows = [list(row) for row in counts if sum(row) >= 2]
    if len(rows) < 2:
        return None
    if any(value < 0 for row in rows for value in row):
        raise ValueError("counts cannot be negative")
    total = sum(sum(row) for row in rows)
    k = max(len(row) for row in rows)
    shares = [sum(row[j] for row in rows if j < len(row)) / total for j in range(k)]
    expected = sum(p * p for p in shares)
    if expected >= 1 - 1e-12:
        return None
    observed = sum(sum(c * (c - 1) for c in row) / (sum(row) * (sum(row) - 1)) for row in rows) / len(rows)
    return (observed - expected) / (1 - expected)


def _delta_squared(level: str, marginals: list[int]) -> list[list[float]]:
    """Krippendorff's difference function for every pair of levels."""
    k = len(marginals)
    table = [[0.0] * k for _ in range(k)]
    for c in range(k):
        for d in range(k):
            if level == "nominal":
                table[c][d] = 0.0 if c == d else 1.0
            elif level == "interval":
                table[c][d] = float((c - d) ** 2)
            else:  # ordinal: the ranks between c and d, with half of each end's own count
                low, high = min(c, d), max(c, d)
                between = sum(marginals[low : high + 1]) - (marginals[low] + marginals[high]) / 2
                table[c][d] = between * between
    return table


def krippendorff_alpha(units: Sequence[Sequence[int]], k: int, level: str = "ordinal") -> float | None:
    """Krippendorff's alpha for any number of judges per case (missing judgments allowed).

    `units` holds, per case, the levels judged. Cases with fewer than two judgments cannot
    be paired and are left out. alpha = 1 - D_o / D_e over the coincidence matrix, with the
    nominal, ordinal or interval difference function. None when undefined: no pairable
    judgments, or no variation at all (every judgment on one level).
    """
    if level not in LEVELS_OF_MEASUREMENT:
        raise ValueError(f"level of measurement must be one of {LEVELS_OF_MEASUREMENT}")
    coincidences = [[0.0] * k for _ in range(k)]
    for unit in units:
        values = distribution(unit, k)
        m = len(unit)
        if m < 2:
            continue
        for c in range(k):
            if not values[c]:
                continue
            for d in range(k):
                pairs = values[c] * (values[d] - (1 if c == d else 0))
                if pairs:
                    coincidences[c][d] += pairs / (m - 1)
    marginals_float = [sum(row) for row in coincidences]
    n = sum(marginals_float)
    if n <= 1:
        return None
    # Marginals are whole numbers of pairable judgments; round away float noise.
    marginals = [round(value) for value in marginals_float]
    delta = _delta_squared(level, marginals)
    observed = sum(coincidences[c][d] * delta[c][d] for c in range(k) for d in range(k))
    expected = sum(marginals[c] * marginals[d] * delta[c][d] for c in range(k) for d in range(k)) / (n - 1)
    if expected <= 1e-12:
        return None
    return 1 - observed / expected


@dataclass
class CaseRecord:
    """One closed case as the statistics see it: no content, only levels."""

    period: str  # e.g. "2025/26 Autumn"
    levels: list[int] = field(default_factory=list)  # the judgments recorded
    proposed: int | None = None  # the level the school proposed
    outcome: int | None = None  # the level the network agreed


@dataclass
class NetworkAgreement:
    period: str
    cases: int
    alpha: float | None  # Krippendorff's alpha, ordinal
    kappa: float | None  # Fleiss' kappa (generalised to unequal numbers of judges)
    match_rate: float | None  # share of cases where the proposal was the outcome
    mean_agreement: float | None  # mean per case of the share of judgments equal to the outcome


def by_period(rows: Sequence[CaseRecord], k: int) -> list[NetworkAgreement]:
    """The network's agreement per period, periods in the order they first appear."""
    periods: dict[str, list[CaseRecord]] = {}
    for row in rows:
        periods.setdefault(row.period, []).append(row)
    results = []
    for period, cases in periods.items():
        agreements = [
            value
            for case in cases
            if case.outcome is not None
            and (value := percent_agreement(case.levels, case.outcome)) is not None
        ]
        results.append(
            NetworkAgreement(
                period=period,
                cases=len(cases),
                alpha=krippendorff_alpha([case.levels for case in cases], k, "ordinal"),
                kappa=fleiss_kappa([distribution(case.levels, k) for case in cases]),
                match_rate=match_rate(
                    [
                        (case.proposed, case.outcome)
                        for case in cases
                        if case.proposed is not None and case.outcome is not None
                    ]
                ),
                mean_agreement=sum(agreements) / len(agreements) if agreements else None,
            )
        )
    return results


def modal_levels(levels: Sequence[int]) -> list[int]:
    """The most chosen level(s), lowest first: a hint for the organiser recording the outcome."""
    counts = Counter(levels)
    if not counts:
        return []
    top = max(counts.values())
    return sorted(level for level, count in counts.items() if count == top)
