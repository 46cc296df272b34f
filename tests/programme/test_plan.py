"""Planning a year's programme: preview with flags, adjust, create a series of meetings."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from cluster.calendar import services as calendar_services
from cluster.extensions import db
from cluster.meetings.models import Meeting, MeetingSeries
from cluster.timeutil import local_to_utc, to_local
from tests.calendar.helpers import add_entries, school_year
from tests.helpers import StatementCounter
from tests.programme.helpers import fill, forms

MONDAY, TUESDAY = 0, 1


@pytest.fixture()
def today(monkeypatch):
    """Today is 1 July 2026 unless a test says otherwise: this academic year is 2025 to 2026,
    the next 2026 to 2027."""
    day = {"today": date(2026, 7, 1)}
    monkeypatch.setattr(calendar_services, "london_today", lambda: day["today"])
    return day


@pytest.fixture()
def north(make):
    org = make.organisation(slug="nb")
    schools = [
        make.school(org, name="Fernhill Primary"),
        make.school(org, name="Ashcombe High", phase="Secondary"),
    ]
    organiser = make.user(org, name="Olu Organiser")
    network = make.network(org, name="North SENCOs", schools=schools, organisers=[organiser])
    school_year(org)
    return org, network, organiser, schools


def _rule(**changes) -> dict:
    rule = {
        "year": "2026",
        "weekday": str(TUESDAY),
        "ordinal": "2",
        "start": "13:30",
        "end": "16:00",
        "host_school_id": "",
        "address": "",
        "title": "[half term] network meeting",
        "action": "preview",
    }
    return {**rule, **changes}


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _preview(client, network, **changes):
    response = client.post(f"/o/nb/networks/{network.id}/programme/plan", data=_rule(**changes))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def _ticks(page: str) -> dict[str, bool]:
    """Half-term rows of the preview: ticked or not, by the checkbox's label order."""
    rows = next(f for f in forms(page) if any(v == "create" for _, v in f["buttons"]))
    halves = [value for name, value, _, _ in rows["fields"] if name.endswith("-half_term")]
    ticks = [on for name, _, on, kind in rows["fields"] if kind == "checkbox"]
    return dict(zip(halves, ticks))


def test_the_preview_flags_inset_days_and_bank_holidays_and_creates_nothing(client, login, north, today):
    _, network, organiser, _ = north
    login(organiser)
    page = _preview(client, network, weekday=str(MONDAY), ordinal="1")
    assert "Autumn 1: Monday 7 September 2026" in page and "Spring 1: Monday 4 January 2027" in page
    assert "INSET day: INSET day" in page
    assert _ticks(page) == {
        "Autumn 1": True,
        "Autumn 2": True,
        "Spring 1": False,
        "Spring 2": True,
        "Summer 1": True,
        "Summer 2": True,
    }
    page = _preview(client, network, weekday=str(MONDAY), ordinal="4")
    assert "Summer 1: Monday 3 May 2027" in page and "Bank holiday: Early May bank holiday" in page
    assert _ticks(page)["Summer 1"] is False
    assert (_count(Meeting), _count(MeetingSeries)) == (0, 0)


def test_create_makes_the_series_and_its_meetings_in_uk_time(client, login, north, today):
    org, network, organiser, schools = north
    login(organiser)
    page = _preview(client, network, host_school_id=str(schools[1].id), address="Room 4")
    assert "The second Tuesday of each half term, 13:30 to 16:00: 6 dates." in page
    response = client.post(
        f"/o/nb/networks/{network.id}/programme/plan",
        data=MultiDict(fill(page, "create", status="scheduled")),
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/o/nb/networks/{network.id}"
    banner = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Created 6 scheduled meetings: the second Tuesday of each half term, 13:30 to 16:00." in banner
    series = db.session.scalar(sa.select(MeetingSeries))
    assert (series.network_id, series.description) == (
        network.id,
        "The second Tuesday of each half term, 13:30 to 16:00",
    )
    meetings = db.session.scalars(sa.select(Meeting).order_by(Meeting.starts_at)).all()
    assert [(m.title, m.starts_at, m.ends_at) for m in meetings[:2]] == [
        (
            "Autumn 1 network meeting",
            datetime(2026, 9, 15, 12, 30, tzinfo=UTC),
            datetime(2026, 9, 15, 15, 0, tzinfo=UTC),
        ),
        (
            "Autumn 2 network meeting",
            datetime(2026, 11, 10, 13, 30, tzinfo=UTC),
            datetime(2026, 11, 10, 16, 0, tzinfo=UTC),
        ),
    ]  # British Summer Time, then Greenwich Mean Time: 13:30 in London both times
    assert all(
        to_local(m.starts_at).time() == time(13, 30) and to_local(m.ends_at).time() == time(16)
        for m in meetings
    )
    assert [to_local(m.starts_at).date() for m in meetings] == [
        date(2026, 9, 15),
        date(2026, 11, 10),
        date(2027, 1, 12),
        date(2027, 3, 2),
        date(2027, 4, 20),
        date(2027, 6, 15),
    ]
    assert {
        (m.status, m.series_id, m.network_id, m.host_school_id, m.address, m.created_by_id, m.organisation_id)
        for m in meetings
    } == {("scheduled", series.id, network.id, schools[1].id, "Room 4", organiser.id, org.id)}


def test_sending_the_create_form_twice_does_not_create_the_meetings_twice(client, login, north, today):
    _, network, organiser, _ = north
    login(organiser)
    data = MultiDict(fill(_preview(client, network), "create"))
    url = f"/o/nb/networks/{network.id}/programme/plan"
    assert client.post(url, data=data).status_code == 302
    again = client.post(url, data=data)
    page = again.get_data(as_text=True)
    assert again.status_code == 200 and (_count(MeetingSeries), _count(Meeting)) == (1, 6)
    assert "The network already has 6 meetings at this time on the ticked dates" in page
    assert "The network already meets at 13:30 this day: Autumn 1 network meeting" in page
    assert not any(_ticks(page).values())


def test_flagged_dates_are_left_out_unless_ticked(client, login, north, today):
    _, network, organiser, _ = north
    login(organiser)
    page = _preview(client, network, weekday=str(MONDAY), ordinal="1")
    client.post(
        f"/o/nb/networks/{network.id}/programme/plan",
        data=MultiDict(fill(page, "create", rows_0_include=False)),
    )
    assert [
        (to_local(m.starts_at).date(), m.status)
        for m in db.session.scalars(sa.select(Meeting).order_by(Meeting.starts_at))
    ] == [
        (date(2026, 11, 2), "draft"),
        (date(2027, 2, 22), "draft"),
        (date(2027, 4, 12), "draft"),
        (date(2027, 6, 7), "draft"),
    ]
    db.session.execute(sa.delete(Meeting))
    db.session.commit()
    client.post(
        f"/o/nb/networks/{network.id}/programme/plan",
        data=MultiDict(fill(page, "create", rows_2_include=True)),
    )
    assert date(2027, 1, 4) in {to_local(m.starts_at).date() for m in db.session.scalars(sa.select(Meeting))}


def test_a_moved_date_is_checked_before_anything_is_created(client, login, north, today):
    _, network, organiser, _ = north
    login(organiser)
    page = _preview(client, network)
    url = f"/o/nb/networks/{network.id}/programme/plan"
    response = client.post(
        url,
        data=MultiDict(fill(page, "create", rows_4_day=["31", "5", "2027"], rows_0_day=["16", "9", "2026"])),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _count(Meeting) == 0
    assert "You moved 2 dates: check the flags below" in page
    assert "Summer 1: Monday 31 May 2027" in page and "Bank holiday: Spring bank holiday" in page
    assert "School holiday: May half term" in page
    assert _ticks(page)["Summer 1"] is False and _ticks(page)["Autumn 1"] is True
    response = client.post(url, data=MultiDict(fill(page, "create")))
    assert response.status_code == 302
    days = [
        to_local(m.starts_at).date()
        for m in db.session.scalars(sa.select(Meeting).order_by(Meeting.starts_at))
    ]
    assert days == [
        date(2026, 9, 16),
        date(2026, 11, 10),
        date(2027, 1, 12),
        date(2027, 3, 2),
        date(2027, 6, 15),
    ]


def test_the_network_s_own_meetings_and_past_days_are_flagged(client, login, make, north, today):
    _, network, organiser, _ = north
    make.meeting(
        network,
        title="Extra meeting",
        starts_at=local_to_utc(date(2026, 11, 10), time(9)),
        ends_at=local_to_utc(date(2026, 11, 10), time(10)),
    )
    today["today"] = date(2026, 10, 1)
    login(organiser)
    page = _preview(client, network)
    assert "The network already meets this day: Extra meeting" in page and "Already past" in page
    assert _ticks(page) == {
        "Autumn 1": False,
        "Autumn 2": False,
        "Spring 1": True,
        "Spring 2": True,
        "Summer 1": True,
        "Summer 2": True,
    }


def test_nothing_is_ticked_or_a_date_is_wrong(client, login, north, today):
    _, network, organiser, _ = north
    login(organiser)
    page = _preview(client, network)
    url = f"/o/nb/networks/{network.id}/programme/plan"
    nothing = {f"rows_{i}_include": False for i in range(6)}
    response = client.post(url, data=MultiDict(fill(page, "create", **nothing)))
    assert response.status_code == 400 and "Tick at least one date to create a meeting" in response.get_data(
        as_text=True
    )
    response = client.post(url, data=MultiDict(fill(page, "check", rows_1_day=["31", "11", "2026"])))
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Date must be a real date" in text and 'value="31"' in text
    response = client.post(url, data=MultiDict(fill(page, "create", rows_5_day=["1", "9", "2027"])))
    text = response.get_data(as_text=True)
    assert (
        response.status_code == 400
        and "The date must be in 2026 to 2027, from 1 September 2026 to 31 August 2027" in text
    )
    assert _count(Meeting) == 0


def test_rule_errors_are_explained_and_keep_what_was_typed(client, login, north, today):
    _, network, organiser, _ = north
    login(organiser)
    response = client.post(
        f"/o/nb/networks/{network.id}/programme/plan",
        data=_rule(start="16:00", end="13.30", weekday="", address="The Hub, Mill Lane"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in page
    assert "The end time must be after the start time" in page and "Choose the day of the week" in page
    assert 'value="16:00"' in page and 'value="13.30"' in page and 'value="The Hub, Mill Lane"' in page
    assert "Check the dates" not in page


def test_without_term_dates_the_organiser_is_sent_to_the_calendar(client, login, make, today):
    org = make.organisation(slug="nb")
    organiser = make.user(org)
    network = make.network(org, organisers=[organiser])
    add_entries(org, ("term", "Autumn 1", "2026-09-03", "2026-10-23"))
    login(organiser)
    page = client.get(f"/o/nb/networks/{network.id}/programme/plan").get_data(as_text=True)
    assert "There are no term dates for 2025 to 2026 yet" in page and 'href="/o/nb/calendar"' in page
    assert "an organisation admin must enter them there first" in page
    assert (
        '<input class="govuk-radios__input" id="year-2" name="year" type="radio" value="2026" checked' in page
    )
    response = client.post(f"/o/nb/networks/{network.id}/programme/plan", data=_rule(year="2025"))
    assert (
        response.status_code == 400
        and "There are no term dates for 2025 to 2026 yet" in response.get_data(as_text=True)
    )


@pytest.mark.parametrize(
    "who, status", [("member", 403), ("observer", 403), ("organiser", 200), ("admin", 200), ("stranger", 404)]
)
def test_organisers_and_admins_plan_members_and_observers_may_not(
    client, login, make, north, today, who, status
):
    org, network, organiser, schools = north
    user = {
        "member": lambda: make.user(org, school=schools[0]),
        "observer": lambda: make.user(org, job_title="EP"),
        "organiser": lambda: organiser,
        "admin": lambda: make.user(org, is_admin=True),
        "stranger": lambda: make.user(org),
    }[who]()
    if who == "observer":
        from cluster.networks.services import appoint

        appoint(network, user, "observer")
        db.session.commit()
    login(user)
    url = f"/o/nb/networks/{network.id}/programme/plan"
    assert client.get(url).status_code == status
    assert client.post(url, data=_rule()).status_code == status
    assert _count(Meeting) == 0


def test_the_planner_issues_the_same_queries_whatever_the_size(client, login, make, north, today):
    org, network, organiser, schools = north
    login(organiser)
    url = f"/o/nb/networks/{network.id}/programme/plan"

    def measure() -> tuple[int, int, int]:
        # Requests share the test's session: start each from an empty identity map, as in production.
        db.session.expire_all()
        with StatementCounter() as get:
            client.get(url)
        db.session.expire_all()
        with StatementCounter() as preview:
            page = client.post(url, data=_rule()).get_data(as_text=True)
        db.session.expire_all()
        with StatementCounter() as check:
            client.post(url, data=MultiDict(fill(page, "check", rows_0_day=["16", "9", "2026"])))
        return get.count, preview.count, check.count

    small = measure()
    from cluster.networks.services import set_member_schools

    set_member_schools(network, schools + [make.school(org) for _ in range(25)])
    add_entries(
        org,
        *[("inset", f"Closure {n}", f"2027-06-{n:02d}", f"2027-06-{n:02d}") for n in range(1, 29)],
        ("term", "Summer 3", "2027-07-19", "2027-07-30"),
        ("term", "Autumn 1", "2027-09-02", "2027-10-22"),
    )
    for n in range(12):
        make.meeting(
            network,
            starts_at=local_to_utc(date(2026, 9, 15), time(9 + n % 8)),
            ends_at=local_to_utc(date(2026, 9, 15), time(10 + n % 8)),
        )
    db.session.commit()
    assert measure() == small
