"""Reading proposals and agendas for pages: a fixed number of queries whatever the number of
items, supports, comments or schools (each function says how many). Long lists are paginated."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload

from cluster.agenda.matters import MattersArisingItem, matters_arising
from cluster.agenda.models import ITEM_KINDS, Agenda, AgendaComment, AgendaItem, AgendaSlot, AgendaSupport
from cluster.agenda.planning import agenda_of, slots_of
from cluster.agenda.ranking import concerns, reach, score_expression
from cluster.agenda.ranking import score as item_score
from cluster.agenda.timing import TimedPlan, timed_plan
from cluster.auth.models import User
from cluster.extensions import db
from cluster.meetings.models import Meeting
from cluster.networks.models import Network, NetworkSchool
from cluster.schools.models import School

PAGE_SIZE = 25
SORTS = {"support": "Most supported", "newest": "Newest"}
LIST_STATUSES = {
    "open": "Open proposals",
    "placed": "On an agenda",
    "done": "Discussed",
    "declined": "Declined",
}
PHASE_FILTERS = {"primary": "Primary", "secondary": "Secondary", "special": "Special"}


@dataclass(frozen=True)
class ProposalFilters:
    """What the proposals list shows; anything unknown in the query string falls back to the default."""

    status: str = "open"
    phase: str = ""
    kind: str = ""
    sort: str = "support"

    @classmethod
    def from_args(cls, args) -> ProposalFilters:
        def pick(name: str, allowed, default: str) -> str:
            value = args.get(name, default)
            return value if value in allowed else default

        return cls(
            pick("status", LIST_STATUSES, "open"),
            pick("phase", PHASE_FILTERS, ""),
            pick("kind", ITEM_KINDS, ""),
            pick("sort", SORTS, "support"),
        )

    def as_args(self) -> dict[str, str]:
        return {
            k: v
            for k, v in (
                ("status", self.status),
                ("phase", self.phase),
                ("kind", self.kind),
                ("sort", self.sort),
            )
            if v
        }


_LOAD_ITEM = (
    joinedload(AgendaItem.proposed_by),
    joinedload(AgendaItem.proposer_school),
    joinedload(AgendaItem.target_meeting),
    joinedload(AgendaItem.deferred_from),
)


def proposals_page(network: Network, filters: ProposalFilters, page: int) -> Pagination:
    """One page of the network's items, filtered and sorted. Two queries (count and page)."""
    stmt = sa.select(AgendaItem).where(
        AgendaItem.network_id == network.id, AgendaItem.status == filters.status
    )
    if filters.phase:
        stmt = stmt.where(getattr(AgendaItem, f"for_{filters.phase}").is_(True))
    if filters.kind:
        stmt = stmt.where(AgendaItem.kind == filters.kind)
    if filters.sort == "newest":
        stmt = stmt.order_by(AgendaItem.created_at.desc(), AgendaItem.id.desc())
    else:
        stmt = stmt.order_by(
            AgendaItem.support_count.desc(), AgendaItem.created_at.desc(), AgendaItem.id.desc()
        )
    return db.paginate(
        stmt.options(*_LOAD_ITEM), page=page, per_page=PAGE_SIZE, error_out=False, max_per_page=PAGE_SIZE
    )


def supported_ids(user: User, item_ids: list[int]) -> set[int]:
    """Which of ``item_ids`` ``user`` supports. One query (even for no items: a page costs the
    same whatever it shows)."""
    return set(
        db.session.scalars(
            sa.select(AgendaSupport.item_id).where(
                AgendaSupport.user_id == user.id, AgendaSupport.item_id.in_(item_ids)
            )
        )
    )


def viewer_concerned(phase_group: str | None, item: AgendaItem) -> bool:
    """Whether an item concerns the viewer's school's phase (False for people without a school)."""
    return phase_group is not None and concerns(
        phase_group, item.for_primary, item.for_secondary, item.for_special
    )


@dataclass
class ItemDetail:
    supporters: list[tuple[str, str]]  # (person, school or "")
    comments: list[AgendaComment]
    supported: bool
    placed_on: Meeting | None


def item_detail(item: AgendaItem, user: User) -> ItemDetail:
    """Who supports the item (schools shown), its comments, and the meeting it is placed on.
    Three queries."""
    rows = db.session.execute(
        sa.select(User.id, User.name, School.name)
        .select_from(AgendaSupport)
        .join(User, User.id == AgendaSupport.user_id)
        .outerjoin(School, School.id == AgendaSupport.school_id)
        .where(AgendaSupport.item_id == item.id)
        .order_by(School.name, User.name)
    ).all()
    comments = db.session.scalars(
        sa.select(AgendaComment)
        .where(AgendaComment.item_id == item.id)
        .options(joinedload(AgendaComment.author), joinedload(AgendaComment.author_school))
        .order_by(AgendaComment.created_at, AgendaComment.id)
        .limit(500)
    ).all()
    placed_on = db.session.scalar(
        sa.select(Meeting)
        .join(Agenda, Agenda.meeting_id == Meeting.id)
        .join(AgendaSlot, AgendaSlot.agenda_id == Agenda.id)
        .where(AgendaSlot.item_id == item.id)
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )
    return ItemDetail(
        supporters=[(name, school or "") for _, name, school in rows],
        comments=list(comments),
        supported=any(user_id == user.id for user_id, _, _ in rows),
        placed_on=placed_on,
    )


def network_phase_groups(network: Network) -> Counter[str]:
    """How many member schools the network has in each phase group. One query."""
    schools = db.session.scalars(
        sa.select(School)
        .join(NetworkSchool, NetworkSchool.school_id == School.id)
        .where(NetworkSchool.network_id == network.id)
    )
    return Counter(school.phase_group for school in schools)


@dataclass(frozen=True)
class Candidate:
    item: AgendaItem
    score: float
    for_this_meeting: bool
    #: How many of the network's member schools the item's phases concern.
    schools_concerned: int


def candidates_page(
    network: Network, meeting: Meeting, groups: Counter[str], page: int
) -> tuple[Pagination, list[Candidate]]:
    """The network's open proposals for ``meeting``, best first (see :mod:`cluster.agenda.ranking`).
    Two queries."""
    score = score_expression(groups.elements()).label("score")
    aimed = sa.case((AgendaItem.target_meeting_id == meeting.id, 1), else_=0)
    stmt = (
        sa.select(AgendaItem)
        .where(AgendaItem.network_id == network.id, AgendaItem.status == "open")
        .options(*_LOAD_ITEM)
        .order_by(
            aimed.desc(),
            score.desc(),
            AgendaItem.deferred_at.is_(None),
            AgendaItem.deferred_at,
            AgendaItem.created_at,
            AgendaItem.id,
        )
    )
    found = db.paginate(stmt, page=page, per_page=PAGE_SIZE, error_out=False, max_per_page=PAGE_SIZE)
    total, ranked = sum(groups.values()), []
    for item in found.items:
        share = reach(groups, item.for_primary, item.for_secondary, item.for_special)
        ranked.append(
            Candidate(
                item,
                item_score(item.support_count, share),
                item.target_meeting_id == meeting.id,
                round(share * total),
            )
        )
    return found, ranked


@dataclass
class AgendaView:
    """A meeting's agenda as every page, email and export shows it."""

    meeting: Meeting
    agenda: Agenda | None
    plan: TimedPlan[AgendaSlot] | None = None
    matters: list[MattersArisingItem] = field(default_factory=list)

    @property
    def slots(self) -> list[AgendaSlot]:
        return [entry.entry for entry in self.plan.entries] if self.plan else []

    @property
    def has_matters_slot(self) -> bool:
        return any(slot.kind == "matters" for slot in self.slots)

    @property
    def minutes_recorded(self) -> bool:
        return any(slot.has_minutes for slot in self.slots)


def agenda_view(meeting: Meeting, agenda: Agenda | None = None, *, find: bool = True) -> AgendaView:
    """The agenda of ``meeting`` with its times and matters arising (as published, or as they
    are now for a draft). Two queries, plus each matters-arising source's for a draft."""
    if agenda is None and find:
        agenda = agenda_of(meeting)
    if agenda is None:
        return AgendaView(meeting, None)
    slots = slots_of(agenda)
    if agenda.matters_snapshot is not None and agenda.status != "draft":
        matters = [MattersArisingItem.from_dict(m) for m in agenda.matters_snapshot if isinstance(m, dict)]
    else:
        matters = matters_arising(meeting.network, meeting)
    return AgendaView(meeting, agenda, timed_plan(meeting.starts_at, meeting.ends_at, slots), matters)


def proposers_of(slots: list[AgendaSlot]) -> dict[int, User]:
    """The active proposers of the items of ``slots``, by slot id. One query."""
    wanted = {
        slot.item.proposed_by_id: slot.id
        for slot in slots
        if slot.item is not None and slot.item.proposed_by_id
    }
    if not wanted:
        return {}
    users = db.session.scalars(sa.select(User).where(User.id.in_(wanted), User.active.is_(True)))
    by_user = {user.id: user for user in users}
    return {
        slot.id: by_user[slot.item.proposed_by_id]
        for slot in slots
        if slot.item is not None and slot.item.proposed_by_id in by_user
    }
