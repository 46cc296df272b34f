"""Feedback's part of the digest: meetings a reader attended and has not given feedback on yet."""

from __future__ import annotations

import sqlalchemy as sa

from cluster.digests.sections import DigestBatch, DigestItem
from cluster.extensions import db
from cluster.feedback.models import FeedbackResponse
from cluster.feedback.services import WINDOW, attendee_pairs
from cluster.meetings.models import Meeting


def feedback_wanted(batch: DigestBatch) -> dict[int, list[DigestItem]]:
    """Held meetings in the reader's networks whose feedback is still open, which the reader
    attended and has not answered (one statement for the batch)."""
    recent = sa.select(Meeting.id).where(
        Meeting.network_id.in_(batch.network_ids),
        Meeting.status == "held",
        Meeting.ends_at >= batch.now - WINDOW,
    )
    pairs = attendee_pairs(recent).subquery()
    answered = sa.select(FeedbackResponse.id).where(
        FeedbackResponse.meeting_id == pairs.c.meeting_id, FeedbackResponse.user_id == pairs.c.user_id
    )
    rows = db.session.execute(
        sa.select(
            pairs.c.user_id, Meeting.id, Meeting.title, Meeting.network_id, Meeting.starts_at, Meeting.ends_at
        )
        .join(Meeting, Meeting.id == pairs.c.meeting_id)
        .where(pairs.c.user_id.in_(batch.user_ids), ~sa.exists(answered))
        .order_by(Meeting.ends_at, Meeting.id)
    ).all()
    found: dict[int, list[DigestItem]] = {}
    for user_id, meeting_id, title, network_id, starts_at, ends_at in rows:
        closes = ends_at + WINDOW
        found.setdefault(user_id, []).append(
            DigestItem(
                network_id=network_id,
                kind="Feedback",
                title=f"How was {title}?",
                url=batch.network_link("org.feedback.give", network_id, meeting_id=meeting_id),
                sort_at=closes,
                facts=(
                    (
                        f"Two minutes of feedback on the meeting of {batch.when(user_id, starts_at, '%-d %B %Y')}; "
                        f"open until {batch.when(user_id, closes, '%A %-d %B %Y')}"
                    ),
                ),
                key=f"feedback:{meeting_id}",
            )
        )
    return found
