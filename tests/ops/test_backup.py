"""``flask --app cluster backup``: back up a populated database, restore it into an empty one, and
find the same rows (counts of every table, checksums of a few) — on whichever database the suite
runs on (SQLite: the online backup API; PostgreSQL: pg_dump and pg_restore)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from cluster.extensions import db
from cluster.ops.backup import libpq_url
from cluster.schools.models import School

#: Tables whose every row is hashed in primary-key order (a count alone misses changed values).
CHECKSUMMED = {
    "user": 'SELECT id, email, name, password_hash, created_at FROM "user" ORDER BY id',
    "meeting": "SELECT id, network_id, title, starts_at, ends_at, status, uid, sequence FROM meeting ORDER BY id",
    "resource": "SELECT id, organisation_id, title, kind, area_of_need FROM resource ORDER BY id",
}


def _populate(make) -> None:
    org = make.organisation(slug="northbrook", name="Northbrook Council")
    schools = [make.school(org, name=f"School {n} — Ünïcode") for n in range(3)]
    members = [make.user(org, email=f"senco{n}@northbrook.example", school=schools[n]) for n in range(3)]
    organiser = make.user(org, email="organiser@northbrook.example")
    network = make.network(org, schools=schools, organisers=[organiser])
    for days in (-30, 7, 21):
        make.meeting(network, days_ahead=days, status="held" if days < 0 else "scheduled")
    make.agenda_item(network, members[0], school=schools[0], title="Exam access arrangements")
    make.resource(network, members[1], title="Provision map", file_name="map.txt", data=b"provision map")
    db.session.commit()


def _snapshot(connection) -> tuple[dict[str, int], dict[str, str]]:
    tables = sorted(sa.inspect(connection).get_table_names())
    counts = {
        name: connection.execute(sa.text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in tables
    }
    sums = {}
    for name, query in CHECKSUMMED.items():
        digest = hashlib.sha256()
        for row in connection.execute(sa.text(query)):
            digest.update(repr(tuple(row)).encode())
        sums[name] = digest.hexdigest()
    return counts, sums


@contextmanager
def _restored(backup: Path, tmp_path: Path):
    """An engine on a fresh database holding the restored backup (dropped afterwards)."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        target = tmp_path / "restored.sqlite3"
        shutil.copyfile(backup, target)  # restoring a SQLite backup is putting the file in place
        engine = sa.create_engine(f"sqlite:///{target}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    name = f"cluster_restore_test_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    restored_url = url.set(database=name)
    engine = sa.create_engine(restored_url)
    try:
        dsn, env = libpq_url(restored_url)
        done = subprocess.run(
            [shutil.which("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", dsn, str(backup)],
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_backup_restores_into_an_empty_database_with_every_row(app_context, make, tmp_path):
    if db.engine.url.get_backend_name() == "postgresql" and not (
        shutil.which("pg_dump") and shutil.which("pg_restore")
    ):
        pytest.skip("pg_dump and pg_restore are not installed")
    _populate(make)
    with db.engine.connect() as conn:
        before = _snapshot(conn)
    backup = tmp_path / "cluster.backup"

    result = app_context.test_cli_runner().invoke(args=["backup", str(backup)])

    assert result.exit_code == 0, result.output
    assert "Backed up the database" in result.output
    with _restored(backup, tmp_path) as engine, engine.connect() as conn:
        after = _snapshot(conn)
    assert after == before
    counts, _ = after
    assert (
        counts["user"] == 4
        and counts["meeting"] == 3
        and counts["resource"] == 1
        and counts["alembic_version"] >= 1
    )


def test_the_backup_is_taken_while_the_database_is_in_use(app_context, make, tmp_path):
    """An open transaction holding uncommitted rows neither blocks the backup nor ends up in it."""
    if db.engine.url.get_backend_name() == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    org = make.organisation(slug="eastwick")
    backup = tmp_path / "busy.backup"
    writer = db.engine.connect()
    writer.begin()  # another process's write transaction, open during the backup
    writer.execute(
        sa.insert(School.__table__).values(
            organisation_id=org.id, urn="999999", name="Uncommitted Primary", phase="Primary"
        )
    )
    try:
        result = app_context.test_cli_runner().invoke(args=["backup", str(backup)])
    finally:
        writer.rollback()
        writer.close()

    assert result.exit_code == 0, result.output
    with _restored(backup, tmp_path) as engine, engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM organisation")).scalar_one() == 1
        assert conn.execute(sa.text("SELECT count(*) FROM school")).scalar_one() == 0


def test_an_existing_file_is_not_overwritten_without_force(app_context, tmp_path):
    if db.engine.url.get_backend_name() == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    backup = tmp_path / "kept.backup"
    backup.write_bytes(b"yesterday's backup")
    runner = app_context.test_cli_runner()

    refused = runner.invoke(args=["backup", str(backup)])
    assert refused.exit_code != 0 and "--force" in refused.output
    assert backup.read_bytes() == b"yesterday's backup"

    replaced = runner.invoke(args=["backup", "--force", str(backup)])
    assert replaced.exit_code == 0, replaced.output
    assert backup.read_bytes() != b"yesterday's backup"


def test_a_sqlite_backup_is_a_valid_database_file(app_context, make, tmp_path):
    if db.engine.url.get_backend_name() != "sqlite":
        pytest.skip("the SQLite online backup only")
    make.organisation(slug="northbrook")
    db.session.commit()
    backup = tmp_path / "copy.sqlite3"
    app_context.test_cli_runner().invoke(args=["backup", str(backup)])
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT slug FROM organisation").fetchall() == [("northbrook",)]
    assert not (tmp_path / "copy.sqlite3.partial").exists()
