"""Who is in which network, and in which role: the one statement of the rule, as ``Select``
objects that access checks, pages, feeds and digests build on.

The rule: a person appointed to a network (``NetworkRole``) has that role, organiser or observer;
otherwise a SENCO of one of its member schools (their ``Membership.school_id`` in the network's
organisation) is a member. Each function takes a person's id, or a SQL expression for it, so that
it can also be used inside a larger statement.
"""

from __future__ import annotations

import sqlalchemy as sa

from cluster.networks.models import NetworkRole, NetworkSchool
from cluster.tenancy.models import Membership


def appointed(user_id) -> sa.Select:
    """(network_id, role) of every network ``user_id`` is appointed to, in any organisation."""
    return sa.select(NetworkRole.network_id, NetworkRole.role).where(NetworkRole.user_id == user_id)


def through_school(user_id) -> sa.Select:
    """(network_id,) of every network that has ``user_id``'s school as a member school."""
    return (
        sa.select(NetworkSchool.network_id)
        .join(
            Membership,
            sa.and_(
                Membership.school_id == NetworkSchool.school_id,
                Membership.organisation_id == NetworkSchool.organisation_id,
            ),
        )
        .where(Membership.user_id == user_id)
    )


def network_ids_of(user_id) -> sa.Select:
    """Every network ``user_id`` is in, whatever the role, in any organisation."""
    return (
        sa.select(NetworkRole.network_id).where(NetworkRole.user_id == user_id).union(through_school(user_id))
    )
