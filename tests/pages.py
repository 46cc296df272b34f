"""Machinery shared by the gates that walk every route: the access matrix, bad input, query
counts and security headers.

Everything is derived from ``app.url_map`` and ``tests/access_registry.ROUTES``, so a new route
is covered by every gate as soon as it is registered there.

- :func:`rules` and :func:`rule_ids`: every (rule, method) of the app, and their test ids.
- :func:`route_url`: the URL of a rule for one organisation's objects.
- :class:`TwoOrganisations`: organisations A ("alpha") and B ("beta") from :func:`build_side`, plus a
  platform admin, built and rebuilt outside any request; it knows its row counts and its rows.
- :func:`page_cases` / :func:`get_pages`: every GET page × everyone who may ask for it.
- :func:`client_as`: a test client signed in as one of the world's people (or anonymous).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa
from flask import Flask

from tests.access_registry import ROLES, ROUTES, Route, Side, build_side
from tests.conftest import _empty_tables, sign_in_as
from tests.factories import Factory

ANONYMOUS = "anonymous"
PLATFORM = "platform_admin"
#: Everyone a page can be asked for by: nobody, each role in organisation A, a platform admin.
EVERYONE = (ANONYMOUS, *ROLES, PLATFORM)


def rules(app: Flask):
    """Every (rule, method) of ``app``, sorted by endpoint (HEAD and OPTIONS left out)."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


@lru_cache(maxsize=1)
def url_map_app() -> Flask:
    """An app with no database, only to list the routes at collection time."""
    from cluster import create_app

    return create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})


def rule_ids() -> list[str]:
    """``"METHOD endpoint"`` for every rule: test ids that exist before any database does."""
    return [f"{method} {rule.endpoint}" for rule, method in rules(url_map_app())]


def endpoints(method: str) -> list[str]:
    """Endpoints accepting ``method`` that are registered in ROUTES (the access matrix fails for
    the others, naming them; the gates cannot know their arguments)."""
    found = (case.split(" ", 1)[1] for case in rule_ids() if case.startswith(f"{method} "))
    return [endpoint for endpoint in found if endpoint in ROUTES]


def find_rule(app: Flask, endpoint: str, method: str = "GET"):
    return next(rule for rule, m in rules(app) if rule.endpoint == endpoint and m == method)


def route_url(app: Flask, rule, route: Route, side: Side, slug: str) -> str:
    """The URL of ``rule`` with the objects of ``side``, inside organisation ``slug``."""
    from flask import url_for

    with app.test_request_context():  # some arguments are looked up in the database
        values = dict(route.args(side))
        if "org_slug" in rule.arguments:
            values["org_slug"] = slug
        url = url_for(rule.endpoint, **values)
        query = route.query(side)
    return f"{url}?{query}" if query else url


def visitor(route: Route) -> str:
    """Who sees a route's page as it is meant to be used: anonymous for public pages, the
    platform admin for platform pages, otherwise the org admin (or the first allowed role)."""
    if route.public:
        return ANONYMOUS
    if route.platform:
        return PLATFORM
    return "admin" if "admin" in route.allowed else sorted(route.allowed)[0]


def askers(route: Route) -> tuple[str, ...]:
    """Everyone a page is asked for by in the page gates: anonymous and each role (allowed or
    not, so refusals are covered too), and the platform admin outside organisations (inside
    one they are a stranger, which the access matrix already covers)."""
    if route.in_organisation:
        return (ANONYMOUS, *ROLES)
    return EVERYONE


def page_cases(allowed_only: bool = False) -> list[tuple[str, str]]:
    """(endpoint, who) for every GET page; known at collection time. ``allowed_only``: only as
    those who may use the page (anonymous for public pages), not those refused."""
    cases = [(endpoint, who) for endpoint in endpoints("GET") for who in askers(ROUTES[endpoint])]
    if allowed_only:
        cases = [(endpoint, who) for endpoint, who in cases if _allowed(ROUTES[endpoint], who)]
    return cases


def _allowed(route: Route, who: str) -> bool:
    if route.public:
        return who == ANONYMOUS
    if route.platform:
        return who == PLATFORM
    if who == ANONYMOUS:
        return False
    return who == PLATFORM or not route.in_organisation or who in route.allowed


@dataclass(frozen=True)
class Page:
    endpoint: str
    who: str
    url: str

    def __str__(self) -> str:
        return f"GET {self.url} ({self.endpoint}) as {self.who}"


def _sqlite_without_fsync(dbapi_connection, connection_record) -> None:
    dbapi_connection.execute("PRAGMA synchronous=OFF")


class TwoOrganisations:
    """The matrix's dataset (organisations A and B, a person in each role) and a platform admin.

    It is built in an app context of its own and holds no ORM objects, only ids and tokens, so
    requests run as in production: each in a fresh app context, with a fresh session.
    """

    def __init__(self, app: Flask):
        self.app = app
        self.dirty = False
        self._no_fsync(True)
        self.build()

    def _no_fsync(self, on: bool) -> None:
        """On SQLite, commit without waiting for the disk while the world exists (a test database
        need not survive a power cut): the gates commit hundreds of times, and the wait for the
        disk would be most of their run time."""
        from cluster.extensions import db

        with self.app.app_context():
            engine = db.engine
            if engine.dialect.name != "sqlite":
                return
            if on:
                sa.event.listen(engine, "connect", _sqlite_without_fsync)
            elif sa.event.contains(engine, "connect", _sqlite_without_fsync):
                sa.event.remove(engine, "connect", _sqlite_without_fsync)
            engine.dispose()  # pooled connections are reopened with (or without) the setting

    def build(self) -> None:
        with self.app.app_context():
            make = Factory()
            self.a = build_side(make, "alpha")
            self.b = build_side(make, "beta")
            platform = make.user(
                None, email="platform@cluster.example", name="Platform Admin", platform_admin=True
            )
            self.user_ids = {who: user.id for who, user in self.a.users.items()}
            self.user_ids[PLATFORM] = platform.id
            self.foreign_user_ids = {who: user.id for who, user in self.b.users.items()}
        # Some routes' arguments are made on first use (a poll of the network): make them now, so
        # that they are part of the world from the start rather than appearing half way through.
        for rule, _method in rules(self.app):
            if rule.endpoint in ROUTES:
                for side in (self.a, self.b):
                    route_url(self.app, rule, ROUTES[rule.endpoint], side, side.slug)
        self.baseline = self.row_counts()
        self.as_built = self.contents()
        self.files_as_built = self._files()
        self.dirty = False

    def restore(self) -> None:
        """Rebuild if anything was written since the last build (or the caller said so); failed
        sign-ins alone are simply forgotten."""
        self.forget_logs()
        if self.dirty or self.row_counts() != self.baseline:
            self.reset()

    def restore_exactly(self) -> None:
        """Rebuild unless every row is as built (row counts alone miss a row changed in place);
        failed sign-ins alone are simply forgotten."""
        self.forget_logs()
        if self.dirty or self.contents() != self.as_built:
            self.reset()

    def forget_logs(self, tables: tuple[str, ...] = ("login_attempt",)) -> None:
        """Delete rows that only log (failed sign-ins), so lockouts do not carry over."""
        from cluster.extensions import db

        with self.app.app_context():
            for table in tables:
                db.session.execute(db.metadata.tables[table].delete())
            db.session.commit()

    def reset(self) -> None:
        """Back to the world as built: its rows put back as they were (a fifth of the cost of
        building it), or built again if that would not give the same world (a file it refers
        to has been deleted, or the rows do not come back exactly)."""
        self.empty()
        if self._put_back():
            self.dirty = False
            return
        self.empty()
        self.build()

    def _put_back(self) -> bool:
        from cluster.extensions import db

        if not all(path.is_file() for path in self.files_as_built):
            return False
        with self.app.app_context():
            tables = db.metadata.sorted_tables  # parents before children
            with db.engine.begin() as conn:
                for table in tables:
                    if rows := self.as_built[table.name]:
                        keys = [column.key for column in table.columns]
                        conn.execute(table.insert(), [dict(zip(keys, row)) for row in rows])
                if conn.dialect.name == "postgresql":  # ids go on from the world's, as after a build
                    numbered = [t.name for t in tables if self.as_built[t.name] and "id" in t.columns]
                    if numbered:
                        conn.execute(
                            sa.text(
                                "SELECT "
                                + ", ".join(
                                    f'setval(\'"{name}_id_seq"\', (SELECT max(id) FROM "{name}"))'
                                    for name in numbered
                                )
                            )
                        )
        return self.contents() == self.as_built

    def _files(self) -> set[Path]:
        """The uploaded files there are (the world's among them)."""
        root = Path(self.app.config["CLUSTER_UPLOADS"])
        return {path for path in root.rglob("*") if path.is_file()} if root.is_dir() else set()

    def empty(self) -> None:
        with self.app.app_context():
            _empty_tables()

    def destroy(self) -> None:
        self.empty()
        self._no_fsync(False)

    def row_counts(self) -> dict[str, int]:
        """The number of rows in every table."""
        from cluster.extensions import db

        with self.app.app_context():
            tables = db.metadata.sorted_tables
            query = sa.select(
                *(sa.select(sa.func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables)
            )
            row = db.session.execute(query).one()
            db.session.remove()
            return dict(row._mapping)

    def contents(self) -> dict[str, list[tuple]]:
        """Every row of every table, in primary key order (the world is small: a few hundred rows)."""
        from cluster.extensions import db

        with self.app.app_context():
            with db.engine.connect() as conn:
                found = {
                    t.name: [
                        tuple(row) for row in conn.execute(sa.select(t).order_by(*t.primary_key.columns))
                    ]
                    for t in db.metadata.sorted_tables
                }
            db.session.remove()
            return found

    def url(self, endpoint: str, method: str = "GET", *, app: Flask | None = None) -> str:
        app = app or self.app
        return route_url(app, find_rule(app, endpoint, method), ROUTES[endpoint], self.a, self.a.slug)


def client_as(app: Flask, world: TwoOrganisations, who: str):
    """A test client of ``app`` signed in as ``who`` of organisation A (or the platform admin)."""
    client = app.test_client()
    if who != ANONYMOUS:
        sign_in_as(client, SimpleNamespace(id=world.user_ids[who]))
    return client


def get_pages(app: Flask, world: TwoOrganisations, allowed_only: bool = False) -> Iterator[Page]:
    """Every GET page of the matrix for organisation A, as everyone who may ask for it (or only
    those allowed to use it)."""
    for endpoint, who in page_cases(allowed_only):
        yield Page(endpoint, who, world.url(endpoint, app=app))


def get_page(app: Flask, world: TwoOrganisations, endpoint: str, who: str) -> Page:
    return Page(endpoint, who, world.url(endpoint, app=app))
