"""Northbrook's school year in the demo: term dates, a year of held meetings with registers,
upcoming meetings with replies, and an open date poll with answers."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.calendar.models import CalendarEntry
from cluster.calendar.services import add_entry
from cluster.extensions import db, utcnow
from cluster.feeds.subscriptions import subscription_for
from cluster.meetings.models import Attendance, Rsvp
from cluster.meetings.services import cancel_meeting, create_meeting, member_schools, network_people
from cluster.networks.models import Network
from cluster.networks.queries import people_in
from cluster.tenancy.models import Membership, Organisation
from cluster.timeutil import local_to_utc

# (kind, name, start, end): the 2025-26 and 2026-27 school years of a typical English LA.
TERM_DATES = [
    ("inset", "INSET days", "2025-09-01", "2025-09-02"),
    ("term", "Autumn 1", "2025-09-03", "2025-10-24"),
    ("holiday", "October half term", "2025-10-27", "2025-10-31"),
    ("term", "Autumn 2", "2025-11-03", "2025-12-19"),
    ("holiday", "Christmas holiday", "2025-12-22", "2026-01-02"),
    ("inset", "INSET day", "2026-01-05", "2026-01-05"),
    ("term", "Spring 1", "2026-01-06", "2026-02-13"),
    ("holiday", "February half term", "2026-02-16", "2026-02-20"),
    ("term", "Spring 2", "2026-02-23", "2026-03-27"),
    ("holiday", "Easter holiday", "2026-03-30", "2026-04-10"),
    ("term", "Summer 1", "2026-04-13", "2026-05-22"),
    ("holiday", "May half term", "2026-05-25", "2026-05-29"),
    ("term", "Summer 2", "2026-06-01", "2026-07-21"),
    ("holiday", "Summer holiday", "2026-07-22", "2026-08-31"),
    ("inset", "INSET days", "2026-09-01", "2026-09-02"),
    ("term", "Autumn 1", "2026-09-03", "2026-10-23"),
    ("holiday", "October half term", "2026-10-26", "2026-10-30"),
    ("term", "Autumn 2", "2026-11-02", "2026-12-18"),
    ("holiday", "Christmas holiday", "2026-12-21", "2027-01-01"),
    ("inset", "INSET day", "2027-01-04", "2027-01-04"),
    ("term", "Spring 1", "2027-01-05", "2027-02-12"),
    ("holiday", "February half term", "2027-02-15", "2027-02-19"),
    ("term", "Spring 2", "2027-02-22", "2027-03-25"),
    ("holiday", "Easter holiday", "2027-03-26", "2027-04-09"),
    ("term", "Summer 1", "2027-04-12", "2027-05-28"),
    ("holiday", "May half term", "2027-05-31", "2027-06-04"),
    ("inset", "INSET day", "2027-06-07", "2027-06-07"),
    ("term", "Summer 2", "2027-06-08", "2027-07-21"),
]

DESCRIPTIONS = [
    "Standing items, then a focus on **{focus}**. Bring one example from your school.",
    "A half-termly meeting. Focus: **{focus}**. Tea and coffee from 13:15.",
]
FOCUS = [
    "EHC needs assessment requests",
    "provision maps",
    "transition to secondary",
    "exam access arrangements",
    "emotionally based school avoidance",
    "SEN support reviews with parents",
    "the local offer",
    "speech and language screening",
]


def _second_tuesday(start: date, end: date) -> date | None:
    day, seen = start, 0
    while day <= end:
        if day.weekday() == 1:
            seen += 1
            if seen == 2:
                return day
        day += timedelta(days=1)
    return None


def build_meetings_demo(now: datetime | None = None, seed: int = 3) -> bool:
    """Add Northbrook's calendar, meetings, replies and registers. False if present."""
    northbrook = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "northbrook"))
    if northbrook is None or db.session.scalar(
        sa.select(CalendarEntry.id).where(CalendarEntry.organisation_id == northbrook.id).limit(1)
    ):
        return False
    now, rng = now or utcnow(), random.Random(seed)
    for kind, name, start, end in TERM_DATES:
        add_entry(northbrook, kind, name, date.fromisoformat(start), date.fromisoformat(end))
    terms = [(n, date.fromisoformat(s), date.fromisoformat(e)) for k, n, s, e in TERM_DATES if k == "term"]
    networks = db.session.scalars(
        sa.select(Network).where(Network.organisation_id == northbrook.id).order_by(Network.name)
    ).all()
    for index, network in enumerate(networks):
        organiser = db.session.scalar(
            sa.select(User).where(User.id.in_(people_in(network.id, "organiser"))).order_by(User.id)
        )
        schools = member_schools(network)
        never = {schools[-1].id} if len(schools) > 3 else set()  # one school that has stopped coming
        people = network_people(network)
        upcoming_done = 0
        for term_name, start, end in terms:
            day = _second_tuesday(start, end)
            if day is None:
                continue
            day += timedelta(days=index)  # networks meet on different days of the same week
            host = schools[(terms.index((term_name, start, end)) + index) % len(schools)]
            starts, ends = local_to_utc(day, time(13, 30)), local_to_utc(day, time(16, 0))
            past = ends < now
            if not past and upcoming_done >= 3:
                break
            meeting = create_meeting(
                network,
                status="scheduled",
                created_by=organiser,
                now=min(now, starts - timedelta(days=40)),
                title=f"{term_name} network meeting",
                starts_at=starts,
                ends_at=ends,
                host_school_id=host.id,
                address="Library" if index % 2 == 0 else "Staff room",
                online_url="https://meet.example/northbrook-" + str(network.id) if index == 1 else "",
                refreshments="Tea, coffee and cake from 13:15",
                capacity=30,
                description=DESCRIPTIONS[index % 2].format(
                    focus=FOCUS[(index + len(term_name) + start.month) % len(FOCUS)]
                ),
            )
            if past and term_name == "Spring 2" and start.year == 2026 and index == 0:
                cancel_meeting(
                    meeting,
                    "Snow: the host school was closed. The agenda moves to Summer 1.",
                    now=starts - timedelta(days=1),
                )
                continue
            if past:
                meeting.status = "held"
                present = [s for s in schools if s.id not in never and rng.random() < 0.8]
                db.session.add_all(
                    Attendance(
                        organisation_id=northbrook.id,
                        meeting_id=meeting.id,
                        school_id=s.id,
                        recorded_by_id=organiser.id if organiser else None,
                        recorded_at=ends,
                    )
                    for s in present
                )
            else:
                upcoming_done += 1
                for person in people:
                    if rng.random() < (0.7 if upcoming_done == 1 else 0.3):
                        response = rng.choice(["yes", "yes", "yes", "maybe", "no"])
                        db.session.add(
                            Rsvp(
                                organisation_id=northbrook.id,
                                meeting_id=meeting.id,
                                user_id=person.id,
                                response=response,
                                mode=rng.choice(["in_person", "in_person", "online"]),
                                needs=rng.choice(
                                    ["", "", "", "Vegetarian", "Step-free access please", "Gluten free"]
                                ),
                            )
                        )
        db.session.flush()
    # Every demo account's calendar feed exists, so its address shows the moment they sign in.
    for user in db.session.scalars(
        sa.select(User).join(Membership).where(Membership.organisation_id == northbrook.id)
    ):
        subscription_for(user)
    db.session.flush()
    return True
