"""Reading moderation data for pages: a network's cases, what awaits a person, the view log and
the network's agreement over time. A fixed number of statements whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import raiseload, selectinload

from cluster.extensions import db
from cluster.moderation.agreement import CaseRecord, by_period
from cluster.moderation.models import AgreementRecord, CaseObserver, CaseView, Judgment, ModerationCase
from cluster.networks.access import NetworkAccess
from cluster.networks.models import Network
from cluster.networks.queries import MEMBER, network_ids_of
from cluster.tenancy.models import Membership

#: Closed cases listed on the network's page (newest first).
CLOSED_SHOWN = 20


@dataclass
class CaseRow:
    case: ModerationCase
    judged: int  # how many have judged (a count reveals nothing of the judgments)
    mine: bool  # the reader has judged it


@dataclass
class NetworkCases:
    awaiting: list[CaseRow]  # open, the reader may judge and has not
    open: list[CaseRow]  # other open cases the reader may see
    closed: list[CaseRow]
    drafts: list[ModerationCase]  # the reader's own drafts


def network_cases(membership: Membership, access: NetworkAccess, network_id: int) -> NetworkCases:
    """The cases of a network that ``membership`` may see, sorted into what awaits them, other
    open cases, closed cases (latest first) and their own drafts. Four statements."""
    user_id = membership.user_id
    visible = sa.or_(
        ModerationCase.submitted_by_id == user_id,
        ModerationCase.status.in_(("open", "closed"))
        if access.role in ("member", "organiser")
        else sa.and_(
            ModerationCase.status.in_(("open", "closed")),
            ModerationCase.id.in_(sa.select(CaseObserver.case_id).where(CaseObserver.user_id == user_id)),
        ),
    )
    # The list shows a case's title, dates, meeting and outcome: the other joined relations would
    # only make every statement dearer to plan.
    base = (
        sa.select(ModerationCase)
        .where(ModerationCase.network_id == network_id, visible, ModerationCase.status != "withdrawn")
        .options(
            raiseload(ModerationCase.network),
            raiseload(ModerationCase.school),
            raiseload(ModerationCase.submitted_by),
            raiseload(ModerationCase.current_level),
            raiseload(ModerationCase.proposed_level),
        )
    )
    current = list(
        db.session.scalars(
            base.where(ModerationCase.status.in_(("open", "draft"))).order_by(ModerationCase.id.desc())
        ).unique()
    )
    closed = list(
        db.session.scalars(
            base.where(ModerationCase.status == "closed")
            .order_by(ModerationCase.closed_at.desc(), ModerationCase.id.desc())
            .limit(CLOSED_SHOWN)
        ).unique()
    )
    ids = [c.id for c in current + closed]
    counts = (
        dict(
            db.session.execute(
                sa.select(Judgment.case_id, sa.func.count(Judgment.id))
                .where(Judgment.case_id.in_(ids))
                .group_by(Judgment.case_id)
            ).all()
        )
        if ids
        else {}
    )
    mine = (
        set(
            db.session.scalars(
                sa.select(Judgment.case_id).where(Judgment.case_id.in_(ids), Judgment.user_id == user_id)
            )
        )
        if ids
        else set()
    )
    found = NetworkCases([], [], [], [])
    judges = access.role == "member" or access.role == "observer"
    for case in current:
        if case.status == "draft":
            found.drafts.append(case)
            continue
        row = CaseRow(case, counts.get(case.id, 0), case.id in mine)
        if judges and case.submitted_by_id != user_id and not row.mine:
            found.awaiting.append(row)
        else:
            found.open.append(row)
    found.closed = [CaseRow(case, counts.get(case.id, 0), case.id in mine) for case in closed]
    return found


def awaiting_judgment(membership: Membership) -> list[tuple[int, str, int]]:
    """(network id, network name, cases) of open cases waiting for this person's judgment, per
    network (one statement)."""

    user_id = membership.user_id
    invited = sa.select(CaseObserver.case_id).where(CaseObserver.user_id == user_id)
    judged = sa.select(Judgment.case_id).where(Judgment.user_id == user_id)
    where = [
        ModerationCase.organisation_id == membership.organisation_id,
        ModerationCase.status == "open",
        sa.or_(ModerationCase.submitted_by_id.is_(None), ModerationCase.submitted_by_id != user_id),
        ModerationCase.id.not_in(judged),
    ]
    # Members judge every open case of their networks; observers only those they are invited to.
    reach = sa.or_(
        ModerationCase.id.in_(invited),
        ModerationCase.network_id.in_(network_ids_of(user_id, MEMBER)),
    )
    rows = db.session.execute(
        sa.select(Network.id, Network.name, sa.func.count(ModerationCase.id))
        .join(Network, Network.id == ModerationCase.network_id)
        .where(*where, reach)
        .group_by(Network.id, Network.name)
        .order_by(Network.name)
    ).all()
    return [(row[0], row[1], row[2]) for row in rows]


def view_log(case: ModerationCase, limit: int = 500) -> list[CaseView]:
    return list(
        db.session.scalars(
            sa.select(CaseView)
            .where(CaseView.case_id == case.id)
            .options(selectinload(CaseView.user))
            .order_by(CaseView.viewed_at.desc(), CaseView.id.desc())
            .limit(limit)
        )
    )


def term_of(day: date) -> tuple[tuple[int, int], str]:
    """The school term of ``day`` (autumn: September to December, spring: January to March,
    summer: April to August), as a sort key and a label like "Autumn 2025"."""
    if day.month >= 9:
        return (day.year, 0), f"Autumn {day.year}"
    if day.month <= 3:
        return (day.year - 1, 1), f"Spring {day.year}"
    return (day.year - 1, 2), f"Summer {day.year}"


def agreement_over_time(network_id: int):
    """The network's agreement per term, from the anonymous statistics rows (one statement):
    (list of NetworkAgreement, scale size used)."""

    rows = db.session.execute(
        sa.select(
            AgreementRecord.closed_on,
            AgreementRecord.scale_size,
            AgreementRecord.levels,
            AgreementRecord.proposed_position,
            AgreementRecord.outcome_position,
        )
        .where(AgreementRecord.network_id == network_id)
        .order_by(AgreementRecord.closed_on)
    ).all()
    if not rows:
        return []
    k = max(row.scale_size for row in rows)
    keyed = sorted(((term_of(row.closed_on), row) for row in rows), key=lambda pair: pair[0][0])
    records = [
        CaseRecord(
            period=label,
            levels=list(row.levels or []),
            proposed=row.proposed_position,
            outcome=row.outcome_position,
        )
        for (_, label), row in keyed
    ]
    return by_period(records, k)
