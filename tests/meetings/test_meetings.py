"""Meetings: organisers create and change them; members see the programme and reply."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import sqlalchemy as sa

from cluster.extensions import db
from cluster.meetings.models import Attendance, Meeting, Rsvp
from cluster.meetings.services import set_rsvp
from tests.helpers import parts


def _setup(make):
    org = make.organisation(slug="nb", name="Northbrook Council")
    primary = make.school(org, name="Fernhill Primary")
    secondary = make.school(org, name="Ashcombe High", phase="Secondary")
    organiser = make.user(org, name="Sophie Adeyemi")
    member = make.user(org, name="Ben Clarke", school=primary)
    other = make.user(org, name="Priya Sharma", school=secondary)
    network = make.network(org, name="North SENCOs", schools=[primary, secondary], organisers=[organiser])
    return org, network, organiser, member, other, primary, secondary


FORM = {
    "title": "Spring 1 network meeting",
    "day": ["27", "1", "2030"],
    "start": "13:30",
    "end": "16:00",
    "address": "Room 4",
    "online_url": "https://meet.example/abc",
    "refreshments": "Tea and cake",
    "capacity": "30",
    "description": "**Agenda** to follow",
    "status": "scheduled",
    "host_school_id": "",
}


def test_organiser_creates_a_meeting_in_uk_time(client, make, login):
    _, network, organiser, *_ = _setup(make)
    login(organiser)
    response = client.post(f"/o/nb/networks/{network.id}/meetings/new", data=FORM)
    meeting = db.session.scalar(sa.select(Meeting))
    assert response.headers["Location"] == f"/o/nb/meetings/{meeting.id}"
    # 27 January is GMT: 13:30 in London is 13:30 UTC.
    assert meeting.starts_at == datetime(2030, 1, 27, 13, 30, tzinfo=UTC)
    assert meeting.status == "scheduled" and meeting.sequence == 0 and meeting.uid.endswith("@cluster")
    page = client.get(f"/o/nb/meetings/{meeting.id}").get_data(as_text=True)
    assert "<strong>Agenda</strong>" in page and "Sunday 27 January 2030, 13:30 to 16:00" in page


def test_summer_times_are_stored_an_hour_earlier_in_utc(client, make, login):
    _, network, organiser, *_ = _setup(make)
    login(organiser)
    client.post(
        f"/o/nb/networks/{network.id}/meetings/new",
        data={**FORM, "day": ["10", "6", "2030"], "start": "16:00", "end": "17:00"},
    )
    meeting = db.session.scalar(sa.select(Meeting))
    assert meeting.starts_at == datetime(2030, 6, 10, 15, 0, tzinfo=UTC)
    assert "16:00" in client.get(f"/o/nb/meetings/{meeting.id}").get_data(as_text=True)


def test_bad_input_keeps_what_was_typed(client, make, login):
    _, network, organiser, *_ = _setup(make)
    login(organiser)
    page = client.post(
        f"/o/nb/networks/{network.id}/meetings/new",
        data={**FORM, "day": ["31", "2", "2030"], "end": "12:00", "online_url": "meet"},
    ).get_data(as_text=True)
    assert "must be a real date" in page and "end time must be after" in page and "full web address" in page
    assert 'value="Spring 1 network meeting"' in page and 'value="31"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


def test_members_cannot_create_and_do_not_see_drafts(client, make, login):
    _, network, organiser, member, *_ = _setup(make)
    draft = make.meeting(network, status="draft", title="Draft plan")
    login(member)
    assert client.get(f"/o/nb/networks/{network.id}/meetings/new").status_code == 403
    assert client.get(f"/o/nb/meetings/{draft.id}").status_code == 404
    assert "Draft plan" not in client.get(f"/o/nb/networks/{network.id}/meetings").get_data(as_text=True)


def test_programme_shows_upcoming_and_past(client, make, login):
    _, network, _, member, *_ = _setup(make)
    make.meeting(network, title="Next one", days_ahead=10)
    make.meeting(network, title="Last term", days_ahead=-60, status="held")
    login(member)
    page = client.get(f"/o/nb/networks/{network.id}/meetings").get_data(as_text=True)
    assert page.index("Next one") < page.index("Past meetings") < page.index("Last term")
    home = client.get("/o/nb/").get_data(as_text=True)
    assert "Your next meeting" in home and "Next one" in home


def test_moving_a_scheduled_meeting_bumps_the_sequence_and_tells_people(client, make, login, mailbox):
    _, network, organiser, member, other, *_ = _setup(make)
    meeting = make.meeting(network, days_ahead=20)
    set_rsvp(meeting, other, "no")
    db.session.commit()
    before = meeting.changed_at
    login(organiser)
    client.post(
        f"/o/nb/meetings/{meeting.id}/edit", data={**FORM, "title": meeting.title, "day": ["3", "3", "2031"]}
    )
    db.session.refresh(meeting)
    assert meeting.sequence == 1 and meeting.changed_at > before
    recipients = sorted(m["To"] for m in mailbox)
    assert recipients == sorted([organiser.email, member.email])  # not the one who declined
    text, html = parts(mailbox[0])
    assert "Monday 3 March 2031, 13:30" in text and "has changed" in html


def test_each_person_reads_a_changed_or_cancelled_meeting_on_their_own_clock(client, make, login, mailbox):
    _, network, organiser, member, *_ = _setup(make)
    member.time_zone = "America/New_York"
    db.session.commit()
    meeting = make.meeting(network, days_ahead=20)
    login(organiser)  # in Europe/London
    client.post(
        f"/o/nb/meetings/{meeting.id}/edit", data={**FORM, "title": meeting.title, "day": ["3", "3", "2031"]}
    )
    changed = {m["To"]: parts(m)[0] for m in mailbox}
    assert "Monday 3 March 2031, 13:30 to 16:00" in changed[organiser.email]
    assert "Monday 3 March 2031, 08:30 to 11:00" in changed[member.email]  # New York is 5 hours behind
    assert "13:30" not in changed[member.email]

    mailbox.clear()
    client.post(f"/o/nb/meetings/{meeting.id}/cancel", data={"reason": "Snow"})
    cancelled = {m["To"]: parts(m)[0] for m in mailbox}
    assert "planned for Monday 3 March 2031, 08:30 to 11:00" in cancelled[member.email]
    assert "planned for Monday 3 March 2031, 13:30 to 16:00" in cancelled[organiser.email]


def test_changing_only_the_title_is_not_news(client, make, login, mailbox):
    _, network, organiser, *_ = _setup(make)
    meeting = make.meeting(network, days_ahead=20, address="Room 4")
    login(organiser)
    local = meeting.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/London"))
    client.post(
        f"/o/nb/meetings/{meeting.id}/edit",
        data={
            **FORM,
            "title": "New title",
            "day": [str(local.day), str(local.month), str(local.year)],
            "start": "13:30",
            "end": "16:00",
            "address": "Room 4",
            "online_url": "",
        },
    )
    db.session.refresh(meeting)
    assert meeting.title == "New title" and meeting.sequence == 0 and mailbox == []


def test_cancelling_needs_a_reason_and_tells_people(client, make, login, mailbox):
    _, network, organiser, member, *_ = _setup(make)
    meeting = make.meeting(network, days_ahead=5)
    login(organiser)
    assert "Say why" in client.post(f"/o/nb/meetings/{meeting.id}/cancel", data={"reason": ""}).get_data(
        as_text=True
    )
    client.post(f"/o/nb/meetings/{meeting.id}/cancel", data={"reason": "Snow: the host school is closed"})
    db.session.refresh(meeting)
    assert meeting.status == "cancelled" and meeting.sequence == 1
    assert {m["To"] for m in mailbox} >= {organiser.email, member.email}
    assert all("Snow: the host school is closed" in parts(m)[0] for m in mailbox)
    assert all(m["Subject"].startswith("Cancelled:") for m in mailbox)


def test_replies_and_needs_visible_only_to_organisers(client, make, login):
    _, network, organiser, member, *_ = _setup(make)
    meeting = make.meeting(network)
    login(member)
    client.post(
        f"/o/nb/meetings/{meeting.id}/reply",
        data={"response": "yes", "mode": "online", "needs": "Vegan lunch"},
    )
    client.post(
        f"/o/nb/meetings/{meeting.id}/reply",
        data={"response": "maybe", "mode": "in_person", "needs": "Vegan lunch"},
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Rsvp)) == 1
    own = client.get(f"/o/nb/meetings/{meeting.id}").get_data(as_text=True)
    assert "You said: <strong>maybe</strong>" in own and "Vegan lunch" not in own.split("Your reply")[0]
    assert "Dietary and access needs</h3>" not in own
    login(organiser)
    page = client.get(f"/o/nb/meetings/{meeting.id}").get_data(as_text=True)
    assert "Dietary and access needs" in page and "Vegan lunch" in page and "Fernhill Primary" in page


def test_replies_are_refused_for_cancelled_meetings(client, make, login):
    _, network, _, member, *_ = _setup(make)
    meeting = make.meeting(network, status="cancelled")
    login(member)
    response = client.post(
        f"/o/nb/meetings/{meeting.id}/reply", data={"response": "yes", "mode": "in_person"}
    )
    assert response.status_code == 400 and "Replies are closed" in response.get_data(as_text=True)


def test_register_and_attendance_report(client, make, login):
    org, network, organiser, member, other, primary, secondary = _setup(make)
    absent = make.school(
        org, name="Zephyr Special", phase="Not applicable", establishment_type="Community special school"
    )
    from cluster.networks.services import set_member_schools

    set_member_schools(network, [primary, secondary, absent])
    db.session.commit()
    meetings = [make.meeting(network, days_ahead=-30 * n, status="held") for n in (1, 2)]
    set_rsvp_held = Rsvp(
        organisation_id=org.id, meeting_id=meetings[0].id, user_id=member.id, response="yes", mode="in_person"
    )
    db.session.add(set_rsvp_held)
    db.session.commit()
    login(organiser)
    ticked = client.post(f"/o/nb/meetings/{meetings[0].id}/register", data={"from_replies": "1"}).get_data(
        as_text=True
    )
    assert f'id="school-{primary.id}" name="school_id" type="checkbox" value="{primary.id}" checked' in ticked
    client.post(
        f"/o/nb/meetings/{meetings[0].id}/register", data={"school_id": [str(primary.id), str(secondary.id)]}
    )
    client.post(f"/o/nb/meetings/{meetings[1].id}/register", data={"school_id": [str(primary.id)]})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 3
    report = client.get(f"/o/nb/networks/{network.id}/attendance").get_data(as_text=True)
    assert report.index("Zephyr Special") < report.index("Ashcombe High") < report.index("Fernhill Primary")
    assert "Not attended" in report
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/o/nb/networks/{network.id}/attendance.csv").get_data(as_text=True))
        )
    )
    by_school = {row["School"]: row for row in rows}
    assert (
        by_school["Fernhill Primary"]["Meetings attended"] == "2"
        and by_school["Fernhill Primary"]["Attendance %"] == "100"
    )
    assert (
        by_school["Ashcombe High"]["Meetings attended"] == "1"
        and by_school["Zephyr Special"]["Last attended"] == "never"
    )


def test_register_refuses_schools_outside_the_network(client, make, login):
    org, network, organiser, *_ = _setup(make)
    outsider = make.school(org, name="Elsewhere")
    meeting = make.meeting(network, days_ahead=-1, status="held")
    login(organiser)
    page = client.post(
        f"/o/nb/meetings/{meeting.id}/register", data={"school_id": [str(outsider.id)]}
    ).get_data(as_text=True)
    assert "Only schools in the network can be on its register" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


def test_csv_cells_cannot_become_formulas(app_context):
    from cluster.meetings.reports import safe_cell

    assert (
        safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
        and safe_cell("St Mary's") == "St Mary's"
        and safe_cell(3) == 3
    )


def test_marking_held_needs_the_meeting_to_have_started(client, make, login):
    _, network, organiser, *_ = _setup(make)
    future = make.meeting(network, days_ahead=3)
    past = make.meeting(network, days_ahead=-1)
    login(organiser)
    client.post(f"/o/nb/meetings/{future.id}/held")
    client.post(f"/o/nb/meetings/{past.id}/held")
    db.session.refresh(future), db.session.refresh(past)
    assert (future.status, past.status) == ("scheduled", "held")
