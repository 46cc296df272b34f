"""The org admin's people pages."""

from __future__ import annotations

from cluster.extensions import db
from cluster.tenancy.models import Membership


def test_people_list_shows_members_and_pending_invitations(client, make, login, mailbox):
    org = make.organisation(slug="nb")
    make.user(org, name="Ben Clarke", school=make.school(org, name="Fernhill Primary"))
    login(make.user(org, name="Margaret", is_admin=True))
    client.post(
        "/o/nb/people/invite",
        data={"email": "ep@council.example", "job_title": "EP service", "school_id": ""},
    )
    page = client.get("/o/nb/people").get_data(as_text=True)
    assert "Ben Clarke" in page and "Fernhill Primary" in page and "ep@council.example" in page
    assert "Ben Clarke" in client.get("/o/nb/people?q=ben").get_data(as_text=True)
    assert "Ben Clarke" not in client.get("/o/nb/people?q=nobody").get_data(as_text=True)


def test_inviting_someone_already_in_the_organisation_is_refused(client, make, login, mailbox):
    org = make.organisation(slug="nb")
    make.user(org, email="ben@school.example")
    login(make.user(org, is_admin=True))
    page = client.post("/o/nb/people/invite", data={"email": "BEN@school.example", "school_id": ""}).get_data(
        as_text=True
    )
    assert "already in" in page and mailbox == []


def test_admin_changes_a_persons_school_and_admin_rights(client, make, login):
    org = make.organisation(slug="nb")
    school = make.school(org)
    person = make.user(org)
    login(make.user(org, is_admin=True))
    membership = db.session.query(Membership).filter_by(user_id=person.id).one()
    client.post(
        f"/o/nb/people/{membership.id}", data={"school_id": str(school.id), "job_title": "", "is_admin": "y"}
    )
    db.session.refresh(membership)
    assert membership.school_id == school.id and membership.is_admin


def test_the_last_admin_cannot_step_down(client, make, login):
    org = make.organisation(slug="nb")
    admin = make.user(org, is_admin=True)
    login(admin)
    membership = db.session.query(Membership).filter_by(user_id=admin.id).one()
    page = client.post(f"/o/nb/people/{membership.id}", data={"school_id": "", "job_title": ""}).get_data(
        as_text=True
    )
    assert "at least one admin" in page
    db.session.refresh(membership)
    assert membership.is_admin


def test_revoked_invitations_stop_working(client, make, login, mailbox):
    org = make.organisation(slug="nb")
    login(make.user(org, is_admin=True))
    client.post("/o/nb/people/invite", data={"email": "new@school.example", "school_id": ""})
    from cluster.auth.models import Invitation
    from tests.helpers import link_in

    link = link_in(mailbox[0], "/invitations/")
    invitation = db.session.query(Invitation).one()
    client.post(f"/o/nb/people/invitations/{invitation.id}/revoke")
    client.post("/sign-out")
    assert client.get(link).status_code == 404
