"""Test fixtures: a real database (SQLite, or PostgreSQL with CLUSTER_TEST_DATABASE_URL), a real
SMTP server on 127.0.0.1, and factories for the domain's objects.

The schema is built once per run by the migrations themselves; every test starts from empty
tables.
"""

from __future__ import annotations

import os
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import g, request_started

from cluster import create_app
from cluster.extensions import db
from tests.factories import Factory


class _Collector:
    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"


@pytest.fixture(scope="session")
def smtp_server():
    collector = _Collector()
    with socket.socket() as probe:  # a free port: aiosmtpd does not report the one it bound to
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, collector
    controller.stop()


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("CLUSTER_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory, smtp_server):
    controller, _ = smtp_server
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": _database_url(tmp_path_factory),
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": None,
            "CLUSTER_BASE_URL": "http://cluster.test",
            "CLUSTER_OUTBOX": str(instance / "outbox"),
            "CLUSTER_UPLOADS": str(instance / "uploads"),
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": controller.port,
        }
    )
    with app.app_context():
        _rebuild_schema()
    request_started.connect(_fresh_g, app)
    yield app


def _fresh_g(sender, **extra) -> None:
    """Give each test request a fresh ``g``, as in production.

    Tests keep an app context pushed (for factories and assertions); Flask then reuses it
    for test-client requests, so without this ``g`` (and Flask-Login's cached user, and the
    current organisation) would leak from one request into the next.
    """
    g.__dict__.clear()


def _rebuild_schema() -> None:
    """Drop everything, then build the schema with the migrations (so they are tested too)."""
    from flask_migrate import upgrade

    engine = db.engine
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        else:
            meta = sa.MetaData()
            meta.reflect(conn)
            meta.drop_all(conn)
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(revision="heads")  # every branch, while features land in parallel


def _empty_tables() -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            # Only the tables a test wrote to: those with rows, emptied children first, and those
            # whose id sequence has moved since it was last set back (so that ids start again at
            # 1). DELETE rather than TRUNCATE: on tables of a few rows it costs a quarter as much
            # (TRUNCATE gives every table it names new files), a tenth of a second a test.
            tables = db.metadata.sorted_tables
            moved = set(
                conn.execute(
                    sa.text(
                        "SELECT sequencename FROM pg_sequences "
                        "WHERE schemaname = current_schema() AND last_value IS NOT NULL"
                    )
                ).scalars()
            )
            filled = set(
                conn.execute(
                    sa.text(
                        " UNION ALL ".join(
                            f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables
                        )
                    )
                ).scalars()
            )
            for table in reversed(tables):
                if table.name in filled:
                    conn.execute(table.delete())
            sequences = [f"{t.name}_id_seq" for t in tables if f"{t.name}_id_seq" in moved]
            if sequences:
                conn.execute(
                    sa.text("SELECT " + ", ".join(f"setval('\"{name}\"', 1, false)" for name in sequences))
                )
        else:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture()
def app_context(app):
    with app.app_context():
        yield app
        _empty_tables()


@pytest.fixture()
def client(app_context):
    return app_context.test_client()


@pytest.fixture()
def make(app_context) -> Factory:
    return Factory()


@pytest.fixture()
def mailbox(smtp_server):
    _, collector = smtp_server
    with collector.lock:
        collector.messages.clear()
    return collector.messages


@pytest.fixture()
def csrf_on(app_context):
    app_context.config["WTF_CSRF_ENABLED"] = True
    yield
    app_context.config["WTF_CSRF_ENABLED"] = False


def sign_in_as(client, user) -> None:
    """Start a signed-in session for ``user`` without the cost of a password check."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


@pytest.fixture()
def login(client):
    def _login(user):
        sign_in_as(client, user)
        return client

    return _login
