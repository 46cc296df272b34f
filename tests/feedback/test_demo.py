"""The feedback demo: a year of feedback, actions and themes in Northbrook, a feedback request and
actions for senco1, charts with data for the organiser; loading it again changes nothing."""

from __future__ import annotations

import sqlalchemy as sa

from cluster.actions.models import Action, FeedbackTheme, ThemeQuote
from cluster.extensions import db
from cluster.feedback.models import FeedbackRating, FeedbackResponse
from cluster.networks.models import Network
from tests.conftest import sign_in_as


def _counts():
    return {
        m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (FeedbackResponse, FeedbackRating, Action, FeedbackTheme, ThemeQuote)
    }


def test_the_demo_shows_feedback_actions_and_charts(app_context):
    from cluster.auth.models import User

    runner = app_context.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    counts = _counts()
    assert counts["FeedbackResponse"] >= 30 and counts["FeedbackTheme"] >= 6 and counts["ThemeQuote"] >= 3
    assert db.session.scalar(sa.select(sa.func.count()).where(FeedbackResponse.anonymous.is_(True))) >= 3
    statuses = set(db.session.scalars(sa.select(Action.status)))
    assert statuses == {"open", "done", "dropped"}
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert _counts() == counts

    client = app_context.test_client()
    senco = db.session.scalar(sa.select(User).where(User.email == "senco1@northbrook.example"))
    sign_in_as(client, senco)
    home = client.get("/o/northbrook/").get_data(as_text=True)
    assert "Give your feedback" in home and "Your actions" in home and "Overdue</strong>" in home

    organiser = db.session.scalar(sa.select(User).where(User.email == "organiser@northbrook.example"))
    client = app_context.test_client()
    sign_in_as(client, organiser)
    network = db.session.scalar(sa.select(Network).where(Network.name == "North primary SENCOs"))
    charts = client.get(f"/o/northbrook/networks/{network.id}/insights").get_data(as_text=True)
    assert charts.count("<svg") == 4 and "No data yet" not in charts
    said = client.get(f"/o/northbrook/networks/{network.id}/you-said-we-did").get_data(as_text=True)
    assert "You said:" in said and "Done</strong>" in said
