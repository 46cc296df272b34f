"""Open actions of a network come back as matters arising at the top of its next agenda."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cluster.actions.models import Action
from cluster.agenda.matters import SOURCE_LIMIT, MattersArisingItem
from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
from cluster.timeutil import local_date, to_local


def open_actions(network: Network, meeting: Meeting, today: date | None = None) -> list[MattersArisingItem]:
    """The network's open actions recorded before ``meeting`` (at an earlier meeting, or between
    meetings), oldest due first; overdue ones say so. One query."""
    today = today or local_date(utcnow())
    earlier = sa.select(Meeting.id).where(
        Meeting.network_id == network.id, Meeting.starts_at < meeting.starts_at
    )
    actions = db.session.scalars(
        sa.select(Action)
        .where(
            Action.network_id == network.id,
            Action.status == "open",
            sa.or_(
                Action.meeting_id.in_(earlier),
                sa.and_(Action.meeting_id.is_(None), Action.created_at < meeting.starts_at),
            ),
        )
        .options(joinedload(Action.owner_user), joinedload(Action.owner_school), joinedload(Action.meeting))
        .order_by(Action.due_on, Action.id)
        .limit(SOURCE_LIMIT)
    )
    found = []
    for action in actions:
        due = action.due_on.strftime("%-d %B %Y")
        where = (
            f" Agreed at {action.meeting.title} on {to_local(action.meeting.starts_at).strftime('%-d %B %Y')}."
            if action.meeting is not None
            else ""
        )
        state = f"Overdue: was due {due}." if action.is_overdue(today) else f"Due {due}."
        found.append(
            MattersArisingItem(
                title=action.description,
                source="Overdue action" if action.is_overdue(today) else "Action",
                detail=f"Owner: {action.owner_name}. {state}{where}",
            )
        )
    return found
