"""Build the demo organisations (idempotent) and, on request, a large authority for load checks."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import time, timedelta

import sqlalchemy as sa

from cluster.auth.models import Invitation, User
from cluster.auth.passwords import hash_password
from cluster.auth.services import INVITATION_LIFETIME
from cluster.auth.tokens import new_token
from cluster.extensions import db, utcnow
from cluster.meetings.services import create_meeting
from cluster.networks.models import Network, NetworkRole, NetworkSchool
from cluster.networks.services import appoint, create_network, set_member_schools
from cluster.schools.models import School
from cluster.tenancy.models import Membership, Organisation
from cluster.timeutil import LONDON, local_to_utc
from cluster.web.demo import data
from cluster.web.demo.large import populate_features


def _user(email: str, name: str, password_hash: str, *, platform_admin: bool = False) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, password_hash=password_hash, is_platform_admin=platform_admin)
        db.session.add(user)
        db.session.flush()
    return user


def _member(
    org: Organisation, user: User, *, is_admin=False, school: School | None = None, job_title=""
) -> None:
    db.session.add(
        Membership(
            organisation_id=org.id,
            user_id=user.id,
            is_admin=is_admin,
            school_id=school.id if school else None,
            job_title=job_title,
        )
    )


def _schools(org: Organisation, rows, la_code: str, la_name: str) -> dict[str, School]:
    schools = {}
    for urn, name, phase, kind, town in rows:
        school = School(
            organisation_id=org.id,
            urn=urn,
            name=name,
            phase=phase,
            establishment_type=kind,
            la_code=la_code,
            la_name=la_name,
            status="Open",
            town=town,
            postcode=f"NB{1 + int(urn[-2:]) % 9} {int(urn[-1]) + 1}AB",
        )
        db.session.add(school)
        schools[urn] = school
    db.session.flush()
    return schools


def build_demo() -> bool:
    """Create Northbrook, Eastwick and the platform admin; False if they already exist."""
    if db.session.scalar(sa.select(Organisation.id).where(Organisation.slug == "northbrook")):
        return False
    nb_hash = hash_password(data.NORTHBROOK_PASSWORD)
    ew_hash = hash_password(data.EASTWICK_PASSWORD)

    _user(
        "platform@cluster.example",
        "Platform Admin",
        hash_password(data.PLATFORM_PASSWORD),
        platform_admin=True,
    )

    northbrook = Organisation(slug="northbrook", name="Northbrook Council", kind="local_authority")
    db.session.add(northbrook)
    db.session.flush()
    schools = _schools(northbrook, data.NORTHBROOK_SCHOOLS, "990", "Northbrook")

    admin = _user("admin@northbrook.example", "Margaret Hale", nb_hash)
    _member(northbrook, admin, is_admin=True, job_title="SEND service manager")
    organiser = _user("organiser@northbrook.example", "Sophie Adeyemi", nb_hash)
    _member(northbrook, organiser, job_title="Advisory teacher for inclusion")
    organiser2 = _user("organiser2@northbrook.example", "Mark Ellison", nb_hash)
    _member(northbrook, organiser2, job_title="Lead SENCO, Oakfield outreach")
    ep = _user("ep@northbrook.example", "Dr Ruth Okonjo", nb_hash)
    _member(northbrook, ep, job_title="Educational psychology service")
    for i, ((first, last), urn) in enumerate(
        zip(data.NORTHBROOK_SENCOS, data.NORTHBROOK_SENCO_SCHOOLS), start=1
    ):
        senco = _user(f"senco{i}@northbrook.example", f"{first} {last}", nb_hash)
        _member(northbrook, senco, school=schools[urn])

    for name, spec in data.NORTHBROOK_NETWORKS.items():
        network = create_network(northbrook, name, spec["description"])
        set_member_schools(network, [schools[urn] for urn in spec["urns"]])
        appoint(network, organiser, "organiser")
        appoint(network, ep, "observer")
        if name == "Special schools and AP":
            appoint(network, organiser2, "organiser")
        elif name == "Secondary SENCO network":
            appoint(network, organiser2, "organiser")

    eastwick = Organisation(slug="eastwick", name="Eastwick Learning Trust", kind="trust")
    db.session.add(eastwick)
    db.session.flush()
    ew_schools = _schools(eastwick, data.EASTWICK_SCHOOLS, "991", "Eastwick")
    ew_admin = _user("admin@eastwick.example", "Graham Pike", ew_hash)
    _member(eastwick, ew_admin, is_admin=True, job_title="Trust SEND lead")
    ew_urns = list(ew_schools)
    for i, (first, last) in enumerate(data.EASTWICK_SENCOS, start=1):
        senco = _user(f"senco{i}@eastwick.example", f"{first} {last}", ew_hash)
        _member(eastwick, senco, school=ew_schools[ew_urns[i - 1]])
    network = create_network(eastwick, "Trust SENCO forum", "All SENCOs of Eastwick Learning Trust.")
    set_member_schools(network, list(ew_schools.values()))
    appoint(network, ew_admin, "organiser")
    db.session.flush()
    return True


LARGE_SLUG = "largeshire"


def build_large(schools: int = 300, networks: int = 12, users: int = 1000, seed: int = 7) -> bool:
    """A large authority (bulk inserts, seconds not minutes) so that query counts can be compared
    between small and large data. Its admin is ``admin@largeshire.example``; every account's
    password is ``northbrook-demo``. Returns False if it already exists."""
    if db.session.scalar(sa.select(Organisation.id).where(Organisation.slug == LARGE_SLUG)):
        return False
    org = Organisation(slug=LARGE_SLUG, name="Largeshire County Council", kind="local_authority")
    db.session.add(org)
    db.session.flush()
    password_hash = hash_password(data.NORTHBROOK_PASSWORD)
    admin = _user(f"admin@{LARGE_SLUG}.example", "Largeshire Admin", password_hash)
    _member(org, admin, is_admin=True, job_title="SEND service manager")
    db.session.flush()
    grow_organisation(
        org,
        schools=schools,
        networks=networks,
        users=users - 1,
        invitations=users // 20,
        meetings=6,
        seed=seed,
        password_hash=password_hash,
        area="Largeshire",
    )

    populate_features(org, seed=seed)
    return True


@dataclass
class Growth:
    """The ids of what :func:`grow_organisation` added, in the order it added them."""

    school_ids: list[int] = field(default_factory=list)
    network_ids: list[int] = field(default_factory=list)
    meeting_ids: list[int] = field(default_factory=list)
    #: Organisers and observers of the networks first (see :func:`grow_organisation`), then SENCOs.
    user_ids: list[int] = field(default_factory=list)
    invitation_ids: list[int] = field(default_factory=list)


_PHASE_MIX = ["Primary"] * 7 + ["Secondary"] * 2 + ["Not applicable", "All-through", "Nursery"]
_FIRST_NAMES = [
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
_LAST_NAMES = [
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


def _numbers(start: int, count: int, taken: set[str], shape, key=lambda value: value) -> list[str]:
    """``count`` values ``shape(n)`` for n = start, start + 1, ... whose ``key`` is not in ``taken``."""
    found, n = [], start
    while len(found) < count:
        value = shape(n)
        if key(value) not in taken:
            found.append(value)
        n += 1
    return found


def grow_organisation(
    organisation: Organisation,
    *,
    schools: int = 0,
    networks: int = 0,
    users: int = 0,
    invitations: int = 0,
    meetings: int = 0,
    seed: int = 7,
    password_hash: str | None = None,
    area: str | None = None,
) -> Growth:
    """Add schools, networks, people, pending invitations and meetings to ``organisation``, with
    bulk inserts (a handful of statements whatever the numbers), for load checks and the large demo.

    The data has the shape of a real authority, so that every list a page shows grows with it:

    - each new school is a member school of one network, taken in turn over all of the
      organisation's networks (existing and new);
    - the first new users are an organiser and an observer of each network in turn (two per
      network while they last; no school, a job title), the rest are SENCOs of the new schools
      in turn (of the existing schools if no school is new);
    - invitations are pending for a week, to SENCOs of a school; every third one from a network
      organiser for a network;
    - every network (existing and new) gets ``meetings`` more meetings, half of them held in
      the past weeks, half scheduled in the coming weeks, 13:30 to 16:00 UK time.

    Emails are ``user<n>@<slug>.example``, URNs, names and emails never collide with what is
    already there, so an organisation can be grown more than once. Every new account's password
    hash is ``password_hash`` (by default that of the demo's ``northbrook-demo``).
    """
    rng = random.Random(seed)
    now = utcnow()
    org_id = organisation.id
    area = area or organisation.name.split()[0]
    growth = Growth()

    existing_urns = set(db.session.scalars(sa.select(School.urn).where(School.organisation_id == org_id)))
    urns = _numbers(800000, schools, {u for u in existing_urns if u}, lambda n: f"{n:06d}")
    if urns:
        growth.school_ids = list(
            db.session.scalars(
                sa.insert(School).returning(School.id, sort_by_parameter_order=True),
                [
                    {
                        "organisation_id": org_id,
                        "urn": urn,
                        "name": f"{area} School {urn[-3:]}",
                        "phase": rng.choice(_PHASE_MIX),
                        "establishment_type": "Community school",
                        "la_code": "",
                        "la_name": area,
                        "status": "Open",
                        "town": f"{area} Town {i % 40 + 1}",
                        "postcode": "",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i, urn in enumerate(urns)
                ],
            )
        )

    existing_names = {
        n.lower()
        for n in db.session.scalars(sa.select(Network.name).where(Network.organisation_id == org_id))
    }
    names = _numbers(1, networks, existing_names, lambda n: f"{area} network {n:02d}", key=str.lower)
    if names:
        growth.network_ids = list(
            db.session.scalars(
                sa.insert(Network).returning(Network.id, sort_by_parameter_order=True),
                [
                    {
                        "organisation_id": org_id,
                        "name": name,
                        "created_at": now,
                        "description": f"Half-termly meeting of the SENCOs of {area}'s schools, area {n + 1}.",
                    }
                    for n, name in enumerate(names)
                ],
            )
        )
    all_networks = list(
        db.session.scalars(
            sa.select(Network.id).where(Network.organisation_id == org_id).order_by(Network.id)
        )
    )
    if growth.school_ids and all_networks:
        db.session.execute(
            sa.insert(NetworkSchool),
            [
                {
                    "organisation_id": org_id,
                    "network_id": all_networks[i % len(all_networks)],
                    "school_id": school_id,
                }
                for i, school_id in enumerate(growth.school_ids)
            ],
        )

    domain = f"{organisation.slug}.example"
    taken = set(db.session.scalars(sa.select(User.email).where(User.email.like(f"%@{domain}"))))
    emails = _numbers(0, users, taken, lambda n: f"user{n}@{domain}")
    if emails:
        password_hash = password_hash or hash_password(data.NORTHBROOK_PASSWORD)
        growth.user_ids = list(
            db.session.scalars(
                sa.insert(User).returning(User.id, sort_by_parameter_order=True),
                [
                    {
                        "email": email,
                        "name": f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}",
                        "password_hash": password_hash,
                        "is_platform_admin": False,
                        "active": True,
                        "time_zone": "Europe/London",
                        "created_at": now,
                    }
                    for email in emails
                ],
            )
        )
        with_roles = min(len(growth.user_ids), 2 * len(all_networks))
        senco_schools = growth.school_ids or list(
            db.session.scalars(
                sa.select(School.id).where(School.organisation_id == org_id).order_by(School.id)
            )
        )
        memberships = []
        for i, user_id in enumerate(growth.user_ids):
            if i < with_roles:
                job_title = (
                    "Advisory teacher for inclusion" if i % 2 == 0 else "Educational psychology service"
                )
                school_id = None
            else:
                job_title = ""
                school_id = senco_schools[(i - with_roles) % len(senco_schools)] if senco_schools else None
            memberships.append(
                {
                    "organisation_id": org_id,
                    "user_id": user_id,
                    "is_admin": False,
                    "school_id": school_id,
                    "job_title": job_title,
                    "created_at": now,
                }
            )
        db.session.execute(sa.insert(Membership), memberships)
        if with_roles:
            db.session.execute(
                sa.insert(NetworkRole),
                [
                    {
                        "organisation_id": org_id,
                        "network_id": all_networks[i // 2],
                        "user_id": growth.user_ids[i],
                        "role": "organiser" if i % 2 == 0 else "observer",
                        "created_at": now,
                    }
                    for i in range(with_roles)
                ],
            )

    if invitations:
        admin_id = db.session.scalar(
            sa.select(Membership.user_id)
            .where(Membership.organisation_id == org_id, Membership.is_admin.is_(True))
            .limit(1)
        )
        school_ids = growth.school_ids or list(
            db.session.scalars(
                sa.select(School.id).where(School.organisation_id == org_id).order_by(School.id)
            )
        )
        taken = set(
            db.session.scalars(sa.select(Invitation.email).where(Invitation.organisation_id == org_id))
        )
        rows = []
        for i, email in enumerate(_numbers(0, invitations, taken, lambda n: f"invitee{n}@{domain}")):
            _, token_hash = new_token()  # nobody holds these links: they only fill the lists
            network_id = all_networks[i % len(all_networks)] if all_networks and i % 3 == 0 else None
            rows.append(
                {
                    "organisation_id": org_id,
                    "email": email,
                    "is_admin": False,
                    "school_id": school_ids[i % len(school_ids)] if school_ids else None,
                    "network_id": network_id,
                    "network_role": "",
                    "job_title": "",
                    "token_hash": token_hash,
                    "expires_at": now + INVITATION_LIFETIME,
                    "accepted_at": None,
                    "invited_by_id": admin_id,
                    "created_at": now - timedelta(minutes=i),
                }
            )
        growth.invitation_ids = list(
            db.session.scalars(
                sa.insert(Invitation).returning(Invitation.id, sort_by_parameter_order=True), rows
            )
        )

    if meetings:
        today = now.astimezone(LONDON).date()
        for network in db.session.scalars(
            sa.select(Network).where(Network.organisation_id == org_id).order_by(Network.id)
        ):
            for n in range(meetings):
                weeks = (n // 2 + 1) * (-1 if n % 2 else 1) * 3  # alternately ahead and behind
                day = today + timedelta(weeks=weeks)
                meeting = create_meeting(
                    network,
                    status="held" if weeks < 0 else "scheduled",
                    now=now,
                    title=f"{network.name}: {'spring' if day.month < 4 else 'summer' if day.month < 8 else 'autumn'} meeting",
                    starts_at=local_to_utc(day, time(13, 30)),
                    ends_at=local_to_utc(day, time(16, 0)),
                    refreshments="Tea and biscuits",
                    description="Matters arising, moderation, guest speaker.",
                )
                growth.meeting_ids.append(meeting.id)
    db.session.flush()
    return growth
