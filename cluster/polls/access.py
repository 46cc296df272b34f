"""Who may do what with a network's date polls.

- Organisers of the network and the organisation's admins open polls, remind, close and finalise.
- Voters answer: the SENCOs of the network's member schools (an organiser who is the SENCO of a
  member school votes too; an appointed observer never does).
- Observers, and everyone else with a standing in the network, may look.
- Results: organisers, admins and observers always see them; a voter sees them once they have
  answered, or once the poll has closed. Hiding them until then (as Rallly can) keeps the first
  answers honest: a member says when they can come, not when everyone else already said yes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from cluster.extensions import db
from cluster.networks.models import Network, NetworkSchool
from cluster.networks.services import network_access
from cluster.polls.models import DatePoll
from cluster.polls.services import is_open
from cluster.tenancy.access import NetworkAccess
from cluster.tenancy.models import Membership


@dataclass(frozen=True)
class PollStanding:
    """A user's standing towards one network's polls."""

    access: NetworkAccess
    can_vote: bool

    @property
    def can_view(self) -> bool:
        return self.access.can_view

    @property
    def can_organise(self) -> bool:
        return self.access.can_organise

    @property
    def is_observer(self) -> bool:
        return self.access.role == "observer"


def poll_standing(membership: Membership, network: Network) -> PollStanding:
    """What ``membership``'s user may do with ``network``'s polls (see the module docstring)."""
    access = network_access(membership, network)
    can_vote = access.role == "member"
    if access.role == "organiser" and membership.school_id is not None:
        can_vote = (
            db.session.scalar(
                sa.select(NetworkSchool.school_id).where(
                    NetworkSchool.network_id == network.id, NetworkSchool.school_id == membership.school_id
                )
            )
            is not None
        )
    return PollStanding(access=access, can_vote=can_vote)


def can_see_results(
    standing: PollStanding, poll: DatePoll, answered: bool, now: datetime | None = None
) -> bool:
    """Organisers, admins and observers always; voters once they have answered or the poll has closed."""
    if standing.can_organise or standing.is_observer:
        return True
    return standing.can_view and (answered or not is_open(poll, now))
