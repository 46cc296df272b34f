"""Booking speakers into meetings: the form's rules, the invitation email with its .ics, status
changes (cancelling tells the speaker), the speaker's own answer link, and the meeting's page."""

from __future__ import annotations

from datetime import date, time, timedelta

import icalendar
import pytest
import sqlalchemy as sa

from cluster.extensions import db
from cluster.speakers.models import SpeakerBooking
from cluster.speakers.services import SpeakerRuleError, answer, session_start
from cluster.timeutil import LONDON, local_to_utc
from tests.helpers import link_in, parts
from tests.speakers.helpers import setup


def _world(make):
    w = setup(make)
    w.meeting = make.meeting(
        w.network,
        days_ahead=20,
        title="Spring network meeting",
        address="Library",
        online_url="https://meet.example/north",
        created_by=w.organiser,
    )
    w.speaker = make.speaker(
        w.org, name="Priya Raman", agency="speech_language_therapy", email="priya@nhs.example", by=w.organiser
    )
    return w


def _form(w, **overrides):
    return {
        "speaker_id": str(w.speaker.id),
        "topic": "The new referral pathway",
        "start": "14:00",
        "minutes": "30",
        "agenda_slot_id": "",
        **overrides,
    }


def _ics(message):
    attachment = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
    return (
        attachment.get_content().encode()
        if isinstance(attachment.get_content(), str)
        else attachment.get_content()
    )


def test_inviting_emails_the_speaker_the_details_and_the_session_as_ics(client, make, login, mailbox):
    w = _world(make)
    login(w.organiser)
    response = client.post(f"/o/nb/meetings/{w.meeting.id}/speakers/new", data=_form(w))
    assert response.status_code == 302
    booking = db.session.scalar(sa.select(SpeakerBooking))
    assert booking.status == "asked" and booking.invited_by_id == w.organiser.id and booking.minutes == 30
    assert booking.starts_at.astimezone(LONDON).time() == time(14, 0)
    assert len(booking.response_token_hash) == 64
    assert len(mailbox) == 1
    message = mailbox[0]
    assert "priya@nhs.example" in message["To"] and "organiser@nb.example" in message["Reply-To"]
    text, html = parts(message)
    assert "The new referral pathway" in text and "14:00 to 14:30 (30 minutes)" in text
    assert "Library" in text and "https://meet.example/north" in text and "Spring network meeting" in html
    assert booking.response_token_hash not in text  # the hash never leaves the database
    calendar = icalendar.Calendar.from_ical(_ics(message))
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Speaking: The new referral pathway (Spring network meeting)"
    assert event["DTSTART"].dt.astimezone(LONDON).time() == time(14, 0)
    assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(minutes=30)
    assert event["DTSTART"].params["TZID"] == "Europe/London" and calendar.walk("VTIMEZONE")
    assert str(event["STATUS"]) == "CONFIRMED" and str(event["UID"]) != w.meeting.uid
    assert "Library" in str(event["LOCATION"]) and "meet.example/north" in str(event["DESCRIPTION"])


def test_speakers_read_uk_time_whatever_the_organisers_zone(client, make, login, mailbox):
    w = _world(make)  # 13:30 to 16:00 UK time
    w.organiser.time_zone = "America/New_York"
    db.session.commit()
    login(w.organiser)
    refused = client.post(f"/o/nb/meetings/{w.meeting.id}/speakers/new", data=_form(w, start="13:00"))
    # The bounds on the clock the start is typed on.
    assert "The session must fall within the meeting, 13:30 to 16:00" in refused.get_data(as_text=True)
    client.post(f"/o/nb/meetings/{w.meeting.id}/speakers/new", data=_form(w))
    [message] = mailbox
    day = w.meeting.starts_at.astimezone(LONDON).strftime("%-d %B %Y")
    assert message["Subject"] == f"Invitation to speak: Spring network meeting, {day}"
    text, _ = parts(message)
    assert "13:30 to 16:00" in text and "14:00 to 14:30 (30 minutes)" in text


def test_the_ics_reads_the_same_in_icaljs(client, make, login, mailbox):
    from tests.feeds.test_feeds import _icaljs

    w = _world(make)
    login(w.organiser)
    client.post(f"/o/nb/meetings/{w.meeting.id}/speakers/new", data=_form(w, start="15:15", minutes="45"))
    theirs = _icaljs(_ics(mailbox[0]))
    [event] = theirs["events"]
    day = w.meeting.starts_at.astimezone(LONDON).date().isoformat()
    assert (
        event["start"] == f"{day}T15:15"
        and event["end"] == f"{day}T16:00"
        and event["tzid"] == "Europe/London"
    )
    assert event["summary"].startswith("Speaking: The new referral pathway")


@pytest.mark.parametrize("start, minutes", [("13:00", "30"), ("15:45", "30"), ("16:00", ""), ("23:59", "")])
def test_the_session_must_fall_within_the_meeting(client, make, login, mailbox, start, minutes):
    w = _world(make)  # 13:30 to 16:00
    login(w.organiser)
    response = client.post(
        f"/o/nb/meetings/{w.meeting.id}/speakers/new", data=_form(w, start=start, minutes=minutes)
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "The session must fall within the meeting, 13:30 to 16:00" in html and f'value="{start}"' in html
    assert db.session.scalar(sa.select(sa.func.count(SpeakerBooking.id))) == 0 and mailbox == []


def test_session_start_is_uk_time_on_the_meetings_day_across_the_clock_change(make):
    w = setup(make)
    # A summer meeting: 14:00 BST is 13:00 UTC.
    meeting = make.meeting(
        w.network,
        starts_at=local_to_utc(date(2031, 6, 10), time(13, 30)),
        ends_at=local_to_utc(date(2031, 6, 10), time(16, 0)),
    )
    assert session_start(meeting, time(14, 0), 30).hour == 13
    assert session_start(meeting, None, 30) is None
    with pytest.raises(SpeakerRuleError):
        session_start(meeting, time(15, 45), 20)


def test_a_slot_must_belong_to_this_meetings_agenda(client, make, login, mailbox):
    w = _world(make)
    item = make.agenda_item(
        w.network, w.member, school=w.school, kind="guest_speaker", title="SaLT waiting times"
    )
    agenda = make.agenda(w.meeting, items=[item])
    from cluster.agenda.planning import slots_of

    slot = next(s for s in slots_of(agenda) if s.item_id == item.id)
    other = make.meeting(w.network, days_ahead=40)
    other_item = make.agenda_item(w.network, w.member, school=w.school, title="Elsewhere")
    other_slot = slots_of(make.agenda(other, items=[other_item]))[0]
    login(w.organiser)
    page = client.get(f"/o/nb/meetings/{w.meeting.id}/speakers/new").get_data(as_text=True)
    assert "SaLT waiting times" in page and "Elsewhere" not in page
    html = client.post(
        f"/o/nb/meetings/{w.meeting.id}/speakers/new", data=_form(w, agenda_slot_id=str(other_slot.id))
    ).get_data(as_text=True)
    assert "Choose an entry of this meeting" in html
    assert (
        client.post(
            f"/o/nb/meetings/{w.meeting.id}/speakers/new", data=_form(w, agenda_slot_id=str(slot.id))
        ).status_code
        == 302
    )
    assert db.session.scalar(sa.select(SpeakerBooking.agenda_slot_id)) == slot.id


def test_only_the_meetings_organisers_book(client, make, login):
    w = _world(make)
    other_organiser = make.user(w.org, name="Other Organiser")
    make.network(w.org, name="Other network", organisers=[other_organiser])
    for who, code in (
        (w.member, 403),
        (w.observer, 403),
        (other_organiser, 404),  # no standing in the meeting's network: it is not theirs to see
        (w.admin, 200),
        (w.organiser, 200),
    ):
        login(who)
        assert client.get(f"/o/nb/meetings/{w.meeting.id}/speakers/new").status_code == code, who.name


def test_cancelling_a_confirmed_booking_emails_the_speaker_a_cancelled_ics(client, make, login, mailbox):
    w = _world(make)
    booking, _ = make.speaker_booking(
        w.speaker, w.meeting, w.organiser, topic="Referral pathway", start=time(14), minutes=30
    )
    login(w.organiser)
    assert (
        client.post(f"/o/nb/speaker-bookings/{booking.id}/status", data={"status": "confirmed"}).status_code
        == 302
    )
    assert mailbox == []  # confirming is not news to the speaker
    assert (
        client.post(f"/o/nb/speaker-bookings/{booking.id}/status", data={"status": "cancelled"}).status_code
        == 302
    )
    db.session.refresh(booking)
    assert booking.status == "cancelled" and booking.sequence == 2
    [message] = mailbox
    assert message["Subject"] == "Cancelled: your session at Spring network meeting"
    [event] = icalendar.Calendar.from_ical(_ics(message)).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) >= 2


def test_status_changes_follow_the_rules(client, make, login, mailbox):
    w = _world(make)
    booking, _ = make.speaker_booking(w.speaker, w.meeting, w.organiser, status="declined")
    login(w.organiser)
    response = client.post(f"/o/nb/speaker-bookings/{booking.id}/status", data={"status": "confirmed"})
    assert response.status_code == 400 and "govuk-error-summary" in response.get_data(as_text=True)
    db.session.refresh(booking)
    assert booking.status == "declined"
    # Asking again sends a new invitation with a new answer link.
    old_hash = booking.response_token_hash
    assert (
        client.post(f"/o/nb/speaker-bookings/{booking.id}/status", data={"status": "asked"}).status_code
        == 302
    )
    db.session.refresh(booking)
    assert booking.status == "asked" and booking.response_token_hash != old_hash
    assert len(mailbox) == 1 and mailbox[0]["Subject"].startswith("Invitation to speak")
    login(w.member)
    assert (
        client.post(f"/o/nb/speaker-bookings/{booking.id}/status", data={"status": "cancelled"}).status_code
        == 403
    )


def test_the_speaker_confirms_through_the_emailed_link_once(client, make, login, mailbox):
    w = _world(make)
    login(w.organiser)
    client.post(f"/o/nb/meetings/{w.meeting.id}/speakers/new", data=_form(w))
    path = link_in(mailbox[0], "/speaker-invitations/")
    anonymous = client.application.test_client()
    page = anonymous.get(path)
    assert page.status_code == 200 and "Can you speak at this meeting?" in page.get_data(as_text=True)
    booking = db.session.scalar(sa.select(SpeakerBooking))
    assert booking.status == "asked"  # looking is not answering
    assert anonymous.post(path, data={"answer": "confirm"}).status_code == 302
    db.session.refresh(booking)
    assert booking.status == "confirmed" and booking.responded_at is not None
    again = anonymous.get(path).get_data(as_text=True)
    assert "you are confirmed" in again and "Can you speak at this meeting?" not in again
    response = anonymous.post(path, data={"answer": "decline"})
    db.session.refresh(booking)
    assert response.status_code == 400 and booking.status == "confirmed"
    assert anonymous.get("/speaker-invitations/not-a-real-token").status_code == 404


def test_a_past_or_cancelled_invitation_cannot_be_answered(make):
    w = _world(make)
    booking, _ = make.speaker_booking(w.speaker, w.meeting, w.organiser)
    with pytest.raises(SpeakerRuleError):
        answer(booking, True, now=w.meeting.ends_at + timedelta(minutes=1))
    booking.status = "cancelled"
    with pytest.raises(SpeakerRuleError):
        answer(booking, True)


def test_a_speaker_without_email_is_booked_and_the_organiser_told(client, make, login, mailbox):
    w = _world(make)
    quiet = make.speaker(w.org, name="No Email")
    login(w.organiser)
    response = client.post(
        f"/o/nb/meetings/{w.meeting.id}/speakers/new",
        data=_form(w, speaker_id=str(quiet.id)),
        follow_redirects=True,
    )
    assert "no email address for them" in response.get_data(as_text=True) and mailbox == []


def test_the_meeting_page_lists_its_speakers(client, make, login):
    w = _world(make)
    make.speaker_booking(
        w.speaker, w.meeting, w.organiser, topic="Referral pathway", status="confirmed", start=time(14)
    )
    asked = make.speaker(w.org, name="Still Asked")
    make.speaker_booking(asked, w.meeting, w.organiser, topic="Maybe talk")
    login(w.organiser)
    html = client.get(f"/o/nb/meetings/{w.meeting.id}").get_data(as_text=True)
    assert (
        "Priya Raman" in html
        and "Referral pathway" in html
        and "Still Asked" in html
        and "Invite a guest speaker" in html
    )
    login(w.member)
    html = client.get(f"/o/nb/meetings/{w.meeting.id}").get_data(as_text=True)
    assert (
        "Priya Raman" in html
        and "14:00" in html
        and "Still Asked" not in html
        and "Invite a guest speaker" not in html
    )


def test_the_speakers_page_lists_upcoming_and_past_sessions(client, make, login):
    w = _world(make)
    past = make.meeting(w.network, days_ahead=-30, title="Autumn meeting")
    make.speaker_booking(w.speaker, past, w.organiser, topic="Language screening", status="confirmed")
    make.speaker_booking(w.speaker, w.meeting, w.organiser, topic="Referral pathway")
    hidden = make.network(w.org, name="Hidden network")
    make.speaker_booking(
        w.speaker, make.meeting(hidden, days_ahead=5, title="Hidden meeting"), w.admin, topic="Secret"
    )
    login(w.member)
    html = client.get(f"/o/nb/speakers/{w.speaker.id}").get_data(as_text=True)
    upcoming, past_part = html.split("Past sessions")
    assert (
        "Referral pathway" in upcoming and "Spring network meeting" in upcoming and "North SENCOs" in upcoming
    )
    assert "Language screening" in past_part and "Autumn meeting" in past_part and "Confirmed" in past_part
    assert "Hidden meeting" not in html  # sessions in networks the viewer cannot see stay hidden


def test_the_agenda_builder_shows_the_meetings_speakers(client, make, login):
    w = _world(make)
    make.agenda(w.meeting)
    make.speaker_booking(
        w.speaker, w.meeting, w.organiser, topic="Referral pathway", status="confirmed", start=time(14)
    )
    gone = make.speaker(w.org, name="Cancelled Speaker")
    make.speaker_booking(gone, w.meeting, w.organiser, status="cancelled")
    login(w.organiser)
    html = client.get(f"/o/nb/meetings/{w.meeting.id}/agenda/build").get_data(as_text=True)
    part = html[html.index('id="builder-speakers"') :]
    assert (
        "Priya Raman" in part
        and "14:00" in part
        and "Referral pathway" in part
        and "Cancelled Speaker" not in part
    )


def test_a_moved_meeting_flags_sessions_now_outside_it(client, make, login):
    w = _world(make)
    booking, _ = make.speaker_booking(
        w.speaker, w.meeting, w.organiser, start=time(14), minutes=30, status="confirmed"
    )
    w.meeting.starts_at += timedelta(days=1)
    w.meeting.ends_at += timedelta(days=1)
    db.session.commit()
    login(w.organiser)
    assert "Session time outside the meeting" in client.get(f"/o/nb/meetings/{w.meeting.id}").get_data(
        as_text=True
    )
    assert "no longer falls within the meeting" in client.get(
        f"/o/nb/speaker-bookings/{booking.id}"
    ).get_data(as_text=True)


def _rate(meeting, booking, user, rating):
    from cluster.feedback.models import FeedbackRating, FeedbackResponse

    response = FeedbackResponse(
        organisation_id=meeting.organisation_id,
        meeting_id=meeting.id,
        network_id=meeting.network_id,
        user_id=user.id,
        usefulness=4,
        relevance=4,
    )
    response.ratings = [
        FeedbackRating(
            organisation_id=meeting.organisation_id,
            kind="speaker",
            subject_id=booking.id,
            speaker_id=booking.speaker_id,
            label=booking.topic,
            rating=rating,
        )
    ]
    db.session.add(response)
    db.session.commit()


def test_the_speakers_page_shows_the_ratings_of_their_past_sessions(client, make, login):
    w = _world(make)
    held = make.meeting(w.network, days_ahead=-14, title="Autumn meeting")
    booking, _ = make.speaker_booking(
        w.speaker, held, w.organiser, topic="Language screening", status="confirmed"
    )
    hidden = make.meeting(make.network(w.org, name="Hidden network"), days_ahead=-30, title="Hidden meeting")
    secret, _ = make.speaker_booking(w.speaker, hidden, w.admin, topic="Secret session", status="confirmed")
    held.status = hidden.status = "held"
    db.session.commit()
    _rate(held, booking, w.member, 5)
    _rate(held, booking, w.organiser, 4)
    _rate(hidden, secret, w.admin, 1)
    login(w.member)
    html = client.get(f"/o/nb/speakers/{w.speaker.id}").get_data(as_text=True)
    part = html[html.index("Feedback from members") :]
    assert "Language screening" in part and "4.5" in part and "Secret session" not in part
    login(w.admin)
    part = (
        client.get(f"/o/nb/speakers/{w.speaker.id}").get_data(as_text=True).split("Feedback from members")[1]
    )
    assert "Secret session" in part and "1.0" in part
