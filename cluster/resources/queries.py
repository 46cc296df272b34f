"""Finding resources: what a person may see, searched, filtered, sorted, a page at a time.

Search is portable (SQLite and PostgreSQL): every word must occur in ``search_text`` (LIKE);
relevance counts the words, and a word in the title weighs three times as much. PostgreSQL
full-text search (a ``tsvector`` column with a GIN index) could replace this later.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from cluster.extensions import db
from cluster.networks.models import Network, NetworkRole, NetworkSchool
from cluster.resources.models import Resource, ResourceVersion
from cluster.tenancy.models import Membership

PER_PAGE = 20
SORTS = {"relevance": "Relevance", "newest": "Newest", "downloads": "Most downloaded"}


def visible_network_ids(membership: Membership) -> sa.Select:
    """The networks whose resources ``membership`` may see (a subquery: no extra statement)."""
    if membership.is_admin:
        return sa.select(Network.id).where(Network.organisation_id == membership.organisation_id)
    roles = sa.select(NetworkRole.network_id).where(NetworkRole.user_id == membership.user_id)
    schools = sa.select(NetworkSchool.network_id).where(NetworkSchool.school_id == membership.school_id)
    return sa.union(roles, schools) if membership.school_id is not None else roles


def visible(membership: Membership) -> sa.ColumnElement[bool]:
    """Organisation-wide resources, and those of the person's networks."""
    return sa.and_(
        Resource.organisation_id == membership.organisation_id,
        sa.or_(Resource.visibility == "organisation", Resource.network_id.in_(visible_network_ids(membership))),
    )


@dataclass
class Filters:
    q: str = ""
    area: str = ""
    phase: str = ""
    kind: str = ""
    network: int | None = None
    since: date | None = None
    sort: str = "relevance"
    words: list[str] = field(default_factory=list)

    def as_args(self) -> dict:
        found = {"q": self.q, "area": self.area, "phase": self.phase, "kind": self.kind, "network": self.network,
                 "since": self.since.isoformat() if self.since else None, "sort": self.sort}
        return {key: value for key, value in found.items() if value}

    def __post_init__(self):
        self.words = [w for w in self.q.lower().split() if w][:10]


@dataclass
class ResultPage:
    items: list[Resource]
    total: int
    page: int
    pages: int

    has_prev = property(lambda self: self.page > 1)
    has_next = property(lambda self: self.page < self.pages)
    prev_num = property(lambda self: self.page - 1)
    next_num = property(lambda self: self.page + 1)


def search(membership: Membership, filters: Filters, page: int = 1) -> ResultPage:
    """One page of the resources ``membership`` may see that match ``filters`` (two statements)."""
    conditions = [visible(membership)]
    for word in filters.words:
        conditions.append(Resource.search_text.contains(word, autoescape=True))
    if filters.area:
        conditions.append(Resource.area_of_need == filters.area)
    if filters.phase:
        conditions.append(Resource.phase == filters.phase)
    if filters.kind:
        conditions.append(Resource.kind == filters.kind)
    if filters.network:
        conditions.append(Resource.network_id == filters.network)
    if filters.since:
        conditions.append(Resource.created_at >= _start_of(filters.since))
    total = db.session.scalar(sa.select(sa.func.count(Resource.id)).where(*conditions)) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    stmt = sa.select(Resource).where(*conditions)
    if filters.sort == "downloads":
        stmt = stmt.order_by(Resource.download_count.desc(), Resource.id.desc())
    elif filters.sort == "relevance" and filters.words:
        title = sa.func.lower(Resource.title)
        score = sum(sa.case((title.contains(w, autoescape=True), 3), else_=1) for w in filters.words)
        stmt = stmt.order_by(score.desc(), Resource.recommended.desc(), Resource.id.desc())
    else:
        stmt = stmt.order_by(Resource.id.desc())
    items = db.session.scalars(stmt.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).unique().all()
    return ResultPage(items=list(items), total=total, page=page, pages=pages)


def _start_of(day: date):
    from datetime import datetime, timezone

    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def versions(resource: Resource) -> list[ResourceVersion]:
    return list(db.session.scalars(sa.select(ResourceVersion).where(ResourceVersion.resource_id == resource.id)
                                   .order_by(ResourceVersion.number.desc())))


def version(resource: Resource, number: int | None) -> ResourceVersion | None:
    stmt = sa.select(ResourceVersion).where(ResourceVersion.resource_id == resource.id)
    if number is None:
        stmt = stmt.order_by(ResourceVersion.number.desc()).limit(1)
    else:
        stmt = stmt.where(ResourceVersion.number == number)
    return db.session.scalar(stmt)


def due_for_review(organisation_id: int, owner_ids: list[int], today: date) -> sa.Select:
    return sa.select(Resource).where(Resource.organisation_id == organisation_id, Resource.review_on <= today,
                                     Resource.owner_id.in_(owner_ids))
