"""The demo's speakers (what the demo organiser and SENCO see), and pages whose statements do not grow
with the directory and its bookings."""

from __future__ import annotations

from datetime import time

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.speakers.demo import build_speakers_demo, populate_speakers
from cluster.speakers.models import AGENCIES, Speaker, SpeakerBooking
from cluster.tenancy.models import Organisation
from tests.helpers import StatementCounter
from tests.speakers.helpers import setup


def test_the_demo_has_a_directory_a_year_of_sessions_and_coming_invitations(app_context, login):
    result = app_context.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    northbrook = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "northbrook"))
    speakers = db.session.scalars(sa.select(Speaker).where(Speaker.organisation_id == northbrook.id)).all()
    assert (
        len(speakers) >= 12
        and len({s.agency for s in speakers}) >= 9
        and {s.agency for s in speakers} <= set(AGENCIES)
    )
    assert all(s.consent_at is not None for s in speakers if s.email)
    bookings = db.session.scalars(
        sa.select(SpeakerBooking).where(SpeakerBooking.organisation_id == northbrook.id)
    ).all()
    now = utcnow()
    past = [b for b in bookings if b.meeting.ends_at < now and b.status == "confirmed"]
    ahead = [b for b in bookings if b.meeting.ends_at >= now]
    assert len(past) >= 9 and (now - min(b.meeting.starts_at for b in past)).days > 200
    assert {b.status for b in ahead} >= {"asked", "confirmed"}
    assert all(
        b.starts_at is None or b.meeting.starts_at <= b.starts_at < b.meeting.ends_at for b in bookings
    )
    assert build_speakers_demo() is False  # idempotent

    client = login(db.session.scalar(sa.select(User).where(User.email == "organiser@northbrook.example")))
    page = client.get("/o/northbrook/speakers").get_data(as_text=True)
    assert "Dr Helen Okafor" in page and "What members are asking for" in page
    # The agenda demo's guest speaker requests meet matching speakers.
    demand = page[page.index('id="demand"') :]
    assert "Speech and language therapy waiting times" in demand and "Priya Raman" in demand
    senco = login(db.session.scalar(sa.select(User).where(User.email == "senco1@northbrook.example")))
    helen = next(s for s in speakers if s.name == "Dr Helen Okafor")
    html = senco.get(f"/o/northbrook/speakers/{helen.id}").get_data(as_text=True)
    assert "Past sessions" in html and "Confirmed" in html and "helen.okafor@" not in html
    # The feedback demo rated the past sessions: some speaker's page shows their ratings.
    pages = [senco.get(f"/o/northbrook/speakers/{s.id}").get_data(as_text=True) for s in speakers]
    assert any("Average rating (1 to 5)" in page for page in pages)


def _pages(w, speaker, booking):
    return [
        "/o/nb/speakers",
        "/o/nb/speakers?q=sensory&agency=charity",
        f"/o/nb/speakers/{speaker.id}",
        f"/o/nb/meetings/{w.meeting.id}",
        f"/o/nb/meetings/{w.meeting.id}/speakers/new",
        f"/o/nb/speaker-bookings/{booking.id}",
    ]


def _count(client, url) -> int:
    client.get(url)
    with StatementCounter() as counter:
        assert client.get(url).status_code == 200, url
    return counter.count


def test_statements_do_not_grow_with_speakers_bookings_and_requests(app_context, make, login):
    w = setup(make)
    w.meeting = make.meeting(w.network, days_ahead=20)
    speaker = make.speaker(w.org, name="Kate Delaney", agency="charity", topics="sensory processing,autism")
    booking, _ = make.speaker_booking(speaker, w.meeting, w.organiser, start=time(14), minutes=20)
    make.agenda_item(
        w.network, w.member, school=w.school, kind="guest_speaker", title="Sensory processing talk"
    )
    client = login(w.organiser)
    small = {url: _count(client, url) for url in _pages(w, speaker, booking)}

    populate_speakers(w.org, speakers=80)
    for n in range(12):
        past = make.meeting(w.network, days_ahead=-10 - n * 20)
        if n % 2 == 0:
            make.speaker_booking(speaker, w.meeting, w.organiser, topic=f"Talk {n}")
        db.session.add(
            SpeakerBooking(
                organisation_id=w.org.id,
                speaker_id=speaker.id,
                meeting_id=past.id,
                topic=f"Past {n}",
                status="confirmed",
                sequence=0,
            )
        )
        make.agenda_item(
            w.network, w.member, school=w.school, kind="guest_speaker", title=f"Autism request {n}"
        )
    db.session.commit()
    large = {url: _count(client, url) for url in _pages(w, speaker, booking)}
    assert large == small
