"""Finding resources: what a person may see, searched, filtered, sorted, a page at a time.

Every word of the search must start a word of ``search_text`` (title, description, tags and the
text inside the file). On PostgreSQL that is full-text search (``'simple'`` configuration, each
word a prefix: "map" finds "maps" and "mapping") through a GIN index, so it stays fast at
national scale; on SQLite, the embedded default for one authority, it is a LIKE scan. Relevance
puts resources whose title holds the words first, then those recommended by the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload

from cluster.agenda.models import AgendaItem
from cluster.extensions import db
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
from cluster.networks.queries import visible_network_ids
from cluster.resources.models import Resource, ResourceDeletion, ResourceVersion
from cluster.tenancy.models import Membership
from cluster.timeutil import to_local
from cluster.ui.paging import ResultPage, one_page

PER_PAGE = 20
SORTS = {"relevance": "Relevance", "newest": "Newest", "downloads": "Most downloaded"}


def visible(membership: Membership) -> sa.ColumnElement[bool]:
    """Organisation-wide resources, and those of the networks the person sees (a subquery: no
    extra statement)."""
    return sa.and_(
        Resource.organisation_id == membership.organisation_id,
        sa.or_(
            Resource.visibility == "organisation", Resource.network_id.in_(visible_network_ids(membership))
        ),
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
        found = {
            "q": self.q,
            "area": self.area,
            "phase": self.phase,
            "kind": self.kind,
            "network": self.network,
            "since": self.since.isoformat() if self.since else None,
            "sort": self.sort,
        }
        return {key: value for key, value in found.items() if value}

    def __post_init__(self):
        self.words = search_words(self.q)


def search_words(text: str) -> list[str]:
    """The words of a search, lower case, without punctuation (at most ten)."""
    return re.findall(r"\w+", text.lower())[:10]


def search_document(text: str) -> str:
    """What search reads of a resource: its words, lower case, each after a space (so that a
    LIKE for " word" finds the words that start with it, as full-text search does)."""
    return "".join(" " + word for word in re.findall(r"\w+", text.lower()))


def _matches(words: list[str]) -> list[sa.ColumnElement[bool]]:
    if not words:
        return []
    if db.session.get_bind().dialect.name == "postgresql":
        # Words are \w+ only, so they cannot carry tsquery syntax.
        query = " & ".join(f"{word}:*" for word in words)
        document = sa.func.to_tsvector(sa.literal_column("'simple'"), Resource.search_text)
        return [document.bool_op("@@")(sa.func.to_tsquery(sa.literal_column("'simple'"), query))]
    return [Resource.search_text.contains(" " + word, autoescape=True) for word in words]


def search(membership: Membership, filters: Filters, page: int = 1) -> ResultPage:
    """One page of the resources ``membership`` may see that match ``filters`` (two statements)."""
    conditions = [visible(membership), *_matches(filters.words)]
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
    stmt = sa.select(Resource).where(*conditions)
    if filters.sort == "downloads":
        stmt = stmt.order_by(Resource.download_count.desc(), Resource.id.desc())
    elif filters.sort == "relevance" and filters.words:
        title = sa.func.lower(Resource.title)
        score = sum(sa.case((title.contains(w, autoescape=True), 3), else_=1) for w in filters.words)
        stmt = stmt.order_by(score.desc(), Resource.recommended.desc(), Resource.id.desc())
    else:
        stmt = stmt.order_by(Resource.id.desc())
    return one_page(stmt, sa.select(sa.func.count(Resource.id)).where(*conditions), page, PER_PAGE)


def _start_of(day: date):
    from datetime import datetime

    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def versions(resource: Resource) -> list[ResourceVersion]:
    return list(
        db.session.scalars(
            sa.select(ResourceVersion)
            .where(ResourceVersion.resource_id == resource.id)
            .order_by(ResourceVersion.number.desc())
        )
    )


def version(resource: Resource, number: int | None) -> ResourceVersion | None:
    stmt = sa.select(ResourceVersion).where(ResourceVersion.resource_id == resource.id)
    if number is None:
        stmt = stmt.order_by(ResourceVersion.number.desc()).limit(1)
    else:
        stmt = stmt.where(ResourceVersion.number == number)
    return db.session.scalar(stmt)


def due_for_review(organisation_id: int, owner_ids: list[int], today: date) -> sa.Select:
    return sa.select(Resource).where(
        Resource.organisation_id == organisation_id,
        Resource.review_on <= today,
        Resource.owner_id.in_(owner_ids),
    )


def linked(
    membership: Membership,
    *,
    meeting_id: int | None = None,
    agenda_item_id: int | None = None,
    limit: int = 50,
) -> list[Resource]:
    """The resources ``membership`` may see that belong to a meeting or an agenda item (one statement)."""
    stmt = sa.select(Resource).where(visible(membership))
    if meeting_id is not None:
        stmt = stmt.where(Resource.meeting_id == meeting_id)
    if agenda_item_id is not None:
        stmt = stmt.where(Resource.agenda_item_id == agenda_item_id)
    return list(db.session.scalars(stmt.order_by(Resource.title, Resource.id).limit(limit)).unique())


def owned_page(membership: Membership, page: int) -> Pagination:
    """The resources a person owns in this organisation, those due for review first."""
    stmt = (
        sa.select(Resource)
        .where(
            Resource.organisation_id == membership.organisation_id, Resource.owner_id == membership.user_id
        )
        .order_by(Resource.review_on, Resource.id)
    )
    return db.paginate(stmt, page=page, per_page=PER_PAGE, error_out=False, max_per_page=PER_PAGE)


def deletions_page(membership: Membership, organised_network_ids: list[int], page: int) -> Pagination:
    """Deleted resources of the networks someone organises (all of the organisation's for an admin)."""
    stmt = sa.select(ResourceDeletion).where(ResourceDeletion.organisation_id == membership.organisation_id)
    if not membership.is_admin:
        stmt = stmt.where(ResourceDeletion.network_id.in_(organised_network_ids))
    stmt = stmt.options(joinedload(ResourceDeletion.deleted_by), joinedload(ResourceDeletion.network))
    return db.paginate(
        stmt.order_by(ResourceDeletion.deleted_at.desc(), ResourceDeletion.id.desc()),
        page=page,
        per_page=PER_PAGE,
        error_out=False,
        max_per_page=PER_PAGE,
    )


@dataclass(frozen=True)
class LinkChoice:
    id: int
    network_id: int
    label: str


def link_choices(network_ids: list[int], now) -> tuple[list[LinkChoice], list[LinkChoice]]:
    """Meetings (of the last year and to come) and agenda items (not declined, of the last year) of
    these networks, that a resource can be linked to: two statements."""
    if not network_ids:
        return [], []
    since = now - timedelta(days=365)
    meetings = db.session.execute(
        sa.select(Meeting.id, Meeting.network_id, Meeting.title, Meeting.starts_at, Network.name)
        .join(Network, Network.id == Meeting.network_id)
        .where(Meeting.network_id.in_(network_ids), Meeting.starts_at >= since, Meeting.status != "cancelled")
        .order_by(Meeting.starts_at.desc(), Meeting.id)
        .limit(200)
    ).all()
    items = db.session.execute(
        sa.select(AgendaItem.id, AgendaItem.network_id, AgendaItem.title, Network.name)
        .join(Network, Network.id == AgendaItem.network_id)
        .where(
            AgendaItem.network_id.in_(network_ids),
            AgendaItem.status != "declined",
            AgendaItem.created_at >= since,
        )
        .order_by(AgendaItem.created_at.desc(), AgendaItem.id.desc())
        .limit(200)
    ).all()
    return (
        [
            LinkChoice(
                m.id, m.network_id, f"{m.name}: {m.title}, {to_local(m.starts_at).strftime('%-d %B %Y')}"
            )
            for m in meetings
        ],
        [LinkChoice(i.id, i.network_id, f"{i.name}: {i.title}") for i in items],
    )
