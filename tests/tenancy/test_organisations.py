"""Platform admins create organisations; the first admin is invited by email."""

from __future__ import annotations

import sqlalchemy as sa

from cluster.extensions import db
from cluster.tenancy.models import Membership, Organisation
from tests.helpers import link_in


def test_platform_admin_creates_an_organisation_and_its_admin_joins(client, make, login, mailbox):
    login(make.user(platform_admin=True))
    response = client.post(
        "/platform/organisations/new",
        data={
            "name": "Eastwick Learning Trust",
            "slug": "eastwick",
            "kind": "trust",
            "admin_email": "admin@eastwick.example",
        },
    )
    assert response.headers["Location"] == "/platform/organisations"
    assert "Eastwick Learning Trust" in client.get("/platform/organisations").get_data(as_text=True)
    link = link_in(mailbox[0], "/invitations/")
    client.post("/sign-out")
    client.post(
        link,
        data={"name": "Graham Pike", "password": "lantern-otter-gravel", "confirm": "lantern-otter-gravel"},
    )
    membership = db.session.scalar(sa.select(Membership))
    assert membership.is_admin and membership.organisation.slug == "eastwick"
    assert client.get("/o/eastwick/people").status_code == 200


def test_slugs_are_unique_and_well_formed(client, make, login):
    make.organisation(slug="northbrook")
    login(make.user(platform_admin=True))
    taken = client.post(
        "/platform/organisations/new",
        data={"name": "N", "slug": "northbrook", "kind": "local_authority", "admin_email": "a@b.example"},
    )
    assert "already used" in taken.get_data(as_text=True)
    bad = client.post(
        "/platform/organisations/new",
        data={"name": "N", "slug": "North Brook!", "kind": "local_authority", "admin_email": "a@b.example"},
    )
    assert "lower-case letters" in bad.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1
