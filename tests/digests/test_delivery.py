"""The digest job: due in each person's own time, exactly once (twice in a row, twice at once,
after a crash), never empty, never repeating what was already reported, retried when SMTP fails.

The clock is injected: every run is given its ``now``; nothing sleeps.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from cluster.calendar.models import CalendarEntry
from cluster.digests.delivery import send_due_digests
from cluster.digests.models import DigestDelivery
from cluster.extensions import db
from cluster.mail import Mailer
from cluster.mail.outbox import MAX_ATTEMPTS
from tests.digests.helpers import (
    closed_port,
    deliveries,
    northbrook,
    poll_needing_answers,
    recipients,
    ticks,
    utc,
)
from tests.helpers import StatementCounter, parts

ROOT = Path(__file__).resolve().parents[2]
#: A Monday in winter: 07:00 in London is 07:00 UTC.
MONDAY = utc("2026-11-30T07:00")


def _many_members(make, nb, count: int):
    """``count`` more SENCOs of member schools (each at a school of their own in the network)."""
    from cluster.networks.services import set_member_schools

    people, schools = [], [nb.primary, nb.secondary]
    for n in range(count):
        school = make.school(nb.org, name=f"School {n:02d}")
        schools.append(school)
        people.append(
            make.user(nb.org, name=f"Senco {n:02d}", email=f"senco{n:02d}@nb.example", school=school)
        )
    set_member_schools(nb.network, schools)
    db.session.commit()
    return people


# Exactly once ------------------------------------------------------------------------------------------


def test_a_second_run_sends_nothing_again(make, mailbox):
    nb = northbrook(make)
    poll_needing_answers(make, nb.network, opened=MONDAY - timedelta(days=3))
    first = send_due_digests(MONDAY)
    # Ben and Priya vote: their poll needs them. The organiser and the observer do not vote and nothing else is on.
    assert recipients(mailbox) == ["ben@nb.example", "priya@nb.example"]
    assert first.sent == 2 and first.skipped == {"empty": 2}
    again = send_due_digests(MONDAY + timedelta(minutes=15))
    assert again.sent == 0 and len(mailbox) == 2
    rows = deliveries()
    assert {(r.user.email, r.period, r.status) for r in rows} == {
        ("ben@nb.example", "W2026-49", "sent"),
        ("priya@nb.example", "W2026-49", "sent"),
        ("organiser@nb.example", "W2026-49", "empty"),
        ("ruth@nb.example", "W2026-49", "empty"),
    }


def test_two_runs_at_once_send_every_digest_once(app, make, mailbox):
    nb = northbrook(make)
    people = _many_members(make, nb, 24)
    poll_needing_answers(make, nb.network, opened=MONDAY - timedelta(days=3))
    expected = sorted([p.email for p in people] + ["ben@nb.example", "priya@nb.example"])
    db.session.remove()
    barrier, reports, errors = threading.Barrier(2), [], []

    def run():
        with app.app_context():
            try:
                barrier.wait()
                reports.append(send_due_digests(MONDAY, batch_size=5))
            except Exception as problem:  # noqa: BLE001  (reported below)
                errors.append(problem)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert recipients(mailbox) == expected  # each due person once, whoever sent it
    assert sum(r.sent for r in reports) == len(expected)
    assert all(r.status == "sent" for r in deliveries() if r.item_count)


class Killed(BaseException):
    """The process dying between two messages (not an Exception: nothing may catch it)."""


def test_a_run_killed_half_way_through_a_batch_is_finished_by_the_next(make, mailbox, monkeypatch):
    nb = northbrook(make)
    people = _many_members(make, nb, 8)
    poll_needing_answers(make, nb.network, opened=MONDAY - timedelta(days=3))
    send = Mailer.send
    calls = []

    def dying(self, message):
        calls.append(message)
        if len(calls) == 5:
            raise Killed
        send(self, message)

    expected = sorted([p.email for p in people] + ["ben@nb.example", "priya@nb.example"])
    monkeypatch.setattr(Mailer, "send", dying)
    with pytest.raises(Killed):
        send_due_digests(MONDAY)
    db.session.rollback()
    db.session.remove()
    monkeypatch.undo()
    assert len(mailbox) == 4
    # Five minutes later the dead run's claims still look alive: nothing is sent twice.
    send_due_digests(MONDAY + timedelta(minutes=5))
    assert len(mailbox) == 4
    # The next tick takes up what it left: the digest it was sending and those still queued.
    send_due_digests(MONDAY + timedelta(minutes=15))
    send_due_digests(MONDAY + timedelta(minutes=30))
    assert recipients(mailbox) == expected
    resent = [m for m in mailbox if m["To"].addresses[0].addr_spec == calls[4]["To"].addresses[0].addr_spec][
        0
    ]
    assert resent["Message-ID"] == calls[4]["Message-ID"]  # the same message, tried again


KILL_SCRIPT = """
import os, signal, sys
from datetime import datetime
from cluster import create_app
from cluster.mail import Mailer

app = create_app({"DATABASE_URL": sys.argv[1], "SECRET_KEY": "test-secret", "CLUSTER_BASE_URL": "http://cluster.test",
                  "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": int(sys.argv[2])})
sent, send = [], Mailer.send

def send_then_die(self, message):
    if len(sent) == 3:
        os.kill(os.getpid(), signal.SIGKILL)  # half-way through the batch, before the fourth message
    send(self, message)
    sent.append(message)

Mailer.send = send_then_die
with app.app_context():
    from cluster.digests.delivery import send_due_digests
    send_due_digests(datetime.fromisoformat(sys.argv[3]))
"""


def test_a_process_killed_with_sigkill_half_way_leaves_nothing_to_send_twice(app, make, mailbox, smtp_server):
    nb = northbrook(make)
    people = _many_members(make, nb, 6)
    poll_needing_answers(make, nb.network, opened=MONDAY - timedelta(days=3))
    expected = sorted([p.email for p in people] + ["ben@nb.example", "priya@nb.example"])
    db.session.remove()
    controller, _ = smtp_server
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            KILL_SCRIPT,
            app.config["DATABASE_URL"],
            str(controller.port),
            MONDAY.isoformat(),
        ],
        cwd=ROOT,
        env={**os.environ, "CLUSTER_INSTANCE_PATH": app.instance_path},
        capture_output=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    assert len(mailbox) == 3
    send_due_digests(MONDAY + timedelta(minutes=15))
    assert recipients(mailbox) == expected


# Empty, repeated, paused --------------------------------------------------------------------------------------


def test_a_digest_with_nothing_in_it_is_not_sent(make, mailbox):
    nb = northbrook(make)
    report = send_due_digests(MONDAY)
    assert mailbox == [] and report.sent == 0
    assert {r.status for r in deliveries()} == {"empty"}
    # The period is settled: it is not composed again every 15 minutes.
    assert send_due_digests(MONDAY + timedelta(minutes=15)).skipped == {}
    assert len(deliveries(nb.member)) == 1


def test_nothing_is_reported_twice_new_since_starts_where_the_last_digest_ended(make, mailbox):
    nb = northbrook(make)
    week1, week2 = MONDAY, MONDAY + timedelta(days=7)
    # Added to the programme on the Friday before week 1, for a date well beyond "coming up".
    make.meeting(
        nb.network,
        title="Spring 1 network meeting",
        now=week1 - timedelta(days=3),
        starts_at=utc("2027-01-12T13:30"),
        ends_at=utc("2027-01-12T16:00"),
    )
    send_due_digests(week1)
    first = {m["To"].addresses[0].addr_spec: parts(m)[0] for m in mailbox}
    assert (
        "Spring 1 network meeting" in first["ben@nb.example"]
        and "NEW IN THE LAST WEEK" in first["ben@nb.example"]
    )
    # Added on the Tuesday after week 1's digest.
    make.meeting(
        nb.network,
        title="Spring 2 network meeting",
        now=week1 + timedelta(days=1),
        starts_at=utc("2027-02-23T13:30"),
        ends_at=utc("2027-02-23T16:00"),
    )
    mailbox.clear()
    send_due_digests(week2)
    second = parts(next(m for m in mailbox if m["To"].addresses[0].addr_spec == "ben@nb.example"))[0]
    assert "Spring 2 network meeting" in second and "NEW SINCE YOUR LAST DIGEST" in second
    assert "Spring 1 network meeting" not in second
    one, two = deliveries(nb.member)
    assert two.covers_from == one.covers_until == week1 and two.covers_until == week2


def test_what_is_new_during_an_empty_week_waits_for_the_next_digest_sent(make, mailbox):
    nb = northbrook(make)
    week1, week2, week3 = MONDAY, MONDAY + timedelta(days=7), MONDAY + timedelta(days=14)
    make.meeting(
        nb.network,
        title="Spring 1 network meeting",
        now=week1 - timedelta(days=1),
        starts_at=utc("2027-01-12T13:30"),
        ends_at=utc("2027-01-12T16:00"),
    )
    send_due_digests(week1)
    send_due_digests(week2)  # nothing new, nothing coming up: empty, not sent
    assert deliveries(nb.member)[1].status == "empty"
    make.meeting(
        nb.network,
        title="Spring 2 network meeting",
        now=week2 + timedelta(hours=1),
        starts_at=utc("2027-02-23T13:30"),
        ends_at=utc("2027-02-23T16:00"),
    )
    mailbox.clear()
    send_due_digests(week3)
    assert deliveries(nb.member)[2].covers_from == week1  # the last digest that was sent
    assert "Spring 2 network meeting" in parts(mailbox[0])[0]


def test_a_digest_can_pause_in_the_school_holidays(make, mailbox):
    nb = northbrook(make)
    poll_needing_answers(make, nb.network, opened=MONDAY - timedelta(days=3))
    make.digest_preference(nb.member, pause_in_holidays=True)
    db.session.add(
        CalendarEntry(
            organisation_id=nb.org.id,
            kind="holiday",
            name="Christmas holiday",
            starts_on=MONDAY.date(),
            ends_on=MONDAY.date() + timedelta(days=4),
        )
    )
    db.session.commit()
    send_due_digests(MONDAY)
    assert recipients(mailbox) == ["priya@nb.example"]  # Priya did not ask for the pause
    assert deliveries(nb.member)[0].status == "paused"


def test_people_who_turned_the_digest_off_or_left_get_none(make, mailbox):
    nb = northbrook(make)
    poll_needing_answers(make, nb.network, opened=MONDAY - timedelta(days=3))
    make.digest_preference(nb.member, frequency="off")
    nb.other.active = False
    db.session.commit()
    send_due_digests(MONDAY)
    assert mailbox == [] and deliveries(nb.member) == [] and deliveries(nb.other) == []


# The clock ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sunday, expected",
    [
        ("2026-03-29", "2026-03-30T06:00"),  # the clocks went forward on Sunday: 07:00 BST
        ("2026-10-25", "2026-10-26T07:00"),  # the clocks went back on Sunday: 07:00 GMT
    ],
)
def test_seven_o_clock_on_the_monday_after_the_clocks_change(make, mailbox, sunday, expected):
    nb = northbrook(make)
    poll_needing_answers(make, nb.network, opened=utc("2026-03-01T09:00"))
    sent_at = []
    for moment in ticks(utc(f"{sunday}T00:00"), utc(f"{sunday}T00:00") + timedelta(days=1, hours=12)):
        before = len([m for m in mailbox if m["To"].addresses[0].addr_spec == "ben@nb.example"])
        send_due_digests(moment)
        if len([m for m in mailbox if m["To"].addresses[0].addr_spec == "ben@nb.example"]) > before:
            sent_at.append(moment)
    assert sent_at == [utc(expected)]
    (row,) = deliveries(nb.member)
    assert row.scheduled_for == utc(expected) and row.status == "sent"
    message = next(m for m in mailbox if m["To"].addresses[0].addr_spec == "ben@nb.example")
    assert "every Monday at 07:00" in parts(message)[0]


# SMTP failures ------------------------------------------------------------------------------------------------


def test_a_failed_send_is_retried_with_back_off_then_marked_failed(app, make, mailbox, monkeypatch, login):
    nb = northbrook(make)
    poll_needing_answers(make, nb.network, opened=MONDAY - timedelta(days=3))
    make.digest_preference(nb.other, frequency="off")
    monkeypatch.setitem(app.config, "MAIL_PORT", closed_port())
    attempts_at = [MONDAY]
    send_due_digests(MONDAY)
    (row,) = deliveries(nb.member)
    assert (
        row.status == "retrying"
        and row.attempts == 1
        and row.next_attempt_at == MONDAY + timedelta(minutes=15)
    )
    assert "Could not reach the mail server" in row.last_error
    send_due_digests(MONDAY + timedelta(minutes=10))  # not yet
    assert deliveries(nb.member)[0].attempts == 1
    for wait in (15, 30, 60, 120):  # 15 minutes, doubling
        attempts_at.append(attempts_at[-1] + timedelta(minutes=wait))
        send_due_digests(attempts_at[-1])
    (row,) = deliveries(nb.member)
    assert row.status == "failed" and row.attempts == MAX_ATTEMPTS and mailbox == []
    send_due_digests(attempts_at[-1] + timedelta(days=1, hours=-6))
    assert deliveries(nb.member)[0].attempts == MAX_ATTEMPTS  # given up: never tried again
    # The org admin sees it.
    admin = make.user(nb.org, email="admin@nb.example", is_admin=True)
    page = login(admin).get("/o/nb/digests/undelivered").get_data(as_text=True)
    assert (
        "ben@nb.example" in page and "Could not be sent" in page and "Could not reach the mail server" in page
    )


def test_a_digest_that_failed_once_is_sent_once_when_the_server_is_back(app, make, mailbox, monkeypatch):
    nb = northbrook(make)
    poll_needing_answers(make, nb.network, opened=MONDAY - timedelta(days=3))
    monkeypatch.setitem(app.config, "MAIL_PORT", closed_port())
    send_due_digests(MONDAY)
    monkeypatch.undo()
    send_due_digests(MONDAY + timedelta(minutes=15))
    send_due_digests(MONDAY + timedelta(minutes=30))
    assert recipients(mailbox) == ["ben@nb.example", "priya@nb.example"]
    row = deliveries(nb.member)[0]
    assert row.status == "sent" and row.attempts == 2 and row.last_error == ""
    assert next(m for m in mailbox if "ben@" in str(m["To"]))["Message-ID"] == row.message_id


def test_an_address_the_server_refuses_does_not_stop_the_others(app, make, mailbox, monkeypatch):
    from aiosmtpd.controller import Controller

    class Refusing:
        async def handle_RCPT(self, server, session, envelope, address, options):
            if address.startswith("ben@"):
                return "550 5.1.1 No such mailbox"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            from email import message_from_bytes, policy

            mailbox.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    controller = Controller(Refusing(), hostname="127.0.0.1", port=closed_port())
    controller.start()
    try:
        nb = northbrook(make)
        poll_needing_answers(make, nb.network, opened=MONDAY - timedelta(days=3))
        monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
        report = send_due_digests(MONDAY)
    finally:
        controller.stop()
    assert recipients(mailbox) == ["priya@nb.example"] and report.retrying == 1
    row = deliveries(nb.member)[0]
    assert row.status == "retrying" and "550" in row.last_error and "No such mailbox" in row.last_error


# Batches ------------------------------------------------------------------------------------------------------


def test_composing_costs_the_same_statements_for_two_readers_or_forty(make):
    from cluster.digests.compose import compose, load_batch
    from cluster.digests.sections import Reader
    from cluster.timeutil import zone_of

    nb = northbrook(make)
    people = _many_members(make, nb, 38)
    poll = poll_needing_answers(make, nb.network, opened=MONDAY - timedelta(days=3))
    make.poll_answers(poll, people[0])
    meeting = make.meeting(
        nb.network,
        title="Autumn 2",
        starts_at=MONDAY + timedelta(days=3),
        ends_at=MONDAY + timedelta(days=3, hours=2),
    )
    for person in people[:10]:
        make.rsvp(meeting, person)
    everyone = [nb.member, nb.other, *people]

    def measure(users):
        readers = [
            Reader(u.id, u.email, u.name, zone_of(None), "weekly", 0, 7, MONDAY - timedelta(days=7), MONDAY)
            for u in users
        ]
        with StatementCounter() as counter:
            digests = compose(load_batch(readers, MONDAY))
        return counter.count, digests

    few, digests_few = measure(everyone[:2])
    many, digests_many = measure(everyone)
    assert few == many
    assert len(digests_many) == 40 and all(not d.is_empty for d in digests_many.values())


def test_sending_costs_a_fixed_number_of_statements_per_batch_plus_two_per_message(make, mailbox):
    nb = northbrook(make)
    people = _many_members(make, nb, 30)
    poll_needing_answers(make, nb.network, opened=MONDAY - timedelta(days=3))
    for person in people[:25]:
        make.digest_preference(person, frequency="off")
    db.session.remove()
    with StatementCounter() as small:
        send_due_digests(MONDAY)
    sent_small = len(mailbox)
    db.session.execute(sa.delete(DigestDelivery))
    db.session.execute(sa.text("DELETE FROM digest_preference"))
    db.session.commit()
    mailbox.clear()
    with StatementCounter() as large:
        send_due_digests(MONDAY)
    assert len(mailbox) - sent_small == 25
    # Each message costs its "take" and its outcome; composing is per batch, not per person.
    assert large.count - small.count == 2 * 25
