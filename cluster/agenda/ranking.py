"""How the organiser's list of open proposals is ranked for a meeting.

Score = supporters + REACH_WEIGHT × reach, where reach is the share of the network's member
schools in the phases the item concerns (an all-through school counts for primary and
secondary). So in a mixed network an item for everyone is worth three more supporters than one
no school in the network is in the phase of; in a primary-only network, a primary item has full
reach. Items the proposer aimed at this meeting come first; ties go to items deferred from an
earlier meeting (they have waited), then to the oldest.

The score is computed in the database (a CASE over the eight phase combinations, whose reach is
worked out here once per page), so that a network with thousands of proposals still ranks them
with one query.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import product

import sqlalchemy as sa

from cluster.agenda.models import AgendaItem

REACH_WEIGHT = 3.0
#: Which phase flags concern a school of each phase group.
GROUP_FLAGS = {
    "primary": ("primary",),
    "secondary": ("secondary",),
    "special": ("special",),
    "all-through": ("primary", "secondary"),
}


def concerns(phase_group: str, primary: bool, secondary: bool, special: bool) -> bool:
    """Whether an item for these phases concerns a school (or member) of ``phase_group``."""
    on = {"primary": primary, "secondary": secondary, "special": special}
    return any(on[flag] for flag in GROUP_FLAGS.get(phase_group, ("special",)))


def reach(groups: Counter[str], primary: bool, secondary: bool, special: bool) -> float:
    """The share (0 to 1) of the schools counted in ``groups`` (phase group -> schools) that an
    item for these phases concerns; 0 for a network without schools."""
    total = sum(groups.values())
    if not total:
        return 0.0
    return sum(n for group, n in groups.items() if concerns(group, primary, secondary, special)) / total


def score(support: int, item_reach: float) -> float:
    return support + REACH_WEIGHT * item_reach


def score_expression(phase_groups: Iterable[str]) -> sa.ColumnElement[float]:
    """The score of each AgendaItem row, for a network whose member schools are ``phase_groups``."""
    groups = Counter(phase_groups)
    whens = [
        (
            sa.and_(
                AgendaItem.for_primary.is_(p), AgendaItem.for_secondary.is_(s), AgendaItem.for_special.is_(x)
            ),
            REACH_WEIGHT * reach(groups, p, s, x),
        )
        for p, s, x in product((True, False), repeat=3)
    ]
    return AgendaItem.support_count + sa.case(*whens, else_=0.0)
