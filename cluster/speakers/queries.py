"""Reading the directory: search, a speaker's sessions, a meeting's speakers, and topic demand
(members' guest speaker requests matched to speakers). Each function is a fixed number of statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cluster.agenda.models import AgendaItem
from cluster.extensions import db
from cluster.meetings.models import Meeting
from cluster.networks.queries import visible_network_ids
from cluster.speakers.models import AGENCIES, Speaker, SpeakerBooking
from cluster.tenancy.models import Membership
from cluster.ui.paging import ResultPage, one_page

PER_PAGE = 20
#: Demand shown on the directory: the most supported open requests.
DEMAND_LIMIT = 8
#: Speakers suggested per request.
MATCHES_PER_REQUEST = 4
#: Sessions listed on a speaker's page, each way.
SESSIONS_LIMIT = 50


@dataclass
class Filters:
    q: str = ""
    agency: str = ""
    topic: str = ""
    words: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.q = self.q.strip()[:200]
        self.topic = " ".join(self.topic.split()).lower()[:60]
        self.agency = self.agency if self.agency in AGENCIES else ""
        self.words = [w for w in self.q.lower().split() if w][:10]

    def as_args(self) -> dict:
        return {k: v for k, v in {"q": self.q, "agency": self.agency, "topic": self.topic}.items() if v}


def _topics_padded():
    return sa.literal(",") + Speaker.topics + sa.literal(",")


def search(organisation_id: int, filters: Filters, page: int = 1) -> ResultPage:
    """One page of the organisation's speakers matching every word (in name, service or topics),
    the agency and the exact topic (two statements)."""
    conditions = [Speaker.organisation_id == organisation_id]
    haystack = sa.func.lower(
        Speaker.name + sa.literal(" ") + Speaker.organisation_name + sa.literal(" ") + Speaker.topics
    )
    for word in filters.words:
        conditions.append(haystack.contains(word, autoescape=True))
    if filters.agency:
        conditions.append(Speaker.agency == filters.agency)
    if filters.topic:
        conditions.append(_topics_padded().contains(f",{filters.topic},", autoescape=True))
    return one_page(
        sa.select(Speaker).where(*conditions).order_by(Speaker.name, Speaker.id),
        sa.select(sa.func.count(Speaker.id)).where(*conditions),
        page,
        PER_PAGE,
    )


def choosable(organisation_id: int, limit: int = 500) -> list[tuple[int, str]]:
    """(id, "Name, agency") of the directory, for choosing whom to invite."""
    rows = db.session.execute(
        sa.select(Speaker.id, Speaker.name, Speaker.agency)
        .where(Speaker.organisation_id == organisation_id)
        .order_by(Speaker.name, Speaker.id)
        .limit(limit)
    )
    return [(sid, f"{name} ({AGENCIES.get(agency, agency)})") for sid, name, agency in rows]


def _booking_query():
    return sa.select(SpeakerBooking).options(
        joinedload(SpeakerBooking.meeting).joinedload(Meeting.network),
        joinedload(SpeakerBooking.speaker),
    )


def sessions(
    speaker: Speaker, now: datetime, visible_to: Membership | None = None
) -> tuple[list[SpeakerBooking], list[SpeakerBooking]]:
    """The speaker's upcoming sessions (soonest first) and past ones (latest first), in the
    meetings ``visible_to`` may see (drafts only for organisation admins). Two statements."""
    base = (
        _booking_query()
        .join(Meeting, Meeting.id == SpeakerBooking.meeting_id)
        .where(SpeakerBooking.speaker_id == speaker.id)
    )
    if visible_to is not None and not visible_to.is_admin:
        base = base.where(Meeting.network_id.in_(visible_network_ids(visible_to)), Meeting.status != "draft")
    upcoming = (
        db.session.scalars(
            base.where(Meeting.ends_at >= now)
            .order_by(Meeting.starts_at, SpeakerBooking.id)
            .limit(SESSIONS_LIMIT)
        )
        .unique()
        .all()
    )
    past = (
        db.session.scalars(
            base.where(Meeting.ends_at < now)
            .order_by(Meeting.starts_at.desc(), SpeakerBooking.id.desc())
            .limit(SESSIONS_LIMIT)
        )
        .unique()
        .all()
    )
    return list(upcoming), list(past)


def meeting_bookings(meeting_id: int) -> list[SpeakerBooking]:
    """The meeting's speakers, in session order (unscheduled ones last); one statement."""
    return list(
        db.session.scalars(
            _booking_query()
            .where(SpeakerBooking.meeting_id == meeting_id)
            .order_by(SpeakerBooking.starts_at.is_(None), SpeakerBooking.starts_at, SpeakerBooking.id)
        ).unique()
    )


def bookings_by_meeting(meeting_ids: list[int]) -> dict[int, list[SpeakerBooking]]:
    """Active bookings of several meetings at once (for programme and agenda pages); one statement."""
    found: dict[int, list[SpeakerBooking]] = {mid: [] for mid in meeting_ids}
    if not meeting_ids:
        return found
    for booking in db.session.scalars(
        sa.select(SpeakerBooking)
        .options(joinedload(SpeakerBooking.speaker))
        .where(SpeakerBooking.meeting_id.in_(meeting_ids), SpeakerBooking.status.in_(("asked", "confirmed")))
        .order_by(SpeakerBooking.starts_at, SpeakerBooking.id)
    ):
        found[booking.meeting_id].append(booking)
    return found


# Topic demand ----------------------------------------------------------------------------------

_STOP = {
    "about",
    "above",
    "after",
    "again",
    "against",
    "also",
    "among",
    "another",
    "around",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "could",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "from",
    "further",
    "have",
    "having",
    "here",
    "into",
    "itself",
    "just",
    "more",
    "most",
    "other",
    "ourselves",
    "over",
    "same",
    "should",
    "some",
    "such",
    "than",
    "that",
    "their",
    "theirs",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "under",
    "until",
    "upon",
    "very",
    "what",
    "when",
    "where",
    "which",
    "while",
    "whom",
    "will",
    "with",
    "would",
    "your",
    "yours",
    "speaker",
    "guest",
    "talk",
    "session",
    "someone",
    "anyone",
    "come",
    "visit",
    "explain",
    "request",
    "please",
    "pupils",
    "pupil",
    "children",
    "child",
    "school",
    "schools",
    "senco",
    "sencos",
    "need",
    "needs",
    "using",
    "update",
}


def stems(text: str) -> set[str]:
    """The meaningful words of ``text``, cut to six letters so that "dyslexia" meets "dyslexic"."""
    words = re.findall(r"[a-z][a-z']+", (text or "").lower())
    return {w[:6] for w in (w.strip("'") for w in words) if len(w) >= 4 and w not in _STOP}


@dataclass
class Demand:
    item: AgendaItem
    speakers: list[Speaker]


def topic_demand(membership: Membership) -> list[Demand]:
    """Open guest speaker requests of the networks ``membership`` sees, most supported first, each
    with the speakers whose topics share a word with the request (two statements)."""
    items = (
        db.session.scalars(
            sa.select(AgendaItem)
            .options(joinedload(AgendaItem.network))
            .where(
                AgendaItem.organisation_id == membership.organisation_id,
                AgendaItem.kind == "guest_speaker",
                AgendaItem.status == "open",
                AgendaItem.network_id.in_(visible_network_ids(membership)),
            )
            .order_by(AgendaItem.support_count.desc(), AgendaItem.created_at.desc(), AgendaItem.id.desc())
            .limit(DEMAND_LIMIT)
        )
        .unique()
        .all()
    )
    if not items:
        return []
    wanted = {item.id: stems(f"{item.title} {item.description[:400]}") for item in items}
    all_stems = sorted(set().union(*wanted.values()))[:60]
    candidates: list[Speaker] = []
    if all_stems:
        topics = sa.func.lower(Speaker.topics)
        candidates = list(
            db.session.scalars(
                sa.select(Speaker)
                .where(
                    Speaker.organisation_id == membership.organisation_id,
                    sa.or_(*(topics.contains(s, autoescape=True) for s in all_stems)),
                )
                .order_by(Speaker.name, Speaker.id)
                .limit(300)
            )
        )
    speaker_stems = {s.id: stems(s.topics.replace(",", " ")) for s in candidates}
    found = []
    for item in items:
        scored = [(len(wanted[item.id] & speaker_stems[s.id]), s) for s in candidates]
        ranked = [s for score, s in sorted(scored, key=lambda pair: (-pair[0], pair[1].name)) if score]
        found.append(Demand(item=item, speakers=ranked[:MATCHES_PER_REQUEST]))
    return found
