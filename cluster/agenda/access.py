"""Who may do what with a network's agenda items and a meeting's agenda.

- Everyone with a standing in the network (members, observers, organisers, org admins) reads
  proposals, comments and published agendas and minutes.
- Taking part (proposing, supporting, commenting) is for the network's members, its organisers
  and the organisation's admins; observers read and attend, and do not shape the agenda.
- A proposer may change their own proposal while it is open; organisers may change any.
- Organisers (and org admins) decline proposals, define standing items, build, publish and
  close agendas, and name a minute-taker.
- Minutes are recorded by organisers and the named minute-taker of that meeting.
- Draft agendas are the organisers' only (and the minute-taker's, who needs the plan to minute).

Networks and meetings are loaded as everywhere else (:func:`cluster.networks.access.load_network`,
:func:`cluster.meetings.access.load_meeting`); :class:`AgendaStanding` adds the rules above that
depend on the item or the agenda.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, g

from cluster.agenda.models import Agenda, AgendaItem
from cluster.networks.access import NetworkAccess, load_network
from cluster.networks.models import Network
from cluster.tenancy.access import get_for_organisation


@dataclass(frozen=True)
class AgendaStanding:
    """A user's standing in a network, for its agenda items and its meetings' agendas."""

    access: NetworkAccess
    user_id: int

    @property
    def can_view(self) -> bool:
        return self.access.can_view

    @property
    def can_take_part(self) -> bool:
        return self.access.can_take_part

    @property
    def can_organise(self) -> bool:
        return self.access.can_organise

    def can_edit(self, item: AgendaItem) -> bool:
        if self.can_organise:
            return True
        return self.can_take_part and item.proposed_by_id == self.user_id

    def can_take_minutes(self, agenda: Agenda | None) -> bool:
        if agenda is None:
            return False
        return self.can_organise or (self.can_view and agenda.minute_taker_id == self.user_id)

    def can_see(self, agenda: Agenda | None) -> bool:
        """Whether the plan (and minutes) of ``agenda`` may be shown."""
        if agenda is None:
            return False
        return agenda.is_public or self.can_take_minutes(agenda)


def standing_of(access: NetworkAccess) -> AgendaStanding:
    """The current user's standing for agendas, from their standing in the network."""
    return AgendaStanding(access, g.membership.user_id)


def load_item(
    network_id: int, item_id: int, need: str = "view"
) -> tuple[Network, AgendaItem, AgendaStanding]:
    """The item of the network in the URL, loaded as its network is (:func:`load_network`: 404 if
    not visible, 403 if visible but ``need`` is not the user's); 404 for a foreign item or another
    network's."""
    network, access = load_network(network_id, need)
    item = get_for_organisation(AgendaItem, item_id)
    if item.network_id != network.id:
        abort(404)
    return network, item, standing_of(access)
