"""The agenda demo: realistic proposals and a published, minuted agenda for a past meeting of each
Northbrook network; loading it again changes nothing."""

from __future__ import annotations

import sqlalchemy as sa

from cluster.agenda.demo import build_agenda_demo
from cluster.agenda.models import Agenda, AgendaComment, AgendaItem, AgendaSlot, AgendaSupport, StandingItem
from cluster.extensions import db
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
from cluster.web.demo.builder import build_demo


def _counts():
    return {
        m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (AgendaItem, AgendaSupport, AgendaComment, StandingItem, Agenda, AgendaSlot, Meeting)
    }


def test_agenda_demo_is_realistic_and_idempotent(client, app_context):
    assert build_agenda_demo() is False  # no Northbrook yet
    build_demo()
    assert build_agenda_demo() is True
    db.session.commit()
    counts = _counts()
    assert build_agenda_demo() is False
    db.session.commit()
    assert _counts() == counts

    for name in ("North primary SENCOs", "Secondary SENCO network", "Special schools and AP"):
        network = db.session.scalar(sa.select(Network).where(Network.name == name))
        agenda = db.session.scalar(sa.select(Agenda).where(Agenda.network_id == network.id))
        assert (
            agenda.status == "closed"
            and agenda.published_at is not None
            and agenda.minutes_updated_at is not None
        )
        assert agenda.meeting.status == "held"
        minuted = db.session.scalars(
            sa.select(AgendaSlot).where(AgendaSlot.agenda_id == agenda.id, AgendaSlot.minutes_text != "")
        ).all()
        assert len(minuted) >= 4
        carried = db.session.scalars(
            sa.select(AgendaItem).where(
                AgendaItem.network_id == network.id, AgendaItem.deferred_from_meeting_id == agenda.meeting_id
            )
        ).all()
        assert len(carried) == 1 and carried[0].status == "open" and carried[0].support_count >= 1
        upcoming = db.session.scalar(
            sa.select(Meeting).where(Meeting.network_id == network.id, Meeting.status == "scheduled")
        )
        assert upcoming is not None
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AgendaItem).where(AgendaItem.status == "declined")
        )
        == 1
    )
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AgendaItem).where(AgendaItem.kind == "guest_speaker")
        )
        >= 2
    )

    # The demo's pages work for its people.
    from cluster.auth.models import User
    from tests.conftest import sign_in_as

    organiser = db.session.scalar(sa.select(User).where(User.email == "organiser@northbrook.example"))
    network = db.session.scalar(sa.select(Network).where(Network.name == "North primary SENCOs"))
    agenda = db.session.scalar(sa.select(Agenda).where(Agenda.network_id == network.id))
    sign_in_as(client, organiser)
    page = client.get(f"/o/northbrook/meetings/{agenda.meeting_id}").get_data(as_text=True)
    assert (
        "Timed agenda" in page and "Phonics catch-up" in page and "Fernhill shared its tracking sheet" in page
    )
    assert client.get(f"/o/northbrook/networks/{network.id}/agenda-items").status_code == 200
