"""Could school + year group + need identify the pupil? A pure rule, tested on its own.

The "motivated intruder" test: in a small network, a colleague who knows the school, the year
group and a rare need may know the child. We warn (never block) and offer to hide the school
from other members; organisers still see it.
"""

from __future__ import annotations

from dataclasses import dataclass

from cluster.moderation.models import LOW_INCIDENCE_NEEDS

#: A school with fewer pupils on roll than this has small year groups (a one-form entry primary
#: has about 30 a year; under 150 means some classes of 20 or fewer).
SMALL_SCHOOL = 150


@dataclass(frozen=True)
class SchoolFacts:
    phase_group: str  # "primary", "secondary", "all-through" or "special" (School.phase_group)
    is_special: bool  # special school, pupil referral unit or alternative provision
    number_on_roll: int | None = None
    #: Other member schools of the network in the same phase group.
    others_in_phase: int = 1


def identification_risks(school: SchoolFacts | None, year_group: str, needs: list[str]) -> list[str]:
    """Why this combination could identify the pupil, in plain words ([] when it looks safe)."""
    if school is None:
        return []
    risks = []
    if school.is_special:
        risks.append(
            "Your school is a special school, pupil referral unit or alternative provision: its year groups are small."
        )
    elif school.number_on_roll is not None and school.number_on_roll < SMALL_SCHOOL:
        risks.append(f"Your school has {school.number_on_roll} pupils on roll: its year groups are small.")
    rare = sorted({n for n in needs if n in LOW_INCIDENCE_NEEDS})
    if rare and not school.is_special:
        risks.append(
            f"{', '.join(rare)} is rare in a mainstream school: colleagues may know the only pupil with it in a year group."
        )
    if school.others_in_phase == 0:
        risks.append(
            "No other school of your phase is in the network, so the school is easy to tell from the year group."
        )
    return risks
