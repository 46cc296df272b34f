"""``/healthz``: 200 while the database answers; the scheduler's heartbeat reported, and a 503 for
a stale one only when monitoring asks for it (``?require=scheduler``)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from cluster.extensions import db, utcnow
from cluster.jobs import heartbeat


def test_a_fresh_heartbeat_is_ok(client):
    heartbeat.beat(utcnow() - timedelta(seconds=40))
    db.session.commit()

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["scheduler"]["fresh"] is True
    assert 39 <= body["scheduler"]["heartbeat_age_seconds"] <= 45
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/healthz?require=scheduler").status_code == 200


def test_a_stale_heartbeat_is_degraded_but_keeps_the_app_server_in_service(client):
    heartbeat.beat(utcnow() - timedelta(minutes=10))
    db.session.commit()

    response = client.get("/healthz")

    assert response.status_code == 200  # a load balancer keeps routing to this app server
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["scheduler"]["fresh"] is False and body["scheduler"]["heartbeat_age_seconds"] >= 600


def test_monitoring_gets_a_503_for_a_stale_or_missing_scheduler(client):
    missing = client.get("/healthz?require=scheduler")
    assert missing.status_code == 503
    assert missing.get_json()["scheduler"] == {"heartbeat_age_seconds": None, "fresh": False}

    heartbeat.beat(utcnow() - timedelta(minutes=4))
    db.session.commit()
    assert client.get("/healthz?require=scheduler").status_code == 503


def test_an_unreachable_database_is_a_503(app_context, client):
    app = app_context
    # Point the app at a database that cannot be opened (a directory is not a SQLite file; port 1
    # has no PostgreSQL), then put the real one back.
    engines = db._app_engines[app]
    real = engines[None]
    url = (
        "postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=1"
        if real.dialect.name == "postgresql"
        else f"sqlite:///{app.instance_path}"
    )
    engines[None] = sa.create_engine(url)
    try:
        db.session.remove()
        response = client.get("/healthz")
    finally:
        engines[None].dispose()
        engines[None] = real
        db.session.remove()

    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable"}
    assert client.get("/healthz").status_code == 200
