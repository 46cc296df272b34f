"""Who may do what with a network's date polls.

- Organisers of the network and the organisation's admins open polls, remind, close and finalise
  (the need "organise" of :func:`cluster.networks.access.load_network`).
- Voters answer (the need "vote"): those who speak for a member school, as
  :mod:`cluster.networks.queries` states it (an organiser who is the SENCO of a member school
  votes too; an appointed observer never does).
- Observers, and everyone else with a standing in the network, may look (the need "view").
- Results: organisers, admins and observers always see them; a voter sees them once they have
  answered, or once the poll has closed. Hiding them until then (as Rallly can) keeps the first
  answers honest: a member says when they can come, not when everyone else already said yes.
"""

from __future__ import annotations

from datetime import datetime

from cluster.networks.access import NetworkAccess
from cluster.polls.models import DatePoll
from cluster.polls.services import is_open


def can_see_results(
    access: NetworkAccess, poll: DatePoll, answered: bool, now: datetime | None = None
) -> bool:
    """Organisers, admins and observers always; voters once they have answered or the poll has closed."""
    if access.can_organise or access.is_observer:
        return True
    return access.can_view and (answered or not is_open(poll, now))
