"""The network's charts: each from a tested query function, and each chart's table equals the data."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import sqlalchemy as sa

from cluster.actions.models import Action
from cluster.actions.queries import actions_by_month
from cluster.extensions import db, utcnow
from cluster.feedback import services
from cluster.feedback.insights import YEAR, attendance_by_meeting
from cluster.feedback.models import FeedbackResponse
from cluster.feedback.queries import network_trend
from cluster.meetings.models import Attendance, Meeting
from cluster.timeutil import to_local
from cluster.ui.charts import format_value


def chart_table(html: str, chart_id: str) -> list[list[str]]:
    """The rows (category, values...) of the table of the chart ``chart_id``."""
    figure = html.split(f'id="{chart_id}"', 1)[1].split("</figure>", 1)[0]
    body = figure.split("<tbody", 1)[1] if "<tbody" in figure else ""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL)
    return [
        [
            unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)
        ]
        for row in rows
    ]


def _year(make, held):
    """Two more held meetings (one without a register), feedback at two of them, and actions."""
    second = make.meeting(held.network, status="scheduled", days_ahead=-60, title="Summer meeting")
    third = make.meeting(held.network, status="scheduled", days_ahead=-120, title="Spring meeting")
    old = make.meeting(held.network, status="scheduled", days_ahead=-400, title="Too old")
    for meeting in (second, third, old):
        meeting.status = "held"
    db.session.add(
        Attendance(organisation_id=held.org.id, meeting_id=second.id, school_id=held.schools[2].id)
    )
    db.session.commit()
    services.save_response(held.meeting, held.sencos[0], usefulness=5, relevance=3, ratings={})
    services.save_response(
        held.meeting, held.sencos[1], usefulness=4, relevance=2, ratings={}, anonymous=True
    )
    services.save_response(
        second, held.sencos[2], usefulness=2, relevance=4, ratings={}, now=second.ends_at + timedelta(days=1)
    )
    from cluster.actions.services import record_action

    for n, days_ago in enumerate((100, 40, 40, 2)):
        action = record_action(
            held.network,
            held.organiser,
            description=f"Action {n}",
            owner=f"school-{held.schools[0].id}",
            due_on=utcnow().date(),
            now=utcnow() - timedelta(days=days_ago),
        )
        if n < 2:
            action.status, action.closed_at = "done", utcnow() - timedelta(days=days_ago - 10)
    db.session.commit()
    return second, third


def test_the_query_functions_match_the_database(make, held):
    _year(make, held)
    now = utcnow()
    by_meeting = attendance_by_meeting(held.network, now - YEAR, now)
    assert [(m.title, m.present, m.schools) for m in by_meeting] == [
        ("Spring meeting", 0, 3),
        ("Summer meeting", 1, 3),
        ("Autumn network meeting", 2, 3),
    ]
    for row in by_meeting:
        assert row.present == db.session.scalar(
            sa.select(sa.func.count(Attendance.id)).where(Attendance.meeting_id == row.meeting_id)
        )
    trend = network_trend(held.network, now - YEAR, now)
    assert [(m.title, m.responses, m.usefulness, m.relevance) for m in trend] == [
        ("Spring meeting", 0, None, None),
        ("Summer meeting", 1, 2.0, 4.0),
        ("Autumn network meeting", 2, 4.5, 2.5),
    ]
    months = actions_by_month(held.network, now - YEAR, now)
    assert sum(m.opened for m in months) == db.session.scalar(sa.select(sa.func.count(Action.id))) == 4
    assert sum(m.closed for m in months) == 2
    assert len(months) in (12, 13)
    by_label = {m.label: m for m in months}
    assert by_label[to_local(now - timedelta(days=2)).strftime("%b %Y")].opened >= 1


def test_each_chart_table_equals_the_data(make, login, held):
    _year(make, held)
    now = utcnow()
    html = (
        login(held.organiser)
        .get(f"/o/{held.org.slug}/networks/{held.network.id}/insights")
        .get_data(as_text=True)
    )
    assert html.count('<figure class="cluster-chart') == 4 and "<svg" in html
    expected = [
        [
            to_local(m.starts_at).strftime("%-d %b %Y"),
            format_value(m.present, "schools"),
            format_value(m.schools, "schools"),
        ]
        for m in attendance_by_meeting(held.network, now - YEAR, now)
    ]
    assert chart_table(html, "chart-attendance") == expected
    responses = db.session.execute(
        sa.select(Meeting.starts_at, sa.func.avg(FeedbackResponse.usefulness))
        .join(FeedbackResponse, FeedbackResponse.meeting_id == Meeting.id)
        .group_by(Meeting.id, Meeting.starts_at)
    ).all()
    table = {row[0]: row[1] for row in chart_table(html, "chart-feedback")}
    for starts_at, mean in responses:
        assert table[to_local(starts_at).strftime("%-d %b %Y")] == format_value(float(mean), "out of 5")
    schools = {row[0]: row[1] for row in chart_table(html, "chart-schools")}
    assert schools == {
        "Feedback School 0": "1 meetings",
        "Feedback School 1": "1 meetings",
        "Feedback School 2": "1 meetings",
    }
    months = chart_table(html, "chart-actions")
    assert sum(int(r[1].split()[0]) for r in months) == 4 and sum(int(r[2].split()[0]) for r in months) == 2


def test_members_see_the_charts_but_not_school_by_school(login, held):
    html = (
        login(held.sencos[0])
        .get(f"/o/{held.org.slug}/networks/{held.network.id}/insights")
        .get_data(as_text=True)
    )
    assert "chart-attendance" in html and "chart-schools" not in html


def test_the_results_page_charts_the_scores(login, held):
    services.save_response(held.meeting, held.sencos[0], usefulness=5, relevance=3, ratings={})
    services.save_response(
        held.meeting, held.sencos[1], usefulness=5, relevance=1, ratings={}, anonymous=True
    )
    db.session.commit()
    html = (
        login(held.organiser)
        .get(f"/o/{held.org.slug}/meetings/{held.meeting.id}/feedback/results")
        .get_data(as_text=True)
    )
    assert chart_table(html, "chart-scores") == [
        [str(score), format_value(u, "responses"), format_value(r, "responses")]
        for score, u, r in zip(range(1, 6), [0, 0, 0, 0, 2], [1, 0, 1, 0, 0])
    ]
