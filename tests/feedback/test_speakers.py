"""Speakers' past sessions with their ratings, for the speaker's page, in one query."""

from __future__ import annotations

from cluster.extensions import db
from cluster.feedback import services
from cluster.feedback.queries import speaker_feedback
from tests.helpers import StatementCounter


def test_speaker_sessions_are_rated_and_summarised_in_one_query(make, login, held):
    speaker = make.speaker(held.org, name="Dr Asha Patel")
    other = make.speaker(held.org, name="Not rated")
    held.meeting.status = "scheduled"
    db.session.commit()
    booking, _ = make.speaker_booking(
        speaker, held.meeting, held.organiser, topic="Sensory processing", status="confirmed"
    )
    make.speaker_booking(other, held.meeting, held.organiser, topic="Declined talk", status="declined")
    held.meeting.status = "held"
    db.session.commit()
    subjects = services.subjects(held.meeting)
    assert [(s.kind, s.id, s.speaker_id) for s in subjects] == [("speaker", booking.id, speaker.id)]
    page = (
        login(held.sencos[0])
        .get(f"/o/{held.org.slug}/meetings/{held.meeting.id}/feedback")
        .get_data(as_text=True)
    )
    assert "Dr Asha Patel: Sensory processing" in page
    services.save_response(
        held.meeting, held.sencos[0], usefulness=4, relevance=4, ratings={f"speaker-{booking.id}": 5}
    )
    services.save_response(
        held.meeting,
        held.sencos[1],
        usefulness=4,
        relevance=4,
        ratings={f"speaker-{booking.id}": 4},
        anonymous=True,
    )
    db.session.commit()
    ids = [speaker.id, other.id]
    with StatementCounter() as counter:
        found = speaker_feedback(ids)
    assert counter.count == 1
    assert found[ids[1]] == []
    (session,) = found[ids[0]]
    assert (session.meeting_title, session.topic, session.ratings, session.mean) == (
        "Autumn network meeting",
        "Sensory processing",
        2,
        4.5,
    )
    assert session.rating == 4.5
    with StatementCounter() as counter:
        assert speaker_feedback([]) == {}
    assert counter.count == 1
