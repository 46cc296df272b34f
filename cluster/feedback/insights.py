"""The data behind a network's charts (each a tested query function) and the charts themselves.

Attendance by meeting (schools present of the schools in the network) and by school over the last
12 months, and feedback usefulness and relevance by meeting (other domains add theirs as panels).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from markupsafe import Markup

from cluster.extensions import db, utcnow
from cluster.feedback.queries import network_trend
from cluster.meetings.models import Attendance, Meeting
from cluster.meetings.reports import attendance_report
from cluster.networks.models import Network
from cluster.networks.services import schools_in
from cluster.timeutil import to_local
from cluster.ui.charts import Series, bar_chart, line_chart

YEAR = timedelta(days=365)


@dataclass(frozen=True)
class MeetingAttendance:
    meeting_id: int
    title: str
    starts_at: datetime
    present: int
    schools: int


def attendance_by_meeting(network: Network, since: datetime, until: datetime) -> list[MeetingAttendance]:
    """Schools on the register of each held meeting that started in [since, until), with the number
    of schools in the network now, oldest first. Two queries."""
    rows = db.session.execute(
        sa.select(Meeting.id, Meeting.title, Meeting.starts_at, sa.func.count(Attendance.id))
        .outerjoin(Attendance, Attendance.meeting_id == Meeting.id)
        .where(
            Meeting.network_id == network.id,
            Meeting.status == "held",
            Meeting.starts_at >= since,
            Meeting.starts_at < until,
        )
        .group_by(Meeting.id, Meeting.title, Meeting.starts_at)
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    total = schools_in(network)
    return [MeetingAttendance(row[0], row[1], row[2], row[3], total) for row in rows]


def _day(moment: datetime) -> str:
    return to_local(moment).strftime("%-d %b %Y")


def network_charts(network: Network, *, show_schools: bool, now: datetime | None = None) -> dict[str, Markup]:
    """The network's four charts over the last 12 months (by school only for organisers)."""

    now = now or utcnow()
    since = now - YEAR
    charts: dict[str, Markup] = {}
    by_meeting = attendance_by_meeting(network, since, now)
    charts["attendance"] = bar_chart(
        id="chart-attendance",
        title="Schools at each meeting",
        categories=[_day(m.starts_at) for m in by_meeting],
        series=[
            Series("Schools present", [m.present for m in by_meeting]),
            Series("Schools in the network", [m.schools for m in by_meeting]),
        ],
        unit="schools",
        category_label="Meeting",
        description="Schools on the register of each held meeting in the last 12 months, "
        "against the number of schools in the network.",
    )
    if show_schools:
        held, rows = attendance_report(network, now=now)
        charts["schools"] = bar_chart(
            id="chart-schools",
            title="Meetings attended by each school",
            categories=[r.school.name for r in rows],
            series=[Series("Meetings attended", [r.attended for r in rows])],
            unit="meetings",
            max_value=held or None,
            category_label="School",
            description=f"Of the {held} meetings held in the last 12 months, least attended first.",
        )
    trend = network_trend(network, since, now)
    charts["feedback"] = line_chart(
        id="chart-feedback",
        title="Feedback by meeting",
        categories=[_day(m.starts_at) for m in trend],
        series=[
            Series("Usefulness", [m.usefulness for m in trend]),
            Series("Relevance", [m.relevance for m in trend]),
        ],
        unit="out of 5",
        min_value=1,
        max_value=5,
        category_label="Meeting",
        description="Mean usefulness and relevance (1 to 5) given by attendees of each held meeting.",
    )
    return charts
