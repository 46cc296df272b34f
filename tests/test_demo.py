"""The demo data: the handles guides rely on, loaded once however often the command runs."""

from __future__ import annotations

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.auth.passwords import verify_password
from cluster.extensions import db
from cluster.networks.models import Network
from cluster.schools.models import School
from cluster.tenancy.models import Membership, Organisation


def _counts():
    return {
        m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (Organisation, School, User, Network, Membership)
    }


def test_demo_is_idempotent_and_has_the_documented_handles(app_context):
    runner = app_context.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "admin@northbrook.example" in first.output
    counts = _counts()
    again = runner.invoke(args=["demo"])
    assert "already loaded" in again.output and _counts() == counts
    assert {o.slug for o in db.session.scalars(sa.select(Organisation))} == {"northbrook", "eastwick"}
    northbrook_schools = db.session.scalars(
        sa.select(School.phase).join(Organisation).where(Organisation.slug == "northbrook")
    ).all()
    assert 20 <= len(northbrook_schools) <= 30 and {
        "Primary",
        "Secondary",
        "Not applicable",
        "All-through",
    } <= set(northbrook_schools)
    for email, password in [
        ("admin@northbrook.example", "northbrook-demo"),
        ("organiser@northbrook.example", "northbrook-demo"),
        ("senco20@northbrook.example", "northbrook-demo"),
        ("ep@northbrook.example", "northbrook-demo"),
        ("admin@eastwick.example", "eastwick-demo"),
        ("senco1@eastwick.example", "eastwick-demo"),
        ("platform@cluster.example", "platform-demo"),
    ]:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        assert user is not None and verify_password(user.password_hash, password), email


def test_large_demo_populates_every_feature(app_context):
    from cluster.agenda.models import AgendaItem
    from cluster.meetings.models import Meeting
    from cluster.polls.models import DatePoll
    from cluster.resources.models import Resource

    result = app_context.test_cli_runner().invoke(args=["demo", "--scale", "large"])
    assert result.exit_code == 0, result.output
    large = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "largeshire"))
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(School).where(School.organisation_id == large.id)
        )
        == 300
    )
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Network).where(Network.organisation_id == large.id)
        )
        == 12
    )
    from cluster.actions.models import Action
    from cluster.feedback.models import FeedbackResponse
    from cluster.speakers.models import Speaker, SpeakerBooking

    for model in (Meeting, DatePoll, AgendaItem, Resource, FeedbackResponse, Action, Speaker, SpeakerBooking):
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).select_from(model).where(model.organisation_id == large.id)
            )
            >= 12
        ), model
