"""Blind judging: nobody sees others' judgments before recording their own; closing, outcome,
statistics; who may see and do what."""

from __future__ import annotations

from datetime import UTC

import sqlalchemy as sa

from cluster.extensions import db
from cluster.moderation import services
from cluster.moderation.models import AgreementRecord, CaseObserver, Judgment
from tests.moderation.conftest import url

SECRET = "Rationale-only-the-judge-wrote"


def _judge(client, case, level, rationale="Evidence of three APDR cycles"):
    return client.post(
        url("org.moderation.judge", case_id=case.id), data={"level_id": str(level.id), "rationale": rationale}
    )


def test_before_judging_nothing_of_others_judgments_shows(login, place, make):
    case = make.moderation_case(place.network, place.submitter, school=place.school)
    assert _judge(login(place.judge2), case, place.levels[2], SECRET).status_code == 302
    client = login(place.judge)
    for path in (
        url("org.moderation.show", case_id=case.id),
        url("org.moderation.index", network_id=place.network.id),
    ):
        html = client.get(path).get_data(as_text=True)
        assert SECRET not in html
        assert 'id="distribution"' not in html and "Judgments by level" not in html  # no distribution
        assert "Request EHC needs assessment</td>" not in html
    assert "1 person has judged" in client.get(url("org.moderation.show", case_id=case.id)).get_data(
        as_text=True
    )
    # The submitter and the organiser see only the count while judging is open.
    for who in (place.submitter, place.organiser):
        html = login(who).get(url("org.moderation.show", case_id=case.id)).get_data(as_text=True)
        assert SECRET not in html and "Judgments by level" not in html


def test_after_judging_the_judge_sees_the_distribution(login, place, make):
    case = make.moderation_case(place.network, place.submitter, school=place.school)
    _judge(login(place.judge2), case, place.levels[2], SECRET)
    client = login(place.judge)
    assert _judge(client, case, place.levels[1]).status_code == 302
    html = client.get(url("org.moderation.show", case_id=case.id)).get_data(as_text=True)
    assert SECRET in html and "Judgments by level" in html and 'id="distribution"' in html
    # A judgment can be changed until closing, and stays one judgment.
    assert _judge(client, case, place.levels[0], "Changed my mind").status_code == 302
    assert (
        db.session.scalar(sa.select(sa.func.count(Judgment.id)).where(Judgment.user_id == place.judge.id))
        == 1
    )


def test_submitters_organisers_and_admins_do_not_judge(login, place, make):
    case = make.moderation_case(place.network, place.submitter, school=place.school)
    assert _judge(login(place.submitter), case, place.levels[1]).status_code == 403
    assert _judge(login(place.organiser), case, place.levels[1]).status_code == 403
    assert _judge(login(place.admin), case, place.levels[1]).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Judgment.id))) == 0


def test_observers_judge_only_cases_they_are_invited_to(login, place, make):
    case = make.moderation_case(place.network, place.submitter, school=place.school)
    client = login(place.observer)
    assert client.get(url("org.moderation.show", case_id=case.id)).status_code == 403
    assert case.title not in client.get(url("org.moderation.index", network_id=place.network.id)).get_data(
        as_text=True
    )
    organiser = login(place.organiser)
    response = organiser.post(
        url("org.moderation.arrangements", case_id=case.id),
        data={"observer_ids": [str(place.observer.id)], "agenda_slot_id": ""},
    )
    assert response.status_code == 302
    assert (
        db.session.scalar(sa.select(CaseObserver.user_id).where(CaseObserver.case_id == case.id))
        == place.observer.id
    )
    client = login(place.observer)
    assert case.title in client.get(url("org.moderation.index", network_id=place.network.id)).get_data(
        as_text=True
    )
    assert _judge(client, case, place.levels[2]).status_code == 302


def test_closing_then_outcome_writes_anonymous_statistics(login, place, make):
    case = make.moderation_case(place.network, place.submitter, school=place.school, proposed=2)
    _judge(login(place.judge), case, place.levels[2])
    _judge(login(place.judge2), case, place.levels[1], SECRET)
    organiser = login(place.organiser)
    assert organiser.post(url("org.moderation.close", case_id=case.id)).status_code == 302
    db.session.refresh(case)
    assert case.status == "closed"
    assert _judge(login(place.judge), case, place.levels[0]).status_code == 403  # closed
    # Once closed, everyone with access sees the judgments, even without judging.
    html = login(place.submitter).get(url("org.moderation.show", case_id=case.id)).get_data(as_text=True)
    assert SECRET in html and "Judgments by level" in html
    organiser = login(place.organiser)
    response = organiser.post(
        url("org.moderation.outcome", case_id=case.id),
        data={"level_id": str(place.levels[2].id), "reason": "Agreed: request an assessment."},
    )
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.outcome_level_id == place.levels[2].id and case.retention_until is not None
    assert (case.retention_until - case.outcome_at.date()).days in range(365, 367)
    record = db.session.scalar(sa.select(AgreementRecord))
    assert record.levels == [1, 2] and record.proposed_position == 2 and record.outcome_position == 2
    assert record.scale_size == 3 and record.network_id == place.network.id
    html = login(place.judge).get(url("org.moderation.show", case_id=case.id)).get_data(as_text=True)
    assert "Agreed: request an assessment." in html and "50% of judgments matched the outcome" in html
    # Changing the outcome updates the same statistics row.
    organiser = login(place.organiser)
    organiser.post(
        url("org.moderation.outcome", case_id=case.id),
        data={"level_id": str(place.levels[1].id), "reason": "On reflection."},
    )
    assert db.session.scalar(sa.select(sa.func.count(AgreementRecord.id))) == 1
    assert db.session.scalar(sa.select(AgreementRecord.outcome_position)) == 1


def test_an_outcome_needs_a_level_and_a_reason(login, place, make):
    case = make.moderation_case(place.network, place.submitter, school=place.school)
    response = login(place.organiser).post(
        url("org.moderation.outcome", case_id=case.id), data={"reason": ""}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "govuk-error-summary" in html and "Choose the agreed level" in html
    db.session.refresh(case)
    assert case.status == "open"


def test_judging_closes_at_its_time_or_when_the_linked_meeting_starts(place, make):
    from datetime import timedelta

    from cluster.extensions import utcnow
    from cluster.jobs.registry import registered_jobs

    timed = make.moderation_case(place.network, place.submitter, school=place.school)
    at_meeting = make.moderation_case(place.network, place.submitter, school=place.school)
    later = make.moderation_case(place.network, place.submitter, school=place.school)
    meeting = make.meeting(place.network, days_ahead=3)
    timed.closes_at = utcnow() + timedelta(days=1)
    at_meeting.meeting_id = meeting.id
    later.closes_at = utcnow() + timedelta(days=10)
    db.session.commit()
    job = registered_jobs()["close-moderation-judging"]
    job.fn(utcnow() + timedelta(days=2))
    statuses = {c.id: db.session.get(type(c), c.id).status for c in (timed, at_meeting, later)}
    assert statuses == {timed.id: "closed", at_meeting.id: "open", later.id: "open"}
    job.fn(meeting.starts_at + timedelta(minutes=1))
    db.session.expire_all()
    assert db.session.get(type(at_meeting), at_meeting.id).status == "closed"
    assert db.session.get(type(later), later.id).status == "open"
    # A judgment after closing time is refused even before the job has run.
    import pytest

    with pytest.raises(ValueError):
        services.record_judgment(
            later, place.judge, place.levels[0].id, "late", now=later.closes_at + timedelta(seconds=1)
        )


def test_a_case_links_to_a_moderation_slot_of_the_meetings_agenda(login, place, make):
    case = make.moderation_case(place.network, place.submitter, school=place.school)
    meeting = make.meeting(place.network, days_ahead=10)
    item = make.agenda_item(
        place.network,
        place.submitter,
        school=place.school,
        kind="moderation",
        title="Moderation: EHCNA thresholds",
    )
    agenda = make.agenda(meeting, items=[item])
    from cluster.agenda.planning import slots_of

    slot = next(s for s in slots_of(agenda) if s.item_id == item.id)
    organiser = login(place.organiser)
    html = organiser.get(url("org.moderation.arrangements", case_id=case.id)).get_data(as_text=True)
    assert f'value="s{slot.id}"' in html
    assert (
        organiser.post(
            url("org.moderation.arrangements", case_id=case.id), data={"agenda_slot_id": f"s{slot.id}"}
        ).status_code
        == 302
    )
    db.session.refresh(case)
    assert case.agenda_slot_id == slot.id and case.meeting_id == meeting.id
    assert services.closes_at(case) == meeting.starts_at


def test_the_organiser_sets_a_closing_time_in_uk_time(login, place, make):
    from datetime import datetime

    case = make.moderation_case(place.network, place.submitter, school=place.school)
    organiser = login(place.organiser)
    response = organiser.post(
        url("org.moderation.arrangements", case_id=case.id),
        data={"closes_day": ["1", "7", "2031"], "closes_time": "17:00", "agenda_slot_id": ""},
    )
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.closes_at == datetime(2031, 7, 1, 16, 0, tzinfo=UTC)  # 17:00 BST
    html = organiser.get(url("org.moderation.arrangements", case_id=case.id)).get_data(as_text=True)
    assert 'value="17:00"' in html and 'value="2031"' in html
    response = organiser.post(
        url("org.moderation.arrangements", case_id=case.id),
        data={"closes_day": ["1", "7", "2031"], "agenda_slot_id": ""},
    )
    assert response.status_code == 200 and "Enter both the closing date and time" in response.get_data(
        as_text=True
    )
