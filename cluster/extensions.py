"""Extension objects, created here and bound to the app in ``create_app``."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC datetime on every engine.

    PostgreSQL keeps the offset itself; SQLite has no such type, so values are stored as
    naive UTC and given back their UTC zone when read. Naive values are refused so that
    a local time can never be stored by mistake.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

#: Indexes that exist on one database only, made by hand in their migration (the models cannot
#: declare them portably): PostgreSQL's full-text index of the resource library.
DATABASE_SPECIFIC_INDEXES = frozenset({"ix_resource_search_fts"})


def include_in_migrations(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's ``include_object``: autogenerate leaves the database-specific indexes alone."""
    return not (type_ == "index" and name in DATABASE_SPECIFIC_INDEXES)


migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()


def utcnow() -> datetime:
    return datetime.now(UTC)
