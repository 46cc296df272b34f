"""Reading feedback: a meeting's results, a network's trend, a speaker's past sessions.

Nothing here lets an anonymous response be traced back: their authors' names and schools are
never selected (the database returns NULL for them), no submission time is read, and every list
is ordered by its content, never by when or by whom it was written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.extensions import db
from cluster.feedback.models import COMMENT_FIELDS, FeedbackRating, FeedbackResponse
from cluster.feedback.services import WINDOW, Subject, attendee_pairs, subjects
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
from cluster.schools.models import School
from cluster.speakers.models import SpeakerBooking
from cluster.tenancy.models import Membership


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


@dataclass
class Comment:
    text: str
    #: "Name, School" for a named response; None for an anonymous one.
    by: str | None


@dataclass
class SubjectResult:
    subject: Subject
    ratings: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.ratings)

    @property
    def mean(self) -> float | None:
        return _mean(self.ratings)


@dataclass
class MeetingResults:
    meeting: Meeting
    attendees: int
    usefulness: list[int]
    relevance: list[int]
    subjects: list[SubjectResult]
    comments: dict[str, list[Comment]]
    anonymous: int

    @property
    def responses(self) -> int:
        return len(self.usefulness)

    @property
    def usefulness_mean(self) -> float | None:
        return _mean(self.usefulness)

    @property
    def relevance_mean(self) -> float | None:
        return _mean(self.relevance)

    def distribution(self, which: str) -> list[int]:
        """How many answered 1, 2, 3, 4 and 5."""
        values = getattr(self, which)
        return [values.count(score) for score in range(1, 6)]


def _identity_columns():
    """The author's name and school, or NULL for an anonymous response (never selected)."""
    named = FeedbackResponse.anonymous.is_(False)
    return (
        sa.case((named, User.name), else_=sa.null()).label("name"),
        sa.case((named, School.name), else_=sa.null()).label("school"),
    )


def meeting_results(meeting: Meeting) -> MeetingResults:
    """The meeting's responses in numbers and comments (four queries)."""
    pairs = attendee_pairs([meeting.id]).subquery()
    attendees = db.session.scalar(sa.select(sa.func.count()).select_from(pairs)) or 0
    name, school = _identity_columns()
    rows = db.session.execute(
        sa.select(
            FeedbackResponse.id,
            FeedbackResponse.usefulness,
            FeedbackResponse.relevance,
            FeedbackResponse.keep,
            FeedbackResponse.change,
            FeedbackResponse.add,
            FeedbackResponse.anonymous,
            name,
            school,
        )
        .join(User, User.id == FeedbackResponse.user_id)
        .outerjoin(
            Membership,
            sa.and_(
                Membership.user_id == FeedbackResponse.user_id,
                Membership.organisation_id == FeedbackResponse.organisation_id,
            ),
        )
        .outerjoin(School, School.id == Membership.school_id)
        .where(FeedbackResponse.meeting_id == meeting.id)
    ).all()
    ratings = db.session.execute(
        sa.select(FeedbackRating.kind, FeedbackRating.subject_id, FeedbackRating.rating)
        .join(FeedbackResponse, FeedbackResponse.id == FeedbackRating.response_id)
        .where(FeedbackResponse.meeting_id == meeting.id)
        .order_by(FeedbackRating.kind, FeedbackRating.subject_id, FeedbackRating.rating)
    ).all()
    by_subject = {subject.key: SubjectResult(subject) for subject in subjects(meeting)}
    for kind, subject_id, rating in ratings:
        if f"{kind}-{subject_id}" in by_subject:
            by_subject[f"{kind}-{subject_id}"].ratings.append(rating)
    comments: dict[str, list[Comment]] = {key: [] for key in COMMENT_FIELDS}
    for row in rows:
        by = None if row.anonymous else ", ".join(part for part in (row.name, row.school) if part)
        for key in COMMENT_FIELDS:
            text = getattr(row, key)
            if text:
                comments[key].append(Comment(text, by))
    for found in comments.values():
        found.sort(key=lambda c: (c.text.lower(), c.text))
    return MeetingResults(
        meeting=meeting,
        attendees=attendees,
        usefulness=sorted(row.usefulness for row in rows),
        relevance=sorted(row.relevance for row in rows),
        subjects=list(by_subject.values()),
        comments=comments,
        anonymous=sum(1 for row in rows if row.anonymous),
    )


@dataclass(frozen=True)
class MeetingFeedback:
    """One held meeting's numbers, for a network's trend."""

    meeting_id: int
    title: str
    starts_at: datetime
    responses: int
    usefulness: float | None
    relevance: float | None


def network_trend(network: Network, since: datetime, until: datetime) -> list[MeetingFeedback]:
    """Mean usefulness and relevance at each held meeting of ``network`` that started in
    [since, until), oldest first (one query)."""
    rows = db.session.execute(
        sa.select(
            Meeting.id,
            Meeting.title,
            Meeting.starts_at,
            sa.func.count(FeedbackResponse.id),
            sa.func.avg(FeedbackResponse.usefulness),
            sa.func.avg(FeedbackResponse.relevance),
        )
        .outerjoin(FeedbackResponse, FeedbackResponse.meeting_id == Meeting.id)
        .where(
            Meeting.network_id == network.id,
            Meeting.status == "held",
            Meeting.starts_at >= since,
            Meeting.starts_at < until,
        )
        .group_by(Meeting.id, Meeting.title, Meeting.starts_at)
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    return [
        MeetingFeedback(
            row[0],
            row[1],
            row[2],
            row[3],
            round(float(row[4]), 2) if row[4] is not None else None,
            round(float(row[5]), 2) if row[5] is not None else None,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class SessionFeedback:
    """A speaker's past session and what attendees made of it."""

    booking_id: int
    meeting_id: int
    meeting_title: str
    starts_at: datetime
    topic: str
    ratings: int
    mean: float | None

    @property
    def rating(self) -> float | None:
        """The mean rating (what the speaker's page shows)."""
        return self.mean

    @property
    def comment(self) -> str:
        """Comments are about the whole meeting, not one session: none per session."""
        return ""


def speaker_feedback(speaker_ids: list[int]) -> dict[int, list[SessionFeedback]]:
    """For each speaker, their confirmed sessions at held meetings (latest first) with the number of
    ratings and the mean rating. One query whatever the number of speakers. Comments are not
    per session (they are about the whole meeting) and nobody's name is read."""

    found: dict[int, list[SessionFeedback]] = {speaker_id: [] for speaker_id in speaker_ids}
    if not speaker_ids:
        speaker_ids = [-1]  # the statement runs anyway: the count must not depend on the data
    rated = (
        sa.select(
            FeedbackRating.subject_id,
            sa.func.count().label("n"),
            sa.func.avg(FeedbackRating.rating).label("mean"),
        )
        .where(FeedbackRating.kind == "speaker")
        .group_by(FeedbackRating.subject_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            SpeakerBooking.id,
            SpeakerBooking.speaker_id,
            SpeakerBooking.topic,
            Meeting.id,
            Meeting.title,
            Meeting.starts_at,
            rated.c.n,
            rated.c.mean,
        )
        .join(Meeting, Meeting.id == SpeakerBooking.meeting_id)
        .outerjoin(rated, rated.c.subject_id == SpeakerBooking.id)
        .where(
            SpeakerBooking.speaker_id.in_(speaker_ids),
            SpeakerBooking.status == "confirmed",
            Meeting.status == "held",
        )
        .order_by(Meeting.starts_at.desc(), SpeakerBooking.id)
    ).all()
    for booking_id, speaker_id, topic, meeting_id, title, starts_at, n, mean in rows:
        found.setdefault(speaker_id, []).append(
            SessionFeedback(
                booking_id,
                meeting_id,
                title,
                starts_at,
                topic,
                n or 0,
                round(float(mean), 2) if mean is not None else None,
            )
        )
    return found


def feedback_wanted(organisation_id: int, user_id: int, now: datetime) -> list[Meeting]:
    """Held meetings of the organisation the person attended and has not given feedback on while
    it is open (for the home page): one query."""
    recent = sa.select(Meeting.id).where(
        Meeting.organisation_id == organisation_id, Meeting.status == "held", Meeting.ends_at >= now - WINDOW
    )
    pairs = attendee_pairs(recent).subquery()
    answered = sa.select(FeedbackResponse.id).where(
        FeedbackResponse.meeting_id == pairs.c.meeting_id, FeedbackResponse.user_id == pairs.c.user_id
    )
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .join(pairs, pairs.c.meeting_id == Meeting.id)
            .where(pairs.c.user_id == user_id, ~sa.exists(answered))
            .order_by(Meeting.ends_at)
            .limit(5)
        )
    )


def rated_sessions(speaker, past_sessions) -> list[SessionFeedback]:
    """For a speaker's page: the ratings of the past sessions the viewer may see (the sessions
    listed), one query."""
    listed = {booking.meeting_id for booking in past_sessions}
    return [f for f in speaker_feedback([speaker.id]).get(speaker.id, []) if f.meeting_id in listed]
