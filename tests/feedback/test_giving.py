"""Giving feedback: attendees only, one response each (a second submission updates it), 14 days."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from cluster.extensions import db, utcnow
from cluster.feedback import services
from cluster.feedback.models import FeedbackRating, FeedbackResponse


def url(held, suffix=""):
    return f"/o/{held.org.slug}/meetings/{held.meeting.id}/feedback{suffix}"


def answer(client, held, **values):
    data = {"usefulness": "4", "relevance": "3", "keep": "The case discussion", "change": "", "add": ""}
    data.update(values)
    return client.post(url(held), data=data)


def test_attendees_are_those_on_the_register(held):
    assert services.attendee_ids(held.meeting) == {held.sencos[0].id, held.sencos[1].id}


def test_without_a_register_those_who_said_coming_attend(make, held):
    meeting = make.meeting(held.network, status="scheduled", days_ahead=-2)
    make.rsvp(meeting, held.sencos[2], "yes")
    make.rsvp(meeting, held.sencos[1], "no")
    meeting.status = "held"
    db.session.commit()
    assert services.attendee_ids(meeting) == {held.sencos[2].id}


def test_one_response_per_attendee_and_a_second_submission_updates_it(login, held):
    client = login(held.sencos[0])
    assert client.get(url(held)).status_code == 200
    assert answer(client, held).status_code == 302
    assert answer(client, held, usefulness="2", keep="Less talk", anonymous="y").status_code == 302
    responses = db.session.scalars(sa.select(FeedbackResponse)).all()
    assert len(responses) == 1
    assert (responses[0].usefulness, responses[0].keep, responses[0].anonymous) == (2, "Less talk", True)
    page = client.get(url(held)).get_data(as_text=True)
    assert "Less talk" in page and "you can change it" in page


def test_the_database_refuses_a_second_response(held):
    for _ in range(2):
        db.session.add(
            FeedbackResponse(
                organisation_id=held.org.id,
                meeting_id=held.meeting.id,
                network_id=held.network.id,
                user_id=held.sencos[0].id,
                usefulness=3,
                relevance=3,
            )
        )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("who", ["absent", "organiser", "outsider"])
def test_non_attendees_are_refused(login, held, who):
    person = {"absent": held.sencos[2], "organiser": held.organiser, "outsider": held.outsider}[who]
    client = login(person)
    assert client.get(url(held)).status_code in (403, 404)
    assert answer(client, held).status_code in (403, 404)
    assert db.session.scalar(sa.select(sa.func.count(FeedbackResponse.id))) == 0
    with pytest.raises(services.FeedbackRuleError):
        services.save_response(held.meeting, person, usefulness=3, relevance=3, ratings={})


def test_feedback_closes_fourteen_days_after_the_meeting(login, held):
    meeting = held.meeting
    services.save_response(
        meeting,
        held.sencos[0],
        usefulness=5,
        relevance=5,
        ratings={},
        now=meeting.ends_at + timedelta(days=14) - timedelta(minutes=1),
    )
    with pytest.raises(services.FeedbackRuleError):
        services.save_response(
            meeting,
            held.sencos[0],
            usefulness=1,
            relevance=1,
            ratings={},
            now=meeting.ends_at + timedelta(days=14, minutes=1),
        )
    db.session.commit()
    meeting.ends_at = utcnow() - timedelta(days=15)
    meeting.starts_at = meeting.ends_at - timedelta(hours=2)
    db.session.commit()
    client = login(held.sencos[0])
    page = client.get(url(held)).get_data(as_text=True)
    assert "closed" in page and 'name="usefulness"' not in page
    assert answer(client, held).status_code == 403
    assert db.session.scalar(sa.select(FeedbackResponse.usefulness)) == 5


def test_a_meeting_not_held_takes_no_feedback(make, login, held):
    coming = make.meeting(held.network, status="scheduled", days_ahead=3)
    client = login(held.sencos[0])
    assert client.get(f"/o/{held.org.slug}/meetings/{coming.id}/feedback").status_code == 404


def test_ratings_of_agenda_items_are_kept_and_unknown_ones_ignored(make, login, held):
    from cluster.agenda import planning

    item = make.agenda_item(held.network, held.sencos[0], school=held.schools[0], title="Transition profiles")
    held.meeting.status = "scheduled"
    db.session.commit()
    agenda = make.agenda(held.meeting, items=[item], publish_as=held.organiser)
    held.meeting.status = "held"
    db.session.commit()
    slot = next(s for s in planning.slots_of(agenda) if s.item_id == item.id)
    client = login(held.sencos[0])
    page = client.get(url(held)).get_data(as_text=True)
    assert "Transition profiles" in page
    assert (
        answer(client, held, **{f"rating_slot_{slot.id}": "5", "rating_slot_999999": "1"}).status_code == 302
    )
    ratings = db.session.execute(
        sa.select(FeedbackRating.kind, FeedbackRating.subject_id, FeedbackRating.rating)
    ).all()
    assert ratings == [("slot", slot.id, 5)]
    assert answer(client, held, **{f"rating_slot_{slot.id}": ""}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(FeedbackRating.id))) == 0


def test_bad_scores_are_an_error_on_the_page(login, held):
    client = login(held.sencos[0])
    response = answer(client, held, usefulness="7", keep="Keep the biscuits")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "govuk-error-summary" in html and "Keep the biscuits" in html
    assert db.session.scalar(sa.select(sa.func.count(FeedbackResponse.id))) == 0
