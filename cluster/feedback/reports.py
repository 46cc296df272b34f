"""CSV reports of a network for a period (by default this academic year): attendance by meeting
and school, feedback per response (anonymous ones without identity) and actions.

Every cell goes through :func:`cluster.meetings.reports.safe_cell` against formula injection.
Feedback rows carry no submission time and are ordered by meeting and then by their content, so
that the order of the file says nothing about who answered when.
"""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cluster.actions.models import Action
from cluster.auth.models import User
from cluster.extensions import db
from cluster.feedback.models import FeedbackRating, FeedbackResponse
from cluster.meetings.models import Attendance, Meeting
from cluster.meetings.reports import safe_cell
from cluster.networks.models import Network, NetworkSchool
from cluster.schools.models import School
from cluster.tenancy.models import Membership
from cluster.timeutil import local_to_utc, to_local

REPORTS = {"attendance": "Attendance", "feedback": "Feedback", "actions": "Actions"}


def academic_year(today: date) -> tuple[date, date]:
    """1 September to 31 August of the school year ``today`` is in."""
    start_year = today.year if today.month >= 9 else today.year - 1
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) UK time, in UTC."""
    return local_to_utc(start, time()), local_to_utc(end + timedelta(days=1), time())


def _meetings(network: Network, start: date, end: date) -> list[Meeting]:
    since, until = bounds(start, end)
    return list(db.session.scalars(
        sa.select(Meeting).where(Meeting.network_id == network.id, Meeting.status == "held",
                                 Meeting.starts_at >= since, Meeting.starts_at < until)
        .order_by(Meeting.starts_at, Meeting.id)))


def _day(moment: datetime | None) -> str:
    return to_local(moment).date().isoformat() if moment else ""


def attendance_rows(network: Network, start: date, end: date) -> list[list]:
    """A row per held meeting and member school: present or absent. Three queries."""
    meetings = _meetings(network, start, end)
    schools = db.session.scalars(
        sa.select(School).join(NetworkSchool, NetworkSchool.school_id == School.id)
        .where(NetworkSchool.network_id == network.id).order_by(School.name, School.id)).all()
    present = {(meeting_id, school_id) for meeting_id, school_id in db.session.execute(
        sa.select(Attendance.meeting_id, Attendance.school_id)
        .where(Attendance.meeting_id.in_([m.id for m in meetings] or [-1])))}
    rows = [["Meeting date", "Meeting", "School", "URN", "Phase", "Present"]]
    for meeting in meetings:
        for school in schools:
            rows.append([_day(meeting.starts_at), meeting.title, school.name, school.urn or "", school.phase,
                         "yes" if (meeting.id, school.id) in present else "no"])
    return rows


def feedback_rows(network: Network, start: date, end: date) -> list[list]:
    """A row per response. An anonymous one says "Anonymous" where a named one has the person and
    their school; nobody's submission time is given. Two queries."""
    since, until = bounds(start, end)
    named = FeedbackResponse.anonymous.is_(False)
    responses = db.session.execute(
        sa.select(FeedbackResponse.id, Meeting.starts_at, Meeting.title, FeedbackResponse.anonymous,
                  sa.case((named, User.name), else_=sa.null()), sa.case((named, School.name), else_=sa.null()),
                  FeedbackResponse.usefulness, FeedbackResponse.relevance, FeedbackResponse.keep,
                  FeedbackResponse.change, FeedbackResponse.add)
        .join(Meeting, Meeting.id == FeedbackResponse.meeting_id)
        .join(User, User.id == FeedbackResponse.user_id)
        .outerjoin(Membership, sa.and_(Membership.user_id == FeedbackResponse.user_id,
                                       Membership.organisation_id == FeedbackResponse.organisation_id))
        .outerjoin(School, School.id == Membership.school_id)
        .where(FeedbackResponse.network_id == network.id, Meeting.starts_at >= since, Meeting.starts_at < until)
    ).all()
    ratings: dict[int, list[str]] = {}
    for response_id, label, rating in db.session.execute(
            sa.select(FeedbackRating.response_id, FeedbackRating.label, FeedbackRating.rating)
            .join(FeedbackResponse, FeedbackResponse.id == FeedbackRating.response_id)
            .join(Meeting, Meeting.id == FeedbackResponse.meeting_id)
            .where(FeedbackResponse.network_id == network.id, Meeting.starts_at >= since, Meeting.starts_at < until)
            .order_by(FeedbackRating.kind, FeedbackRating.subject_id)):
        ratings.setdefault(response_id, []).append(f"{label}: {rating}")
    body = []
    for (rid, starts_at, title, anonymous, name, school, usefulness, relevance, keep, change, add) in responses:
        body.append([_day(starts_at), title, "Anonymous" if anonymous else (name or ""), "" if anonymous else (school or ""),
                     usefulness, relevance, "; ".join(ratings.get(rid, [])), keep, change, add])
    body.sort(key=lambda row: (row[0], row[1], row[4], row[5], row[7], row[8], row[9], row[6], row[2]))
    return [["Meeting date", "Meeting", "Respondent", "School", "Usefulness (1-5)", "Relevance (1-5)",
             "Ratings of items and speakers", "Keep", "Change", "Add"]] + body


def action_rows(network: Network, start: date, end: date, today: date) -> list[list]:
    """Actions recorded in the period, or closed in it, or still open from before. One query."""
    since, until = bounds(start, end)
    actions = db.session.scalars(
        sa.select(Action).where(
            Action.network_id == network.id, Action.created_at < until,
            sa.or_(Action.created_at >= since, Action.status == "open",
                   sa.and_(Action.closed_at >= since, Action.closed_at < until)))
        .options(joinedload(Action.owner_user), joinedload(Action.owner_school), joinedload(Action.meeting))
        .order_by(Action.created_at, Action.id)).unique().all()
    rows = [["Recorded", "Meeting", "Action", "Owner", "Due", "Status", "Overdue", "Outcome", "Closed"]]
    for action in actions:
        rows.append([_day(action.created_at), action.meeting.title if action.meeting else "", action.description,
                     action.owner_name, action.due_on.isoformat(), action.status_label,
                     "yes" if action.is_overdue(today) else "no", action.outcome, _day(action.closed_at)])
    return rows


def to_csv(rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()
