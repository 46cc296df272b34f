"""Planning a year's programme at once: the clashes of each proposed date, and creating the series.

The organiser chooses a rule ("the second Tuesday of each half term, 13:30 to 16:00"), sees the
dates it gives (:func:`cluster.meetings.series.plan_series`) with their clashes flagged
(:func:`programme_flags`: bank holidays, school holidays, INSET days, days already past, days the
network already meets), unticks or moves single meetings, and creates a :class:`MeetingSeries`
with one meeting per ticked date (:func:`create_programme`). The pages are
:mod:`cluster.meetings.views.programme`.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.calendar import services as calendar
from cluster.calendar.services import DayFlag
from cluster.extensions import db
from cluster.meetings.models import Meeting, MeetingSeries
from cluster.meetings.series import SeriesRule
from cluster.meetings.services import MeetingRuleError, create_meeting
from cluster.networks.models import Network
from cluster.tenancy.models import Organisation
from cluster.timeutil import local_to_utc, to_local

#: How the meetings of a new programme are created.
STATUSES = {
    "draft": "Drafts: only organisers see them until each one is scheduled",
    "scheduled": "Scheduled: members see them at once, can reply and get them in their calendars",
}


def programme_flags(
    organisation: Organisation, network: Network, days: list[date], today: date, starts: time | None = None
) -> dict[date, list[DayFlag]]:
    """Why each of ``days`` is a poor day for one of ``network``'s meetings: the calendar's flags
    (bank holidays, school holidays, INSET days, weekends), a day already past, and a day the
    network already has a meeting that is not cancelled ("repeat" when it starts at ``starts``
    too: the same meeting twice). Two queries whatever the number of days."""
    if not days:
        return {}
    flags = calendar.day_flags(organisation, days)
    since, until = local_to_utc(min(days), time(0)), local_to_utc(max(days) + timedelta(days=1), time(0))
    meetings = db.session.execute(
        sa.select(Meeting.starts_at, Meeting.title).where(
            Meeting.network_id == network.id,
            Meeting.status != "cancelled",
            Meeting.starts_at >= since,
            Meeting.starts_at < until,
        )
    ).all()
    for day in set(days):
        if day < today:
            flags[day].append(DayFlag("past", "Already past"))
        for starts_at, title in meetings:
            local = to_local(starts_at)
            if local.date() == day and local.time() == starts:
                flags[day].append(
                    DayFlag("repeat", f"The network already meets at {starts:%H:%M} this day: {title}")
                )
            elif local.date() == day:
                flags[day].append(DayFlag("meeting", f"The network already meets this day: {title}"))
    return flags


def create_programme(
    network: Network,
    rule: SeriesRule,
    meetings: list[tuple[str, date]],
    *,
    status: str,
    created_by: User,
    host_school_id: int | None = None,
    address: str = "",
) -> MeetingSeries:
    """Create a series described by ``rule`` and one meeting per (title, day) of ``meetings``, each
    from the rule's start to its end on the Europe/London wall clock (stored UTC), as drafts or
    scheduled. There must be at least one meeting. Flushes; the caller commits."""
    if status not in STATUSES:
        raise MeetingRuleError("Choose drafts or scheduled meetings")
    if not meetings:
        raise MeetingRuleError("Tick at least one date to create a meeting")
    series = MeetingSeries(
        organisation_id=network.organisation_id, network_id=network.id, description=rule.describe()[:300]
    )
    db.session.add(series)
    db.session.flush()
    for title, day in sorted(meetings, key=lambda m: m[1]):
        create_meeting(
            network,
            status=status,
            series_id=series.id,
            created_by=created_by,
            title=title,
            starts_at=local_to_utc(day, rule.starts),
            ends_at=local_to_utc(day, rule.ends),
            host_school_id=host_school_id,
            address=address.strip(),
        )
    return series
