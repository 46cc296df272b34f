"""Organisers' results: numbers and comments, with anonymous responses untraceable in pages and CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import sqlalchemy as sa

from cluster.digests.services import preview
from cluster.extensions import db
from cluster.feedback import services
from cluster.feedback.jobs import send_feedback_requests
from cluster.feedback.models import FeedbackRequest
from cluster.feedback.queries import meeting_results
from tests.helpers import link_in, parts


def _respond(held, anonymous_too=True):
    services.save_response(
        held.meeting,
        held.sencos[0],
        usefulness=5,
        relevance=4,
        ratings={},
        keep="Named keep comment",
        change="",
        add="More on EBSA",
        anonymous=False,
    )
    if anonymous_too:
        services.save_response(
            held.meeting,
            held.sencos[1],
            usefulness=2,
            relevance=1,
            ratings={},
            keep="",
            change="Secret change comment",
            add="",
            anonymous=True,
        )
    db.session.commit()


def test_results_count_means_distributions_and_comments(held):
    _respond(held)
    found = meeting_results(held.meeting)
    assert (found.responses, found.attendees, found.anonymous) == (2, 2, 1)
    assert (found.usefulness_mean, found.relevance_mean) == (3.5, 2.5)
    assert found.distribution("usefulness") == [0, 1, 0, 0, 1]
    assert [(c.text, c.by) for c in found.comments["change"]] == [("Secret change comment", None)]
    assert found.comments["keep"][0].by == "Senco Person 0, Feedback School 0"


def test_an_anonymous_response_cannot_be_traced_in_the_results_page_or_the_csv(login, held):
    _respond(held)
    anonymous = held.sencos[1]
    client = login(held.organiser)
    page = client.get(f"/o/{held.org.slug}/meetings/{held.meeting.id}/feedback/results").get_data(
        as_text=True
    )
    csv_text = client.get(f"/o/{held.org.slug}/networks/{held.network.id}/reports/feedback.csv").get_data(
        as_text=True
    )
    themes = client.get(f"/o/{held.org.slug}/networks/{held.network.id}/you-said-we-did/themes/new").get_data(
        as_text=True
    )
    for text in (page, csv_text, themes):
        assert "Secret change comment" in text
        for identity in (anonymous.name, anonymous.email, held.schools[1].name):
            assert identity not in text
    assert "Senco Person 0" in page and "Senco Person 0" in csv_text  # named ones keep their names
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[0][:6] == [
        "Meeting date",
        "Meeting",
        "Respondent",
        "School",
        "Usefulness (1-5)",
        "Relevance (1-5)",
    ]
    anonymous_row = next(r for r in rows if "Secret change comment" in r)
    assert anonymous_row[2:4] == ["Anonymous", ""]
    assert not any("Submitted" in h or "time" in h.lower() for h in rows[0])


def test_anonymous_comments_are_quoted_without_attribution(login, held):
    from cluster.actions.services import save_theme
    from cluster.feedback.models import FeedbackResponse

    _respond(held)
    ids = {r.anonymous: r.id for r in db.session.scalars(sa.select(FeedbackResponse))}
    save_theme(
        held.network,
        held.organiser,
        None,
        summary="Meetings need more secondary focus",
        meeting_id=None,
        quotes=[f"{ids[True]}-change", f"{ids[False]}-keep"],
        action_ids=[],
    )
    db.session.commit()
    page = (
        login(held.sencos[2])
        .get(f"/o/{held.org.slug}/networks/{held.network.id}/you-said-we-did")
        .get_data(as_text=True)
    )
    assert "Secret change comment" in page and "Named keep comment" in page
    assert held.sencos[1].name not in page and held.schools[1].name not in page
    assert "Senco Person 0, Feedback School 0" in page


def test_the_feedback_csv_matches_the_database_and_defuses_formulas(login, held):
    services.save_response(
        held.meeting,
        held.sencos[0],
        usefulness=3,
        relevance=5,
        ratings={},
        keep='=HYPERLINK("http://x")',
        anonymous=False,
    )
    db.session.commit()
    text = (
        login(held.organiser)
        .get(f"/o/{held.org.slug}/networks/{held.network.id}/reports/feedback.csv")
        .get_data(as_text=True)
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    assert rows[1][1:8] == [
        "Autumn network meeting",
        "Senco Person 0",
        "Feedback School 0",
        "3",
        "5",
        "",
        '\'=HYPERLINK("http://x")',
    ]


def test_attendance_and_actions_csvs_match_the_database(login, held):
    from cluster.actions.services import record_action

    record_action(
        held.network,
        held.organiser,
        description="Share the provision map",
        owner=f"school-{held.schools[2].id}",
        due_on=held.meeting.starts_at.date() - timedelta(days=1),
        meeting_id=held.meeting.id,
    )
    db.session.commit()
    client = login(held.organiser)
    base = f"/o/{held.org.slug}/networks/{held.network.id}/reports"
    attendance = list(csv.reader(io.StringIO(client.get(f"{base}/attendance.csv").get_data(as_text=True))))
    assert [(r[2], r[5]) for r in attendance[1:]] == [
        (s.name, p) for s, p in zip(held.schools, ["yes", "yes", "no"])
    ]
    actions = list(csv.reader(io.StringIO(client.get(f"{base}/actions.csv").get_data(as_text=True))))
    assert actions[1][2:7] == [
        "Share the provision map",
        "Feedback School 2",
        (held.meeting.starts_at.date() - timedelta(days=1)).isoformat(),
        "Open",
        "yes",
    ]
    day = held.meeting.starts_at.date() + timedelta(days=5)
    later = client.get(f"{base}/attendance.csv?start={day.day}&start={day.month}&start={day.year}").get_data(
        as_text=True
    )
    assert len(list(csv.reader(io.StringIO(later)))) == 1  # the meeting is before the period
    assert client.get(f"{base}/nonsense.csv").status_code == 404
    assert client.get(f"{base}/attendance.csv?start=40&start=2&start=2026").status_code == 400
    assert login(held.sencos[0]).get(f"{base}/feedback.csv").status_code == 403


def test_attendees_are_emailed_once_and_the_digest_asks_until_they_answer(app, held, mailbox):
    later = held.meeting.changed_at + timedelta(hours=2)
    held.meeting.ends_at = min(held.meeting.ends_at, later)
    db.session.commit()
    report = send_feedback_requests(later)
    assert report.sent == 2
    assert sorted(m["To"].addresses[0].addr_spec for m in mailbox) == [
        "senco0@fb.example",
        "senco1@fb.example",
    ]
    text, html = parts(mailbox[0])
    assert "Autumn network meeting" in text and "anonymously" in html
    assert link_in(mailbox[0], f"/o/{held.org.slug}/meetings/{held.meeting.id}/feedback")
    assert send_feedback_requests(later + timedelta(minutes=15)).sent == 0
    assert len(mailbox) == 2 and db.session.scalar(sa.select(sa.func.count(FeedbackRequest.id))) == 2

    def keys(user):
        return [i.key for p in preview(user).parts if p.key == "needs_you" for g in p.groups for i in g.items]

    assert f"feedback:{held.meeting.id}" in keys(held.sencos[0])
    assert f"feedback:{held.meeting.id}" not in keys(held.sencos[2])
    _respond(held, anonymous_too=False)
    assert f"feedback:{held.meeting.id}" not in keys(held.sencos[0])
    assert f"feedback:{held.meeting.id}" in keys(held.sencos[1])


def test_no_email_before_the_register_has_had_time(held, mailbox):
    assert send_feedback_requests(held.meeting.changed_at + timedelta(minutes=20)).sent == 0
    assert mailbox == []
