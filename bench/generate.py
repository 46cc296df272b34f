"""The benchmark's dataset, built with bulk inserts (``sa.insert(Model)`` with lists of dicts,
which SQLAlchemy sends as multi-row ``INSERT ... VALUES`` batches): minutes, not hours.

One function per domain, run in order by :func:`generate` (each gets the :class:`World` built so
far and adds to it). Domains that may not exist yet (moderation, feedback and actions) are
generated only if their models are importable and their tables exist, each in a savepoint, so a
half-finished domain never spoils the rest. A new domain adds a function to :data:`DOMAINS`.

The shape is a real national service's: organisations (local authorities and trusts) own schools,
grouped into networks; one or two SENCOs per school; an organiser per network; observers (EP
services) of a few networks each; five school years of half-termly meetings with agendas,
minutes, replies and registers; date polls with answers; the resource library; moderation cases
with blind judgments; feedback and actions.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib.util
import random
import time as clock
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from cluster.extensions import db, utcnow
from cluster.timeutil import local_to_utc


@dataclass(frozen=True)
class Scale:
    organisations: int
    schools: int
    users: int
    networks: int
    years: int
    resources: int
    moderation_cases: int


SCALES = {
    # One local authority: what a single app process serves today.
    "la": Scale(
        organisations=1, schools=160, users=200, networks=13, years=5, resources=700, moderation_cases=130
    ),
    # Every SENCO in England.
    "national": Scale(
        organisations=150,
        schools=24_000,
        users=30_000,
        networks=2_000,
        years=5,
        resources=100_000,
        moderation_cases=20_000,
    ),
}

PASSWORD = "bench-password-not-secret"
TOPICS = [
    "Transition to secondary",
    "Exam access arrangements",
    "EHC needs assessment requests",
    "Provision maps",
    "Emotionally based school avoidance",
    "Speech and language screening",
    "SEN support reviews",
    "Dyslexia screening",
    "Sensory circuits",
    "Annual reviews",
    "Precision teaching",
    "Zones of regulation",
]
FIRST = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Farid",
    "Grace",
    "Harry",
    "Imani",
    "Jack",
    "Kasia",
    "Liam",
    "Maya",
    "Noah",
    "Olivia",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tess",
    "Usman",
    "Vera",
    "Will",
    "Zara",
]
LAST = [
    "Ahmed",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Mensah",
    "Nowak",
    "O'Neill",
    "Patel",
    "Roberts",
    "Smith",
    "Taylor",
    "Walsh",
    "Young",
]
PHASES = ["Primary"] * 7 + ["Secondary"] * 2 + ["Not applicable", "All-through", "Nursery"]
#: Half-termly meetings: (month, week of the month) in each school year, autumn first.
HALF_TERMS = [(10, 2), (12, 1), (2, 1), (3, 3), (5, 2), (7, 1)]


@dataclass
class World:
    """What has been generated so far: ids by kind, and who is where."""

    scale: Scale
    now: datetime
    secret_key: str
    rng: random.Random
    org_ids: list[int] = field(default_factory=list)
    org_slugs: dict[int, str] = field(default_factory=dict)
    school_org: dict[int, int] = field(default_factory=dict)
    network_org: dict[int, int] = field(default_factory=dict)
    network_schools: dict[int, list[int]] = field(default_factory=dict)
    #: SENCOs: user id -> school id; the members of a network are the SENCOs of its schools.
    senco_school: dict[int, int] = field(default_factory=dict)
    network_members: dict[int, list[int]] = field(default_factory=dict)
    network_organiser: dict[int, int] = field(default_factory=dict)
    admin_of: dict[int, int] = field(default_factory=dict)  # org id -> admin user id
    user_org: dict[int, int] = field(default_factory=dict)
    meetings: dict[int, list[tuple[int, datetime, str]]] = field(
        default_factory=dict
    )  # network -> (id, start, status)
    slots_by_meeting: dict[int, list[int]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def _insert(model, rows: list[dict], *, returning: bool = False) -> list[int]:
    """Bulk insert ``rows``; the new ids in order if ``returning``. PostgreSQL: ``COPY`` (ids taken
    from the table's sequence first); elsewhere multi-row ``INSERT ... VALUES`` batches."""
    if not rows:
        return []
    if db.engine.dialect.name == "postgresql":
        return _copy(model, rows, returning)
    if returning:
        return list(
            db.session.scalars(sa.insert(model).returning(model.id, sort_by_parameter_order=True), rows)
        )
    db.session.execute(sa.insert(model), rows)
    return []


def _copy(model, rows: list[dict], returning: bool) -> list[int]:
    """``COPY table FROM STDIN`` of ``rows``, with the columns' Python-side defaults filled in (COPY
    bypasses SQLAlchemy) and JSON values wrapped for psycopg."""
    from psycopg.types.json import Jsonb

    table = model.__table__
    connection = db.session.connection()
    ids: list[int] = []
    if returning:
        sequence = connection.scalar(sa.text(f"SELECT pg_get_serial_sequence('\"{table.name}\"', 'id')"))
        ids = list(
            connection.scalars(
                sa.text(f"SELECT nextval('{sequence}') FROM generate_series(1, :n)"), {"n": len(rows)}
            )
        )
        rows = [{**row, "id": new_id} for row, new_id in zip(rows, ids)]
    names = list(rows[0])
    fill = {}
    for column in table.columns:
        if column.name not in names and column.default is not None and not column.primary_key:
            default = column.default
            fill[column.name] = default.arg(None) if default.is_callable else default.arg
    columns = names + list(fill)
    json_columns = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor:
        with cursor.copy(
            f'COPY "{table.name}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) FROM STDIN'
        ) as copy:
            extra = [fill[c] for c in fill]
            for row in rows:
                values = [row[c] for c in names] + extra
                if json_columns:
                    values = [
                        Jsonb(v) if c in json_columns and v is not None else v
                        for c, v in zip(columns, values)
                    ]
                copy.write_row(values)
    return ids


def _count(world: World, name: str, n: int) -> None:
    world.counts[name] = world.counts.get(name, 0) + n


# Organisations, schools, people, networks ---------------------------------------------------------


def generate_core(world: World) -> None:
    from cluster.auth.models import User
    from cluster.auth.passwords import hash_password
    from cluster.networks.models import Network, NetworkRole, NetworkSchool
    from cluster.schools.models import School
    from cluster.tenancy.models import Membership, Organisation

    s, rng, now = world.scale, world.rng, world.now
    orgs = [
        {
            "slug": f"bench-la-{n:03d}" if n % 5 else f"bench-trust-{n:03d}",
            "name": f"Bench {'Trust' if n % 5 == 0 else 'Council'} {n:03d}",
            "kind": "trust" if n % 5 == 0 else "local_authority",
            "created_at": now,
        }
        for n in range(1, s.organisations + 1)
    ]
    world.org_ids = _insert(Organisation, orgs, returning=True)
    world.org_slugs = {oid: o["slug"] for oid, o in zip(world.org_ids, orgs)}
    _count(world, "organisations", len(orgs))

    school_rows = []
    for n in range(s.schools):
        org_id = world.org_ids[n % len(world.org_ids)]
        urn = f"{100000 + n:06d}"
        school_rows.append(
            {
                "organisation_id": org_id,
                "urn": urn,
                "name": f"Bench School {urn}",
                "phase": rng.choice(PHASES),
                "establishment_type": "Community school",
                "la_code": f"{800 + org_id % 200}",
                "la_name": "",
                "status": "Open",
                "town": f"Town {n % 97}",
                "postcode": f"BN{n % 90 + 1} {n % 9}AB",
                "created_at": now,
                "updated_at": now,
            }
        )
    school_ids = _insert(School, school_rows, returning=True)
    world.school_org = {sid: row["organisation_id"] for sid, row in zip(school_ids, school_rows)}
    _count(world, "schools", len(school_ids))

    network_rows, per_org = [], {oid: 0 for oid in world.org_ids}
    for n in range(s.networks):
        org_id = world.org_ids[n % len(world.org_ids)]
        per_org[org_id] += 1
        network_rows.append(
            {
                "organisation_id": org_id,
                "name": f"Area {per_org[org_id]:02d} SENCO network",
                "description": "Half-termly meeting of the area's SENCOs.",
                "created_at": now,
            }
        )
    network_ids = _insert(Network, network_rows, returning=True)
    world.network_org = {nid: row["organisation_id"] for nid, row in zip(network_ids, network_rows)}
    _count(world, "networks", len(network_ids))
    networks_of_org: dict[int, list[int]] = {}
    for nid, oid in world.network_org.items():
        networks_of_org.setdefault(oid, []).append(nid)
    schools_of_org: dict[int, list[int]] = {}
    for sid, oid in world.school_org.items():
        schools_of_org.setdefault(oid, []).append(sid)
    links = []
    for oid, sids in schools_of_org.items():
        nets = networks_of_org.get(oid, [])
        for i, sid in enumerate(sids):
            if nets:
                nid = nets[i % len(nets)]
                world.network_schools.setdefault(nid, []).append(sid)
                links.append({"organisation_id": oid, "network_id": nid, "school_id": sid})
    _insert(NetworkSchool, links)
    _count(world, "network_schools", len(links))

    # People: an admin per organisation, an organiser per network, two observers per organisation,
    # and SENCOs for the rest (every school one, some two).
    password_hash = hash_password(PASSWORD)
    plan: list[tuple[str, int, int | None]] = []  # (role, org id, network or school id)
    plan += [("admin", oid, None) for oid in world.org_ids]
    plan += [("organiser", world.network_org[nid], nid) for nid in network_ids]
    plan += [("observer", oid, None) for oid in world.org_ids for _ in range(2)]
    sencos = max(s.users - len(plan), 0)
    ordered_schools = list(world.school_org)
    plan += [
        (
            "senco",
            world.school_org[ordered_schools[i % len(ordered_schools)]],
            ordered_schools[i % len(ordered_schools)],
        )
        for i in range(sencos)
    ]
    user_rows = [
        {
            "email": f"{role}{n}@{world.org_slugs[oid]}.example",
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "password_hash": password_hash,
            "is_platform_admin": False,
            "active": True,
            "time_zone": "Europe/London",
            "created_at": now,
        }
        for n, (role, oid, _) in enumerate(plan)
    ]
    user_ids = _insert(User, user_rows, returning=True)
    _count(world, "users", len(user_ids))
    memberships, roles = [], []
    for uid, (role, oid, ref) in zip(user_ids, plan):
        world.user_org[uid] = oid
        school_id = ref if role == "senco" else None
        memberships.append(
            {
                "organisation_id": oid,
                "user_id": uid,
                "is_admin": role == "admin",
                "school_id": school_id,
                "job_title": {
                    "organiser": "Advisory teacher for inclusion",
                    "observer": "Educational psychologist",
                }.get(role, ""),
                "created_at": now,
            }
        )
        if role == "admin":
            world.admin_of[oid] = uid
        elif role == "organiser":
            world.network_organiser[ref] = uid
            roles.append(
                {
                    "organisation_id": oid,
                    "network_id": ref,
                    "user_id": uid,
                    "role": "organiser",
                    "created_at": now,
                }
            )
        elif role == "observer":
            for nid in rng.sample(networks_of_org.get(oid, []), min(3, len(networks_of_org.get(oid, [])))):
                roles.append(
                    {
                        "organisation_id": oid,
                        "network_id": nid,
                        "user_id": uid,
                        "role": "observer",
                        "created_at": now,
                    }
                )
        else:
            world.senco_school[uid] = school_id
    _insert(Membership, memberships)
    _insert(NetworkRole, roles)
    _count(world, "memberships", len(memberships))
    _count(world, "network_roles", len(roles))
    school_network = {sid: nid for nid, sids in world.network_schools.items() for sid in sids}
    for uid, sid in world.senco_school.items():
        if sid in school_network:
            world.network_members.setdefault(school_network[sid], []).append(uid)


# Meetings, agendas, minutes, replies, registers ------------------------------------------------------


def _school_years(now: datetime, years: int) -> list[int]:
    """The starting calendar years of ``years`` school years: four back and the current one."""
    current = now.year if now.month >= 9 else now.year - 1
    return list(range(current - years + 1, current + 1))


def _nth_weekday(year: int, month: int, week: int, weekday: int = 1) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


def generate_meetings(world: World) -> None:
    from cluster.agenda.models import Agenda, AgendaItem, AgendaSlot, StandingItem
    from cluster.meetings.models import Attendance, Meeting, Rsvp

    rng, now = world.rng, world.now
    rows = []
    for nid, oid in world.network_org.items():
        schools = world.network_schools.get(nid, [])
        for start_year in _school_years(now, world.scale.years):
            for month, week in HALF_TERMS:
                day = _nth_weekday(start_year + (month < 9), month, week, weekday=nid % 4)
                starts = local_to_utc(day, time(13, 30))
                status = "held" if starts < now else "scheduled"
                rows.append(
                    {
                        "organisation_id": oid,
                        "network_id": nid,
                        "title": f"{('Autumn', 'Spring', 'Summer')[HALF_TERMS.index((month, week)) // 2]} meeting",
                        "starts_at": starts,
                        "ends_at": starts + timedelta(hours=2, minutes=30),
                        "host_school_id": schools[(month + start_year) % len(schools)] if schools else None,
                        "address": "",
                        "online_url": "https://meet.example/senco" if month in (12, 3) else "",
                        "refreshments": "Tea, coffee and biscuits",
                        "capacity": None,
                        "description": "Matters arising, moderation, a guest speaker and an LA update.",
                        "status": status,
                        "cancel_reason": "",
                        "uid": f"{uuid.UUID(int=rng.getrandbits(128))}@cluster",
                        "sequence": 0,
                        "changed_at": starts - timedelta(days=60),
                        "series_id": None,
                        "created_by_id": world.network_organiser.get(nid),
                        "created_at": starts - timedelta(days=60),
                        "updated_at": starts - timedelta(days=60),
                    }
                )
    ids = _insert(Meeting, rows, returning=True)
    for mid, row in zip(ids, rows):
        world.meetings.setdefault(row["network_id"], []).append((mid, row["starts_at"], row["status"]))
    _count(world, "meetings", len(ids))

    standing = _insert(
        StandingItem,
        [
            {
                "organisation_id": oid,
                "network_id": nid,
                "title": "LA SEND update",
                "minutes": 15,
                "presenter": "LA SEND team",
                "at_end": False,
                "position": 0,
                "active": True,
                "created_at": now,
            }
            for nid, oid in world.network_org.items()
        ],
        returning=True,
    )
    standing_of = dict(zip(world.network_org, standing))

    # An agenda for every held meeting (closed, with minutes) and the next one (published); three
    # proposed items on each, all of them once proposals by member schools.
    items, agendas, agenda_meta = [], [], []
    for nid, meetings in world.meetings.items():
        oid, members = world.network_org[nid], world.network_members.get(nid, [])
        upcoming = [m for m in meetings if m[2] == "scheduled"]
        with_agenda = [m for m in meetings if m[2] == "held"] + upcoming[:1]
        for mid, starts, status in with_agenda:
            agendas.append(
                {
                    "organisation_id": oid,
                    "meeting_id": mid,
                    "network_id": nid,
                    "status": "closed" if status == "held" else "published",
                    "plan_version": 3,
                    "published_version": 3,
                    "published_at": starts - timedelta(days=7),
                    "published_by_id": world.network_organiser.get(nid),
                    "matters_snapshot": [],
                    "minute_taker_id": world.network_organiser.get(nid),
                    "minutes_updated_at": starts + timedelta(hours=3) if status == "held" else None,
                    "closed_at": starts + timedelta(days=1) if status == "held" else None,
                    "created_at": starts - timedelta(days=20),
                }
            )
            agenda_meta.append((nid, mid, starts, status))
            for k in range(3):
                proposer = members[(k + starts.month) % len(members)] if members else None
                items.append(
                    {
                        "organisation_id": oid,
                        "network_id": nid,
                        "title": TOPICS[(k + starts.month + nid) % len(TOPICS)],
                        "description": "What works for us, and what we would like to hear from others.",
                        "kind": ("discussion", "information", "training")[k],
                        "for_primary": True,
                        "for_secondary": k != 1,
                        "for_special": False,
                        "minutes_needed": 20,
                        "target_meeting_id": mid,
                        "status": "done" if status == "held" else "placed",
                        "support_count": 0,
                        "comment_count": 0,
                        "proposed_by_id": proposer,
                        "proposer_school_id": world.senco_school.get(proposer),
                        "created_at": starts - timedelta(days=30),
                        "updated_at": starts - timedelta(days=7),
                    }
                )
        # Open proposals for the next meeting, with supports.
        for k in range(4):
            proposer = members[k % len(members)] if members else None
            items.append(
                {
                    "organisation_id": oid,
                    "network_id": nid,
                    "title": f"{TOPICS[(k + nid) % len(TOPICS)]}: proposal",
                    "description": "Could we share how we do this?",
                    "kind": "discussion",
                    "for_primary": True,
                    "for_secondary": True,
                    "for_special": False,
                    "minutes_needed": 15,
                    "target_meeting_id": None,
                    "status": "open",
                    "support_count": min(k + 2, len(members)),
                    "comment_count": 0,
                    "proposed_by_id": proposer,
                    "proposer_school_id": world.senco_school.get(proposer),
                    "created_at": now - timedelta(days=k + 1),
                    "updated_at": now - timedelta(days=k + 1),
                }
            )
    item_ids = _insert(AgendaItem, items, returning=True)
    agenda_ids = _insert(Agenda, agendas, returning=True)
    _count(world, "agenda_items", len(item_ids))
    _count(world, "agendas", len(agenda_ids))
    items_by_meeting: dict[int, list[tuple[int, str]]] = {}
    open_items: dict[int, list[tuple[int, int]]] = {}
    for iid, row in zip(item_ids, items):
        if row["target_meeting_id"]:
            items_by_meeting.setdefault(row["target_meeting_id"], []).append((iid, row["title"]))
        else:
            open_items.setdefault(row["network_id"], []).append((iid, row["support_count"]))
    slots = []
    for aid, (nid, mid, starts, status) in zip(agenda_ids, agenda_meta):
        oid = world.network_org[nid]
        entries = [
            ("matters", None, None, "Matters arising", 10),
            ("standing", None, standing_of[nid], "LA SEND update", 15),
        ]
        entries += [("item", iid, None, title, 20) for iid, title in items_by_meeting.get(mid, [])]
        for position, (kind, iid, sid, title, minutes) in enumerate(entries):
            held = status == "held"
            slots.append(
                {
                    "organisation_id": oid,
                    "agenda_id": aid,
                    "position": position,
                    "kind": kind,
                    "item_id": iid,
                    "standing_item_id": sid,
                    "title": title,
                    "minutes": minutes,
                    "presenter": "",
                    "at_end": False,
                    "outcome": "discussed" if held else "",
                    "minutes_text": "Discussed; colleagues shared practice. See the shared resources."
                    if held
                    else "",
                    "decisions": "Share the template with every school." if held and kind == "item" else "",
                    "minutes_version": 1 if held else 0,
                    "minutes_updated_at": starts + timedelta(hours=3) if held else None,
                    "created_at": starts - timedelta(days=20),
                }
            )
    slot_ids = _insert(AgendaSlot, slots, returning=True)
    for sid, row in zip(slot_ids, slots):
        world.slots_by_meeting.setdefault(row["agenda_id"], []).append(sid)
    _count(world, "agenda_slots", len(slot_ids))

    from cluster.agenda.models import AgendaSupport

    supports = []
    for nid, entries in open_items.items():
        members = world.network_members.get(nid, [])
        for iid, count in entries:
            for uid in members[:count]:
                supports.append(
                    {
                        "organisation_id": world.network_org[nid],
                        "item_id": iid,
                        "user_id": uid,
                        "school_id": world.senco_school.get(uid),
                        "created_at": now - timedelta(hours=5),
                    }
                )
    _insert(AgendaSupport, supports)
    _count(world, "agenda_supports", len(supports))

    # Replies to the next two meetings, and the register of the last year's held meetings.
    rsvps, registers = [], []
    for nid, meetings in world.meetings.items():
        oid, members = world.network_org[nid], world.network_members.get(nid, [])
        for mid, _starts, _status in [m for m in meetings if m[2] == "scheduled"][:2]:
            for k, uid in enumerate(members):
                rsvps.append(
                    {
                        "organisation_id": oid,
                        "meeting_id": mid,
                        "user_id": uid,
                        "response": ("yes", "yes", "maybe", "no")[k % 4],
                        "mode": "online" if k % 3 == 0 else "in_person",
                        "needs": "",
                        "updated_at": now - timedelta(days=k % 9),
                    }
                )
        for mid, starts, _status in [
            m for m in meetings if m[2] == "held" and m[1] > now - timedelta(days=365)
        ]:
            for k, sid in enumerate(world.network_schools.get(nid, [])):
                if k % 4 != 3:
                    registers.append(
                        {
                            "organisation_id": oid,
                            "meeting_id": mid,
                            "school_id": sid,
                            "recorded_by_id": world.network_organiser.get(nid),
                            "recorded_at": starts + timedelta(hours=2),
                        }
                    )
    _insert(Rsvp, rsvps)
    _insert(Attendance, registers)
    _count(world, "rsvps", len(rsvps))
    _count(world, "attendance", len(registers))


# Date polls ------------------------------------------------------------------------------------------


def generate_polls(world: World) -> None:
    from cluster.polls.models import DatePoll, PollAnswer, PollSlot

    now = world.now
    polls, meta = [], []
    for nid, oid in world.network_org.items():
        polls.append(
            {
                "organisation_id": oid,
                "network_id": nid,
                "title": "Summer term meeting",
                "description": "Choose the dates you can make.",
                "closes_at": now + timedelta(days=10),
                "status": "open",
                "closed_at": None,
                "meeting_id": None,
                "created_by_id": world.network_organiser.get(nid),
                "created_at": now - timedelta(days=3),
            }
        )
        meta.append(nid)
    poll_ids = _insert(DatePoll, polls, returning=True)
    slots, slot_meta = [], []
    for pid, nid in zip(poll_ids, meta):
        base = (now + timedelta(days=45)).date()
        for d in (0, 1, 7, 8):
            starts = local_to_utc(base + timedelta(days=d), time(13, 30))
            slots.append(
                {
                    "organisation_id": world.network_org[nid],
                    "poll_id": pid,
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=2, minutes=30),
                    "place": "",
                    "chosen": False,
                }
            )
            slot_meta.append((pid, nid))
    slot_ids = _insert(PollSlot, slots, returning=True)
    answers = []
    for sid, (pid, nid) in zip(slot_ids, slot_meta):
        for k, uid in enumerate(world.network_members.get(nid, [])):
            if k % 5 != 4:  # four in five have answered
                answers.append(
                    {
                        "organisation_id": world.network_org[nid],
                        "poll_id": pid,
                        "slot_id": sid,
                        "user_id": uid,
                        "for_deputy": False,
                        "answer": ("yes", "maybe", "no")[(sid + k) % 3],
                        "updated_at": now - timedelta(days=1),
                    }
                )
    _insert(PollAnswer, answers)
    _count(world, "date_polls", len(poll_ids))
    _count(world, "poll_slots", len(slot_ids))
    _count(world, "poll_answers", len(answers))


# The resource library ----------------------------------------------------------------------------------


def generate_resources(world: World) -> None:
    from cluster.resources.models import AREAS_OF_NEED, Resource

    rng, now = world.rng, world.now
    networks = list(world.network_org)
    areas, phases = list(AREAS_OF_NEED), ["primary", "secondary", "all"]
    rows = []
    for n in range(world.scale.resources):
        nid = networks[n % len(networks)]
        members = world.network_members.get(nid) or [world.network_organiser.get(nid)]
        topic = TOPICS[(n // len(networks)) % len(TOPICS)]
        created = now - timedelta(days=rng.randint(0, 5 * 365), minutes=n % 1440)
        title = f"{topic}: guidance {n // len(networks) + 1}"
        rows.append(
            {
                "organisation_id": world.network_org[nid],
                "network_id": nid,
                "owner_id": members[n % len(members)],
                "title": title,
                "description": f"What we use for {topic.lower()}, with notes.",
                "area_of_need": areas[n % len(areas)],
                "phase": phases[n % 3],
                "tags": "guidance, template",
                "kind": "link",
                "url": f"https://example.org/resources/{n}",
                "visibility": "organisation" if n % 4 == 0 else "network",
                "meeting_id": None,
                "agenda_item_id": None,
                "search_text": f"{title} what we use for {topic.lower()} with notes guidance template",
                "download_count": n % 37,
                "recommended": n % 11 == 0,
                "review_on": (created + timedelta(days=365)).date(),
                "created_at": created,
                "updated_at": created,
            }
        )
    for start in range(0, len(rows), 20_000):
        _insert(Resource, rows[start : start + 20_000])
    _count(world, "resources", len(rows))


# Calendar feeds --------------------------------------------------------------------------------------------


def feed_token_for(secret_key: str, nonce: str) -> str:
    """The token the app derives for a subscription (:func:`cluster.feeds.subscriptions.feed_token`)."""
    digest = hmac.new(secret_key.encode(), f"feed:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def generate_feeds(world: World) -> None:
    """A feed subscription for every SENCO and organiser (calendar clients poll them all)."""
    from cluster.auth.tokens import hash_token
    from cluster.feeds.models import FeedSubscription

    rows = []
    for uid in list(world.senco_school) + list(world.network_organiser.values()):
        nonce = f"{uid:016x}" + hashlib.sha256(f"bench-{uid}".encode()).hexdigest()[:48]
        rows.append(
            {
                "user_id": uid,
                "nonce": nonce,
                "token_hash": hash_token(feed_token_for(world.secret_key, nonce)),
                "include_polls": uid % 2 == 0,
                "include_actions": False,
                "created_at": world.now - timedelta(days=30),
                "last_fetched_at": None,
            }
        )
    _insert(FeedSubscription, rows)
    _count(world, "feed_subscriptions", len(rows))


# Moderation cases (if the domain is there) ------------------------------------------------------------------


def generate_moderation(world: World) -> None:
    from cluster.moderation.models import Judgment, ModerationCase, ModerationScale, ScaleLevel

    now = world.now
    scale_ids = _insert(
        ModerationScale,
        [
            {
                "organisation_id": oid,
                "name": "Banding for SEN support and EHCPs",
                "description": "The authority's five bands.",
                "retention_months": 12,
                "updated_at": now,
            }
            for oid in world.org_ids
        ],
        returning=True,
    )
    levels = [
        {
            "organisation_id": oid,
            "scale_id": sid,
            "position": p,
            "label": f"Band {p + 1}",
            "descriptor": "Needs met through ordinarily available provision."
            if p == 0
            else "Additional provision.",
        }
        for oid, sid in zip(world.org_ids, scale_ids)
        for p in range(5)
    ]
    level_ids = _insert(ScaleLevel, levels, returning=True)
    levels_of: dict[int, list[int]] = {}
    for lid, row in zip(level_ids, levels):
        levels_of.setdefault(row["organisation_id"], []).append(lid)
    needs = ["SPLD", "MLD", "SEMH", "SLCN", "ASD", "PD", "OTH"]
    networks = list(world.network_org)
    cases = []
    for n in range(world.scale.moderation_cases):
        nid = networks[n % len(networks)]
        oid, members = world.network_org[nid], world.network_members.get(nid, [])
        submitter = members[n % len(members)] if members else None
        band = levels_of[oid]
        status = ("open", "open", "closed", "closed", "draft")[n % 5]
        created = now - timedelta(days=(n * 7) % 300)
        cases.append(
            {
                "organisation_id": oid,
                "network_id": nid,
                "school_id": world.senco_school.get(submitter),
                "submitted_by_id": submitter,
                "year_group": str(n % 11 + 1),
                "primary_need": needs[n % len(needs)],
                "secondary_need": "",
                "current_level_id": band[n % 3],
                "proposed_level_id": band[n % 3 + 1],
                "question": "Is the proposed band right for this pupil's needs?",
                "apdr": "Two cycles of assess, plan, do, review with small-group intervention.",
                "pupil_voice": "Finds busy rooms hard.",
                "parent_voice": "Worried about transition.",
                "agency_advice": "EP consultation last term.",
                "assessments": "Standardised scores below 85.",
                "parents_know": True,
                "anonymised": True,
                "hide_school": n % 3 == 0,
                "status": status,
                "closes_at": created + timedelta(days=21) if status != "draft" else None,
                "shared_at": created if status != "draft" else None,
                "closed_at": created + timedelta(days=21) if status == "closed" else None,
                "outcome_level_id": band[n % 3 + 1] if status == "closed" else None,
                "outcome_reason": "Agreed at the meeting." if status == "closed" else "",
                "outcome_at": created + timedelta(days=21) if status == "closed" else None,
                "retention_until": (created + timedelta(days=365)).date(),
                "created_at": created,
                "updated_at": created,
            }
        )
    case_ids = _insert(ModerationCase, cases, returning=True)
    judgments = []
    for cid, row in zip(case_ids, cases):
        if row["status"] == "draft":
            continue
        members = [u for u in world.network_members.get(row["network_id"], []) if u != row["submitted_by_id"]]
        for k, uid in enumerate(members[:4]):
            judgments.append(
                {
                    "organisation_id": row["organisation_id"],
                    "case_id": cid,
                    "user_id": uid,
                    "level_id": levels_of[row["organisation_id"]][(cid + k) % 4],
                    "rationale": "",
                    "created_at": row["created_at"] + timedelta(days=2),
                    "updated_at": row["created_at"] + timedelta(days=2),
                }
            )
    _insert(Judgment, judgments)
    _count(world, "moderation_cases", len(case_ids))
    _count(world, "judgments", len(judgments))


# Feedback and actions (if the domains are there) -------------------------------------------------------------


def generate_feedback_and_actions(world: World) -> None:
    from cluster.actions.models import Action
    from cluster.feedback.models import FeedbackResponse

    now = world.now
    responses, actions = [], []
    for nid, meetings in world.meetings.items():
        oid, members = world.network_org[nid], world.network_members.get(nid, [])
        held = [m for m in meetings if m[2] == "held"]
        for mid, starts, _ in held[-6:]:  # the last school year's meetings
            for k, uid in enumerate(members[:6]):
                responses.append(
                    {
                        "organisation_id": oid,
                        "meeting_id": mid,
                        "network_id": nid,
                        "user_id": uid,
                        "usefulness": 3 + k % 3,
                        "relevance": 2 + k % 4,
                        "keep": "The case discussions.",
                        "change": "More time for moderation." if k % 2 else "",
                        "add": "",
                        "anonymous": k % 3 == 0,
                        "created_at": starts + timedelta(days=1),
                        "updated_at": starts + timedelta(days=1),
                    }
                )
            for k in range(2):
                owner = members[k % len(members)] if members else None
                due = (starts + timedelta(days=30)).date()
                actions.append(
                    {
                        "organisation_id": oid,
                        "network_id": nid,
                        "meeting_id": mid,
                        "theme_id": None,
                        "description": "Share the provision map template with every school.",
                        "owner_user_id": owner,
                        "owner_school_id": None,
                        "due_on": due,
                        "status": "done" if due < now.date() - timedelta(days=60) else "open",
                        "outcome": "",
                        "created_by_id": world.network_organiser.get(nid),
                        "created_at": starts + timedelta(days=1),
                        "updated_at": starts + timedelta(days=1),
                        "closed_at": None,
                    }
                )
    _insert(FeedbackResponse, [_fit(FeedbackResponse, r) for r in responses])
    _insert(Action, [_fit(Action, r) for r in actions])
    _count(world, "feedback_responses", len(responses))
    _count(world, "actions", len(actions))


def _fit(model, row: dict) -> dict:
    """``row`` without the keys ``model`` has no column for (the domain may still be changing)."""
    columns = set(model.__table__.columns.keys())
    return {k: v for k, v in row.items() if k in columns}


# Running them ----------------------------------------------------------------------------------------------------


def _have(module: str, *tables: str) -> bool:
    """Is the (optional) domain there: its models importable and its tables migrated?"""
    if importlib.util.find_spec(module) is None:
        return False
    names = set(sa.inspect(db.session.connection()).get_table_names())
    return all(t in names for t in tables)


#: (name, generate, is it there?) in the order they run; optional domains say how to find them.
DOMAINS: list[tuple[str, Callable[[World], None], Callable[[], bool]]] = [
    ("core", generate_core, lambda: True),
    ("meetings", generate_meetings, lambda: True),
    ("polls", generate_polls, lambda: True),
    ("resources", generate_resources, lambda: True),
    ("feeds", generate_feeds, lambda: True),
    (
        "moderation",
        generate_moderation,
        lambda: _have("cluster.moderation.models", "moderation_case", "judgment", "scale_level"),
    ),
    (
        "feedback_actions",
        generate_feedback_and_actions,
        lambda: (
            _have("cluster.feedback.models", "feedback_response")
            and _have("cluster.actions.models", "action")
        ),
    ),
]


def generate(
    scale: Scale, *, secret_key: str, seed: int = 11, log=print, now: datetime | None = None
) -> World:
    """Build the dataset into the app's (empty, migrated) database and commit. Returns the world."""
    world = World(scale=scale, now=now or utcnow(), secret_key=secret_key, rng=random.Random(seed))
    for name, build, present in DOMAINS:
        if not present():
            log(f"  {name}: skipped (not in this checkout yet)")
            world.timings[name] = 0.0
            continue
        started = clock.perf_counter()
        savepoint = db.session.begin_nested()
        try:
            build(world)
            savepoint.commit()
        except Exception as error:  # an optional domain mid-change must not spoil the rest
            savepoint.rollback()
            if name in ("core", "meetings", "polls", "resources", "feeds"):
                raise
            log(f"  {name}: skipped ({type(error).__name__}: {str(error).splitlines()[0][:160]})")
            continue
        db.session.commit()
        world.timings[name] = round(clock.perf_counter() - started, 1)
        log(f"  {name}: {world.timings[name]:.1f} s")
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    return world
