"""A person's standing in a network, and the one way a page loads a network.

The rule, for :func:`load_network` here and ``load_meeting`` in :mod:`cluster.meetings.access`:

- **404**: another organisation's network, a missing one, or one the person may not even see: a
  network they have no standing in (they are not its member, observer or organiser, nor an admin
  of its organisation). The same answer for all of them, so that a URL reveals nothing.
- **403**: a network the person sees, for something their standing does not allow (``need``).

What a page may ``need`` (:data:`NEEDS`):

- ``"view"``: see it: its members, observers and organisers, and the organisation's admins;
- ``"take_part"``: shape its agenda (propose, support, comment): members, organisers and admins,
  not observers, who read and attend;
- ``"vote"``: answer its date polls: those who speak for a member school
  (:mod:`cluster.networks.queries`);
- ``"role"``: a role in it (member, observer or organiser): admins without one are refused what
  they need not see (moderation cases are special category data: least privilege);
- ``"member"``: be a member: a SENCO of a member school, not appointed there (submitting a
  moderation case);
- ``"organise"``: run it (meetings, polls, agendas, invitations of member SENCOs): organisers and
  the organisation's admins;
- ``"administer"``: change the network itself (name, member schools, organisers, observers): the
  organisation's admins;
- ``"organisation"``: anyone in the organisation, for what the network shares with all of it (its
  "you said, we did" page once shared, a resource shared with the organisation). The page
  answers 404 itself for what it does not share with someone who has no standing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import abort, g

from cluster.extensions import db
from cluster.networks import queries
from cluster.networks.models import Network
from cluster.tenancy.access import get_for_organisation
from cluster.tenancy.models import Membership


@dataclass(frozen=True)
class NetworkAccess:
    """A user's standing in one network (the rule is :mod:`cluster.networks.queries`)."""

    role: str | None  # "organiser", "observer", "member" or None
    is_org_admin: bool
    #: Speaks for a member school: answers the network's date polls.
    votes: bool = False

    @property
    def can_view(self) -> bool:
        return self.is_org_admin or self.role is not None

    @property
    def has_role(self) -> bool:
        return self.role is not None

    @property
    def is_member(self) -> bool:
        return self.role == queries.MEMBER

    @property
    def is_observer(self) -> bool:
        return self.role == "observer"

    @property
    def can_take_part(self) -> bool:
        """Shape the agenda: propose, support and comment (observers read and attend)."""
        return self.is_org_admin or self.role in (queries.MEMBER, "organiser")

    @property
    def can_vote(self) -> bool:
        return self.votes

    @property
    def can_organise(self) -> bool:
        """Run the network: meetings, polls, agendas, invitations of member SENCOs."""
        return self.is_org_admin or self.role == "organiser"

    @property
    def can_administer(self) -> bool:
        """Change the network itself: name, member schools, organisers and observers."""
        return self.is_org_admin

    @property
    def label(self) -> str:
        if self.role:
            return self.role.capitalize()
        return "Organisation admin" if self.is_org_admin else "No role"

    def allows(self, need: str) -> bool:
        """Whether this standing allows ``need`` (one of :data:`NEEDS`)."""
        return NEEDS[need](self)


#: Each need a page may have, and whether a standing allows it (see the module docstring).
NEEDS: dict[str, Callable[[NetworkAccess], bool]] = {
    "view": lambda access: access.can_view,
    "take_part": lambda access: access.can_take_part,
    "vote": lambda access: access.can_vote,
    "role": lambda access: access.has_role,
    "member": lambda access: access.is_member,
    "organise": lambda access: access.can_organise,
    "administer": lambda access: access.can_administer,
    "organisation": lambda access: True,
}


def network_access(membership: Membership, network: Network) -> NetworkAccess:
    """The standing of ``membership``'s user in ``network`` (one statement)."""
    found = db.session.execute(queries.roles(membership.user_id, network.id)).first()
    return NetworkAccess(
        role=found.role if found else None,
        is_org_admin=membership.is_admin,
        votes=bool(found and found.votes),
    )


def load_network(
    network_id: Any, need: str = "view", options: Sequence = ()
) -> tuple[Network, NetworkAccess]:
    """The network with ``network_id`` and the current user's standing in it, if they may
    ``need`` it: 404 if it is another organisation's, missing, or not visible to them; 403 if
    visible but ``need`` is not theirs (the rule is in the module docstring). ``options`` are
    loader options for the network (``selectinload(Network.schools)``)."""
    if need not in NEEDS:
        raise ValueError(f"unknown need {need!r}")
    network = get_for_organisation(Network, network_id, *options)
    access = network_access(g.membership, network)
    if not access.can_view and need != "organisation":
        abort(404)
    if not access.allows(need):
        abort(403)
    return network, access
