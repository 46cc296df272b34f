"""The speakers directory: search and filters, who may edit, the consent rule and erasure, topic demand."""

from __future__ import annotations

import sqlalchemy as sa

from cluster.extensions import db
from cluster.speakers.models import Speaker
from cluster.speakers.queries import stems
from tests.speakers.helpers import setup

FORM = {
    "name": "Priya Raman",
    "agency": "speech_language_therapy",
    "organisation_name": "NHS SaLT",
    "topics": "Language screening,  DLD , language screening",
    "email": "",
    "phone": "",
    "consent_note": "",
    "notes": "",
}


def _directory(make, w):
    make.speaker(
        w.org,
        name="Dr Helen Okafor",
        agency="educational_psychology",
        topics="ehc needs assessment,precision teaching",
    )
    make.speaker(
        w.org,
        name="Kate Delaney",
        agency="occupational_therapy",
        topics="sensory processing,handwriting",
        organisation_name="Children's OT",
    )
    make.speaker(w.org, name="Rachel Byrne", agency="charity", topics="autism,sensory processing diet")
    other = make.organisation(slug="far", name="Far Council")
    make.speaker(other, name="Foreign Sensory Expert", agency="charity", topics="sensory processing")


def _names(html: str) -> list[str]:
    return [
        n for n in ("Dr Helen Okafor", "Kate Delaney", "Rachel Byrne", "Foreign Sensory Expert") if n in html
    ]


def test_everyone_searches_by_words_agency_and_exact_topic(client, make, login):
    w = setup(make)
    _directory(make, w)
    login(w.member)
    assert _names(client.get("/o/nb/speakers").get_data(as_text=True)) == [
        "Dr Helen Okafor",
        "Kate Delaney",
        "Rachel Byrne",
    ]
    assert _names(client.get("/o/nb/speakers?q=Sensory").get_data(as_text=True)) == [
        "Kate Delaney",
        "Rachel Byrne",
    ]
    assert _names(client.get("/o/nb/speakers?q=sensory+children%27s").get_data(as_text=True)) == [
        "Kate Delaney"
    ]
    assert _names(client.get("/o/nb/speakers?agency=charity").get_data(as_text=True)) == ["Rachel Byrne"]
    # A topic filter matches a whole topic, not part of another one.
    assert _names(client.get("/o/nb/speakers?topic=Sensory+Processing").get_data(as_text=True)) == [
        "Kate Delaney"
    ]
    page = client.get("/o/nb/speakers?q=nobody-like-this").get_data(as_text=True)
    assert "0 speakers" in page and "No speakers match" in page
    # Nonsense filters are ignored, never an error.
    assert client.get("/o/nb/speakers?agency=%00&page=-4&topic=" + "x" * 500).status_code == 200


def test_the_directory_is_paginated(client, make, login):
    w = setup(make)
    for n in range(23):
        make.speaker(w.org, name=f"Speaker {n:02d}")
    login(w.member)
    first = client.get("/o/nb/speakers").get_data(as_text=True)
    assert (
        "23 speakers" in first
        and "Speaker 19" in first
        and "Speaker 20" not in first
        and "Page 1 of 2" in first
    )
    second = client.get("/o/nb/speakers?page=2").get_data(as_text=True)
    assert "Speaker 20" in second and "Speaker 22" in second and "Speaker 00" not in second


def test_organisers_of_any_network_and_admins_edit_members_do_not(client, make, login):
    w = setup(make)
    speaker = make.speaker(w.org, name="Kate Delaney")
    for who, code in ((w.member, 403), (w.observer, 403), (w.organiser, 200), (w.admin, 200)):
        login(who)
        assert client.get("/o/nb/speakers/new").status_code == code
        assert client.get(f"/o/nb/speakers/{speaker.id}/edit").status_code == code
    login(w.member)
    assert "Add a speaker" not in client.get("/o/nb/speakers").get_data(as_text=True)


def test_a_speaker_without_consent_keeps_only_name_agency_and_topics(client, make, login):
    w = setup(make)
    login(w.organiser)
    response = client.post("/o/nb/speakers/new", data=FORM)
    speaker = db.session.scalar(sa.select(Speaker))
    assert response.status_code == 302 and speaker.topics == "language screening,dld"
    assert speaker.email == "" and speaker.consent_at is None


def test_contact_details_are_refused_without_a_recorded_agreement(client, make, login):
    w = setup(make)
    login(w.organiser)
    response = client.post(
        "/o/nb/speakers/new", data={**FORM, "email": "priya@nhs.example", "phone": "01632 960 214"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Contact details can only be kept if the speaker agreed" in html
    assert 'value="priya@nhs.example"' in html and 'value="Priya Raman"' in html  # nothing typed is lost
    assert db.session.scalar(sa.select(sa.func.count(Speaker.id))) == 0
    # Ticking the box without saying how they agreed is not enough either.
    html = client.post(
        "/o/nb/speakers/new", data={**FORM, "email": "priya@nhs.example", "consent_given": "y"}
    ).get_data(as_text=True)
    assert (
        "Say how the speaker agreed" in html and db.session.scalar(sa.select(sa.func.count(Speaker.id))) == 0
    )


def test_contact_details_are_kept_with_who_recorded_the_agreement_and_when(client, make, login):
    w = setup(make)
    login(w.organiser)
    response = client.post(
        "/o/nb/speakers/new",
        data={
            **FORM,
            "email": "Priya@NHS.example",
            "phone": "01632 960 214",
            "consent_given": "y",
            "consent_note": "By email, 3 March",
        },
    )
    speaker = db.session.scalar(sa.select(Speaker))
    assert response.status_code == 302
    assert speaker.email == "priya@nhs.example" and speaker.phone == "01632 960 214"
    assert speaker.consent_at is not None and speaker.consent_recorded_by_id == w.organiser.id
    assert speaker.consent_note == "By email, 3 March"
    page = client.get(f"/o/nb/speakers/{speaker.id}").get_data(as_text=True)
    assert "priya@nhs.example" in page and "Sophie Adeyemi" in page and "By email, 3 March" in page
    # Members see the directory, not the contact details.
    login(w.member)
    page = client.get(f"/o/nb/speakers/{speaker.id}").get_data(as_text=True)
    assert "Priya Raman" in page and "priya@nhs.example" not in page and "01632" not in page


def test_erasing_contact_details_is_recorded_and_needs_new_agreement_to_add_them_again(client, make, login):
    w = setup(make)
    speaker = make.speaker(
        w.org, name="Kate Delaney", email="kate@ot.example", phone="01632 960 611", by=w.organiser
    )
    login(w.member)
    assert client.post(f"/o/nb/speakers/{speaker.id}/erase-contact").status_code == 403
    login(w.admin)
    assert client.post(f"/o/nb/speakers/{speaker.id}/erase-contact").status_code == 302
    db.session.refresh(speaker)
    assert (
        speaker.email == ""
        and speaker.phone == ""
        and speaker.consent_at is None
        and speaker.consent_note == ""
    )
    assert speaker.contact_erased_by_id == w.admin.id and speaker.contact_erased_at is not None
    assert speaker.name == "Kate Delaney"
    page = client.get(f"/o/nb/speakers/{speaker.id}").get_data(as_text=True)
    assert "Contact details erased" in page and "Ada Admin" in page
    edit = {**FORM, "name": "Kate Delaney", "agency": "occupational_therapy", "email": "kate@ot.example"}
    html = client.post(f"/o/nb/speakers/{speaker.id}/edit", data=edit).get_data(as_text=True)
    assert "Contact details can only be kept if the speaker agreed" in html
    db.session.refresh(speaker)
    assert speaker.email == ""


def test_editing_keeps_the_first_agreement(client, make, login):
    w = setup(make)
    speaker = make.speaker(w.org, name="Kate Delaney", email="kate@ot.example", by=w.admin)
    agreed = speaker.consent_at
    login(w.organiser)
    response = client.post(
        f"/o/nb/speakers/{speaker.id}/edit",
        data={
            **FORM,
            "name": "Kate Delaney-Ross",
            "agency": "occupational_therapy",
            "email": "kate.ross@ot.example",
        },
    )
    assert response.status_code == 302
    db.session.refresh(speaker)
    assert speaker.name == "Kate Delaney-Ross" and speaker.email == "kate.ross@ot.example"
    assert speaker.consent_at == agreed and speaker.consent_recorded_by_id == w.admin.id


def test_topic_demand_matches_requests_to_speakers(client, make, login):
    w = setup(make)
    make.speaker(
        w.org,
        name="Priya Raman",
        agency="speech_language_therapy",
        topics="speech and language therapy referrals,stammering",
    )
    make.speaker(
        w.org, name="Kate Delaney", agency="occupational_therapy", topics="sensory processing,handwriting"
    )
    make.speaker(w.org, name="Dr Nadia Hussain", agency="camhs", topics="camhs referral criteria,anxiety")
    wanted = make.agenda_item(
        w.network,
        w.member,
        school=w.school,
        kind="guest_speaker",
        title="Speech and language therapy waiting times",
        description="Could someone explain the new referral pathway?",
    )
    make.agenda_item(
        w.network, w.member, school=w.school, kind="guest_speaker", title="Help with handwriting"
    )
    make.agenda_item(
        w.network, w.member, school=w.school, kind="discussion", title="Sensory rooms"
    )  # not a request
    elsewhere = make.network(w.org, name="Secret network")
    make.agenda_item(elsewhere, w.admin, kind="guest_speaker", title="Hidden anxiety request")
    other_member = make.user(w.org, name="Another SENCO", school=w.school)
    from cluster.agenda.services import set_support

    set_support(wanted, other_member, w.school, True)
    db.session.commit()
    login(w.member)
    html = client.get("/o/nb/speakers").get_data(as_text=True)
    demand = html[html.index('id="demand"') :]
    assert "Speech and language therapy waiting times" in demand and "2 supporters" in demand
    assert (
        "Help with handwriting" in demand
        and "Sensory rooms" not in demand
        and "Hidden anxiety request" not in demand
    )
    first, second = demand.split("Help with handwriting")
    assert (
        "Priya Raman" in first and "Dr Nadia Hussain" in first
    )  # "referral" matches both; Priya matches more words
    assert first.index("Priya Raman") < first.index("Dr Nadia Hussain")
    assert "Kate Delaney" in second and "Priya Raman" not in second


def test_stems_ignore_small_and_common_words():
    assert stems("Could a speaker explain dyslexia to SENCOs?") == {"dyslex"}
    assert stems("Dyslexic pupils") == {"dyslex"}
