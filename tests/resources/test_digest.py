"""The library in the digest: owners are reminded of reviews due; new resources are news."""

from __future__ import annotations

from datetime import date, timedelta

from cluster.digests.services import preview
from cluster.extensions import db


def _keys(digest, part: str) -> list[str]:
    return [item.key for p in digest.parts if p.key == part for group in p.groups for item in group.items]


def test_owner_is_reminded_of_a_review_due_and_others_see_new_resources(make):
    org = make.organisation(slug="north")
    school = make.school(org)
    owner = make.user(org, email="owner@north.example", school=school)
    colleague = make.user(org, email="colleague@north.example", school=school)
    network = make.network(org, schools=[school])
    resource = make.resource(network, owner, title="Old leaflet")
    resource.review_on = date.today() - timedelta(days=2)
    db.session.commit()
    assert f"resource-review:{resource.id}" in _keys(preview(owner), "needs_you")
    assert f"resource-review:{resource.id}" not in _keys(preview(colleague), "needs_you")
    assert f"resource:{resource.id}" in _keys(preview(colleague), "new")
    assert f"resource:{resource.id}" not in _keys(preview(owner), "new")
