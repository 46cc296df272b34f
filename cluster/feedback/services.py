"""The rules of feedback: who is asked (the attendees), for how long (14 days after the meeting),
what can be rated, and one response per attendee (a second submission updates the first).
Flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from cluster.agenda.models import Agenda, AgendaSlot
from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.feedback.models import COMMENT_FIELDS, FeedbackRating, FeedbackResponse
from cluster.meetings.models import Attendance, Meeting, Rsvp
from cluster.speakers.models import Speaker, SpeakerBooking
from cluster.tenancy.models import Membership

#: Feedback is open (and a response editable) for this long after the meeting ends.
WINDOW = timedelta(days=14)
COMMENT_LENGTH = 2000


class FeedbackRuleError(ValueError):
    """Feedback the rules do not take; ``str()`` is the message to show."""


def closes_at(meeting: Meeting) -> datetime:
    return meeting.ends_at + WINDOW


def is_open(meeting: Meeting, now: datetime | None = None) -> bool:
    """Feedback is taken once a meeting is marked held, until 14 days after it ended."""
    now = now or utcnow()
    return meeting.status == "held" and now <= closes_at(meeting)


def attendee_pairs(meeting_ids) -> sa.Select:
    """(meeting_id, user_id) of everyone who attended the meetings ``meeting_ids`` (a list or a
    subquery): the SENCOs of the schools on the register (except anyone who said they were not
    coming) or, for a meeting without a register, everyone who replied "coming". One statement."""
    said_no = sa.select(Rsvp.id).where(
        Rsvp.meeting_id == Attendance.meeting_id, Rsvp.user_id == Membership.user_id, Rsvp.response == "no"
    )
    registered = (
        sa.select(Attendance.meeting_id.label("meeting_id"), Membership.user_id.label("user_id"))
        .join(
            Membership,
            sa.and_(
                Membership.school_id == Attendance.school_id,
                Membership.organisation_id == Attendance.organisation_id,
            ),
        )
        .join(User, User.id == Membership.user_id)
        .where(Attendance.meeting_id.in_(meeting_ids), User.active.is_(True), ~sa.exists(said_no))
    )
    has_register = sa.select(Attendance.id).where(Attendance.meeting_id == Rsvp.meeting_id)
    replied = (
        sa.select(Rsvp.meeting_id.label("meeting_id"), Rsvp.user_id.label("user_id"))
        .join(User, User.id == Rsvp.user_id)
        .join(
            Membership,
            sa.and_(Membership.user_id == Rsvp.user_id, Membership.organisation_id == Rsvp.organisation_id),
        )
        .where(
            Rsvp.meeting_id.in_(meeting_ids),
            Rsvp.response == "yes",
            User.active.is_(True),
            ~sa.exists(has_register),
        )
    )
    return sa.union(registered, replied)


def attendee_ids(meeting: Meeting) -> set[int]:
    pairs = attendee_pairs([meeting.id]).subquery()
    return set(db.session.scalars(sa.select(pairs.c.user_id)))


def is_attendee(meeting: Meeting, user: User) -> bool:
    pairs = attendee_pairs([meeting.id]).subquery()
    return (
        db.session.scalar(sa.select(pairs.c.user_id).where(pairs.c.user_id == user.id).limit(1)) is not None
    )


@dataclass(frozen=True)
class Subject:
    """Something in the meeting a response may rate: an agenda entry or a speaker's session."""

    kind: str
    id: int
    label: str
    speaker_id: int | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.id}"


def subjects(meeting: Meeting) -> list[Subject]:
    """The published agenda's items and standing items, then the confirmed speakers' sessions
    (two queries)."""
    slots = db.session.execute(
        sa.select(AgendaSlot.id, AgendaSlot.title)
        .join(Agenda, Agenda.id == AgendaSlot.agenda_id)
        .where(
            Agenda.meeting_id == meeting.id,
            Agenda.status.in_(("published", "closed")),
            AgendaSlot.kind.in_(("item", "standing")),
        )
        .order_by(AgendaSlot.position, AgendaSlot.id)
    ).all()
    found = [Subject("slot", row.id, row.title) for row in slots]
    return found + speaker_sessions(meeting)


def speaker_sessions(meeting: Meeting) -> list[Subject]:
    """Confirmed guest speakers' sessions at ``meeting``."""
    rows = db.session.execute(
        sa.select(SpeakerBooking.id, SpeakerBooking.topic, SpeakerBooking.speaker_id, Speaker.name)
        .join(Speaker, Speaker.id == SpeakerBooking.speaker_id)
        .where(SpeakerBooking.meeting_id == meeting.id, SpeakerBooking.status == "confirmed")
        .order_by(SpeakerBooking.starts_at, SpeakerBooking.id)
    ).all()
    return [Subject("speaker", row.id, f"{row.name}: {row.topic}", row.speaker_id) for row in rows]


def response_of(meeting: Meeting, user: User) -> FeedbackResponse | None:
    return db.session.scalar(
        sa.select(FeedbackResponse)
        .where(FeedbackResponse.meeting_id == meeting.id, FeedbackResponse.user_id == user.id)
        .options(selectinload(FeedbackResponse.ratings))
    )


def _clean(text: str | None) -> str:
    return (text or "").strip()[:COMMENT_LENGTH]


def save_response(
    meeting: Meeting,
    user: User,
    *,
    usefulness: int,
    relevance: int,
    ratings: dict[str, int | None],
    keep: str = "",
    change: str = "",
    add: str = "",
    anonymous: bool = False,
    now: datetime | None = None,
) -> FeedbackResponse:
    """Record ``user``'s feedback on ``meeting``, or update their earlier response (one each).

    Only an attendee may answer, only while feedback is open; ratings are 1 to 5 and only of the
    meeting's own items and sessions (``ratings`` by :attr:`Subject.key`; None: not rated)."""
    now = now or utcnow()
    if not is_open(meeting, now):
        raise FeedbackRuleError("Feedback on this meeting is closed")
    if not is_attendee(meeting, user):
        raise FeedbackRuleError("Only people who attended the meeting can give feedback on it")
    for score in (usefulness, relevance, *[r for r in ratings.values() if r is not None]):
        if not isinstance(score, int) or not 1 <= score <= 5:
            raise FeedbackRuleError("Ratings go from 1 to 5")
    response = response_of(meeting, user)
    if response is None:
        response = FeedbackResponse(
            organisation_id=meeting.organisation_id,
            meeting_id=meeting.id,
            network_id=meeting.network_id,
            user_id=user.id,
            created_at=now,
            usefulness=usefulness,
            relevance=relevance,
        )
        db.session.add(response)
    response.usefulness, response.relevance = usefulness, relevance
    response.keep, response.change, response.add = _clean(keep), _clean(change), _clean(add)
    response.anonymous = bool(anonymous)
    response.updated_at = now
    known = {subject.key: subject for subject in subjects(meeting)}
    wanted = {key: score for key, score in ratings.items() if key in known and score is not None}
    for rating in list(response.ratings):
        if f"{rating.kind}-{rating.subject_id}" not in wanted:
            response.ratings.remove(rating)
    have = {f"{r.kind}-{r.subject_id}": r for r in response.ratings}
    for key, score in wanted.items():
        if key in have:
            have[key].rating = score
            continue
        subject = known[key]
        response.ratings.append(
            FeedbackRating(
                organisation_id=meeting.organisation_id,
                kind=subject.kind,
                subject_id=subject.id,
                speaker_id=subject.speaker_id,
                label=subject.label[:300],
                rating=score,
            )
        )
    db.session.flush()
    return response


__all__ = [
    "COMMENT_FIELDS",
    "WINDOW",
    "FeedbackRuleError",
    "Subject",
    "attendee_pairs",
    "closes_at",
    "is_open",
    "save_response",
    "subjects",
]
