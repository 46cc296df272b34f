"""Moderation's part of the digest: only that a case awaits the reader's judgment, with the
network's name and a link. Never the year group, need, school or any text: an email is no
place for special category data."""

from __future__ import annotations

import sqlalchemy as sa

from cluster.digests.sections import DigestBatch, DigestItem
from cluster.extensions import db
from cluster.moderation.models import CaseObserver, Judgment, ModerationCase


def cases_awaiting_judgment(batch: DigestBatch) -> dict[int, list[DigestItem]]:
    """One item per network where open cases wait for the reader (members who did not submit
    them, and invited observers). Three statements for the batch."""
    cases = db.session.execute(
        sa.select(
            ModerationCase.id,
            ModerationCase.network_id,
            ModerationCase.submitted_by_id,
            ModerationCase.shared_at,
        ).where(ModerationCase.network_id.in_(batch.network_ids), ModerationCase.status == "open")
    ).all()
    ids = [case.id for case in cases]
    judged = (
        {
            tuple(row)
            for row in db.session.execute(
                sa.select(Judgment.case_id, Judgment.user_id).where(
                    Judgment.case_id.in_(ids), Judgment.user_id.in_(batch.user_ids)
                )
            ).all()
        }
        if ids
        else set()
    )
    invited = (
        {
            tuple(row)
            for row in db.session.execute(
                sa.select(CaseObserver.case_id, CaseObserver.user_id).where(
                    CaseObserver.case_id.in_(ids), CaseObserver.user_id.in_(batch.user_ids)
                )
            ).all()
        }
        if ids
        else set()
    )
    waiting: dict[tuple[int, int], list] = {}
    for case in cases:
        for reader in batch.readers_in(case.network_id):
            uid = reader.user_id
            role = batch.networks_of(uid).get(case.network_id)
            may_judge = role == "member" or (role == "observer" and (case.id, uid) in invited)
            if may_judge and case.submitted_by_id != uid and (case.id, uid) not in judged:
                waiting.setdefault((uid, case.network_id), []).append(case)
    found: dict[int, list[DigestItem]] = {}
    for (uid, network_id), open_cases in sorted(waiting.items()):
        count = len(open_cases)
        found.setdefault(uid, []).append(
            DigestItem(
                network_id=network_id,
                kind="Moderation",
                title="A moderation case awaits your judgment"
                if count == 1
                else f"{count} moderation cases await your judgment",
                url=batch.network_link("org.moderation.index", network_id, network_id=network_id),
                sort_at=min(c.shared_at for c in open_cases if c.shared_at)
                if any(c.shared_at for c in open_cases)
                else batch.now,
                facts=(f"In {batch.networks[network_id].name}",),
                key=f"moderation:{network_id}",
            )
        )
    return found
