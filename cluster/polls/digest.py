"""What the digest says about date polls: the ones waiting for the reader's answer."""

from __future__ import annotations

import sqlalchemy as sa

from cluster.digests.sections import DigestBatch, DigestItem
from cluster.extensions import db
from cluster.polls.models import DatePoll, PollAnswer, PollSlot


def unanswered_polls(batch: DigestBatch) -> dict[int, list[DigestItem]]:
    """Open date polls of the networks where the reader votes that they have not answered, with
    the closing date. Three queries."""
    voting_in = sorted({n for networks in batch.voters.values() for n in networks})
    polls = db.session.execute(
        sa.select(DatePoll.id, DatePoll.network_id, DatePoll.title, DatePoll.closes_at)
        .where(DatePoll.network_id.in_(voting_in), DatePoll.status == "open", DatePoll.closes_at > batch.now)
        .order_by(DatePoll.closes_at, DatePoll.id)
    ).all()
    poll_ids = [poll.id for poll in polls]
    answered = set(
        db.session.execute(
            sa.select(PollAnswer.poll_id, PollAnswer.user_id)
            .where(PollAnswer.poll_id.in_(poll_ids), PollAnswer.user_id.in_(batch.user_ids))
            .distinct()
        ).all()
    )
    slot_counts = dict(
        db.session.execute(
            sa.select(PollSlot.poll_id, sa.func.count())
            .where(PollSlot.poll_id.in_(poll_ids))
            .group_by(PollSlot.poll_id)
        ).all()
    )
    by_network: dict[int, list] = {}
    for poll in polls:
        by_network.setdefault(poll.network_id, []).append(poll)
    found: dict[int, list[DigestItem]] = {}
    for user_id, networks in batch.voters.items():
        for poll in (p for network_id in sorted(networks) for p in by_network.get(network_id, [])):
            if (poll.id, user_id) in answered:
                continue
            dates = slot_counts.get(poll.id, 0)
            found.setdefault(user_id, []).append(
                DigestItem(
                    network_id=poll.network_id,
                    kind="Date poll",
                    title=poll.title,
                    sort_at=poll.closes_at,
                    url=batch.network_link(
                        "org.polls.show", poll.network_id, network_id=poll.network_id, poll_id=poll.id
                    ),
                    facts=(
                        f"Say which dates suit you by {batch.when(user_id, poll.closes_at)}",
                        f"{dates} possible date{'s' if dates != 1 else ''}",
                    ),
                    key=f"poll:{poll.id}",
                )
            )
    return found
