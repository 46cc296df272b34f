"""Networks: admins create them and choose schools; roles decide what each person may do."""

from __future__ import annotations

import sqlalchemy as sa

from cluster.extensions import db
from cluster.networks.access import network_access
from cluster.networks.models import Network, NetworkRole
from cluster.networks.services import visible_networks
from cluster.tenancy.models import Membership


def _membership(user):
    return db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))


def test_admin_creates_a_network_with_member_schools(client, make, login):
    org = make.organisation(slug="nb")
    primary, secondary = (
        make.school(org, name="Fernhill Primary"),
        make.school(org, name="Ashcombe High", phase="Secondary"),
    )
    login(make.user(org, is_admin=True))
    response = client.post(
        "/o/nb/networks/new",
        data={"name": "North primary SENCOs", "description": "Half-termly", "school_ids": [str(primary.id)]},
    )
    network = db.session.scalar(sa.select(Network))
    assert response.headers["Location"] == f"/o/nb/networks/{network.id}"
    assert [s.name for s in network.schools] == ["Fernhill Primary"]
    client.post(
        f"/o/nb/networks/{network.id}/edit",
        data={"name": "North SENCOs", "school_ids": [str(primary.id), str(secondary.id)]},
    )
    db.session.expire_all()
    assert network.name == "North SENCOs" and len(network.schools) == 2


def test_network_names_are_unique_within_an_organisation(client, make, login):
    org = make.organisation(slug="nb")
    make.network(org, name="Secondary SENCO network")
    login(make.user(org, is_admin=True))
    page = client.post("/o/nb/networks/new", data={"name": "secondary senco network"}).get_data(as_text=True)
    assert "already has a network called" in page and 'value="secondary senco network"' in page


def test_another_organisations_school_cannot_be_added(client, make, login):
    org, other = make.organisation(slug="nb"), make.organisation(slug="ew")
    foreign = make.school(other, name="Eastwick Primary")
    login(make.user(org, is_admin=True))
    response = client.post("/o/nb/networks/new", data={"name": "Net", "school_ids": [str(foreign.id)]})
    assert response.status_code == 200  # not a valid choice: shown as an error, nothing saved
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Network)) == 0


def test_roles_in_a_network(app_context, make):
    org = make.organisation()
    school, elsewhere = make.school(org), make.school(org)
    organiser, observer = make.user(org), make.user(org, job_title="EP")
    member, outsider, admin = (
        make.user(org, school=school),
        make.user(org, school=elsewhere),
        make.user(org, is_admin=True),
    )
    network = make.network(org, schools=[school], organisers=[organiser], observers=[observer])
    access = {
        name: network_access(_membership(u), network)
        for name, u in [
            ("organiser", organiser),
            ("observer", observer),
            ("member", member),
            ("outsider", outsider),
            ("admin", admin),
        ]
    }
    assert (
        access["organiser"].role == "organiser"
        and access["organiser"].can_organise
        and not access["organiser"].can_administer
    )
    assert (
        access["observer"].role == "observer"
        and access["observer"].can_view
        and not access["observer"].can_organise
    )
    assert (
        access["member"].role == "member" and access["member"].can_view and not access["member"].can_organise
    )
    assert not access["outsider"].can_view
    assert access["admin"].can_administer and access["admin"].can_organise
    assert [n.id for n, _ in visible_networks(_membership(member))] == [network.id]
    assert visible_networks(_membership(outsider)) == []
    assert [role for _, role in visible_networks(_membership(observer))] == ["observer"]


def test_admin_appoints_and_removes_an_organiser(client, make, login):
    org = make.organisation(slug="nb")
    network = make.network(org)
    person = make.user(org, name="Mark Ellison")
    login(make.user(org, is_admin=True))
    client.post(f"/o/nb/networks/{network.id}/roles", data={"user_id": str(person.id), "role": "organiser"})
    role = db.session.scalar(sa.select(NetworkRole))
    assert (role.user_id, role.role) == (person.id, "organiser")
    assert "Mark Ellison" in client.get(f"/o/nb/networks/{network.id}").get_data(as_text=True)
    client.post(f"/o/nb/networks/{network.id}/roles/{role.id}/remove")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NetworkRole)) == 0


def test_a_person_of_another_organisation_cannot_be_appointed(client, make, login):
    org, other = make.organisation(slug="nb"), make.organisation(slug="ew")
    network = make.network(org)
    stranger = make.user(other)
    login(make.user(org, is_admin=True))
    response = client.post(
        f"/o/nb/networks/{network.id}/roles", data={"user_id": str(stranger.id), "role": "organiser"}
    )
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NetworkRole)) == 0


def test_a_role_of_another_network_cannot_be_removed_through_this_one(client, make, login):
    org = make.organisation(slug="nb")
    first, _second = make.network(org), make.network(org, organisers=[make.user(org)])
    role = db.session.scalar(sa.select(NetworkRole))
    login(make.user(org, is_admin=True))
    assert client.post(f"/o/nb/networks/{first.id}/roles/{role.id}/remove").status_code == 404
    assert db.session.get(NetworkRole, role.id) is not None
