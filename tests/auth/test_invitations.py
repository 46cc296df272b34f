"""Invitations: sent by email through a real SMTP server, single use, 7 days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from cluster.auth.models import Invitation, User
from cluster.auth.services import (
    INVITATION_LIFETIME,
    accept_invitation,
    create_invitation,
    find_open_invitation,
)
from cluster.extensions import db, utcnow
from cluster.networks.models import NetworkRole
from cluster.people.invitations import send_invitation
from cluster.tenancy.models import Membership
from tests.factories import PASSWORD
from tests.helpers import link_in, parts


def test_admin_invites_a_senco_who_joins_by_the_link(client, make, login, mailbox):
    org = make.organisation(slug="northbrook", name="Northbrook Council")
    school = make.school(org, name="St Mary’s Primary")
    admin = make.user(org, name="Margaret Hale", is_admin=True)
    login(admin)
    response = client.post(
        "/o/northbrook/people/invite",
        data={"email": "New.Senco@School.example", "school_id": str(school.id), "job_title": ""},
    )
    assert response.status_code == 302
    [message] = mailbox
    assert message["To"] == "new.senco@school.example"
    assert "Northbrook Council" in message["Subject"]
    assert message.get_content_type() == "multipart/alternative"
    text, html = parts(message)
    assert "Margaret Hale has invited you" in text and "Accept the invitation to Northbrook Council" in html
    link = link_in(message, "/invitations/")
    assert link_in(message, "/invitations/") in html or link.split("/")[-1] in html

    client.post("/sign-out")
    page = client.get(link)
    assert page.status_code == 200 and "St Mary’s Primary" in page.get_data(as_text=True)
    weak = client.post(link, data={"name": "Nia Evans", "password": "short", "confirm": "short"})
    assert "at least 12 characters" in weak.get_data(as_text=True)
    assert 'value="Nia Evans"' in weak.get_data(as_text=True)
    done = client.post(
        link,
        data={"name": "Nia Evans", "password": "lantern-otter-gravel", "confirm": "lantern-otter-gravel"},
    )
    assert done.headers["Location"] == "/o/northbrook/"
    user = db.session.scalar(sa.select(User).where(User.email == "new.senco@school.example"))
    assert user.name == "Nia Evans"
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
    assert membership.school_id == school.id and not membership.is_admin
    # Single use: the same link no longer works.
    client.post("/sign-out")
    assert client.get(link).status_code == 404


def test_invitations_expire_after_seven_days(app_context, make):
    org = make.organisation()
    admin = make.user(org, is_admin=True)
    now = utcnow()
    _, token = create_invitation(org, "x@school.example", admin, now=now)
    db.session.commit()
    assert find_open_invitation(token, now=now + timedelta(days=6, hours=23)) is not None
    assert find_open_invitation(token, now=now + timedelta(days=7, seconds=1)) is None


def test_expired_link_page_says_why(client, make):
    org = make.organisation()
    admin = make.user(org, is_admin=True)
    _, token = create_invitation(org, "x@school.example", admin, now=utcnow() - timedelta(days=8))
    db.session.commit()
    response = client.get(f"/invitations/{token}")
    assert response.status_code == 404
    assert "Invitations last 7 days" in response.get_data(as_text=True)


def test_a_new_invitation_replaces_the_old_link(app_context, make):
    org = make.organisation()
    admin = make.user(org, is_admin=True)
    _, first = create_invitation(org, "x@school.example", admin)
    _, second = create_invitation(org, "X@school.example", admin)
    db.session.commit()
    assert find_open_invitation(first) is None
    assert find_open_invitation(second) is not None


def test_tokens_are_stored_only_as_hashes(app_context, make):
    org = make.organisation()
    invitation, token = create_invitation(org, "x@school.example", make.user(org, is_admin=True))
    db.session.commit()
    stored = db.session.scalars(sa.select(Invitation.token_hash)).all()
    assert token not in stored and len(token) >= 32 and len(stored[0]) == 64


def test_someone_with_an_account_joins_a_second_organisation_with_their_password(client, make, mailbox):
    first = make.organisation(slug="northbrook")
    second = make.organisation(slug="eastwick", name="Eastwick Learning Trust")
    person = make.user(first, email="ep@school.example", name="Ruth")
    _, token = create_invitation(
        second, "ep@school.example", make.user(second, is_admin=True), job_title="EP service"
    )
    db.session.commit()
    wrong = client.post(f"/invitations/{token}", data={"password": "not-my-password"})
    assert "Enter the password of the account" in wrong.get_data(as_text=True)
    ok = client.post(f"/invitations/{token}", data={"password": PASSWORD})
    assert ok.headers["Location"] == "/o/eastwick/"
    slugs = {
        m.organisation.slug
        for m in db.session.scalars(sa.select(Membership).where(Membership.user_id == person.id))
    }
    assert slugs == {"northbrook", "eastwick"}
    # The switcher lists both and moves between them.
    page = client.get("/o/eastwick/").get_data(as_text=True)
    assert 'name="organisation"' in page and "Eastwick Learning Trust" in page
    assert client.get("/switch?organisation=northbrook").headers["Location"] == "/o/northbrook/"
    assert client.get("/switch?organisation=elsewhere").status_code == 404


def test_organiser_invites_only_sencos_of_member_schools(client, make, login, mailbox):
    org = make.organisation(slug="nb")
    inside, outside = make.school(org, name="Inside Primary"), make.school(org, name="Outside Primary")
    organiser = make.user(org, name="Sophie")
    network = make.network(org, schools=[inside], organisers=[organiser])
    login(organiser)
    page = client.get(f"/o/nb/networks/{network.id}/invite").get_data(as_text=True)
    assert "Inside Primary" in page and "Outside Primary" not in page
    refused = client.post(
        f"/o/nb/networks/{network.id}/invite",
        data={"email": "a@school.example", "school_id": str(outside.id)},
    )
    assert refused.status_code == 200 and "govuk-error-summary" in refused.get_data(as_text=True)
    assert not mailbox
    sent = client.post(
        f"/o/nb/networks/{network.id}/invite", data={"email": "a@school.example", "school_id": str(inside.id)}
    )
    assert sent.status_code == 302 and len(mailbox) == 1
    assert "Sophie has invited you" in parts(mailbox[0])[0]


def test_accepting_a_network_role_invitation_appoints_the_role(app_context, make):
    org = make.organisation()
    network = make.network(org)
    invitation, _ = create_invitation(
        org,
        "obs@school.example",
        make.user(org, is_admin=True),
        network_id=network.id,
        network_role="observer",
    )
    user = accept_invitation(invitation, name="Obs", password="lantern-otter-gravel")
    db.session.commit()
    role = db.session.scalar(sa.select(NetworkRole).where(NetworkRole.user_id == user.id))
    assert role.role == "observer" and role.network_id == network.id


def test_the_expiry_date_is_on_the_invitees_clock(app_context, make, mailbox):
    org = make.organisation(name="Northbrook Council")
    admin = make.user(org, is_admin=True)  # in Europe/London
    abroad = make.user(make.organisation(), email="abroad@school.example")
    abroad.time_zone = "America/New_York"
    db.session.commit()
    # It expires at 02:00 UTC on 1 January 2030: still the evening of 31 December in New York.
    now = datetime(2030, 1, 1, 2, 0, tzinfo=UTC) - INVITATION_LIFETIME
    for email in ("abroad@school.example", "new@school.example"):
        invitation, token = create_invitation(org, email, admin, now=now)
        db.session.commit()
        with app_context.test_request_context():
            send_invitation(invitation, token)
    expires = {m["To"]: parts(m)[0] for m in mailbox}
    assert "expires on 31 December 2029" in expires["abroad@school.example"]
    assert "expires on 1 January 2030" in expires["new@school.example"]  # a new account starts in London
