"""Who is in which network, and in which role: the one statement of the rule, as ``Select``
objects that access checks, pages, feeds, digests and the demo build on.

The rule:

- a person appointed to a network (``NetworkRole``) has that role there: organiser or observer;
- otherwise a person whose school (``Membership.school_id``, in the network's organisation) is one
  of the network's member schools is a member: the SENCOs of the member schools;
- a person speaks for their school (answers the network's date polls, ``votes``) when their school
  is a member school, unless they are appointed observer there: an organiser who is also the
  SENCO of a member school votes, an observer never does.

Each function takes a person's or a network's id as a number, a SQL expression (so that it can be
used inside a larger statement) or a collection of numbers; ``None`` leaves that side open.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from cluster.networks.models import Network, NetworkRole, NetworkSchool
from cluster.tenancy.models import Membership

#: The role of a person in a network through their school, when they are not appointed there.
MEMBER = "member"


def _is(column, wanted: Any) -> sa.ColumnElement[bool]:
    if isinstance(wanted, Collection) and not isinstance(wanted, str):
        return column.in_(wanted)
    return column == wanted


def _school_of(membership, network_school) -> sa.ColumnElement[bool]:
    """``membership``'s school is ``network_school``'s school, in the same organisation."""
    return sa.and_(
        membership.school_id == network_school.school_id,
        membership.organisation_id == network_school.organisation_id,
    )


def appointed(user_id: Any = None, network_id: Any = None, role: str | None = None) -> sa.Select:
    """(user_id, network_id, role) of appointments: organisers and observers, in any organisation."""
    stmt = sa.select(NetworkRole.user_id, NetworkRole.network_id, NetworkRole.role)
    if user_id is not None:
        stmt = stmt.where(_is(NetworkRole.user_id, user_id))
    if network_id is not None:
        stmt = stmt.where(_is(NetworkRole.network_id, network_id))
    if role is not None:
        stmt = stmt.where(NetworkRole.role == role)
    return stmt


def through_school(user_id: Any = None, network_id: Any = None) -> sa.Select:
    """(user_id, network_id) of every person whose school is a member school of a network, whatever
    they are appointed there."""
    stmt = sa.select(Membership.user_id, NetworkSchool.network_id).join(
        Membership, _school_of(Membership, NetworkSchool)
    )
    if user_id is not None:
        stmt = stmt.where(_is(Membership.user_id, user_id))
    if network_id is not None:
        stmt = stmt.where(_is(NetworkSchool.network_id, network_id))
    return stmt


def _standing(user_id: Any = None, network_id: Any = None) -> sa.Subquery:
    """(user_id, network_id, role, votes) as a subquery: see :func:`roles`."""
    school, senco = aliased(NetworkSchool), aliased(Membership)
    appointment = aliased(NetworkRole)
    speaks_for_school = sa.exists().where(
        school.network_id == NetworkRole.network_id,
        senco.user_id == NetworkRole.user_id,
        _school_of(senco, school),
    )
    appointments = appointed(user_id, network_id).add_columns(
        sa.and_(NetworkRole.role != "observer", speaks_for_school).label("votes")
    )
    members = (
        through_school(user_id, network_id)
        .add_columns(sa.literal(MEMBER).label("role"), sa.true().label("votes"))
        .where(
            ~sa.exists().where(
                appointment.user_id == Membership.user_id,
                appointment.network_id == NetworkSchool.network_id,
            )
        )
    )
    return sa.union_all(appointments, members).subquery("standing")


def roles(user_id: Any = None, network_id: Any = None) -> sa.Select:
    """(user_id, network_id, role, votes): one row per person and network they are in, with the
    role the rule gives them (an appointment wins over their school) and whether they vote."""
    standing = _standing(user_id, network_id)
    return sa.select(standing.c.user_id, standing.c.network_id, standing.c.role, standing.c.votes)


def network_ids_of(user_id: Any, role: str | None = None) -> sa.Select:
    """Every network ``user_id`` is in, in any organisation: whatever the role, or in ``role``."""
    if role is not None:
        standing = _standing(user_id)
        return sa.select(standing.c.network_id).where(standing.c.role == role)
    return (
        appointed(user_id)
        .with_only_columns(NetworkRole.network_id)
        .union(through_school(user_id).with_only_columns(NetworkSchool.network_id))
    )


def people_in(network_id: Any, role: str | None = None) -> sa.Select:
    """(user_id,) of everyone in a network, or of those with ``role`` there."""
    if role is not None and role != MEMBER:  # an appointed role: no need to look at schools
        return appointed(network_id=network_id, role=role).with_only_columns(NetworkRole.user_id)
    standing = _standing(network_id=network_id)
    stmt = sa.select(standing.c.user_id)
    return stmt.where(standing.c.role == role) if role is not None else stmt


def sencos_of(network_id: Any) -> sa.Select:
    """(user_id,) of the people of the network's member schools, whatever they are appointed there."""
    return through_school(network_id=network_id).with_only_columns(Membership.user_id)


def voters_in(network_id: Any) -> sa.Select:
    """(user_id,) of those who answer the network's date polls for their school."""
    standing = _standing(network_id=network_id)
    return sa.select(standing.c.user_id).where(standing.c.votes)


def visible_network_ids(membership: Membership) -> sa.Select:
    """(network_id,) of the networks of ``membership``'s organisation its person may see: every
    one for the organisation's admins, otherwise those they are in."""
    stmt = sa.select(Network.id).where(Network.organisation_id == membership.organisation_id)
    if membership.is_admin:
        return stmt
    return stmt.where(Network.id.in_(network_ids_of(membership.user_id)))
