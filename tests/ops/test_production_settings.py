"""The production shape's settings: gunicorn's config file, ProxyFix behind a proxy, the
PostgreSQL pool sized to the threads, and the JSON access log (secrets taken out)."""

from __future__ import annotations

import json
import logging
import runpy
from pathlib import Path

import pytest

from cluster import create_app
from cluster.ops.accesslog import JsonAccessLogger, access_record, redact

ROOT = Path(__file__).resolve().parents[2]


def _gunicorn_settings(monkeypatch, **env) -> dict:
    for name in (
        "WEB_CONCURRENCY",
        "GUNICORN_THREADS",
        "PORT",
        "GUNICORN_BIND",
        "CLUSTER_DB_POOL_SIZE",
        "FORWARDED_ALLOW_IPS",
        "GUNICORN_PRELOAD",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_config_takes_its_numbers_from_the_environment(monkeypatch):
    settings = _gunicorn_settings(
        monkeypatch, WEB_CONCURRENCY="3", GUNICORN_THREADS="6", PORT="9000", FORWARDED_ALLOW_IPS="10.0.0.1"
    )
    assert settings["workers"] == 3 and settings["threads"] == 6
    assert settings["worker_class"] == "gthread"
    assert settings["bind"] == "127.0.0.1:9000"
    assert settings["forwarded_allow_ips"] == "10.0.0.1"
    assert settings["wsgi_app"] == "cluster:create_app()"
    assert settings["preload_app"] is False
    assert 0 < settings["max_requests_jitter"] < settings["max_requests"]
    import os

    assert os.environ["CLUSTER_DB_POOL_SIZE"] == "6"  # one connection per thread


def test_gunicorn_config_defaults_are_sane(monkeypatch):
    settings = _gunicorn_settings(monkeypatch)
    assert 2 <= settings["workers"] <= 8
    assert settings["bind"] == "127.0.0.1:8000" and settings["timeout"] >= 10
    assert settings["logger_class"] == "cluster.ops.accesslog.JsonAccessLogger"


def test_gunicorn_accepts_the_config_file(monkeypatch):
    """gunicorn's own parser validates every setting in the file (a typo'd name fails here)."""
    from gunicorn.app.wsgiapp import WSGIApplication

    monkeypatch.delenv("CLUSTER_DB_POOL_SIZE", raising=False)  # the file sets it: undone after the test
    monkeypatch.setattr("sys.argv", ["gunicorn", "-c", str(ROOT / "gunicorn.conf.py")])
    application = WSGIApplication()
    assert application.cfg.worker_class_str == "gthread"
    assert application.cfg.logger_class is JsonAccessLogger


def test_the_pool_is_sized_from_the_environment_on_postgresql(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.example/cluster")
    monkeypatch.setenv("CLUSTER_DB_POOL_SIZE", "6")
    monkeypatch.setenv("CLUSTER_DB_MAX_OVERFLOW", "3")
    options = create_app().config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_size"] == 6 and options["max_overflow"] == 3 and options["pool_pre_ping"] is True


def test_sqlite_keeps_its_own_pool(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert "pool_size" not in create_app().config["SQLALCHEMY_ENGINE_OPTIONS"]


@pytest.mark.parametrize(
    "hops, expected",
    [(0, ("127.0.0.1", "http", "localhost")), (1, ("203.0.113.9", "https", "cluster.example.org"))],
)
def test_forwarded_headers_are_trusted_only_when_configured(monkeypatch, tmp_path, hops, expected):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv("CLUSTER_PROXY_FIX", str(hops))
    app = create_app()
    seen = {}

    @app.get("/_whoami")
    def whoami():
        from flask import request

        seen["who"] = (request.remote_addr, request.scheme, request.host)
        return ""

    app.test_client().get(
        "/_whoami",
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
        headers={
            "X-Forwarded-For": "203.0.113.9",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "cluster.example.org",
        },
    )
    assert seen["who"] == expected


def test_tokens_never_reach_the_access_log():
    token = "pQ2x9V_kd8s-LmZ0aB3cD4eF5gH6iJ7kL8mN9oP0qR1"
    assert redact(f"/feeds/{token}.ics") == "/feeds/….ics"
    assert redact(f"/digest/unsubscribe/{token}") == "/digest/unsubscribe/…"
    assert redact("/unsubscribe/12.c2VjcmV0LW1hYw") == "/unsubscribe/…"
    assert redact(f"/reset/{token}") == "/reset/…" and redact(f"/invitations/{token}") == "/invitations/…"
    assert redact("/o/northbrook/meetings/12") == "/o/northbrook/meetings/12"
    assert redact("/static/govuk-frontend-5.7.1.min.js") == "/static/govuk-frontend-5.7.1.min.js"
    assert redact("/o/northbrook/resources") == "/o/northbrook/resources"
    record = access_record(
        {
            "h": "127.0.0.1",
            "m": "GET",
            "U": f"/feeds/{token}.ics",
            "s": "304",
            "B": None,
            "D": 1500,
            "f": f"https://x.example/reset/{token}",
            "a": 'ua "quoted"',
            "p": "<1>",
        }
    )
    line = json.dumps(record)
    assert token not in line
    assert (
        record["status"] == 304
        and record["duration_ms"] == 1.5
        and json.loads(line)["user_agent"] == 'ua "quoted"'
    )


def test_the_access_logger_writes_one_json_object_per_request(caplog):
    from types import SimpleNamespace

    from gunicorn.config import Config

    cfg = Config()
    cfg.set("accesslog", "-")
    logger = JsonAccessLogger(cfg)
    logger.access_log.propagate = True
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/healthz",
        "PATH_INFO": "/healthz",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "QUERY_STRING": "",
    }
    from datetime import timedelta

    with caplog.at_level(logging.INFO, logger="gunicorn.access"):
        logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=12))
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "gunicorn.access"]
    assert (
        lines and lines[0]["path"] == "/healthz" and lines[0]["status"] == 200 and lines[0]["bytes"] == 1234
    )
    assert lines[0]["duration_ms"] == 12.0
