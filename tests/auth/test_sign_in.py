"""Sign-in, sign-out, lockout and safe redirects."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from cluster.auth.models import LoginAttempt
from cluster.auth.services import LockedOut, LockoutPolicy, SignInRefused, authenticate
from cluster.extensions import db, utcnow
from tests.factories import PASSWORD


def sign_in(client, email, password, next_=None):
    url = "/sign-in" + (f"?next={next_}" if next_ else "")
    return client.post(url, data={"email": email, "password": password})


def test_sign_in_and_out(client, make):
    org = make.organisation(slug="northbrook")
    make.user(org, email="senco@school.example")
    response = sign_in(client, "Senco@School.example ", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").headers["Location"].endswith("/o/northbrook/")
    assert client.get("/o/northbrook/").status_code == 200
    client.post("/sign-out")
    assert client.get("/o/northbrook/").status_code == 302


def test_wrong_password_is_refused_with_a_message_that_keeps_the_email(client, make):
    make.user(make.organisation(), email="senco@school.example")
    response = sign_in(client, "senco@school.example", "wrong-password-123")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in page
    assert 'value="senco@school.example"' in page


def test_next_only_goes_to_this_site(client, make):
    org = make.organisation(slug="nb")
    make.user(org, email="a@school.example")
    assert (
        sign_in(client, "a@school.example", PASSWORD, "/o/nb/schools").headers["Location"] == "/o/nb/schools"
    )
    client.post("/sign-out")
    for evil in ["https://evil.example/", "//evil.example/", "/\\evil.example"]:
        assert sign_in(client, "a@school.example", PASSWORD, evil).headers["Location"] == "/"
        client.post("/sign-out")


def test_five_failures_lock_the_account_for_fifteen_minutes(client, make):
    make.user(make.organisation(), email="senco@school.example")
    for _ in range(5):
        assert sign_in(client, "senco@school.example", "wrong-password-123").status_code == 200
    locked = sign_in(client, "senco@school.example", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.get_data(as_text=True)
    # The refusal for an account that does not exist reads the same.
    for _ in range(5):
        sign_in(client, "nobody@school.example", "wrong-password-123")
    assert (
        sign_in(client, "nobody@school.example", PASSWORD)
        .get_data(as_text=True)
        .count("Too many failed attempts")
        >= 1
    )


def test_lockout_lasts_fifteen_minutes_from_the_fifth_failure(app_context, make):
    make.user(make.organisation(), email="s@school.example")
    policy = LockoutPolicy()
    start = utcnow()
    for minute in range(5):
        try:
            authenticate(
                "s@school.example",
                "bad-password-xx",
                "10.0.0.1",
                policy,
                now=start + timedelta(minutes=minute),
            )
        except LockedOut:
            raise AssertionError("locked too early") from None
        except SignInRefused:
            pass
    fifth = start + timedelta(minutes=4)
    for later in (timedelta(minutes=1), timedelta(minutes=14, seconds=59)):
        try:
            authenticate("s@school.example", PASSWORD, "10.0.0.1", policy, now=fifth + later)
        except LockedOut:
            pass
        else:
            raise AssertionError("should still be locked")
    user = authenticate(
        "s@school.example", PASSWORD, "10.0.0.1", policy, now=fifth + timedelta(minutes=15, seconds=1)
    )
    assert user.email == "s@school.example"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt)) == 0


def test_failures_spread_over_more_than_the_window_do_not_lock(app_context, make):
    make.user(make.organisation(), email="s@school.example")
    policy = LockoutPolicy()
    start = utcnow()
    for n in range(8):
        try:
            authenticate(
                "s@school.example",
                "bad-password-xx",
                "10.0.0.1",
                policy,
                now=start + timedelta(minutes=5 * n),
            )
        except LockedOut:
            raise AssertionError("four failures per quarter hour must not lock") from None
        except SignInRefused:
            pass


def test_inactive_accounts_cannot_sign_in(client, make):
    user = make.user(make.organisation(), email="gone@school.example")
    user.active = False
    db.session.commit()
    assert "Enter a correct email" in sign_in(client, "gone@school.example", PASSWORD).get_data(as_text=True)
