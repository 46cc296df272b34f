"""Meetings: creating and changing them (with the iCalendar sequence kept honest), replies,
the register, and the programme each member sees."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.meetings.models import ATTENDANCE_MODES, RSVP_RESPONSES, Attendance, Meeting, Rsvp
from cluster.meetings.signals import meeting_rescheduled
from cluster.networks.models import Network, NetworkSchool
from cluster.networks.queries import people_in
from cluster.schools.models import School
from cluster.tenancy.models import Membership

#: Changing any of these on a scheduled meeting is news: the sequence goes up and people are told.
NOTABLE_FIELDS = ("starts_at", "ends_at", "host_school_id", "address", "online_url", "status")
EDITABLE_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "host_school_id",
    "address",
    "online_url",
    "refreshments",
    "capacity",
    "description",
)


class MeetingRuleError(ValueError):
    """A change the rules do not allow; ``str()`` is the message to show."""


def create_meeting(
    network: Network,
    *,
    created_by: User | None = None,
    status: str = "draft",
    series_id: int | None = None,
    now: datetime | None = None,
    **fields,
) -> Meeting:
    """Create a meeting of ``network``. It ends after it starts; a host school must be a member school."""
    now = now or utcnow()
    _check(network, fields)
    meeting = Meeting(
        organisation_id=network.organisation_id,
        network_id=network.id,
        status=status,
        series_id=series_id,
        uid=f"{uuid.uuid4()}@cluster",
        sequence=0,
        changed_at=now,
        created_at=now,
        updated_at=now,
        created_by_id=created_by.id if created_by else None,
        **{
            name: fields.get(name, default)
            for name, default in [
                ("title", ""),
                ("starts_at", None),
                ("ends_at", None),
                ("host_school_id", None),
                ("address", ""),
                ("online_url", ""),
                ("refreshments", ""),
                ("capacity", None),
                ("description", ""),
            ]
        },
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def _check(network: Network, fields: dict) -> None:
    starts, ends = fields.get("starts_at"), fields.get("ends_at")
    if starts is not None and ends is not None and ends <= starts:
        raise MeetingRuleError("The meeting must end after it starts")
    host = fields.get("host_school_id")
    if host is not None:
        is_member = db.session.scalar(
            sa.select(NetworkSchool.school_id).where(
                NetworkSchool.network_id == network.id, NetworkSchool.school_id == host
            )
        )
        if is_member is None:
            raise MeetingRuleError("The host school must be one of the network's schools")


def update_meeting(meeting: Meeting, now: datetime | None = None, **changes) -> bool:
    """Apply ``changes``; return True when a scheduled meeting's time, place or status changed,
    in which case its iCalendar sequence goes up and ``changed_at`` moves to ``now``."""
    now = now or utcnow()
    _check(meeting.network, {**{f: getattr(meeting, f) for f in ("starts_at", "ends_at")}, **changes})
    old_starts_at = meeting.starts_at
    notable = False
    for name, value in changes.items():
        if name not in EDITABLE_FIELDS and name != "status":
            raise MeetingRuleError(f"{name} cannot be changed here")
        if getattr(meeting, name) != value:
            notable = notable or name in NOTABLE_FIELDS
            setattr(meeting, name, value)
    if notable:
        meeting.sequence += 1
        meeting.changed_at = now
    db.session.flush()
    if meeting.starts_at != old_starts_at:
        meeting_rescheduled.send(meeting, old_starts_at=old_starts_at)
    return notable and meeting.status in ("scheduled", "cancelled")


def schedule_meeting(meeting: Meeting, now: datetime | None = None) -> None:
    """Publish a draft: members see it and it enters their calendars."""
    if meeting.status != "draft":
        raise MeetingRuleError("Only a draft meeting can be scheduled")
    update_meeting(meeting, now=now, status="scheduled")


def cancel_meeting(meeting: Meeting, reason: str, now: datetime | None = None) -> None:
    if meeting.status not in ("draft", "scheduled"):
        raise MeetingRuleError("Only a draft or scheduled meeting can be cancelled")
    if not reason.strip():
        raise MeetingRuleError("Give a reason, so that members know why")
    meeting.cancel_reason = reason.strip()
    update_meeting(meeting, now=now, status="cancelled")


def mark_held(meeting: Meeting, now: datetime | None = None) -> None:
    now = now or utcnow()
    if meeting.status != "scheduled" or meeting.starts_at > now:
        raise MeetingRuleError("Only a scheduled meeting that has started can be marked as held")
    update_meeting(meeting, now=now, status="held")


# Who hears about a meeting ------------------------------------------------------------------


def network_people(network: Network) -> list[User]:
    """Everyone active in the network: organisers, observers and the SENCOs of member schools."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.id.in_(people_in(network.id)), User.active.is_(True))
            .order_by(User.name)
        )
    )


def people_to_tell(meeting: Meeting) -> list[User]:
    """Who hears of a change or cancellation: everyone in the network except those who said they are not coming."""
    declined = set(
        db.session.scalars(
            sa.select(Rsvp.user_id).where(Rsvp.meeting_id == meeting.id, Rsvp.response == "no")
        )
    )
    return [user for user in network_people(meeting.network) if user.id not in declined]


# Programme -----------------------------------------------------------------------------------


def upcoming(
    network: Network, now: datetime | None = None, include_drafts: bool = False, limit: int = 50
) -> list[Meeting]:
    now = now or utcnow()
    stmt = (
        sa.select(Meeting)
        .where(Meeting.network_id == network.id, Meeting.ends_at >= now)
        .options(joinedload(Meeting.host_school))
        .order_by(Meeting.starts_at)
        .limit(limit)
    )
    if not include_drafts:
        stmt = stmt.where(Meeting.status != "draft")
    return list(db.session.scalars(stmt))


def past_page(network: Network, page: int, now: datetime | None = None, include_drafts: bool = False):
    now = now or utcnow()
    stmt = (
        sa.select(Meeting)
        .where(Meeting.network_id == network.id, Meeting.ends_at < now)
        .options(joinedload(Meeting.host_school))
        .order_by(Meeting.starts_at.desc())
    )
    if not include_drafts:
        stmt = stmt.where(Meeting.status != "draft")
    return db.paginate(stmt, page=page, per_page=20, error_out=False)


def next_meetings(network_ids: list[int], now: datetime | None = None, limit: int = 3) -> list[Meeting]:
    """The next scheduled meetings across ``network_ids`` (for the home page)."""
    if not network_ids:
        return []
    now = now or utcnow()
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.network_id.in_(network_ids), Meeting.status == "scheduled", Meeting.ends_at >= now)
            .options(joinedload(Meeting.host_school), joinedload(Meeting.network))
            .order_by(Meeting.starts_at)
            .limit(limit)
        )
    )


# Replies ---------------------------------------------------------------------------------------


def set_rsvp(meeting: Meeting, user: User, response: str, mode: str = "in_person", needs: str = "") -> Rsvp:
    """Record (or change) ``user``'s reply. Replies are only taken for scheduled meetings."""
    if response not in RSVP_RESPONSES or mode not in ATTENDANCE_MODES:
        raise MeetingRuleError("Choose whether you are coming, and how")
    if meeting.status != "scheduled":
        raise MeetingRuleError("Replies are closed for this meeting")
    rsvp = db.session.scalar(sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == user.id))
    if rsvp is None:
        rsvp = Rsvp(organisation_id=meeting.organisation_id, meeting_id=meeting.id, user_id=user.id)
        db.session.add(rsvp)
    rsvp.response, rsvp.mode, rsvp.needs = response, mode, needs.strip()
    db.session.flush()
    return rsvp


def rsvp_of(meeting: Meeting, user: User) -> Rsvp | None:
    return db.session.scalar(sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == user.id))


@dataclass
class ReplySummary:
    counts: dict[str, int] = field(default_factory=dict)  # response -> people
    online: int = 0
    by_school: list[tuple[str, str, str]] = field(default_factory=list)  # (school, person, response)
    by_phase: dict[str, int] = field(default_factory=dict)  # phase group -> people coming
    needs: list[tuple[str, str]] = field(default_factory=list)  # (person, needs) for organisers


def reply_summary(meeting: Meeting) -> ReplySummary:
    """Numbers by response, school and phase, and the dietary/access notes (organisers only)."""
    rows = db.session.execute(
        sa.select(Rsvp, User.name, School)
        .join(User, Rsvp.user_id == User.id)
        .outerjoin(
            Membership,
            sa.and_(Membership.user_id == Rsvp.user_id, Membership.organisation_id == Rsvp.organisation_id),
        )
        .outerjoin(School, School.id == Membership.school_id)
        .where(Rsvp.meeting_id == meeting.id)
        .order_by(School.name, User.name)
    ).all()
    summary = ReplySummary(counts={key: 0 for key in RSVP_RESPONSES})
    for rsvp, name, school in rows:
        summary.counts[rsvp.response] += 1
        if rsvp.response != "no" and rsvp.mode == "online":
            summary.online += 1
        summary.by_school.append((school.name if school else "No school", name, rsvp.response))
        if rsvp.response == "yes":
            group = school.phase_group if school else "other"
            summary.by_phase[group] = summary.by_phase.get(group, 0) + 1
        if rsvp.needs and rsvp.response != "no":
            summary.needs.append((name, rsvp.needs))
    return summary


# The register -------------------------------------------------------------------------------


def member_schools(network: Network) -> list[School]:
    return list(
        db.session.scalars(
            sa.select(School)
            .join(NetworkSchool, NetworkSchool.school_id == School.id)
            .where(NetworkSchool.network_id == network.id)
            .order_by(School.name)
        )
    )


def attended_school_ids(meeting: Meeting) -> set[int]:
    return set(db.session.scalars(sa.select(Attendance.school_id).where(Attendance.meeting_id == meeting.id)))


def record_attendance(
    meeting: Meeting, school_ids: set[int], recorded_by: User, now: datetime | None = None
) -> None:
    """Make ``school_ids`` (member schools only) exactly the schools present at ``meeting``."""
    now = now or utcnow()
    allowed = {school.id for school in member_schools(meeting.network)}
    if not school_ids <= allowed:
        raise MeetingRuleError("Only schools in the network can be on its register")
    db.session.execute(sa.delete(Attendance).where(Attendance.meeting_id == meeting.id))
    db.session.add_all(
        Attendance(
            organisation_id=meeting.organisation_id,
            meeting_id=meeting.id,
            school_id=school_id,
            recorded_by_id=recorded_by.id,
            recorded_at=now,
        )
        for school_id in sorted(school_ids)
    )
    db.session.flush()


def schools_that_said_yes(meeting: Meeting) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(Membership.school_id)
            .join(
                Rsvp,
                sa.and_(
                    Rsvp.user_id == Membership.user_id, Rsvp.organisation_id == Membership.organisation_id
                ),
            )
            .where(Rsvp.meeting_id == meeting.id, Rsvp.response == "yes", Membership.school_id.is_not(None))
        )
    )
