"""Building a meeting's agenda: standing items, placing proposals, order and minutes (with and
without JavaScript's drag), start times from the meeting's start, overruns, and stale forms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from cluster.agenda.models import Agenda, AgendaItem, AgendaSlot
from cluster.agenda.planning import slots_of
from cluster.agenda.services import add_standing_item
from cluster.agenda.timing import timed_plan
from cluster.extensions import db
from tests.agenda.helpers import build_world, plan_form


def test_times_follow_from_the_start_and_overruns_are_flagged():
    start = datetime(2030, 3, 5, 13, 30, tzinfo=UTC)
    entries = [SimpleNamespace(minutes=m) for m in (10, 45, 15, 60, 30)]
    plan = timed_plan(start, start + timedelta(minutes=150), entries)
    assert [(e.starts_at.strftime("%H:%M"), e.ends_at.strftime("%H:%M")) for e in plan.entries] == [
        ("13:30", "13:40"),
        ("13:40", "14:25"),
        ("14:25", "14:40"),
        ("14:40", "15:40"),
        ("15:40", "16:10"),
    ]
    assert [e.overruns for e in plan.entries] == [False, False, False, False, True]
    assert plan.total_minutes == 160 and plan.overrun_minutes == 10 and plan.spare_minutes == 0
    fits = timed_plan(start, start + timedelta(minutes=150), entries[:3])
    assert fits.overrun_minutes == 0 and fits.spare_minutes == 80
    empty = timed_plan(start, start + timedelta(minutes=150), [])
    assert empty.ends_at == start and empty.entries == []


def test_times_are_shown_in_uk_time_across_the_clock_change(client, make, login):
    w = build_world(make)
    # 29 March 2031 is a Saturday; the clocks go forward on the Sunday: a Monday meeting is in BST.
    meeting = make.meeting(
        w.network,
        starts_at=datetime(2031, 3, 31, 12, 30, tzinfo=UTC),
        ends_at=datetime(2031, 3, 31, 15, 0, tzinfo=UTC),
    )
    add_standing_item(w.network, "LA update", 20)
    db.session.commit()
    make.agenda(meeting)
    login(w.organiser)
    page = client.get(f"{w.base}/meetings/{meeting.id}/agenda").get_data(as_text=True)
    assert "13:30–13:50" in page


def test_an_agenda_starts_with_the_standing_items_and_takes_proposals_before_the_closing_ones(
    client, make, login
):
    w = build_world(make)
    add_standing_item(w.network, "LA update", 15, "LA SEND team")
    add_standing_item(w.network, "School updates", 20, at_end=True)
    db.session.commit()
    item = make.agenda_item(
        w.network, w.secondary, school=w.schools["ashcombe"], title="GCSE access", minutes=25
    )
    login(w.organiser)
    base = f"{w.base}/meetings/{w.meeting.id}/agenda"
    assert "Start the agenda" in client.get(base + "/build").get_data(as_text=True)
    client.post(base + "/start")
    agenda = db.session.scalar(sa.select(Agenda))
    assert [s.title for s in slots_of(agenda)] == ["LA update", "School updates"]
    response = client.post(base + "/plan", data=plan_form(agenda, place=f"item:{item.id}"))
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.status == "placed"
    assert [(s.title, s.minutes) for s in slots_of(agenda)] == [
        ("LA update", 15),
        ("GCSE access", 25),
        ("School updates", 20),
    ]
    page = client.get(base + "/build").get_data(as_text=True)
    assert "13:30–13:45" in page and "13:45–14:10" in page and "14:10–14:30" in page
    assert "The plan ends at 14:30, 90 minutes before the meeting" in page
    # Placed items leave the open proposals list.
    assert (
        "GCSE access"
        not in client.get(f"{w.base}/networks/{w.network.id}/agenda-items")
        .get_data(as_text=True)
        .split("Open proposals")[1]
    )


def test_the_plan_form_orders_times_and_removes(client, make, login):
    w = build_world(make)
    add_standing_item(w.network, "LA update", 15)
    db.session.commit()
    first = make.agenda_item(w.network, w.primary, school=w.schools["fernhill"], title="Phonics")
    second = make.agenda_item(w.network, w.secondary, school=w.schools["ashcombe"], title="GCSE access")
    agenda = make.agenda(w.meeting, items=[first, second])
    login(w.organiser)
    url = f"{w.base}/meetings/{w.meeting.id}/agenda/plan"
    slots = {s.title: s for s in slots_of(agenda)}

    # Without JavaScript: "Down" on the first entry, saving the typed minutes and presenter too.
    client.post(
        url,
        data=plan_form(
            agenda,
            **{
                f"minutes-{slots['Phonics'].id}": "40",
                f"presenter-{slots['Phonics'].id}": "Ben Clarke",
                "move": f"{slots['LA update'].id}:down",
            },
        ),
    )
    db.session.refresh(agenda)
    assert [(s.title, s.minutes, s.presenter) for s in slots_of(agenda)] == [
        ("Phonics", 40, "Ben Clarke"),
        ("LA update", 15, ""),
        ("GCSE access", 15, ""),
    ]

    # With JavaScript: the drag script rewrites the hidden positions, and "Save the plan".
    ids = [s.id for s in slots_of(agenda)]
    client.post(
        url,
        data=plan_form(
            agenda,
            **{f"position-{ids[0]}": "2", f"position-{ids[1]}": "0", f"position-{ids[2]}": "1", "save": "1"},
        ),
    )
    db.session.refresh(agenda)
    assert [s.title for s in slots_of(agenda)] == ["LA update", "GCSE access", "Phonics"]

    # A break, renamed; then removing a proposal puts it back on the proposals list.
    client.post(url, data=plan_form(agenda, place="break"))
    db.session.refresh(agenda)
    brk = next(s for s in slots_of(agenda) if s.kind == "break")
    client.post(url, data=plan_form(agenda, **{f"title-{brk.id}": "Tea and networking"}))
    db.session.refresh(agenda)
    gcse = next(s for s in slots_of(agenda) if s.title == "GCSE access")
    client.post(url, data=plan_form(agenda, remove=str(gcse.id)))
    db.session.refresh(second)
    assert second.status == "open" and second.support_count == 1
    assert [s.title for s in slots_of(agenda)] == ["LA update", "Phonics", "Tea and networking"]


def test_overrun_is_warned_and_bad_minutes_keep_what_was_typed(client, make, login):
    w = build_world(make)
    big = make.agenda_item(
        w.network, w.primary, school=w.schools["fernhill"], title="Whole-school SEND review", minutes=200
    )
    agenda = make.agenda(w.meeting, items=[big])
    login(w.organiser)
    page = client.get(f"{w.base}/meetings/{w.meeting.id}/agenda/build").get_data(as_text=True)
    assert "The plan runs 50 minutes past the meeting's end at 16:00" in page and "Past the end" in page
    slot = slots_of(agenda)[0]
    response = client.post(
        f"{w.base}/meetings/{w.meeting.id}/agenda/plan",
        data=plan_form(agenda, **{f"minutes-{slot.id}": "ninety", f"presenter-{slot.id}": "Ben <Clarke>"}),
    )
    page = response.get_data(as_text=True)
    assert (
        response.status_code == 400 and "govuk-error-summary" in page and f'href="#minutes-{slot.id}"' in page
    )
    assert 'value="ninety"' in page and 'value="Ben &lt;Clarke&gt;"' in page
    db.session.refresh(slot)
    assert slot.minutes == 200 and slot.presenter == ""


def test_a_stale_plan_is_refused_not_applied(client, make, login):
    """Two organisers, one plan: the second save, from an older page, changes nothing."""
    w = build_world(make)
    item = make.agenda_item(w.network, w.primary, school=w.schools["fernhill"], title="Phonics")
    agenda = make.agenda(w.meeting, items=[item])
    slot = slots_of(agenda)[0]
    stale = plan_form(agenda, **{f"minutes-{slot.id}": "5"})
    login(w.organiser)
    client.post(
        f"{w.base}/meetings/{w.meeting.id}/agenda/plan",
        data=plan_form(agenda, **{f"minutes-{slot.id}": "30"}),
    )
    response = client.post(f"{w.base}/meetings/{w.meeting.id}/agenda/plan", data=stale)
    assert response.status_code == 409 and "changed by someone else" in response.get_data(as_text=True)
    db.session.refresh(slot)
    assert slot.minutes == 30
    # A form without its version (a tampered post) is refused too.
    missing = plan_form(agenda)
    del missing["version"]
    assert client.post(f"{w.base}/meetings/{w.meeting.id}/agenda/plan", data=missing).status_code == 400


def test_members_cannot_build_reorder_or_publish_and_observers_cannot_propose(client, make, login):
    w = build_world(make)
    item = make.agenda_item(w.network, w.primary, school=w.schools["fernhill"], title="Phonics")
    agenda = make.agenda(w.meeting, items=[item])
    login(w.primary)
    base = f"{w.base}/meetings/{w.meeting.id}/agenda"
    assert client.get(base + "/build").status_code == 403
    assert (
        client.post(base + "/plan", data=plan_form(agenda, move=f"{slots_of(agenda)[0].id}:down")).status_code
        == 403
    )
    assert client.post(base + "/publish").status_code == 403
    assert client.get(base + "/print").status_code == 404  # a draft is the organisers' only
    login(w.observer)
    assert client.get(f"{w.base}/networks/{w.network.id}/agenda-items/new").status_code == 403
    assert client.post(f"{w.base}/networks/{w.network.id}/agenda-items/{item.id}/support").status_code == 403
    assert client.get(f"{w.base}/networks/{w.network.id}/agenda-items").status_code == 200


def test_another_organisations_objects_are_not_found(client, make, login):
    w = build_world(make)
    other = make.organisation(slug="ew", name="Eastwick Trust")
    school = make.school(other, name="Eastwick Primary")
    senco = make.user(other, school=school)
    network = make.network(other, schools=[school], organisers=[senco])
    foreign = make.agenda_item(network, senco, school=school, title="Foreign item")
    foreign_meeting = make.meeting(network)
    login(w.organiser)
    assert client.get(f"{w.base}/networks/{w.network.id}/agenda-items/{foreign.id}").status_code == 404
    assert client.get(f"{w.base}/meetings/{foreign_meeting.id}/agenda").status_code == 404
    agenda = make.agenda(w.meeting)
    response = client.post(
        f"{w.base}/meetings/{w.meeting.id}/agenda/plan", data=plan_form(agenda, place=f"item:{foreign.id}")
    )
    assert response.status_code == 404
    assert db.session.get(AgendaItem, foreign.id).status == "open"
    # An item of another network of the same organisation, in this network's URL, is not found either.
    sibling = make.network(w.org, name="Secondary SENCOs", schools=[w.schools["ashcombe"]])
    theirs = make.agenda_item(sibling, w.secondary, school=w.schools["ashcombe"], title="Theirs")
    assert client.get(f"{w.base}/networks/{w.network.id}/agenda-items/{theirs.id}").status_code == 404
    response = client.post(
        f"{w.base}/meetings/{w.meeting.id}/agenda/plan", data=plan_form(agenda, place=f"item:{theirs.id}")
    )
    assert response.status_code == 400 and "belongs to another network" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaSlot)) == 0
