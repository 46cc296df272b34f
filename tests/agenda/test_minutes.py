"""Minutes per agenda entry: organisers and the named minute-taker record them, every save is
kept (who, when), members see them, and two people editing at once never overwrite silently."""

from __future__ import annotations

import re

import sqlalchemy as sa

from cluster.agenda.models import AgendaSlot, MinutesRevision
from cluster.agenda.planning import slots_of
from cluster.extensions import db
from tests.agenda.helpers import build_world


def _published(make):
    w = build_world(make)
    item = make.agenda_item(w.network, w.primary, school=w.schools["fernhill"], title="Phonics catch-up")
    agenda = make.agenda(w.meeting, items=[item], publish_as=w.organiser)
    return w, agenda, slots_of(agenda)[0]


def _version(page: str) -> str:
    """The minutes version the form carries (a hidden field)."""
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


def test_the_minute_taker_records_minutes_members_read_them(client, make, login):
    w, agenda, slot = _published(make)
    url = f"{w.base}/meetings/{w.meeting.id}/minutes/{slot.id}"
    login(w.special)
    assert client.get(url).status_code == 403
    login(w.organiser)
    client.post(
        f"{w.base}/meetings/{w.meeting.id}/agenda/minute-taker", data={"minute_taker_id": str(w.special.id)}
    )
    db.session.refresh(agenda)
    assert agenda.minute_taker_id == w.special.id
    assert (
        client.post(
            f"{w.base}/meetings/{w.meeting.id}/agenda/minute-taker", data={"minute_taker_id": "999999"}
        ).status_code
        == 400
    )

    login(w.special)
    version = _version(client.get(url).get_data(as_text=True))
    response = client.post(
        url,
        data={
            "minutes_text": "Schools shared **Read Write Inc** data.",
            "decisions": "Pool tutoring funds",
            "version": version,
        },
    )
    assert response.status_code == 302
    db.session.refresh(slot), db.session.refresh(agenda)
    assert (
        slot.minutes_version == 1
        and slot.minutes_updated_by_id == w.special.id
        and agenda.minutes_updated_at is not None
    )
    login(w.secondary)
    page = client.get(f"{w.base}/meetings/{w.meeting.id}").get_data(as_text=True)
    assert (
        "<strong>Read Write Inc</strong>" in page
        and "Pool tutoring funds" in page
        and "Last edited by Rachel Green" in page
    )
    # A member who is not the minute-taker cannot edit.
    assert client.post(url, data={"minutes_text": "x", "version": "1"}).status_code == 403


def test_simultaneous_edits_are_detected_and_both_texts_shown(client, make, login):
    w, _, slot = _published(make)
    url = f"{w.base}/meetings/{w.meeting.id}/minutes/{slot.id}"
    login(w.organiser)
    loaded = _version(client.get(url).get_data(as_text=True))  # both open the form at version 0
    client.post(url, data={"minutes_text": "Sophie's notes", "decisions": "", "version": loaded})
    # The second editor saves from the same, now stale, version.
    response = client.post(
        url, data={"minutes_text": "My notes from the back row", "decisions": "Agreed", "version": loaded}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "saved these minutes while you were editing them" in page
    assert (
        "Sophie&#39;s notes" in page and "My notes from the back row" in page
    )  # theirs, and yours kept in the box
    db.session.refresh(slot)
    assert slot.minutes_text == "Sophie's notes" and slot.minutes_version == 1
    # Saving again from the conflict page (which now carries version 1) replaces theirs, knowingly.
    assert _version(page) == "1"
    client.post(url, data={"minutes_text": "Merged notes", "decisions": "Agreed", "version": _version(page)})
    db.session.refresh(slot)
    assert slot.minutes_text == "Merged notes" and slot.minutes_version == 2
    history = db.session.scalars(sa.select(MinutesRevision).order_by(MinutesRevision.version)).all()
    assert [(r.version, r.minutes_text, r.edited_by_id) for r in history] == [
        (1, "Sophie's notes", w.organiser.id),
        (2, "Merged notes", w.organiser.id),
    ]
    assert "Version 2: Sophie Adeyemi" in client.get(url).get_data(as_text=True)


def test_a_conditional_save_has_exactly_one_winner(make):
    """The rule itself, below the web layer: a save of an old version changes nothing."""
    from cluster.agenda.minutes import MinutesConflict, save_minutes

    w, _, slot = _published(make)
    save_minutes(slot, w.organiser, 0, "first", "")
    db.session.commit()
    try:
        save_minutes(slot, w.special, 0, "second", "")
    except MinutesConflict as clash:
        assert clash.current.minutes_text == "first" and "Sophie Adeyemi saved" in str(clash)
    else:
        raise AssertionError("a stale save was accepted")
    db.session.rollback()
    assert db.session.get(AgendaSlot, slot.id).minutes_text == "first"


def test_entries_with_minutes_stay_on_the_agenda(client, make, login):
    from tests.agenda.helpers import plan_form

    w, agenda, slot = _published(make)
    login(w.organiser)
    client.post(
        f"{w.base}/meetings/{w.meeting.id}/minutes/{slot.id}", data={"minutes_text": "Notes", "version": "0"}
    )
    db.session.refresh(agenda)
    response = client.post(
        f"{w.base}/meetings/{w.meeting.id}/agenda/plan", data=plan_form(agenda, remove=str(slot.id))
    )
    assert response.status_code == 400 and "has minutes" in response.get_data(as_text=True)
    assert db.session.get(AgendaSlot, slot.id) is not None
