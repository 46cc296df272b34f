"""Organisers see the ranking, remind only those who have not answered, close early, and
finalise a poll into a scheduled meeting that is emailed to those who can come; polls close by
themselves at their closing time (``flask polls close-due``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from cluster.extensions import db
from cluster.meetings.models import Meeting
from cluster.networks.services import set_member_schools
from cluster.polls.models import DatePoll, PollReminder
from tests.helpers import StatementCounter, link_in, parts
from tests.polls.helpers import make_poll


def answer(client, login, net, poll, user, **by_slot_index):
    """``user`` answers, e.g. ``s0="yes", s1="maybe"`` for the poll's first and second slots."""
    login(user)
    data = {f"slot-{poll.slots[int(key[1:])].id}": value for key, value in by_slot_index.items()}
    assert client.post(f"{net.base}/{poll.id}/answers", data=data).status_code == 302


def test_results_rank_slots_by_schools_that_can_come(client, login, net):
    poll = make_poll(net.network, "2027-06-08", "2027-06-15")
    p = net.people
    answer(client, login, net, poll, p.fern1, s0="yes", s1="yes")
    answer(client, login, net, poll, p.fern2, s0="yes", s1="no")  # same school: still one school
    answer(client, login, net, poll, p.oak, s0="no", s1="maybe")
    answer(client, login, net, poll, p.ash, s0="no", s1="yes")
    login(p.organiser)
    page = client.get(f"{net.base}/{poll.id}/results").get_data(as_text=True)
    assert page.index("1. Tuesday 15 June 2027") < page.index("2. Tuesday 8 June 2027")
    assert (
        "Suggested date: <strong>Tuesday 15 June 2027, 13:30 to 16:00</strong>. 3 of 4 schools can come."
        in page
    )
    assert "3 of 4 (2 yes, 1 if need be)" in page and "1 of 4 (1 yes, 0 if need be)" in page
    assert "No special school can come" in page and "No secondary or special school can come" in page
    assert "4 of 5 members answered." in page
    assert "Not answered yet (1)" in page and "Bea Brook, Brook School" in page
    assert f'value="{poll.slots[1].id}" checked' in page  # the top slot is suggested for finalising


def test_a_reminder_goes_to_those_who_have_not_answered_only(client, login, net, mailbox):
    poll = make_poll(net.network)
    p = net.people
    answer(client, login, net, poll, p.fern1, s0="yes")
    answer(client, login, net, poll, p.oak, s1="no")
    login(p.organiser)
    response = client.post(f"{net.base}/{poll.id}/remind")
    assert response.status_code == 302
    assert sorted(m["To"] for m in mailbox) == ["ash@nb.example", "brook@nb.example", "fern2@nb.example"]
    reminder = db.session.scalar(sa.select(PollReminder))
    assert reminder.sent_to == 3 and reminder.poll_id == poll.id
    text, html = parts(mailbox[0])
    assert "Olive Organiser asks you to answer the date poll" in text and "<a href=" in html
    assert link_in(mailbox[0], "/o/nb/") == f"{net.base}/{poll.id}"
    assert "Reminder sent to 3 people." in client.get(response.headers["Location"]).get_data(as_text=True)
    again = client.post(f"{net.base}/{poll.id}/remind", follow_redirects=True).get_data(as_text=True)
    assert "A reminder was sent at" in again and len(mailbox) == 3  # not twice within the hour
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PollReminder)) == 1


def test_poll_emails_give_each_person_the_times_on_their_own_clock(client, login, net, mailbox):
    poll = make_poll(net.network, "2027-06-08", "2027-06-15")
    p = net.people
    p.fern1.time_zone = "America/New_York"
    p.ash.time_zone = "America/New_York"
    db.session.commit()
    answer(client, login, net, poll, p.fern1, s0="no", s1="yes")
    answer(client, login, net, poll, p.oak, s0="yes", s1="yes")
    login(p.organiser)  # in Europe/London
    client.post(f"{net.base}/{poll.id}/remind")
    reminders = {m["To"]: parts(m)[0] for m in mailbox}
    closes = poll.closes_at
    assert (
        closes.astimezone(ZoneInfo("America/New_York")).strftime("%A %-d %B %Y at %H:%M")
        in (reminders["ash@nb.example"])
    )
    assert (
        closes.astimezone(ZoneInfo("Europe/London")).strftime("%A %-d %B %Y at %H:%M")
        in (reminders["brook@nb.example"])
    )

    mailbox.clear()
    client.post(f"{net.base}/{poll.id}/finalise", data={"slot_id": str(poll.slots[1].id), "title": "Summer"})
    chosen = {m["To"]: m for m in mailbox}
    # 13:30 in London in June is 08:30 in New York.
    assert chosen["fern1@nb.example"]["Subject"] == "Summer: Tuesday 15 June 2027, 08:30 to 11:00"
    assert chosen["oak@nb.example"]["Subject"] == "Summer: Tuesday 15 June 2027, 13:30 to 16:00"
    assert "Tuesday 15 June 2027, 08:30 to 11:00" in parts(chosen["fern1@nb.example"])[0]


def test_finalising_schedules_the_meeting_and_emails_those_who_can_come(client, login, net, mailbox):
    poll = make_poll(net.network, "2027-06-08", "2027-06-15")
    poll.slots[1].place = "Fernhill Primary, hall"
    db.session.commit()
    p = net.people
    answer(client, login, net, poll, p.fern1, s0="no", s1="yes")
    answer(client, login, net, poll, p.oak, s0="yes", s1="maybe")
    answer(client, login, net, poll, p.ash, s0="yes", s1="no")
    login(p.organiser)
    chosen = poll.slots[1]
    response = client.post(
        f"{net.base}/{poll.id}/finalise", data={"slot_id": str(chosen.id), "title": "Summer network meeting"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    meeting = db.session.scalar(sa.select(Meeting))
    assert (meeting.status, meeting.title, meeting.network_id) == (
        "scheduled",
        "Summer network meeting",
        net.network.id,
    )
    assert (meeting.starts_at, meeting.ends_at) == (chosen.starts_at, chosen.ends_at)
    assert meeting.address == "Fernhill Primary, hall" and meeting.created_by_id == p.organiser.id
    assert (poll.status, poll.meeting_id, poll.closed_at is not None) == ("finalised", meeting.id, True)
    assert [s.chosen for s in poll.slots] == [False, True]
    assert sorted(m["To"] for m in mailbox) == [
        "fern1@nb.example",
        "oak@nb.example",
    ]  # yes and if need be only
    text, html = parts(mailbox[0])
    assert "Tuesday 15 June 2027, 13:30 to 16:00" in text and "Fernhill Primary, hall" in html
    assert mailbox[0]["Subject"] == "Summer network meeting: Tuesday 15 June 2027, 13:30 to 16:00"
    assert link_in(mailbox[0], "/o/nb/") == f"/o/nb/meetings/{meeting.id}"
    page = client.get(f"{net.base}/{poll.id}/results").get_data(as_text=True)
    assert f'href="/o/nb/meetings/{meeting.id}"' in page
    assert "The meeting is scheduled for <strong>Tuesday 15 June 2027, 13:30 to 16:00</strong>" in page
    again = client.post(
        f"{net.base}/{poll.id}/finalise",
        data={"slot_id": str(poll.slots[0].id), "title": "Again"},
        follow_redirects=True,
    )
    assert "already been finalised" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 1 and len(mailbox) == 2


def test_finalising_without_a_choice_is_a_message(client, login, net):
    poll = make_poll(net.network)
    login(net.people.admin)
    response = client.post(f"{net.base}/{poll.id}/finalise", data={"title": "Meeting"})
    assert response.status_code == 400 and "Choose the date for the meeting" in response.get_data(
        as_text=True
    )
    assert db.session.scalar(sa.select(DatePoll.status)) == "open"


def test_organisers_close_a_poll_early(client, login, net):
    poll = make_poll(net.network)
    login(net.people.organiser)
    assert client.post(f"{net.base}/{poll.id}/close").status_code == 302
    db.session.expire_all()
    assert poll.status == "closed" and poll.closed_at is not None
    again = client.post(f"{net.base}/{poll.id}/close", follow_redirects=True).get_data(as_text=True)
    assert "This poll is already closed" in again


def test_members_and_observers_cannot_organise(client, login, net, mailbox):
    poll = make_poll(net.network)
    # Those with no standing in the network do not even see it (404).
    for who, status in ((net.people.fern1, 403), (net.people.observer, 403), (net.people.outsider, 404)):
        login(who)
        assert client.get(f"{net.base}/new").status_code == status
        for action in ("close", "remind", "finalise"):
            data = {"slot_id": str(poll.slots[0].id), "title": "x"}
            assert client.post(f"{net.base}/{poll.id}/{action}", data=data).status_code == status, (
                who.email,
                action,
            )
    db.session.expire_all()
    assert poll.status == "open" and not mailbox


def test_foreign_and_mismatched_ids_are_404(client, login, make, net):
    other = make.organisation(slug="ew")
    foreign_network = make.network(other, schools=[make.school(other)])
    foreign_poll = make_poll(foreign_network)
    own_poll = make_poll(net.network)
    second_network = make.network(
        net.org, name="South SENCOs", schools=[net.schools.fernhill], organisers=[net.people.organiser]
    )
    login(net.people.admin)
    for url in (
        f"{net.base}/{foreign_poll.id}",
        f"{net.base}/{foreign_poll.id}/results",
        f"/o/nb/networks/{foreign_network.id}/polls",
        f"/o/nb/networks/{foreign_network.id}/polls/{foreign_poll.id}",
        f"/o/nb/networks/{second_network.id}/polls/{own_poll.id}",  # a poll of another network of ours
        f"{net.base}/999999",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{net.base}/{foreign_poll.id}/close").status_code == 404
    assert client.post(f"/o/nb/networks/{second_network.id}/polls/{own_poll.id}/close").status_code == 404
    db.session.expire_all()
    assert foreign_poll.status == own_poll.status == "open"


def test_close_due_closes_polls_past_their_closing_time_once(app, client, net, now):
    due = make_poll(net.network, title="Due poll")
    not_yet = make_poll(net.network, title="Later poll")
    due.closes_at = now - timedelta(hours=1)
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["polls", "close-due"])
    assert first.exit_code == 0, first.output
    assert (
        f"Closed poll {due.id} “Due poll” of North SENCOs" in first.output
        and "Closed 1 poll." in first.output
    )
    db.session.expire_all()
    closed_at = due.closed_at
    assert (due.status, not_yet.status) == ("closed", "open") and closed_at is not None
    second = runner.invoke(args=["polls", "close-due"])
    assert second.exit_code == 0 and second.output.strip() == "No polls were due to close."
    db.session.expire_all()
    assert due.closed_at == closed_at and not_yet.status == "open"


def test_finalising_a_slot_that_has_passed_is_refused(client, login, net):
    poll = make_poll(net.network)
    poll.slots[0].starts_at = datetime(2020, 1, 1, 10, tzinfo=UTC)
    poll.slots[0].ends_at = datetime(2020, 1, 1, 12, tzinfo=UTC)
    db.session.commit()
    login(net.people.organiser)
    page = client.post(
        f"{net.base}/{poll.id}/finalise",
        data={"slot_id": str(poll.slots[0].id), "title": "x"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "That date has already passed" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


@pytest.mark.parametrize("who", ["organiser", "fern1", "observer"])
def test_poll_pages_issue_the_same_number_of_queries_whatever_the_size(client, login, make, net, who):
    def count(poll) -> dict[str, int]:
        login(getattr(net.people, who))
        found = {}
        for name, page in (("list", ""), ("poll", f"/{poll.id}"), ("results", f"/{poll.id}/results")):
            with StatementCounter() as counter:
                assert client.get(net.base + page).status_code == 200
            found[name] = counter.count
        return found

    login(getattr(net.people, who))
    with StatementCounter() as before_any_poll:
        assert client.get(net.base).status_code == 200
    small = make_poll(net.network, "2027-06-08", "2027-06-15", title="Small")
    answer(client, login, net, small, net.people.fern1, s0="yes")
    small_counts = count(small)
    big_school = make.school(net.org, name="Big Academy", phase="Secondary")
    set_member_schools(net.network, [*net.network.schools, big_school])
    extra = [make.user(net.org, school=big_school) for _ in range(8)]
    db.session.commit()
    big = make_poll(net.network, *[f"2027-06-{day:02d}" for day in range(7, 19)], title="Big")
    for user in (net.people.fern1, net.people.fern2, net.people.oak, net.people.ash, *extra):
        answer(client, login, net, big, user, **{f"s{i}": ("yes", "maybe", "no")[i % 3] for i in range(12)})
        login(user)
        client.post(
            f"{net.base}/{big.id}/answers", data={f"slot-{big.slots[0].id}": "yes", "comment": "Fine"}
        )
    assert count(big) == small_counts and small_counts["list"] == before_any_poll.count
