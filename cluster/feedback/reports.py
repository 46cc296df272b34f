"""CSV reports of a network for a period (by default this academic year): attendance by meeting
and school, and feedback per response (anonymous ones without identity); other domains add
theirs (actions) with :func:`add_report`.

Every cell goes through :func:`cluster.meetings.reports.safe_cell` against formula injection.
Feedback rows carry no submission time and are ordered by meeting and then by their content, so
that the order of the file says nothing about who answered when.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import Flask

from cluster.auth.models import User
from cluster.extensions import db
from cluster.feedback.models import FeedbackRating, FeedbackResponse
from cluster.meetings.models import Attendance, Meeting
from cluster.meetings.reports import safe_cell
from cluster.networks.models import Network, NetworkSchool
from cluster.plugins import Registry
from cluster.schools.models import School
from cluster.tenancy.models import Membership
from cluster.timeutil import local_to_utc, to_local


@dataclass(frozen=True)
class Report:
    label: str
    #: ``rows(network, start, end, today)``: the spreadsheet, a header row first.
    rows: Callable[[Network, date, date, date], list[list]]


#: The network's spreadsheets by kind: attendance and feedback here; other domains add theirs
#: (actions) in their ``register(app)``.
REPORTS: Registry[Report] = Registry("network reports")


def add_report(
    app: Flask, kind: str, label: str, rows: Callable[[Network, date, date, date], list[list]]
) -> None:
    REPORTS.add(app, kind, Report(label, rows))


def academic_year(today: date) -> tuple[date, date]:
    """1 September to 31 August of the school year ``today`` is in."""
    start_year = today.year if today.month >= 9 else today.year - 1
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) UK time, in UTC."""
    return local_to_utc(start, time()), local_to_utc(end + timedelta(days=1), time())


def _meetings(network: Network, start: date, end: date) -> list[Meeting]:
    since, until = bounds(start, end)
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.network_id == network.id,
                Meeting.status == "held",
                Meeting.starts_at >= since,
                Meeting.starts_at < until,
            )
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )


def day_of(moment: datetime | None) -> str:
    """A date for a spreadsheet cell: 2026-11-04 (UK time), empty for none."""
    return to_local(moment).date().isoformat() if moment else ""


def attendance_rows(network: Network, start: date, end: date, today: date | None = None) -> list[list]:
    """A row per held meeting and member school: present or absent. Three queries."""
    meetings = _meetings(network, start, end)
    schools = db.session.scalars(
        sa.select(School)
        .join(NetworkSchool, NetworkSchool.school_id == School.id)
        .where(NetworkSchool.network_id == network.id)
        .order_by(School.name, School.id)
    ).all()
    present = {
        (meeting_id, school_id)
        for meeting_id, school_id in db.session.execute(
            sa.select(Attendance.meeting_id, Attendance.school_id).where(
                Attendance.meeting_id.in_([m.id for m in meetings] or [-1])
            )
        )
    }
    rows = [["Meeting date", "Meeting", "School", "URN", "Phase", "Present"]]
    for meeting in meetings:
        for school in schools:
            rows.append(
                [
                    day_of(meeting.starts_at),
                    meeting.title,
                    school.name,
                    school.urn or "",
                    school.phase,
                    "yes" if (meeting.id, school.id) in present else "no",
                ]
            )
    return rows


def feedback_rows(network: Network, start: date, end: date, today: date | None = None) -> list[list]:
    """A row per response. An anonymous one says "Anonymous" where a named one has the person and
    their school; nobody's submission time is given. Two queries."""
    since, until = bounds(start, end)
    named = FeedbackResponse.anonymous.is_(False)
    responses = db.session.execute(
        sa.select(
            FeedbackResponse.id,
            Meeting.starts_at,
            Meeting.title,
            FeedbackResponse.anonymous,
            sa.case((named, User.name), else_=sa.null()),
            sa.case((named, School.name), else_=sa.null()),
            FeedbackResponse.usefulness,
            FeedbackResponse.relevance,
            FeedbackResponse.keep,
            FeedbackResponse.change,
            FeedbackResponse.add,
        )
        .join(Meeting, Meeting.id == FeedbackResponse.meeting_id)
        .join(User, User.id == FeedbackResponse.user_id)
        .outerjoin(
            Membership,
            sa.and_(
                Membership.user_id == FeedbackResponse.user_id,
                Membership.organisation_id == FeedbackResponse.organisation_id,
            ),
        )
        .outerjoin(School, School.id == Membership.school_id)
        .where(
            FeedbackResponse.network_id == network.id, Meeting.starts_at >= since, Meeting.starts_at < until
        )
    ).all()
    ratings: dict[int, list[str]] = {}
    for response_id, label, rating in db.session.execute(
        sa.select(FeedbackRating.response_id, FeedbackRating.label, FeedbackRating.rating)
        .join(FeedbackResponse, FeedbackResponse.id == FeedbackRating.response_id)
        .join(Meeting, Meeting.id == FeedbackResponse.meeting_id)
        .where(
            FeedbackResponse.network_id == network.id, Meeting.starts_at >= since, Meeting.starts_at < until
        )
        .order_by(FeedbackRating.kind, FeedbackRating.subject_id)
    ):
        ratings.setdefault(response_id, []).append(f"{label}: {rating}")
    body = []
    for rid, starts_at, title, anonymous, name, school, usefulness, relevance, keep, change, add in responses:
        body.append(
            [
                day_of(starts_at),
                title,
                "Anonymous" if anonymous else (name or ""),
                "" if anonymous else (school or ""),
                usefulness,
                relevance,
                "; ".join(ratings.get(rid, [])),
                keep,
                change,
                add,
            ]
        )
    body.sort(key=lambda row: (row[0], row[1], row[4], row[5], row[7], row[8], row[9], row[6], row[2]))
    return [
        [
            "Meeting date",
            "Meeting",
            "Respondent",
            "School",
            "Usefulness (1-5)",
            "Relevance (1-5)",
            "Ratings of items and speakers",
            "Keep",
            "Change",
            "Add",
        ]
    ] + body


def to_csv(rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()
