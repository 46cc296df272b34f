"""The library in the demo: Northbrook's organiser and a SENCO find it populated when they sign in."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.extensions import db
from cluster.resources.demo import build_resources_demo
from cluster.resources.models import Resource, ResourceVersion


def _sign_in(client, email):
    return client.post("/sign-in", data={"email": email, "password": "northbrook-demo"})


def test_the_demo_library_is_real_searchable_and_ready_for_review(app_context, client):
    result = app_context.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert build_resources_demo() is False  # already there: the command can run again
    resources = db.session.scalars(sa.select(Resource)).all()
    assert len(resources) >= 10 and {r.kind for r in resources} >= {"pdf", "document", "link"}
    assert any(r.recommended for r in resources) and any(r.meeting_id for r in resources)
    assert any(r.agenda_item_id for r in resources)
    assert db.session.scalar(sa.select(sa.func.max(ResourceVersion.number))) == 2
    senco1 = db.session.scalar(sa.select(User).where(User.email == "senco1@northbrook.example"))
    assert any(r.owner_id == senco1.id and r.out_of_date(date.today()) for r in resources)

    _sign_in(client, "senco1@northbrook.example")
    found = client.get("/o/northbrook/resources?q=proprioceptive").get_data(as_text=True)
    assert "Sensory circuits" in found  # the words inside the demo's PDF
    mine = client.get("/o/northbrook/resources/mine").get_data(as_text=True)
    assert "Transition passport" in mine and "Review due" in mine
    client.post("/sign-out")
    _sign_in(client, "organiser@northbrook.example")
    library = client.get("/o/northbrook/resources").get_data(as_text=True)
    assert "Recommended by the network" in library and "Provision map template" in library
