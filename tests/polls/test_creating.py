"""Organisers open polls: slots entered in UK time and stored in UTC, blank rows ignored, every
mistake reported with what was typed kept, more rows without JavaScript, and days on which
schools may be closed flagged (not refused)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from cluster.extensions import db
from cluster.polls.models import DatePoll
from cluster.polls.queries import slot_views
from tests.calendar.helpers import add_entries
from tests.polls.helpers import make_poll


def poll_form(
    *rows, title="Summer term meeting", closes=("1", "5", "2027"), closes_time="17:00", **extra
) -> dict:
    """The new-poll form: each row is (day, month, year, start, end, place)."""
    data = {
        "title": title,
        "description": "Bring *one* case.",
        "closes_day": list(closes),
        "closes_time": closes_time,
    }
    for i, (d, m, y, start, end, place) in enumerate(rows):
        data |= {
            f"slots-{i}-day": [d, m, y],
            f"slots-{i}-starts": start,
            f"slots-{i}-ends": end,
            f"slots-{i}-place": place,
        }
    return data | extra


def test_organiser_opens_a_poll_with_slots_in_uk_time(client, login, net):
    login(net.people.organiser)
    page = client.get(f"{net.base}/new").get_data(as_text=True)
    assert (
        page.count('name="slots-5-starts"') == 1 and 'name="slots-6-starts"' not in page
    )  # six rows to start with
    response = client.post(
        f"{net.base}/new",
        data=poll_form(
            ("8", "6", "2027", "13:30", "16:00", "Fernhill Primary"),
            ("", "", "", "", "", ""),  # blank rows are ignored
            ("9", "12", "2027", "9:00", "12:00", ""),
        ),
    )
    poll = db.session.scalar(sa.select(DatePoll))
    assert response.status_code == 302 and response.headers["Location"] == f"{net.base}/{poll.id}"
    assert (
        poll.title == "Summer term meeting"
        and poll.status == "open"
        and poll.created_by_id == net.people.organiser.id
    )
    assert poll.closes_at == datetime(2027, 5, 1, 16, 0, tzinfo=UTC)  # 17:00 BST
    summer, winter = poll.slots
    assert (summer.starts_at, summer.ends_at, summer.place) == (
        datetime(2027, 6, 8, 12, 30, tzinfo=UTC),
        datetime(2027, 6, 8, 15, 0, tzinfo=UTC),
        "Fernhill Primary",
    )
    assert winter.starts_at == datetime(2027, 12, 9, 9, 0, tzinfo=UTC)  # 09:00 GMT
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Poll opened" in shown and "<em>one</em>" in shown  # the description is Markdown
    assert "Tuesday 8 June 2027, 13:30 to 16:00" in shown


def test_mistakes_are_reported_and_what_was_typed_is_kept(client, login, net):
    login(net.people.organiser)
    response = client.post(
        f"{net.base}/new",
        data=poll_form(
            ("8", "6", "2027", "16:00", "13:30", "Fernhill <Primary>"),
            ("31", "2", "2027", "10:00", "12:00", ""),
            ("", "", "", "25:61", "", ""),
            title="Autumn <b>meeting</b>",
            closes=("1", "7", "2027"),
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page and page.startswith("<!DOCTYPE html>")
    for message in (
        "Slot 1 must end after it starts",
        "must be a real date",
        "Enter the date of slot 3",
        "Enter the start time of slot 3",
        "Enter the end time of slot 3",
    ):
        assert message in page, message
    for typed in (
        'value="Fernhill &lt;Primary&gt;"',
        'value="Autumn &lt;b&gt;meeting&lt;/b&gt;"',
        'value="25:61"',
        'value="31"',
        'value="16:00"',
    ):
        assert typed in page, typed
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DatePoll)) == 0


def test_rules_on_slots_and_closing(client, login, net):
    login(net.people.organiser)
    only_one = client.post(
        f"{net.base}/new", data=poll_form(("8", "6", "2027", "13:30", "16:00", ""))
    ).get_data(as_text=True)
    assert "Add at least 2 slots" in only_one
    late = client.post(
        f"{net.base}/new",
        data=poll_form(
            ("8", "6", "2027", "13:30", "16:00", ""),
            ("15", "6", "2027", "13:30", "16:00", ""),
            closes=("9", "6", "2027"),
        ),
    ).get_data(as_text=True)
    assert "The poll must close before the first slot starts (Tuesday 8 June 2027, 13:30 to 16:00)" in late
    past = client.post(
        f"{net.base}/new",
        data=poll_form(
            ("8", "6", "2020", "13:30", "16:00", ""),
            ("8", "6", "2027", "13:30", "16:00", ""),
            ("8", "6", "2027", "13:30", "16:00", ""),
            closes=("1", "1", "2020"),
        ),
    ).get_data(as_text=True)
    assert "Slot 1 must be in the future" in past and "Slot 3 is the same as slot 2" in past
    assert "The closing date must be in the future" in past
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DatePoll)) == 0


def test_add_more_slots_works_without_javascript(client, login, net):
    login(net.people.organiser)
    response = client.post(
        f"{net.base}/new",
        data=poll_form(("8", "6", "2027", "13:30", "", "Oakwood"), add_slots="Add more slots"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" not in page
    assert 'name="slots-8-starts"' in page and 'name="slots-9-starts"' not in page  # 6 + 3 rows
    assert 'value="Summer term meeting"' in page and 'value="Oakwood"' in page and 'value="13:30"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DatePoll)) == 0


def test_slots_on_holidays_bank_holidays_inset_days_and_weekends_are_flagged(client, login, net):
    add_entries(
        net.org,
        ("holiday", "May half term", "2027-05-31", "2027-06-04"),
        ("inset", "INSET day", "2027-06-07", "2027-06-07"),
    )
    login(net.people.organiser)
    response = client.post(
        f"{net.base}/new",
        data=poll_form(
            ("31", "5", "2027", "13:30", "16:00", ""),  # Spring bank holiday, in half term
            ("7", "6", "2027", "13:30", "16:00", ""),  # INSET day
            ("12", "6", "2027", "10:00", "12:00", ""),  # a Saturday
            ("15", "6", "2027", "13:30", "16:00", ""),  # an ordinary Tuesday
        ),
    )
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 slots fall on a bank holiday, school holiday, INSET day or weekend" in shown
    assert "Bank holiday: Spring bank holiday" in shown and "School holiday: May half term" in shown
    assert "INSET day: INSET day" in shown and "Weekend" in shown
    poll = db.session.scalar(sa.select(DatePoll))
    flags = {
        view.when.split(",")[0]: [f.kind for f in view.flags]
        for view in slot_views(net.org, poll.slots).values()
    }
    assert flags == {
        "Monday 31 May 2027": ["bank_holiday", "holiday"],
        "Monday 7 June 2027": ["inset"],
        "Saturday 12 June 2027": ["weekend"],
        "Tuesday 15 June 2027": [],
    }
    results = client.get(f"{net.base}/{poll.id}/results").get_data(as_text=True)
    assert "Bank holiday: Spring bank holiday" in results and "INSET day: INSET day" in results


def test_members_see_flags_as_hints_of_their_radios(client, login, net):
    add_entries(net.org, ("holiday", "May half term", "2027-05-31", "2027-06-04"))
    poll = make_poll(net.network, "2027-05-31", "2027-06-08")
    login(net.people.fern1)
    page = client.get(f"{net.base}/{poll.id}").get_data(as_text=True)
    assert "Bank holiday: Spring bank holiday. School holiday: May half term." in page
    assert 'class="govuk-hint"' in page


def test_only_organisers_and_admins_open_polls(client, login, net):
    for who, status in [
        (net.people.fern1, 403),
        (net.people.observer, 403),
        (net.people.outsider, 404),  # no standing in the network: it is not theirs to see
        (net.people.organiser, 200),
        (net.people.admin, 200),
    ]:
        login(who)
        assert client.get(f"{net.base}/new").status_code == status, who.email
