"""Demo content for the digest: Northbrook's people get preferences that make their digest due
the moment the demo is built, and, if the demo has no meetings or date polls of its own yet,
a realistic half term of them. Running the digest job once then writes a digest per person
into ``instance/outbox/`` (with the file mail backend), and the preview page shows one at once.

Idempotent: preferences are only added for people who have none, and meetings and polls only
when Northbrook has none.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.digests.models import DigestPreference
from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting, Rsvp
from cluster.meetings.services import create_meeting
from cluster.networks.models import Network, NetworkRole
from cluster.networks.queries import sencos_of
from cluster.polls.models import DatePoll, PollAnswer, PollSlot
from cluster.schools.models import School
from cluster.tenancy.models import Membership, Organisation
from cluster.timeutil import LONDON, local_to_utc

#: (network, title, days ahead, start, end, host URN, address, online, refreshments, status)
MEETINGS = [
    (
        "North primary SENCOs",
        "Autumn 2 network meeting",
        6,
        time(13, 30),
        time(16, 0),
        "990107",
        "Community room",
        "https://meet.example/northbrook-primary",
        "Tea, coffee and cake",
        "scheduled",
    ),
    (
        "North primary SENCOs",
        "Spring 1 network meeting",
        49,
        time(13, 30),
        time(16, 0),
        "990109",
        "Library",
        "",
        "Tea and coffee",
        "scheduled",
    ),
    (
        "Secondary SENCO network",
        "Exam access arrangements briefing",
        9,
        time(15, 45),
        time(17, 0),
        None,
        "",
        "https://meet.example/northbrook-secondary",
        "",
        "scheduled",
    ),
    (
        "Special schools and AP",
        "Outreach and placements panel",
        12,
        time(9, 30),
        time(12, 0),
        "990401",
        "Hall",
        "",
        "Lunch provided",
        "scheduled",
    ),
    (
        "Special schools and AP",
        "Moderation of top-up requests",
        23,
        time(13, 30),
        time(15, 30),
        "990402",
        "",
        "",
        "",
        "cancelled",
    ),
]
#: (network, title, closes in days, [(days ahead, start, end)])
POLLS = [
    (
        "North primary SENCOs",
        "Spring 2 meeting: which dates suit you?",
        4,
        [(63, time(13, 30), time(16, 0)), (65, time(13, 30), time(16, 0)), (70, time(9, 30), time(12, 0))],
    ),
    (
        "Secondary SENCO network",
        "Transition day with the primary SENCOs",
        7,
        [(35, time(13, 30), time(15, 30)), (42, time(13, 30), time(15, 30))],
    ),
]
#: Replies to the first meeting of each network, by SENCO number; everyone else has not replied.
REPLIES = {2: "yes", 3: "yes", 4: "maybe", 5: "no", 11: "yes", 12: "maybe", 17: "yes", 18: "yes"}
#: SENCOs who have already answered the polls of their network (senco1 has not: their digest asks them to).
ANSWERED = {2, 3, 4, 11}


def build_digest_demo(now: datetime | None = None) -> bool:
    """Make Northbrook's digest demo ready (see the module docstring). Flushes; the caller commits.
    Returns whether anything was added."""
    now = now or utcnow()
    northbrook = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "northbrook"))
    if northbrook is None:
        return False
    networks = {
        n.name: n
        for n in db.session.scalars(sa.select(Network).where(Network.organisation_id == northbrook.id))
    }
    added = False
    if not db.session.scalar(sa.select(Meeting.id).where(Meeting.organisation_id == northbrook.id).limit(1)):
        _meetings(northbrook, networks, now)
        added = True
    if not db.session.scalar(
        sa.select(DatePoll.id).where(DatePoll.organisation_id == northbrook.id).limit(1)
    ):
        _polls(northbrook, networks, now)
        added = True
    return _preferences(northbrook, now) or added


def _day(now: datetime, days: int):
    """The day ``days`` from now, or the Monday after if that is a weekend (networks meet on school days)."""
    day = (now + timedelta(days=days)).astimezone(LONDON).date()
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def _sencos(organisation: Organisation) -> dict[int, User]:
    users = db.session.scalars(sa.select(User).where(User.email.like("senco%@northbrook.example")))
    return {
        int(u.email.split("@")[0].removeprefix("senco")): u
        for u in users
        if u.email.split("@")[0].removeprefix("senco").isdigit()
    }


def _meetings(organisation: Organisation, networks: dict[str, Network], now: datetime) -> None:
    schools = {
        s.urn: s
        for s in db.session.scalars(sa.select(School).where(School.organisation_id == organisation.id))
    }
    organiser = db.session.scalar(sa.select(User).where(User.email == "organiser@northbrook.example"))
    sencos = _sencos(organisation)
    replied: set[int] = set()
    for network_name, title, days, start, end, urn, address, online, refreshments, status in MEETINGS:
        network = networks.get(network_name)
        if network is None:
            continue
        day = _day(now, days)
        # Planned a few weeks ago, except the later meetings, added this week (so they are new).
        created = now - timedelta(days=2 if days > 14 else 30)
        meeting = create_meeting(
            network,
            created_by=organiser,
            status="scheduled",
            now=created,
            title=title,
            starts_at=local_to_utc(day, start),
            ends_at=local_to_utc(day, end),
            host_school_id=schools[urn].id if urn in schools else None,
            address=address,
            online_url=online,
            refreshments=refreshments,
        )
        if status == "cancelled":
            meeting.status, meeting.sequence, meeting.changed_at = "cancelled", 1, now - timedelta(days=1)
            meeting.cancel_reason = (
                "The educational psychology service cannot attend that day: moved to the next meeting."
            )
        if network.id in replied or status != "scheduled":
            continue
        replied.add(network.id)
        members = _member_sencos(network, sencos)
        for number, response in REPLIES.items():
            if number in members:
                db.session.add(
                    Rsvp(
                        organisation_id=organisation.id,
                        meeting_id=meeting.id,
                        user_id=members[number].id,
                        response=response,
                        mode="online" if number % 4 == 0 else "in_person",
                        updated_at=created + timedelta(days=1),
                    )
                )
    db.session.flush()


def _member_sencos(network: Network, sencos: dict[int, User]) -> dict[int, User]:
    member_user_ids = set(db.session.scalars(sencos_of(network.id)))
    return {n: u for n, u in sencos.items() if u.id in member_user_ids}


def _polls(organisation: Organisation, networks: dict[str, Network], now: datetime) -> None:
    organiser = db.session.scalar(sa.select(User).where(User.email == "organiser@northbrook.example"))
    sencos = _sencos(organisation)
    for network_name, title, closes_in, slots in POLLS:
        network = networks.get(network_name)
        if network is None:
            continue
        close_day = _day(now, closes_in)
        poll = DatePoll(
            organisation_id=organisation.id,
            network_id=network.id,
            title=title,
            status="open",
            description="Choose every date you could come to.",
            closes_at=local_to_utc(close_day, time(17, 0)),
            created_at=now - timedelta(days=3),
            created_by_id=organiser.id if organiser else None,
        )
        poll.slots = [
            PollSlot(
                organisation_id=organisation.id,
                starts_at=local_to_utc(_day(now, d), s),
                ends_at=local_to_utc(_day(now, d), e),
            )
            for d, s, e in slots
        ]
        db.session.add(poll)
        db.session.flush()
        for number, user in _member_sencos(network, sencos).items():
            if number in ANSWERED:
                for i, slot in enumerate(poll.slots):
                    db.session.add(
                        PollAnswer(
                            organisation_id=organisation.id,
                            poll_id=poll.id,
                            slot_id=slot.id,
                            user_id=user.id,
                            answer=("yes", "maybe", "no")[(number + i) % 3],
                            updated_at=now - timedelta(days=1),
                        )
                    )
    db.session.flush()


def _preferences(organisation: Organisation, now: datetime) -> bool:
    """Everyone in a Northbrook network gets a preference due now (weekly on today, at this hour:
    so that the job writes their digest straight away), senco2 a daily one, if they have none."""
    local = now.astimezone(LONDON)
    in_networks = sa.union(
        sa.select(NetworkRole.user_id).where(NetworkRole.organisation_id == organisation.id),
        sa.select(Membership.user_id).where(
            Membership.organisation_id == organisation.id, Membership.school_id.is_not(None)
        ),
    )
    people = db.session.scalars(
        sa.select(User)
        .where(User.id.in_(in_networks))
        .where(~sa.exists().where(DigestPreference.user_id == User.id))
        .order_by(User.id)
    ).all()
    for person in people:
        daily = person.email == "senco2@northbrook.example"
        db.session.add(
            DigestPreference(
                user_id=person.id,
                frequency="daily" if daily else "weekly",
                weekday=local.weekday(),
                hour=local.hour,
                pause_in_holidays=False,
                updated_at=now,
            )
        )
    db.session.flush()
    return bool(people)
