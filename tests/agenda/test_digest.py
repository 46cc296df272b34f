"""The agenda's digest sections: proposals awaiting support in your phase, and what is new."""

from __future__ import annotations

from datetime import timedelta

from cluster.agenda.services import ProposalDraft, propose
from cluster.digests.services import preview
from cluster.extensions import db, utcnow


def _keys(user, part, now):
    digest = preview(user, now)
    return {item.key for p in digest.parts if p.key == part for group in p.groups for item in group.items}


def test_a_new_proposal_needs_members_of_its_phase_and_is_news_for_others(app_context, make):
    org = make.organisation(slug="nb")
    primary, secondary = (
        make.school(org, name="Fernhill Primary"),
        make.school(org, name="Ashcombe High", phase="Secondary"),
    )
    proposer = make.user(org, school=primary)
    primary_member, secondary_member = make.user(org, school=primary), make.user(org, school=secondary)
    organiser = make.user(org)
    network = make.network(org, schools=[primary, secondary], organisers=[organiser])
    item = propose(
        network,
        proposer,
        primary,
        ProposalDraft(
            title="Phonics interventions",
            description="",
            kind="discussion",
            phases=("primary",),
            minutes_needed=20,
        ),
        now=utcnow() - timedelta(hours=1),
    )
    db.session.commit()
    key = f"agenda-item:{item.id}"
    now = utcnow()
    assert key in _keys(primary_member, "needs_you", now)
    assert key not in _keys(secondary_member, "needs_you", now)
    assert key in _keys(secondary_member, "new", now)
    assert key in _keys(organiser, "new", now)
    assert key not in _keys(proposer, "needs_you", now) | _keys(proposer, "new", now)
