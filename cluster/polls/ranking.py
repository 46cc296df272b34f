"""Ranking a date poll's slots: a pure function of the slots, the answers and each member's school.

The rule: the best slot is the one most member schools can attend. A school counts once, whoever
answered for it (two SENCOs, or a SENCO and the deputy they answered for), and its best answer
is the one that counts: yes over if need be over no. "If need be" makes a school count as
covered, so it counts towards schools covered; between slots that cover as many schools, more
schools with a firm yes rank higher; then the earlier slot.

Phase balance is shown for each slot (are the network's primary, secondary and special schools
all represented among the schools that can attend?) but does not change the order: slots rank by
schools covered, then yes over if need be.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

#: A school's answer is its best one: lower is better.
_STRENGTH = {"yes": 0, "maybe": 1, "no": 2}
#: The phases a network balances, in the order they are shown.
PHASES = ("primary", "secondary", "special")
PHASE_LABELS = {"primary": "Primary", "secondary": "Secondary", "special": "Special"}


class SlotLike(Protocol):
    id: int
    starts_at: datetime


@dataclass(frozen=True)
class AnswerRow:
    """One answer: ``user_id`` answered ``answer`` for ``slot_id``, for themselves or their deputy."""

    slot_id: int
    user_id: int
    for_deputy: bool
    answer: str  # yes, maybe (if need be) or no


@dataclass(frozen=True)
class SchoolRef:
    id: int
    phase_group: str  # primary, secondary, all-through or special (School.phase_group)


def phases_of(phase_group: str) -> frozenset[str]:
    """The phases a school represents: an all-through school stands for both primary and secondary."""
    if phase_group == "all-through":
        return frozenset({"primary", "secondary"})
    return frozenset({phase_group}) if phase_group in PHASES else frozenset({"special"})


@dataclass
class SlotResult:
    slot: SlotLike
    #: Answers, counting people (a deputy answered for is a person too).
    yes: int = 0
    maybe: int = 0
    no: int = 0
    #: Member schools whose best answer is yes, and those whose best is if need be.
    schools_yes: frozenset[int] = frozenset()
    schools_maybe: frozenset[int] = frozenset()
    #: Phases represented by the schools that can attend, and the network's phases that are not.
    phases_covered: frozenset[str] = frozenset()
    phases_missing: tuple[str, ...] = ()
    #: Who answered what: answer -> [(user_id, for_deputy)].
    respondents: dict[str, list[tuple[int, bool]]] = field(
        default_factory=lambda: {"yes": [], "maybe": [], "no": []}
    )
    rank: int = 0

    @property
    def schools_covered(self) -> int:
        """Member schools that can attend (yes or if need be), each counted once."""
        return len(self.schools_yes) + len(self.schools_maybe)

    @property
    def balanced(self) -> bool:
        return not self.phases_missing


def rank_slots(
    slots: Sequence[SlotLike],
    answers: Iterable[AnswerRow],
    schools_of_members: Mapping[int, SchoolRef | None],
    network_phases: Iterable[str] | None = None,
) -> list[SlotResult]:
    """Every slot with its counts, best first (see the module docstring for the rule).

    ``schools_of_members`` maps a user id to the member school they answer for (None, or no
    entry, for someone without a member school: their answers count as people, not schools).
    ``network_phases`` are the phase groups of the network's schools (by default, those of the
    schools in ``schools_of_members``); a slot is balanced when its schools represent them all.
    """
    if network_phases is None:
        network_phases = [school.phase_group for school in schools_of_members.values() if school]
    wanted = frozenset().union(*(phases_of(group) for group in network_phases))
    results = {slot.id: SlotResult(slot=slot) for slot in slots}
    best: dict[int, dict[int, str]] = {slot.id: {} for slot in slots}  # slot -> school -> best answer
    phase_of_school: dict[int, str] = {}
    for row in answers:
        result = results.get(row.slot_id)
        if result is None or row.answer not in _STRENGTH:
            continue
        setattr(result, row.answer, getattr(result, row.answer) + 1)
        result.respondents[row.answer].append((row.user_id, row.for_deputy))
        school = schools_of_members.get(row.user_id)
        if school is None:
            continue
        phase_of_school[school.id] = school.phase_group
        current = best[row.slot_id].get(school.id)
        if current is None or _STRENGTH[row.answer] < _STRENGTH[current]:
            best[row.slot_id][school.id] = row.answer
    for slot_id, result in results.items():
        by_school = best[slot_id]
        result.schools_yes = frozenset(s for s, answer in by_school.items() if answer == "yes")
        result.schools_maybe = frozenset(s for s, answer in by_school.items() if answer == "maybe")
        covered = result.schools_yes | result.schools_maybe
        result.phases_covered = frozenset().union(*(phases_of(phase_of_school[s]) for s in covered))
        result.phases_missing = tuple(p for p in PHASES if p in wanted and p not in result.phases_covered)
    ranked = sorted(
        results.values(),
        key=lambda r: (-r.schools_covered, -len(r.schools_yes), r.slot.starts_at, r.slot.id),
    )
    for position, result in enumerate(ranked, start=1):
        result.rank = position
    return ranked
