"""Build the demo organisations (idempotent) and, on request, a large authority for load checks."""
from __future__ import annotations

import random

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.auth.passwords import hash_password
from cluster.demo import data
from cluster.extensions import db, utcnow
from cluster.networks.models import Network, NetworkRole, NetworkSchool
from cluster.networks.services import appoint, create_network, set_member_schools
from cluster.schools.models import School
from cluster.tenancy.models import Membership, Organisation


def _user(email: str, name: str, password_hash: str, *, platform_admin: bool = False) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, password_hash=password_hash, is_platform_admin=platform_admin)
        db.session.add(user)
        db.session.flush()
    return user


def _member(org: Organisation, user: User, *, is_admin=False, school: School | None = None, job_title="") -> None:
    db.session.add(Membership(organisation_id=org.id, user_id=user.id, is_admin=is_admin,
                              school_id=school.id if school else None, job_title=job_title))


def _schools(org: Organisation, rows, la_code: str, la_name: str) -> dict[str, School]:
    schools = {}
    for urn, name, phase, kind, town in rows:
        school = School(organisation_id=org.id, urn=urn, name=name, phase=phase, establishment_type=kind,
                        la_code=la_code, la_name=la_name, status="Open", town=town,
                        postcode=f"NB{1 + int(urn[-2:]) % 9} {int(urn[-1]) + 1}AB")
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

    _user("platform@cluster.example", "Platform Admin", hash_password(data.PLATFORM_PASSWORD), platform_admin=True)

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
    for i, ((first, last), urn) in enumerate(zip(data.NORTHBROOK_SENCOS, data.NORTHBROOK_SENCO_SCHOOLS), start=1):
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
    rng = random.Random(seed)
    now = utcnow()
    org = Organisation(slug=LARGE_SLUG, name="Largeshire County Council", kind="local_authority")
    db.session.add(org)
    db.session.flush()
    phases = ["Primary"] * 7 + ["Secondary"] * 2 + ["Not applicable", "All-through", "Nursery"]
    db.session.execute(sa.insert(School), [
        {"organisation_id": org.id, "urn": f"{800000 + i}", "name": f"Largeshire School {i:03d}", "phase": rng.choice(phases),
         "establishment_type": "Community school", "la_code": "800", "la_name": "Largeshire", "status": "Open",
         "town": f"Town {i % 40}", "postcode": "", "created_at": now, "updated_at": now}
        for i in range(schools)
    ])
    school_ids = list(db.session.scalars(sa.select(School.id).where(School.organisation_id == org.id).order_by(School.id)))
    password_hash = hash_password(data.NORTHBROOK_PASSWORD)
    db.session.execute(sa.insert(User), [
        {"email": f"user{i}@largeshire.example", "name": f"Largeshire User {i:04d}", "password_hash": password_hash,
         "is_platform_admin": False, "active": True, "time_zone": "Europe/London", "created_at": now}
        for i in range(users)
    ])
    user_ids = list(db.session.scalars(sa.select(User.id).where(User.email.like("%@largeshire.example")).order_by(User.id)))
    db.session.execute(sa.update(User).where(User.id == user_ids[0]).values(email="admin@largeshire.example"))
    db.session.execute(sa.insert(Membership), [
        {"organisation_id": org.id, "user_id": uid, "is_admin": i == 0,
         "school_id": school_ids[i % len(school_ids)] if i >= networks + 1 else None, "job_title": "", "created_at": now}
        for i, uid in enumerate(user_ids)
    ])
    db.session.execute(sa.insert(Network), [
        {"organisation_id": org.id, "name": f"Largeshire network {n + 1:02d}", "description": "", "created_at": now}
        for n in range(networks)
    ])
    network_ids = list(db.session.scalars(sa.select(Network.id).where(Network.organisation_id == org.id).order_by(Network.id)))
    db.session.execute(sa.insert(NetworkSchool), [
        {"organisation_id": org.id, "network_id": network_ids[i % len(network_ids)], "school_id": sid}
        for i, sid in enumerate(school_ids)
    ])
    db.session.execute(sa.insert(NetworkRole), [
        {"organisation_id": org.id, "network_id": nid, "user_id": user_ids[1 + n], "role": "organiser", "created_at": now}
        for n, nid in enumerate(network_ids)
    ])
    return True
