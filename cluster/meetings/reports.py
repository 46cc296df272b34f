"""Attendance over time: which schools come, and which have not been for a year."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from cluster.extensions import db, utcnow
from cluster.meetings.models import Attendance, Meeting
from cluster.networks.models import Network, NetworkSchool
from cluster.schools.models import School


@dataclass(frozen=True)
class SchoolAttendance:
    school: School
    attended: int
    held: int
    last_attended: datetime | None

    @property
    def rate(self) -> int:
        return round(100 * self.attended / self.held) if self.held else 0


def attendance_report(
    network: Network, now: datetime | None = None, days: int = 365
) -> tuple[int, list[SchoolAttendance]]:
    """Each member school's attendance at the network's held meetings in the last ``days`` days.

    Returns the number of held meetings and one row per member school, least attended first,
    in three queries whatever the number of schools or meetings.
    """
    now = now or utcnow()
    since = now - timedelta(days=days)
    held = (
        sa.select(Meeting.id, Meeting.starts_at)
        .where(
            Meeting.network_id == network.id,
            Meeting.status == "held",
            Meeting.starts_at >= since,
            Meeting.starts_at <= now,
        )
        .subquery()
    )
    held_count = db.session.scalar(sa.select(sa.func.count()).select_from(held))
    stats = dict(
        (school_id, (count, last))
        for school_id, count, last in db.session.execute(
            sa.select(Attendance.school_id, sa.func.count(), sa.func.max(held.c.starts_at))
            .join(held, held.c.id == Attendance.meeting_id)
            .group_by(Attendance.school_id)
        )
    )
    schools = db.session.scalars(
        sa.select(School)
        .join(NetworkSchool, NetworkSchool.school_id == School.id)
        .where(NetworkSchool.network_id == network.id)
        .order_by(School.name)
    ).all()
    rows = []
    for school in schools:
        attended, last = stats.get(school.id, (0, None))
        rows.append(SchoolAttendance(school, attended, held_count, last))
    rows.sort(key=lambda r: (r.attended, r.school.name))
    return held_count, rows


def safe_cell(value: object) -> object:
    """Spreadsheet programs run a cell starting with = + - @ as a formula; make it text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def attendance_csv(rows: list[SchoolAttendance], held: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["School", "URN", "Phase", "Meetings attended", "Meetings held", "Attendance %", "Last attended"]
    )
    for row in rows:
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    row.school.name,
                    row.school.urn or "",
                    row.school.phase,
                    row.attended,
                    held,
                    row.rate,
                    row.last_attended.date().isoformat() if row.last_attended else "never",
                )
            ]
        )
    return out.getvalue()
