"""The organisation's moderation scale and settings: levels added, renamed, reordered, deleted
(only when no case or judgment uses them). Flush, never commit."""

from __future__ import annotations

import sqlalchemy as sa

from cluster.extensions import db, utcnow
from cluster.moderation.models import Judgment, ModerationCase, ModerationScale, ScaleLevel

#: Seeded by the demo and offered when an organisation starts.
DEFAULT_LEVELS = [
    (
        "Not yet",
        (
            "Needs are met through **quality first teaching** and the school's usual SEN support; "
            "keep assessing, planning, doing and reviewing."
        ),
    ),
    (
        "SEN support",
        (
            "Needs are met through **SEN support** with targeted, additional provision "
            "and outside advice, reviewed at least termly."
        ),
    ),
    (
        "Request EHC needs assessment",
        (
            "Despite relevant, purposeful action over time (several APDR cycles with "
            "specialist advice), progress is limited: **request an EHC needs assessment**."
        ),
    ),
]


class LevelInUse(ValueError):
    """A level that a case or judgment refers to cannot be deleted."""


def scale_of(organisation_id: int) -> ModerationScale | None:
    return db.session.scalar(
        sa.select(ModerationScale).where(ModerationScale.organisation_id == organisation_id)
    )


def levels_of(organisation_id: int) -> list[ScaleLevel]:
    """The organisation's levels, in order (one statement)."""
    return list(
        db.session.scalars(
            sa.select(ScaleLevel)
            .join(ModerationScale, ModerationScale.id == ScaleLevel.scale_id)
            .where(ModerationScale.organisation_id == organisation_id)
            .order_by(ScaleLevel.position, ScaleLevel.id)
        )
    )


def ensure_scale(organisation_id: int, name: str = "Levels of need") -> ModerationScale:
    scale = scale_of(organisation_id)
    if scale is None:
        scale = ModerationScale(
            organisation_id=organisation_id, name=name, description="", retention_months=12
        )
        db.session.add(scale)
        db.session.flush()
    return scale


def update_settings(scale: ModerationScale, *, name: str, description: str, retention_months: int) -> None:
    scale.name, scale.description = name.strip(), description.strip()
    scale.retention_months = retention_months
    scale.updated_at = utcnow()
    db.session.flush()


def add_level(scale: ModerationScale, label: str, descriptor: str = "") -> ScaleLevel:
    """A new level at the end of the scale."""
    last = db.session.scalar(
        sa.select(sa.func.max(ScaleLevel.position)).where(ScaleLevel.scale_id == scale.id)
    )
    level = ScaleLevel(
        organisation_id=scale.organisation_id,
        scale_id=scale.id,
        label=label.strip(),
        descriptor=descriptor.strip(),
        position=(last + 1) if last is not None else 0,
    )
    db.session.add(level)
    db.session.flush()
    return level


def edit_level(level: ScaleLevel, label: str, descriptor: str) -> None:
    level.label, level.descriptor = label.strip(), descriptor.strip()
    db.session.flush()


def _renumber(levels: list[ScaleLevel]) -> None:
    for position, level in enumerate(levels):
        level.position = position


def move_level(level: ScaleLevel, step: int) -> None:
    """Move ``level`` up (-1) or down (+1); positions stay 0..k-1."""
    levels = levels_of(level.organisation_id)
    index = next(i for i, other in enumerate(levels) if other.id == level.id)
    target = index + step
    if 0 <= target < len(levels):
        levels[index], levels[target] = levels[target], levels[index]
    _renumber(levels)
    db.session.flush()


def level_in_use(level: ScaleLevel) -> bool:
    case = (
        sa.select(ModerationCase.id)
        .where(
            sa.or_(
                ModerationCase.current_level_id == level.id,
                ModerationCase.proposed_level_id == level.id,
                ModerationCase.outcome_level_id == level.id,
            )
        )
        .limit(1)
    )
    judged = sa.select(Judgment.id).where(Judgment.level_id == level.id).limit(1)
    return db.session.scalar(case) is not None or db.session.scalar(judged) is not None


def delete_level(level: ScaleLevel) -> None:
    """Delete an unused level (raises :class:`LevelInUse`); the others close up."""
    if level_in_use(level):
        raise LevelInUse(f"“{level.label}” is used by a case, so it cannot be deleted. You can rename it.")
    organisation_id = level.organisation_id
    db.session.delete(level)
    db.session.flush()
    _renumber(levels_of(organisation_id))
    db.session.flush()


def seed_default(organisation_id: int, name: str = "SEN support and EHC needs assessment") -> ModerationScale:
    """The default scale, if the organisation has none."""
    scale = scale_of(organisation_id)
    if scale is None:
        scale = ensure_scale(organisation_id, name)
        scale.description = (
            "Whether a pupil's needs are met at SEN support, or call for an EHC needs assessment."
        )
        for label, descriptor in DEFAULT_LEVELS:
            add_level(scale, label, descriptor)
    return scale
