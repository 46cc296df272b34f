"""The layout, error pages, security headers and configuration rules."""

from __future__ import annotations

import pytest

from cluster import create_app


def test_pages_show_where_you_are(client, make, login):
    org = make.organisation(slug="nb", name="Northbrook Council")
    school = make.school(org, name="Fernhill Primary")
    login(make.user(org, name="Ben", school=school))
    page = client.get("/o/nb/").get_data(as_text=True)
    assert 'href="#main-content"' in page  # skip link
    assert "<main" in page and "<header" in page and "<footer" in page and "<nav" in page
    assert "You are in <strong>Northbrook Council</strong>" in page and "Fernhill Primary SENCO" in page
    assert "govuk-crest" not in page and "GDS Transport" not in page


def test_friendly_404_in_the_layout(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_friendly_413(client, app_context):
    app_context.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        response = client.post("/sign-in", data={"email": "x" * 5000, "password": "y"})
    finally:
        app_context.config["MAX_CONTENT_LENGTH"] = 25 * 1024 * 1024
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_unexpected_errors_get_the_friendly_500():
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})

    @app.get("/__boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/__boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Sorry, there is a problem" in page and "RuntimeError" not in page


def test_security_headers_on_every_page(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp and "'nonce-" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.get_data(as_text=True)


def test_session_cookie_flags(client, make):
    make.user(make.organisation(), email="a@school.example")
    from tests.factories import PASSWORD

    response = client.post("/sign-in", data={"email": "a@school.example", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_refuses_the_default_secret(monkeypatch):
    monkeypatch.setenv("CLUSTER_PRODUCTION", "1")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"DATABASE_URL": "sqlite://"})
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-from-the-environment")
    app = create_app({"DATABASE_URL": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/cluster")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example")
    monkeypatch.setenv("MAIL_PORT", "2525")
    monkeypatch.setenv("CLUSTER_BASE_URL", "https://cluster.example")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/cluster"
    assert app.config["MAIL_BACKEND"] == "smtp" and app.config["MAIL_PORT"] == 2525
    assert app.config["CLUSTER_BASE_URL"] == "https://cluster.example"


def test_health_check(client):
    body = client.get("/healthz").get_json()
    assert body["database"] == "ok" and body["status"] in {
        "ok",
        "degraded",
    }  # more in tests/ops/test_healthz.py
