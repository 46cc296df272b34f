"""Create a PostgreSQL database if it is missing (``make serve``, ``make bench``):
``python -m cluster.ops.database postgresql://postgres@127.0.0.1/cluster_serve``."""

from __future__ import annotations

import sys

import sqlalchemy as sa
from sqlalchemy.engine import make_url


def ensure_database(url: str, *, fresh: bool = False) -> bool:
    """Create the database named in ``url`` (PostgreSQL) unless it exists; with ``fresh``, drop it
    first. Returns True if it was created. SQLite files are created on first use: nothing to do."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return False
    parsed = parsed.set(drivername="postgresql+psycopg")
    name = parsed.database
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if fresh:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
                return False
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            return True
    finally:
        admin.dispose()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--fresh"]
    if len(args) != 1:
        sys.exit("usage: python -m cluster.ops.database [--fresh] DATABASE_URL")
    created = ensure_database(args[0], fresh="--fresh" in sys.argv[1:])
    print(f"Created the database {make_url(args[0]).database}." if created else "The database exists.")
