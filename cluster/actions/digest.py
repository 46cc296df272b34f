"""Actions' part of the digest: the reader's open actions due within a week, or overdue."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from cluster.actions.models import Action
from cluster.digests.sections import DigestBatch, DigestItem
from cluster.extensions import db
from cluster.tenancy.models import Membership
from cluster.timeutil import local_date

#: Open actions due this soon appear in the digest (overdue ones always do).
SOON = timedelta(days=7)


def actions_due(batch: DigestBatch) -> dict[int, list[DigestItem]]:
    """Open actions owned by a reader or by their school, due within a week or overdue (one statement)."""
    today = local_date(batch.now)
    owner = sa.or_(
        Membership.user_id == Action.owner_user_id,
        sa.and_(Action.owner_school_id.is_not(None), Membership.school_id == Action.owner_school_id),
    )
    rows = db.session.execute(
        sa.select(Membership.user_id, Action.id, Action.description, Action.network_id, Action.due_on)
        .join(Action, sa.and_(Action.organisation_id == Membership.organisation_id, owner))
        .where(
            Membership.user_id.in_(batch.user_ids),
            Action.network_id.in_(batch.network_ids),
            Action.status == "open",
            Action.due_on <= today + SOON,
        )
        .order_by(Action.due_on, Action.id)
    ).all()
    found: dict[int, list[DigestItem]] = {}
    for user_id, action_id, description, network_id, due_on in rows:
        overdue = due_on < today
        when = due_on.strftime("%A %-d %B %Y")
        found.setdefault(user_id, []).append(
            DigestItem(
                network_id=network_id,
                kind="Overdue action" if overdue else "Action due",
                title=description if len(description) <= 120 else description[:117] + "…",
                url=batch.network_link("org.actions.show", network_id, action_id=action_id),
                sort_at=datetime.combine(due_on, time(), tzinfo=UTC),
                facts=(
                    (f"Overdue: it was due {when}" if overdue else f"Due {when}")
                    + ". Mark it done or dropped, with what came of it.",
                ),
                key=f"action:{action_id}",
            )
        )
    return found
