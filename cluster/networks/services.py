"""Networks: creating them, choosing member schools, appointing organisers and observers, and
the networks and people a page lists (who is in which network is :mod:`cluster.networks.queries`)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from cluster.auth.models import Invitation, User
from cluster.extensions import db
from cluster.networks import queries
from cluster.networks.models import NETWORK_ROLES, Network, NetworkRole, NetworkSchool
from cluster.schools.models import School
from cluster.tenancy.models import Membership, Organisation


def create_network(organisation: Organisation, name: str, description: str = "") -> Network:
    network = Network(organisation_id=organisation.id, name=name.strip(), description=description.strip())
    db.session.add(network)
    db.session.flush()
    return network


def name_taken(organisation: Organisation, name: str, exclude: Network | None = None) -> bool:
    stmt = sa.select(Network.id).where(
        Network.organisation_id == organisation.id,
        # SQLite's lower() leaves non-ASCII letters alone, so also look for the very name stored.
        sa.or_(Network.name == name.strip(), sa.func.lower(Network.name) == name.strip().lower()),
    )
    if exclude is not None:
        stmt = stmt.where(Network.id != exclude.id)
    return db.session.scalar(stmt) is not None


def set_member_schools(network: Network, schools: list[School]) -> None:
    """Make ``schools`` (all of the network's organisation) exactly the member schools."""
    if any(school.organisation_id != network.organisation_id for school in schools):
        raise ValueError("a network's schools must belong to its organisation")
    db.session.execute(sa.delete(NetworkSchool).where(NetworkSchool.network_id == network.id))
    db.session.add_all(
        NetworkSchool(organisation_id=network.organisation_id, network_id=network.id, school_id=school.id)
        for school in schools
    )
    db.session.flush()
    db.session.expire(network, ["schools"])


def appoint(network: Network, user: User, role: str) -> NetworkRole:
    """Make ``user`` an organiser or observer of ``network`` (replacing any other role there)."""
    if role not in NETWORK_ROLES:
        raise ValueError(f"unknown network role {role!r}")
    existing = db.session.scalar(
        sa.select(NetworkRole).where(NetworkRole.network_id == network.id, NetworkRole.user_id == user.id)
    )
    if existing is None:
        existing = NetworkRole(
            organisation_id=network.organisation_id, network_id=network.id, user_id=user.id
        )
        db.session.add(existing)
    existing.role = role
    db.session.flush()
    return existing


def visible_networks(membership: Membership) -> list[tuple[Network, str | None]]:
    """The networks ``membership`` may see, by name, with the user's role in each (None for an
    admin without a role). Admins see every network of the organisation. One statement."""
    standing = queries.roles(membership.user_id).subquery()
    stmt = (
        sa.select(Network, standing.c.role)
        .outerjoin(standing, standing.c.network_id == Network.id)
        .where(Network.organisation_id == membership.organisation_id)
        .order_by(Network.name)
    )
    if not membership.is_admin:
        stmt = stmt.where(standing.c.role.is_not(None))
    return [(network, role) for network, role in db.session.execute(stmt)]


def network_people(network: Network) -> dict[str, list]:
    """Organisers, observers and member SENCOs (with their schools) of ``network``."""
    roles = db.session.scalars(
        sa.select(NetworkRole)
        .where(NetworkRole.network_id == network.id)
        .options(selectinload(NetworkRole.user))
        .join(User, NetworkRole.user_id == User.id)
        .order_by(User.name)
    ).all()
    members = db.session.scalars(
        sa.select(Membership)
        .join(User, Membership.user_id == User.id)
        .where(
            Membership.organisation_id == network.organisation_id,
            Membership.user_id.in_(queries.sencos_of(network.id)),
        )
        .options(selectinload(Membership.user), selectinload(Membership.school))
        .order_by(User.name)
    ).all()
    return {
        "organisers": [r for r in roles if r.role == "organiser"],
        "observers": [r for r in roles if r.role == "observer"],
        "members": list(members),
    }


def appoint_invited(invitation: Invitation, user: User, **_) -> None:
    """An accepted invitation to organise or observe a network gives that role (a receiver of
    :data:`cluster.auth.signals.invitation_accepted`)."""
    if invitation.network_id and invitation.network_role:
        appoint(invitation.network, user, invitation.network_role)


def networks_of_school(school: School) -> list[Network]:
    """The networks ``school`` is a member of, by name (one query)."""
    return list(
        db.session.scalars(
            sa.select(Network)
            .join(NetworkSchool, NetworkSchool.network_id == Network.id)
            .where(Network.organisation_id == school.organisation_id, NetworkSchool.school_id == school.id)
            .order_by(Network.name)
        )
    )


def schools_in(network: Network) -> int:
    """How many schools are members of ``network`` (one query)."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(NetworkSchool)
            .where(NetworkSchool.network_id == network.id)
        )
        or 0
    )
