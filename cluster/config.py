"""Settings: defaults, then ``instance/config.py``, then the environment.

Every setting a deployment may change is read from an environment variable of the same
name (``SECRET_KEY``, ``DATABASE_URL``, ``MAIL_*``, ``CLUSTER_*``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DEV_SECRET_KEY = "dev-only-secret-key-change-me"

#: Settings whose environment value is a boolean.
_BOOLEAN = {"MAIL_USE_TLS", "MAIL_USE_SSL", "CLUSTER_PRODUCTION", "CLUSTER_RUN_SCHEDULER"}
#: Settings whose environment value is an integer.
_INTEGER = {
    "MAIL_PORT",
    "MAX_CONTENT_LENGTH",
    "CLUSTER_LOGIN_MAX_FAILURES",
    "CLUSTER_LOGIN_WINDOW_MINUTES",
    "CLUSTER_LOGIN_MAX_FAILURES_PER_IP",
    "CLUSTER_UPLOAD_MAX_BYTES",
    "CLUSTER_PROXY_FIX",
    "CLUSTER_DB_POOL_SIZE",
    "CLUSTER_DB_MAX_OVERFLOW",
    "CLUSTER_DB_POOL_TIMEOUT",
    "CLUSTER_DB_POOL_RECYCLE",
}


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "SECRET_KEY": DEV_SECRET_KEY,
        "DATABASE_URL": f"sqlite:///{Path(instance_path) / 'cluster.sqlite3'}",
        "CLUSTER_PRODUCTION": False,
        "CLUSTER_BASE_URL": "http://127.0.0.1:5000",
        "CLUSTER_OUTBOX": str(Path(instance_path) / "outbox"),
        "CLUSTER_UPLOADS": str(Path(instance_path) / "uploads"),
        "CLUSTER_UPLOAD_MAX_BYTES": 20 * 1024 * 1024,
        "CLUSTER_LOGIN_MAX_FAILURES": 5,
        "CLUSTER_LOGIN_WINDOW_MINUTES": 15,
        # Failures from one address across all accounts before that address is slowed down.
        "CLUSTER_LOGIN_MAX_FAILURES_PER_IP": 50,
        "MAIL_BACKEND": "file",
        "MAIL_SERVER": None,
        "MAIL_PORT": 25,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_DEFAULT_SENDER": "cluster <no-reply@cluster.example>",
        "MAX_CONTENT_LENGTH": 25 * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host/-Port
        # (werkzeug's ProxyFix trusts that many hops); 0 trusts none: the right answer without a proxy.
        "CLUSTER_PROXY_FIX": 0,
        # PostgreSQL connections per process: one per gunicorn thread (gunicorn.conf.py sets the
        # size to its thread count), a few more in a burst, and a recycle below the server's idle cut.
        "CLUSTER_DB_POOL_SIZE": 5,
        "CLUSTER_DB_MAX_OVERFLOW": 2,
        "CLUSTER_DB_POOL_TIMEOUT": 10,
        "CLUSTER_DB_POOL_RECYCLE": 1800,
    }


def _coerce(name: str, value: str) -> Any:
    if name in _BOOLEAN:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if name in _INTEGER:
        return int(value)
    return value


def from_environment(names: list[str]) -> dict[str, Any]:
    """Return the settings among ``names`` (plus any ``CLUSTER_*``) that the environment sets."""
    found = {}
    for name, value in os.environ.items():
        if name in names or name.startswith("CLUSTER_") or name.startswith("MAIL_"):
            found[name] = _coerce(name, value)
    if found.get("MAIL_SERVER") and "MAIL_BACKEND" not in found:
        found["MAIL_BACKEND"] = "smtp"
    return found


def finalise(config: dict[str, Any]) -> None:
    """Derive dependent settings and refuse unsafe production settings."""
    url = config["DATABASE_URL"]
    # Heroku-style URLs name the old driver; psycopg 3 is the one installed.
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("postgresql+psycopg://"):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True,
            "pool_size": config["CLUSTER_DB_POOL_SIZE"],
            "max_overflow": config["CLUSTER_DB_MAX_OVERFLOW"],
            "pool_timeout": config["CLUSTER_DB_POOL_TIMEOUT"],
            "pool_recycle": config["CLUSTER_DB_POOL_RECYCLE"],
            **config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
        }
    if (
        config.get("MAIL_SERVER")
        and config.get("MAIL_BACKEND") == "file"
        and "MAIL_BACKEND" not in os.environ
    ):
        config["MAIL_BACKEND"] = "smtp"
    if config["CLUSTER_PRODUCTION"]:
        if not config.get("SECRET_KEY") or config["SECRET_KEY"] == DEV_SECRET_KEY:
            raise RuntimeError(
                "Refusing to start in production with the development SECRET_KEY: set SECRET_KEY."
            )
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
