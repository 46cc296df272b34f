"""Moderation in the demo: senco1 and the organiser see realistic cases the moment they sign in."""

from __future__ import annotations

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.extensions import db
from cluster.moderation import pii
from cluster.moderation.models import EVIDENCE, AgreementRecord, ModerationCase
from cluster.networks.models import Network
from cluster.tenancy.models import Organisation
from tests.conftest import sign_in_as


def test_the_demo_populates_moderation_without_personal_data(app_context):
    result = app_context.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    cases = db.session.scalars(sa.select(ModerationCase)).unique().all()
    assert len(cases) >= 12
    assert {c.status for c in cases} >= {"open", "closed", "draft"}
    for case in cases:
        findings = pii.check_fields({name: getattr(case, name) for name in EVIDENCE})
        assert not [f for found in findings.values() for f in found], (case.id, findings)
    primary = db.session.scalar(sa.select(Network).where(Network.name == "North primary SENCOs"))
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AgreementRecord.id)).where(AgreementRecord.network_id == primary.id)
        )
        >= 8
    )
    client = app_context.test_client()
    senco1 = db.session.scalar(sa.select(User).where(User.email == "senco1@northbrook.example"))
    sign_in_as(client, senco1)
    home = client.get("/o/northbrook/").get_data(as_text=True)
    assert "2 moderation cases await your judgment in North primary SENCOs" in home
    page = client.get(f"/o/northbrook/networks/{primary.id}/moderation").get_data(as_text=True)
    assert "Awaiting your judgment" in page and "Your drafts" in page and "Closed cases" in page
    assert "Autumn 2025" in page or "Spring 2026" in page
    organiser = db.session.scalar(sa.select(User).where(User.email == "organiser@northbrook.example"))
    sign_in_as(client, organiser)
    assert client.get(f"/o/northbrook/networks/{primary.id}/moderation").status_code == 200
    # Running the demo again adds nothing.
    count = len(cases)
    app_context.test_cli_runner().invoke(args=["demo"])
    assert db.session.scalar(sa.select(sa.func.count(ModerationCase.id))) == count


def test_the_large_demo_has_cases_in_every_network(app_context):
    result = app_context.test_cli_runner().invoke(args=["demo", "--scale", "large"])
    assert result.exit_code == 0, result.output
    large = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "largeshire"))
    per_network = db.session.execute(
        sa.select(ModerationCase.network_id, sa.func.count(ModerationCase.id))
        .where(ModerationCase.organisation_id == large.id)
        .group_by(ModerationCase.network_id)
    ).all()
    assert len(per_network) >= 10 and all(count >= 12 for _, count in per_network)
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AgreementRecord.id)).where(AgreementRecord.organisation_id == large.id)
        )
        >= 90
    )
