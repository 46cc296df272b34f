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
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, g

from cluster.agenda.models import Agenda, AgendaItem
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
from cluster.networks.services import network_access
from cluster.tenancy.access import NetworkAccess, get_for_organisation


@dataclass(frozen=True)
class AgendaStanding:
    access: NetworkAccess
    user_id: int

    @property
    def can_view(self) -> bool:
        return self.access.can_view

    @property
    def can_take_part(self) -> bool:
        return self.access.is_org_admin or self.access.role in ("member", "organiser")

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


NEEDS = {"view": "can_view", "take_part": "can_take_part", "organise": "can_organise"}


def standing_in(network: Network) -> AgendaStanding:
    return AgendaStanding(network_access(g.membership, network), g.membership.user_id)


def load_network(network_id: int, need: str = "view") -> tuple[Network, AgendaStanding]:
    """The network in this organisation (else 404), if the user may ``need`` it (else 403)."""
    network = get_for_organisation(Network, network_id)
    standing = standing_in(network)
    if not getattr(standing, NEEDS[need]):
        abort(403)
    return network, standing


def load_item(
    network_id: int, item_id: int, need: str = "view"
) -> tuple[Network, AgendaItem, AgendaStanding]:
    """The item of the network in the URL (404 for a foreign or another network's item)."""
    network, standing = load_network(network_id, need)
    item = get_for_organisation(AgendaItem, item_id)
    if item.network_id != network.id:
        abort(404)
    return network, item, standing


def load_meeting(meeting_id: int, need: str = "view") -> tuple[Meeting, AgendaStanding]:
    """The meeting (404 if foreign, or a draft the user may not organise) if the user may
    ``need`` it (else 403), as the meeting pages themselves answer."""
    meeting = get_for_organisation(Meeting, meeting_id)
    standing = standing_in(meeting.network)
    if meeting.status == "draft" and not standing.can_organise:
        abort(404)
    if not getattr(standing, NEEDS[need]):
        abort(403)
    return meeting, standing
