"""Schools of an organisation: finding, adding and editing them by hand."""

from __future__ import annotations

import sqlalchemy as sa

from cluster.extensions import db
from cluster.schools.models import School
from cluster.tenancy.models import Organisation

PAGE_SIZE = 50


def schools_page(organisation: Organisation, page: int, search: str = "", phase: str = ""):
    stmt = sa.select(School).where(School.organisation_id == organisation.id).order_by(School.name, School.id)
    if search:
        like = f"%{search.lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(School.name).like(like),
                School.urn == search,
                sa.func.lower(School.town).like(like),
            )
        )
    if phase:
        stmt = stmt.where(School.phase == phase)
    return db.paginate(stmt, page=page, per_page=PAGE_SIZE, error_out=False)


def urn_taken(organisation: Organisation, urn: str, exclude: School | None = None) -> bool:
    stmt = sa.select(School.id).where(School.organisation_id == organisation.id, School.urn == urn)
    if exclude is not None:
        stmt = stmt.where(School.id != exclude.id)
    return db.session.scalar(stmt) is not None


def save_school(organisation: Organisation, school: School | None, **fields) -> School:
    """Create or update a school by hand. The URN stays unique within the organisation."""
    if school is None:
        school = School(organisation_id=organisation.id)
        db.session.add(school)
    fields["urn"] = (fields.get("urn") or "").strip() or None
    fields["postcode"] = (fields.get("postcode") or "").strip().upper()
    for name, value in fields.items():
        setattr(school, name, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    return school
