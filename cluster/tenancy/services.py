"""Organisations: creating them and reading their membership."""

from __future__ import annotations

import sqlalchemy as sa

from cluster.extensions import db
from cluster.tenancy.models import Membership, Organisation


def slug_taken(slug: str) -> bool:
    return db.session.scalar(sa.select(Organisation.id).where(Organisation.slug == slug)) is not None


def create_organisation(name: str, slug: str, kind: str) -> Organisation:
    """Create a tenant. The slug is unique across the platform and never reused."""
    organisation = Organisation(name=name.strip(), slug=slug, kind=kind)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def organisations_with_counts() -> list[tuple[Organisation, int]]:
    counts = (
        sa.select(Membership.organisation_id, sa.func.count().label("n"))
        .group_by(Membership.organisation_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Organisation, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.organisation_id == Organisation.id)
        .order_by(Organisation.name)
    )
    return [(organisation, n) for organisation, n in rows]
