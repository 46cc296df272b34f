"""``flask --app cluster backup PATH``: a consistent copy of the database, taken while it is in use.

- SQLite: SQLite's online backup API (``sqlite3.Connection.backup``) copies the file page by
  page under its own locking, so writers carry on and the copy is a valid database as of one
  moment. Restore by stopping the app and putting the copy in place of the database file.
- PostgreSQL: ``pg_dump --format=custom`` (one snapshot, also while the app runs). Restore into
  an empty database with ``pg_restore --no-owner --dbname <url> PATH`` (see README, "Deploying").

Uploaded files are not in the database: back up ``CLUSTER_UPLOADS`` alongside (files are stored
by content hash and never changed, so an incremental copy such as ``rsync`` is enough).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.engine import URL, make_url

from cluster.extensions import db


class BackupError(Exception):
    """A backup that could not be taken, with a message for the operator."""


def backup_database(url: str | URL, target: Path) -> str:
    """Copy the database at ``url`` to ``target`` (which must not exist); returns how it was done."""
    url = make_url(url)
    if url.get_backend_name() == "sqlite":
        return _backup_sqlite(url, target)
    if url.get_backend_name() == "postgresql":
        return _backup_postgresql(url, target)
    raise BackupError(f"no backup method for {url.get_backend_name()} databases")


def _backup_sqlite(url: URL, target: Path) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    source_path = Path(url.database)
    if not source_path.exists():
        raise BackupError(f"no database file at {source_path}")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    partial = target.with_name(target.name + ".partial")
    try:
        copy = sqlite3.connect(partial)
        try:
            with copy:
                source.backup(copy, pages=1024)  # in steps, so writers are not held up for long
            check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            copy.close()
    finally:
        source.close()
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"the copy failed SQLite's integrity check: {check}")
    partial.replace(target)
    return "SQLite online backup"


def libpq_url(url: URL) -> tuple[str, dict[str, str]]:
    """The URL for libpq's tools (without the driver name and without the password, which goes in
    the environment so that it is not shown by ``ps``), and that environment."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _backup_postgresql(url: URL, target: Path) -> str:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client)")
    dsn, env = libpq_url(url)
    partial = target.with_name(target.name + ".partial")
    done = subprocess.run(
        [pg_dump, "--format=custom", "--no-owner", "--file", str(partial), dsn],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    partial.replace(target)
    return "pg_dump --format=custom"


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
def backup_command(path: Path, force: bool) -> None:
    """Back up the database to PATH while the app runs (SQLite: online backup API; PostgreSQL:
    pg_dump's custom format, restored with pg_restore)."""
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists: choose a new name, or add --force to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    db.session.remove()
    try:
        how = backup_database(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up the database to {path} ({how}, {path.stat().st_size:,} bytes).")
