"""The migrations build exactly the schema the models describe, on this run's database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cluster.extensions import db, include_in_migrations


def test_models_and_migrations_agree(app_context):
    # The session's schema was built by `flask db upgrade` (see conftest); autogenerate must find nothing.
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_in_migrations}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == [], (
        f"models and migrations differ: {differences}. Run `flask --app cluster db migrate`."
    )
