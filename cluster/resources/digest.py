"""The library's part of the digest: reviews due (needs you) and new resources (new since)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import sqlalchemy as sa

from cluster.digests.sections import DigestBatch, DigestItem
from cluster.extensions import db
from cluster.resources.models import Resource


def reviews_due(batch: DigestBatch) -> dict[int, list[DigestItem]]:
    """Resources a reader owns whose review date has come: one statement for the batch."""
    rows = db.session.execute(
        sa.select(Resource.id, Resource.title, Resource.network_id, Resource.owner_id, Resource.review_on)
        .where(
            Resource.owner_id.in_(batch.user_ids),
            Resource.network_id.in_(batch.network_ids),
            Resource.review_on <= batch.now.date(),
        )
        .order_by(Resource.review_on, Resource.id)
    ).all()
    found: dict[int, list[DigestItem]] = {}
    for row in rows:
        found.setdefault(row.owner_id, []).append(
            DigestItem(
                network_id=row.network_id,
                kind="Resource to review",
                title=row.title,
                url=batch.network_link("org.resources.show", row.network_id, resource_id=row.id),
                sort_at=datetime.combine(row.review_on, time(), tzinfo=UTC),
                facts=(
                    f"Due for review since {row.review_on.strftime('%-d %B %Y')}: upload a new version or mark it as still current",
                ),
                key=f"resource-review:{row.id}",
            )
        )
    return found


def new_resources(batch: DigestBatch) -> dict[int, list[DigestItem]]:
    """Resources shared in a reader's networks in their "new since" window (one statement)."""
    if not batch.readers:
        earliest = batch.now
    else:
        earliest = min(reader.since for reader in batch.readers.values())
    rows = db.session.execute(
        sa.select(
            Resource.id,
            Resource.title,
            Resource.network_id,
            Resource.owner_id,
            Resource.created_at,
            Resource.kind,
        )
        .where(Resource.network_id.in_(batch.network_ids), Resource.created_at > earliest)
        .order_by(Resource.created_at, Resource.id)
    ).all()
    found: dict[int, list[DigestItem]] = {}
    for row in rows:
        for reader in batch.readers_in(row.network_id):
            if not (reader.since < row.created_at <= reader.until) or reader.user_id == row.owner_id:
                continue
            found.setdefault(reader.user_id, []).append(
                DigestItem(
                    network_id=row.network_id,
                    kind="New resource",
                    title=row.title,
                    url=batch.network_link("org.resources.show", row.network_id, resource_id=row.id),
                    sort_at=row.created_at,
                    facts=(f"Shared {batch.when(reader.user_id, row.created_at)}",),
                    key=f"resource:{row.id}",
                )
            )
    return found
