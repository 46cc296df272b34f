"""Every feedback and actions page issues as many statements with a year of data as with almost none."""

from __future__ import annotations

from datetime import timedelta

from cluster.actions.services import record_action, save_theme
from cluster.extensions import db, utcnow
from cluster.feedback import services
from cluster.meetings.models import Attendance
from tests.conftest import sign_in_as
from tests.helpers import StatementCounter


def _pages(held, action_id, theme_id):
    slug, net, meeting = held.org.slug, held.network.id, held.meeting.id
    organiser, attendee = held.organiser, held.sencos[0]
    return [
        (attendee, f"/o/{slug}/meetings/{meeting}/feedback"),
        (attendee, f"/o/{slug}/"),
        (attendee, f"/o/{slug}/meetings/{meeting}"),
        (attendee, f"/o/{slug}/networks/{net}/insights"),
        (organiser, f"/o/{slug}/meetings/{meeting}/feedback/results"),
        (organiser, f"/o/{slug}/networks/{net}/insights"),
        (organiser, f"/o/{slug}/networks/{net}/reports"),
        (organiser, f"/o/{slug}/networks/{net}/reports/feedback.csv"),
        (organiser, f"/o/{slug}/networks/{net}/reports/attendance.csv"),
        (organiser, f"/o/{slug}/networks/{net}/reports/actions.csv"),
        (organiser, f"/o/{slug}/networks/{net}/actions"),
        (organiser, f"/o/{slug}/networks/{net}/actions/new"),
        (organiser, f"/o/{slug}/actions/{action_id}"),
        (organiser, f"/o/{slug}/actions/{action_id}/edit"),
        (organiser, f"/o/{slug}/networks/{net}/you-said-we-did"),
        (organiser, f"/o/{slug}/networks/{net}/you-said-we-did/themes/new"),
        (organiser, f"/o/{slug}/themes/{theme_id}/edit"),
        (attendee, f"/o/{slug}/networks/{net}/you-said-we-did"),
    ]


def _measure(app, pages) -> dict[str, int]:
    found = {}
    for user, url in pages:
        client = app.test_client()
        sign_in_as(client, user)
        client.get(url)
        with StatementCounter() as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        found[f"{user.email} {url}"] = counter.count
    return found


def _grow(make, held):
    """Forty more schools with SENCOs on the registers of a dozen held meetings, their feedback,
    and dozens of actions and themes quoting comments."""
    schools = [make.school(held.org, name=f"Grown School {n}") for n in range(40)]
    people = [make.user(held.org, school=s) for s in schools]
    from cluster.networks.services import set_member_schools

    set_member_schools(held.network, held.schools + schools)
    db.session.add_all(
        Attendance(organisation_id=held.org.id, meeting_id=held.meeting.id, school_id=s.id) for s in schools
    )
    db.session.commit()
    for n, person in enumerate(people):
        services.save_response(
            held.meeting,
            person,
            usefulness=1 + n % 5,
            relevance=1 + (n * 3) % 5,
            ratings={},
            keep=f"Keep {n}",
            change=f"Change {n}",
            add=f"Add {n}",
            anonymous=n % 3 == 0,
        )
    for month in range(12):
        meeting = make.meeting(held.network, status="scheduled", days_ahead=-30 * (month + 1) - 5)
        meeting.status = "held"
        db.session.add_all(
            Attendance(organisation_id=held.org.id, meeting_id=meeting.id, school_id=s.id)
            for s in schools[: month + 5]
        )
        db.session.commit()
        for person in people[: month + 5]:
            services.save_response(
                meeting,
                person,
                usefulness=3,
                relevance=4,
                ratings={},
                keep="More of this",
                now=meeting.ends_at + timedelta(days=1),
            )
    actions = [
        record_action(
            held.network,
            held.organiser,
            description=f"Grown action {n}",
            owner=f"school-{schools[n].id}" if n % 2 else f"user-{held.sencos[0].id}",
            due_on=(utcnow() + timedelta(days=n - 15)).date(),
            meeting_id=held.meeting.id,
            now=utcnow() - timedelta(days=10 * n),
        )
        for n in range(30)
    ]
    for action in actions[:10]:
        action.status, action.outcome, action.closed_at = "done", "Done", utcnow()
    import sqlalchemy as sa

    from cluster.feedback.models import FeedbackResponse

    ids = db.session.scalars(sa.select(FeedbackResponse.id).limit(20)).all()
    for n in range(8):
        save_theme(
            held.network,
            held.organiser,
            None,
            summary=f"Theme {n}",
            meeting_id=held.meeting.id,
            quotes=[f"{i}-keep" for i in ids[n : n + 3]],
            action_ids=[a.id for a in actions[n * 3 : n * 3 + 3]],
        )
    db.session.commit()


def test_pages_do_not_issue_more_statements_with_more_data(app, make, held):
    services.save_response(
        held.meeting, held.sencos[1], usefulness=4, relevance=4, ratings={}, keep="Fine", anonymous=True
    )
    action = record_action(
        held.network,
        held.organiser,
        description="The first action",
        owner=f"user-{held.sencos[0].id}",
        due_on=utcnow().date(),
        meeting_id=held.meeting.id,
    )
    theme = save_theme(
        held.network,
        held.organiser,
        None,
        summary="First theme",
        meeting_id=None,
        quotes=[],
        action_ids=[action.id],
    )
    db.session.commit()
    pages = _pages(held, action.id, theme.id)
    small = _measure(app, pages)
    _grow(make, held)
    large = _measure(app, pages)
    # Each page reads the signed-in user (with their memberships) and then its own data.
    assert all(count >= 2 for count in small.values()), small
    assert {k: v for k, v in large.items() if small[k] != v} == {}
