"""Retention: cases past their date are purged for good (rows and files); statistics stay.
Every view of a case or file is logged for the submitter and organisers."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from cluster.extensions import db, utcnow
from cluster.moderation import services
from cluster.moderation.models import (
    AgreementRecord,
    CaseAttachment,
    CaseObserver,
    CaseView,
    Judgment,
    ModerationCase,
)
from cluster.moderation.storage import moderation_storage
from tests.moderation.conftest import url


def _closed_case_with_everything(place, make, data: bytes):
    case = make.moderation_case(place.network, place.submitter, school=place.school, status="draft")
    attachment = services.add_attachment(
        case, place.submitter, moderation_storage(), "notes.txt", data, 1 << 20
    )
    case.status = "open"
    db.session.add(CaseObserver(organisation_id=place.org.id, case_id=case.id, user_id=place.observer.id))
    services.record_judgment(case, place.judge, place.levels[1].id, "SEN support fits")
    services.record_view(case, place.judge)
    services.record_outcome(case, place.levels[1].id, "Agreed")
    db.session.commit()
    return case, attachment


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_purge_job_removes_rows_and_files_and_keeps_statistics(place, make):
    from cluster.jobs.registry import registered_jobs

    store = moderation_storage()
    expired, old_file = _closed_case_with_everything(place, make, b"Notes of the old case.")
    kept, kept_file = _closed_case_with_everything(place, make, b"Notes of the recent case.")
    expired.retention_until = date.today() - timedelta(days=1)
    db.session.commit()
    expired_id, kept_id, old_hash, kept_hash = (
        expired.id,
        kept.id,
        old_file.content_hash,
        kept_file.content_hash,
    )
    assert store.exists(old_hash)
    result = registered_jobs()["purge-expired-cases"].fn(utcnow())
    assert "1 cases purged" in result
    db.session.expire_all()
    assert db.session.get(ModerationCase, expired_id) is None
    for model in (Judgment, CaseView, CaseObserver, CaseAttachment):
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).select_from(model).where(model.case_id == expired_id)
            )
            == 0
        )
        assert (
            db.session.scalar(sa.select(sa.func.count()).select_from(model).where(model.case_id == kept_id))
            == 1
        )
    assert not store.exists(old_hash)
    assert store.exists(kept_hash)
    assert _count(AgreementRecord) == 2  # statistics outlive the case
    # Running it again (late, twice) does nothing more.
    assert "0 cases purged" in registered_jobs()["purge-expired-cases"].fn(utcnow())


def test_a_file_another_case_still_uses_is_kept(place, make):
    store = moderation_storage()
    same = b"The same scanned letter."
    first, attachment = _closed_case_with_everything(place, make, same)
    _closed_case_with_everything(place, make, same)
    first.retention_until = date.today()
    db.session.commit()
    digest = attachment.content_hash
    count, unused = services.purge_expired(date.today())
    db.session.commit()
    assert count == 1 and unused == []
    assert store.exists(digest)


def test_retention_follows_the_organisations_setting(place, make):
    from cluster.moderation.scale import scale_of

    scale_of(place.org.id).retention_months = 3
    db.session.commit()
    case, _ = _closed_case_with_everything(place, make, b"x notes")
    assert services.add_months(case.outcome_at.date(), 3) == case.retention_until
    assert services.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_every_view_is_logged_and_shown_to_the_submitter_and_organisers(login, place, make):
    case, attachment = _closed_case_with_everything(place, make, b"Logged notes.")
    judge = login(place.judge)
    assert judge.get(url("org.moderation.show", case_id=case.id)).status_code == 200
    response = judge.get(url("org.moderation.download", case_id=case.id, attachment_id=attachment.id))
    assert response.status_code == 200 and response.data == b"Logged notes."
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"].startswith("attachment")
    whats = list(
        db.session.scalars(
            sa.select(CaseView.what).where(CaseView.user_id == place.judge.id).order_by(CaseView.id)
        )
    )
    assert whats == ["case", "case", "notes.txt"]
    for who in (place.submitter, place.organiser):
        html = login(who).get(url("org.moderation.views", case_id=case.id)).get_data(as_text=True)
        assert "Dev Dale" in html and "The file notes.txt" in html
    assert login(place.judge).get(url("org.moderation.views", case_id=case.id)).status_code == 403


def test_attachments_of_a_case_are_refused_to_those_outside_it(login, place, make):
    case, attachment = _closed_case_with_everything(place, make, b"Private notes.")
    for who in (place.admin,):
        assert (
            login(who)
            .get(url("org.moderation.download", case_id=case.id, attachment_id=attachment.id))
            .status_code
            == 403
        )
    other = make.moderation_case(place.network, place.submitter, school=place.school)
    response = login(place.judge).get(
        url("org.moderation.download", case_id=other.id, attachment_id=attachment.id)
    )
    assert response.status_code == 404  # the file is not this case's
