"""After the meeting: discussed items are done; items not reached or deferred go back to the
proposals list with their supports, a note of when, and come up as matters arising next time."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from cluster.agenda.matters import (
    MattersArisingItem,
    matters_arising,
)
from cluster.agenda.models import Agenda
from cluster.agenda.planning import slots_of, start_agenda
from cluster.agenda.services import set_support
from cluster.extensions import db
from tests.agenda.helpers import build_world


def _held_meeting_with_items(make):
    w = build_world(make)
    held = make.meeting(w.network, title="Autumn 2 network meeting", days_ahead=-7)
    reached = make.agenda_item(w.network, w.primary, school=w.schools["fernhill"], title="Phonics catch-up")
    skipped = make.agenda_item(
        w.network, w.secondary, school=w.schools["ashcombe"], title="GCSE access arrangements"
    )
    put_off = make.agenda_item(w.network, w.special, school=w.schools["oakfield"], title="Outreach offer")
    set_support(skipped, w.primary, w.schools["fernhill"], True)
    set_support(skipped, w.special, w.schools["oakfield"], True)
    db.session.commit()
    agenda = make.agenda(held, items=[reached, skipped, put_off], publish_as=w.organiser)
    held.status = "held"
    db.session.commit()
    return w, held, agenda, reached, skipped, put_off


def test_closing_carries_unfinished_items_over_with_their_support(client, make, login):
    w, held, agenda, reached, skipped, put_off = _held_meeting_with_items(make)
    slots = {s.title: s for s in slots_of(agenda)}
    login(w.organiser)
    url = f"{w.base}/meetings/{held.id}/agenda/close"
    page = client.get(url).get_data(as_text=True)
    assert page.count('type="radio"') == 9
    response = client.post(
        url,
        data={
            f"outcome-{slots['Phonics catch-up'].id}": "discussed",
            f"outcome-{slots['GCSE access arrangements'].id}": "bogus",
            f"outcome-{slots['Outreach offer'].id}": "deferred",
        },
    )
    assert (
        response.status_code == 400
        and "Say what happened to “GCSE access arrangements”" in response.get_data(as_text=True)
    )
    assert db.session.scalar(sa.select(Agenda.status)) == "published"

    client.post(
        url,
        data={
            f"outcome-{slots['Phonics catch-up'].id}": "discussed",
            f"outcome-{slots['GCSE access arrangements'].id}": "not_reached",
            f"outcome-{slots['Outreach offer'].id}": "deferred",
        },
    )
    for item in (reached, skipped, put_off):
        db.session.refresh(item)
    assert reached.status == "done"
    assert (
        skipped.status == "open"
        and skipped.support_count == 3
        and skipped.deferred_from_meeting_id == held.id
    )
    assert skipped.deferred_reason == "not_reached" and skipped.deferred_at is not None
    assert put_off.status == "open" and put_off.deferred_reason == "deferred"

    listing = client.get(f"{w.base}/networks/{w.network.id}/agenda-items").get_data(as_text=True)
    assert (
        "GCSE access arrangements" in listing
        and "Not reached</strong> at Autumn 2 network meeting" in listing
    )
    assert "Phonics catch-up" not in listing
    done = client.get(f"{w.base}/networks/{w.network.id}/agenda-items?status=done").get_data(as_text=True)
    assert "Phonics catch-up" in done

    # The next agenda opens with them as matters arising; placed again, an item stops being one.
    next_agenda = start_agenda(w.meeting)
    db.session.commit()
    assert slots_of(next_agenda)[0].title == "Matters arising"
    titles = [m.title for m in matters_arising(w.network, w.meeting)]
    assert sorted(titles) == ["GCSE access arrangements", "Outreach offer"]
    page = client.get(f"{w.base}/meetings/{w.meeting.id}/agenda/build").get_data(as_text=True)
    assert "Not reached at Autumn 2 network meeting" in page


def test_an_agenda_cannot_be_closed_before_its_meeting(client, make, login):
    w = build_world(make)
    item = make.agenda_item(w.network, w.primary, school=w.schools["fernhill"], title="Phonics")
    agenda = make.agenda(w.meeting, items=[item])
    login(w.organiser)
    url = f"{w.base}/meetings/{w.meeting.id}/agenda/close"
    assert "once the meeting has started" in client.get(url).get_data(as_text=True)
    assert client.post(url, data={f"outcome-{slots_of(agenda)[0].id}": "discussed"}).status_code == 302
    db.session.refresh(agenda)
    assert agenda.status == "draft"


def test_at_a_cancelled_meeting_nothing_was_reached(client, make, login):
    w = build_world(make)
    item = make.agenda_item(w.network, w.primary, school=w.schools["fernhill"], title="Phonics")
    make.agenda(w.meeting, items=[item])
    w.meeting.status = "cancelled"
    db.session.commit()
    login(w.organiser)
    client.post(f"{w.base}/meetings/{w.meeting.id}/agenda/close")
    db.session.refresh(item)
    assert (
        item.status == "open"
        and item.deferred_reason == "not_reached"
        and item.deferred_from_meeting_id == w.meeting.id
    )


def test_matters_arising_sources_plug_in(app, make, monkeypatch):
    """A domain adds a source in its ``register(app)``; its items follow the agenda's own."""
    w = build_world(make)

    def open_actions(network, meeting):
        return [
            MattersArisingItem(
                title="Share the transition checklist", detail="Owner: Fernhill Primary", source="Action"
            )
        ]

    monkeypatch.setitem(
        app.extensions["cluster.plugins"]["matters arising sources"], "test actions", open_actions
    )
    agenda = start_agenda(w.meeting)
    assert slots_of(agenda)[0].title == "Matters arising"
    found = matters_arising(w.network, w.meeting)
    assert found[-1] == MattersArisingItem(
        "Share the transition checklist", "Owner: Fernhill Primary", "Action"
    )
    assert MattersArisingItem.from_dict(found[-1].as_dict()) == found[-1]
    assert isinstance(w.meeting.starts_at, datetime)
