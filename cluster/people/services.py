"""The people of an organisation: listing, editing their place, removing them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cluster.auth.models import User
from cluster.extensions import db
from cluster.schools.models import School
from cluster.tenancy.models import Membership, Organisation

PAGE_SIZE = 50


def people_page(organisation: Organisation, page: int, search: str = ""):
    stmt = (
        sa.select(Membership)
        .join(User, Membership.user_id == User.id)
        .where(Membership.organisation_id == organisation.id)
        .options(joinedload(Membership.user), joinedload(Membership.school))
        .order_by(User.name, User.id)
    )
    if search:
        like = f"%{search.lower()}%"
        stmt = stmt.where(sa.or_(sa.func.lower(User.name).like(like), User.email.like(like)))
    return db.paginate(stmt, page=page, per_page=PAGE_SIZE, error_out=False)


def already_member(organisation: Organisation, email: str) -> bool:
    return (
        db.session.scalar(
            sa.select(Membership.id)
            .join(User, Membership.user_id == User.id)
            .where(Membership.organisation_id == organisation.id, User.email == email.strip().lower())
        )
        is not None
    )


def school_choices(organisation: Organisation, school_ids: list[int] | None = None) -> list[tuple[str, str]]:
    """Choices for a school select: every school of the organisation (or only ``school_ids``)."""
    stmt = (
        sa.select(School.id, School.name, School.urn)
        .where(School.organisation_id == organisation.id)
        .order_by(School.name)
    )
    if school_ids is not None:
        stmt = stmt.where(School.id.in_(school_ids))
    return [("", "No school")] + [
        (str(i), f"{name} ({urn})" if urn else name) for i, name, urn in db.session.execute(stmt)
    ]


def update_membership(
    membership: Membership, *, school_id: int | None, job_title: str, is_admin: bool
) -> None:
    membership.school_id = school_id
    membership.job_title = job_title.strip()
    membership.is_admin = is_admin


def admin_count(organisation: Organisation) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            Membership.organisation_id == organisation.id, Membership.is_admin.is_(True)
        )
    )
