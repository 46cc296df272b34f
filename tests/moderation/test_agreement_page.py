"""The network's moderation page: agreement per term from the anonymous statistics, as a chart
and a table; and statements per page that do not grow with the cases."""

from __future__ import annotations

from datetime import date

from cluster.extensions import db
from cluster.moderation.models import AgreementRecord
from cluster.moderation.queries import agreement_over_time, term_of
from tests.helpers import StatementCounter
from tests.moderation.conftest import url


def test_terms_follow_the_school_year():
    assert term_of(date(2025, 9, 1))[1] == "Autumn 2025"
    assert term_of(date(2025, 12, 19))[1] == "Autumn 2025"
    assert term_of(date(2026, 1, 5))[1] == "Spring 2026"
    assert term_of(date(2026, 4, 20))[1] == "Summer 2026"
    assert term_of(date(2025, 12, 1))[0] < term_of(date(2026, 2, 1))[0] < term_of(date(2026, 6, 1))[0]


def _record(place, day, levels, proposed, outcome):
    db.session.add(
        AgreementRecord(
            organisation_id=place.org.id,
            network_id=place.network.id,
            closed_on=day,
            scale_size=3,
            levels=levels,
            proposed_position=proposed,
            outcome_position=outcome,
        )
    )


def test_agreement_per_term_on_the_page(login, place):
    # Autumn: judges split, one proposal in two matched; spring: everyone agrees, every proposal matched.
    _record(place, date(2025, 10, 1), [0, 1, 2], 2, 1)
    _record(place, date(2025, 11, 1), [0, 2, 2], 2, 2)
    _record(place, date(2026, 2, 1), [1, 1, 1], 1, 1)
    _record(place, date(2026, 3, 1), [2, 2, 2], 2, 2)
    db.session.commit()
    periods = agreement_over_time(place.network.id)
    assert [p.period for p in periods] == ["Autumn 2025", "Spring 2026"]
    assert periods[0].match_rate == 0.5 and periods[1].match_rate == 1.0
    assert periods[1].alpha == 1.0 and periods[0].alpha < 0.5
    html = (
        login(place.judge)
        .get(url("org.moderation.index", network_id=place.network.id))
        .get_data(as_text=True)
    )
    assert 'id="agreement-chart"' in html and "<svg" in html and "Show the data as a table" in html
    assert "Autumn 2025" in html and "Spring 2026" in html and "50%" in html and "100%" in html


def test_an_outcome_feeds_the_chart(login, place, make):
    from cluster.moderation.services import record_judgment, record_outcome

    case = make.moderation_case(place.network, place.submitter, school=place.school, proposed=1)
    record_judgment(case, place.judge, place.levels[1].id, "ok")
    record_judgment(case, place.judge2, place.levels[1].id, "ok")
    record_outcome(case, place.levels[1].id, "Agreed")
    db.session.commit()
    (period,) = agreement_over_time(place.network.id)
    assert period.cases == 1 and period.match_rate == 1.0 and period.mean_agreement == 1.0


def _count(app, client, path) -> int:
    with StatementCounter(db.engine) as counter:
        response = client.get(path)
    assert response.status_code == 200
    return counter.count


def test_pages_issue_the_same_statements_with_many_cases(app_context, login, place, make):
    from cluster.moderation.services import add_attachment, record_judgment, record_outcome, record_view
    from cluster.moderation.storage import moderation_storage

    def grow(n: int):
        for i in range(n):
            case = make.moderation_case(place.network, place.submitter, school=place.school, status="draft")
            add_attachment(
                case, place.submitter, moderation_storage(), f"n{i}.txt", f"notes {i} {n}".encode(), 1 << 20
            )
            case.status = "open"
            record_judgment(case, place.judge2, place.levels[i % 3].id, "x")
            record_view(case, place.judge2)
            if i % 2:
                record_outcome(case, place.levels[1].id, "Agreed")
        db.session.commit()
        return case

    first = grow(1)
    record_judgment(first, place.judge, place.levels[0].id, "mine")
    db.session.commit()
    client = login(place.judge)
    pages = [
        url("org.moderation.index", network_id=place.network.id),
        url("org.moderation.show", case_id=first.id),
        url("org.moderation.views", case_id=first.id),
    ]
    organiser = app_context.test_client()
    from tests.conftest import sign_in_as

    sign_in_as(organiser, place.organiser)

    def counts():
        return [
            _count(app_context, client, pages[0]),
            _count(app_context, client, pages[1]),
            _count(app_context, organiser, pages[2]),
            _count(app_context, organiser, pages[1]),
        ]

    counts()
    small = counts()
    grow(12)
    for n in range(8):  # and many more judgments of the case on the page
        colleague = make.user(place.org, school=place.other_school)
        record_judgment(first, colleague, place.levels[n % 3].id, f"judged {n}")
        record_view(first, colleague)
    db.session.commit()
    large = counts()
    assert small == large
