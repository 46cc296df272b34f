"""Forgotten passwords: a single-use link by email that works for one hour."""

from __future__ import annotations

from datetime import timedelta

from cluster.auth.services import find_open_reset, request_password_reset
from cluster.extensions import db, utcnow
from tests.helpers import link_in, parts


def test_reset_by_email_then_sign_in_with_the_new_password(client, make, mailbox):
    make.user(make.organisation(), email="senco@school.example", name="Ben")
    response = client.post("/reset", data={"email": "senco@school.example"})
    assert "Check your email" in response.get_data(as_text=True)
    [message] = mailbox
    text, html = parts(message)
    assert "Hello Ben" in text and "1 hour" in html
    link = link_in(message, "/reset/")
    assert (
        client.post(
            link, data={"password": "lantern-otter-gravel", "confirm": "lantern-otter-grave"}
        ).status_code
        == 200
    )
    assert (
        client.post(
            link, data={"password": "lantern-otter-gravel", "confirm": "lantern-otter-gravel"}
        ).status_code
        == 302
    )
    assert client.get(link).status_code == 404  # single use
    signed_in = client.post(
        "/sign-in", data={"email": "senco@school.example", "password": "lantern-otter-gravel"}
    )
    assert signed_in.status_code == 302


def test_unknown_email_gets_the_same_answer_and_no_email(client, mailbox):
    response = client.post("/reset", data={"email": "nobody@school.example"})
    assert "Check your email" in response.get_data(as_text=True)
    assert mailbox == []


def test_reset_links_expire_after_an_hour(app_context, make):
    make.user(make.organisation(), email="s@school.example")
    now = utcnow()
    _, token = request_password_reset("s@school.example", now=now)
    db.session.commit()
    assert find_open_reset(token, now=now + timedelta(minutes=59)) is not None
    assert find_open_reset(token, now=now + timedelta(minutes=61)) is None
