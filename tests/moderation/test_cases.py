"""Drafting and sharing a case: drafts always save; sharing passes the personal-data gate."""

from __future__ import annotations

import sqlalchemy as sa

from cluster.extensions import db
from cluster.moderation.models import CaseAttachment, ModerationCase
from tests.moderation.conftest import url


def _form(place, **overrides) -> dict:
    data = {
        "year_group": "4",
        "primary_need": "SLCN",
        "secondary_need": "SEMH",
        "current_level_id": str(place.levels[0].id),
        "proposed_level_id": str(place.levels[2].id),
        "question": "Does this meet the threshold for an EHC needs assessment?",
        "apdr": "Three APDR cycles since September 2025; small-group language work three times a week.",
        "pupil_voice": "Pupil A says talking in class is hard.",
        "parent_voice": "Mum says he is anxious at home.",
        "agency_advice": "SALT: receptive language difficulty.",
        "assessments": "BPVS standard score 72; CELF core 65.",
        "parents_know": "y",
        "anonymised": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _draft(client, place, **overrides) -> ModerationCase:
    response = client.post(
        url("org.moderation.new", network_id=place.network.id), data=_form(place, **overrides)
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalars(sa.select(ModerationCase).order_by(ModerationCase.id.desc())).first()


def test_a_member_drafts_then_shares_a_clean_case(login, place):
    client = login(place.submitter)
    case = _draft(client, place)
    assert (
        case.status == "draft"
        and case.school_id == place.school.id
        and case.proposed_level_id == place.levels[2].id
    )
    # Nobody else sees a draft, not even the organiser.
    assert login(place.organiser).get(url("org.moderation.show", case_id=case.id)).status_code == 403
    client = login(place.submitter)
    response = client.post(url("org.moderation.edit", case_id=case.id), data=_form(place, share="Share"))
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.status == "open" and case.shared_at is not None


def test_a_draft_with_personal_data_saves_but_cannot_be_shared(login, place):
    client = login(place.submitter)
    text = "Oliver was born 3/4/2016; NHS number 943 476 5919."
    case = _draft(client, place, apdr=text)  # saving a draft always works
    assert case.apdr == text
    response = client.post(
        url("org.moderation.edit", case_id=case.id),
        data=_form(place, apdr=text + " More.", share="Share", acknowledge_warnings="y"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert 'href="#apdr"' in html  # the summary links to the field
    assert '<mark class="cluster-pii cluster-pii--block"' in html and "943 476 5919</mark>" in html
    assert "NHS number" in html and "date of birth" in html
    db.session.refresh(case)
    assert case.status == "draft" and case.apdr == text + " More."  # what was typed is kept


def test_warnings_must_be_acknowledged(login, place):
    client = login(place.submitter)
    case = _draft(client, place, pupil_voice="Oliver says talking in class is hard.")
    response = client.post(
        url("org.moderation.edit", case_id=case.id),
        data=_form(place, pupil_voice="Oliver says talking in class is hard.", share="Share"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "looks like a name" in html
    assert 'href="#pupil_voice"' in html and 'href="#acknowledge_warnings"' in html
    assert '<mark class="cluster-pii cluster-pii--warn"' in html
    db.session.refresh(case)
    assert case.status == "draft"
    response = client.post(
        url("org.moderation.edit", case_id=case.id),
        data=_form(
            place,
            pupil_voice="Oliver says talking in class is hard.",
            share="Share",
            acknowledge_warnings="y",
        ),
    )
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.status == "open"


def test_both_confirmations_are_needed_to_share(login, place):
    client = login(place.submitter)
    case = _draft(client, place, parents_know=None, anonymised=None)
    response = client.post(
        url("org.moderation.edit", case_id=case.id),
        data=_form(place, parents_know=None, anonymised=None, share="Share"),
    )
    html = response.get_data(as_text=True)
    assert 'href="#parents_know"' in html and 'href="#anonymised"' in html
    db.session.refresh(case)
    assert case.status == "draft"


def test_text_inside_an_attachment_is_checked(login, place, app_context):
    from io import BytesIO

    client = login(place.submitter)
    case = _draft(client, place)
    response = client.post(
        url("org.moderation.upload", case_id=case.id),
        data={"attachment-file": (BytesIO(b"Review notes. UPN R201100018042."), "review.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    attachment = db.session.scalar(sa.select(CaseAttachment).where(CaseAttachment.case_id == case.id))
    assert "R201100018042" in attachment.extracted_text
    response = client.post(url("org.moderation.edit", case_id=case.id), data=_form(place, share="Share"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "In the file review.txt" in html and "R201100018042</mark>" in html
    db.session.refresh(case)
    assert case.status == "draft"
    # Removing the file lets the case through.
    assert (
        client.post(
            url("org.moderation.remove_attachment", case_id=case.id, attachment_id=attachment.id)
        ).status_code
        == 302
    )
    assert (
        client.post(url("org.moderation.edit", case_id=case.id), data=_form(place, share="Share")).status_code
        == 302
    )


def test_a_bad_upload_is_refused_with_a_message(login, place):
    from io import BytesIO

    client = login(place.submitter)
    case = _draft(client, place)
    response = client.post(
        url("org.moderation.upload", case_id=case.id),
        data={"attachment-file": (BytesIO(b"MZ\x90\x00binary"), "evil.exe")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "govuk-error-summary" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(CaseAttachment.id))) == 0


def test_only_members_bring_cases_and_only_the_submitter_edits(login, place):
    for who in (place.organiser, place.observer, place.admin):
        assert login(who).get(url("org.moderation.new", network_id=place.network.id)).status_code == 403
    case = _draft(login(place.submitter), place)
    for who in (place.judge, place.organiser, place.admin):
        assert login(who).get(url("org.moderation.edit", case_id=case.id)).status_code == 403


def test_small_cohort_warning_offers_to_hide_the_school(login, place, make):
    client = login(place.submitter)
    case = _draft(client, place, primary_need="PMLD")
    html = client.get(url("org.moderation.edit", case_id=case.id)).get_data(as_text=True)
    assert "PMLD is rare in a mainstream school" in html and "Hide my school" in html
    client.post(
        url("org.moderation.edit", case_id=case.id),
        data=_form(place, primary_need="PMLD", hide_school="y", share="Share"),
    )
    db.session.refresh(case)
    assert case.status == "open" and case.hide_school
    member_view = login(place.judge).get(url("org.moderation.show", case_id=case.id)).get_data(as_text=True)
    assert "Hill Primary" not in member_view and "A school in the network" in member_view
    organiser_view = (
        login(place.organiser).get(url("org.moderation.show", case_id=case.id)).get_data(as_text=True)
    )
    assert "Hill Primary" in organiser_view
