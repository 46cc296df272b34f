"""The shape of the code: domains plug in only through their registration, and nothing imports
around the layers (lint-imports checks the layers themselves, in ``make lint``)."""

from __future__ import annotations

import ast
import types
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Blueprint, Flask

from cluster import create_app, web
from cluster.agenda.matters import MATTERS_ARISING_SOURCES, add_matters_arising_source
from cluster.digests.sections import SECTIONS, add_section
from cluster.feeds.sources import DAY_SOURCES, EVENT_SOURCES, add_day_source
from cluster.jobs.registry import add_job, registered_jobs
from cluster.meetings.views import MEETING_PANELS

PACKAGE = Path(__file__).resolve().parent.parent / "cluster"


def _app(tmp_path, **config) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            **config,
        }
    )


# A domain as a later issue would write it: its contributions, and the one function that plugs them in.
def _nothing_new(batch):
    return {}


def _no_days(connection, network_ids, since):
    return []


def _no_matters(network, meeting):
    return []


def _tidy(now):
    """Tidy up."""


def _register(app: Flask, pages: Blueprint) -> None:
    add_section(app, "new", _nothing_new, name="example.nothing_new")
    add_job(app, "example-tidy", _tidy, every=timedelta(hours=1))
    add_day_source(app, "example", _no_days)
    add_matters_arising_source(app, "example", _no_matters)
    MEETING_PANELS.add_panel(app, "example", "example/_panel.html", lambda meeting, access: None)


EXAMPLE = types.SimpleNamespace(__name__="cluster.example", register=_register)


def _contributions(app: Flask) -> dict[str, set[str]]:
    with app.app_context():
        return {
            "sections": set(SECTIONS.entries()),
            "jobs": set(registered_jobs()),
            "day sources": set(DAY_SOURCES.entries()),
            "matters": set(MATTERS_ARISING_SOURCES.entries()),
            "meeting panels": set(MEETING_PANELS.entries()),
        }


def test_a_domain_contributes_only_through_its_registration(tmp_path, monkeypatch):
    plain = _contributions(_app(tmp_path))
    assert "example.nothing_new" not in plain["sections"] and "example-tidy" not in plain["jobs"]

    monkeypatch.setattr(web, "DOMAINS", (*web.DOMAINS, EXAMPLE))
    extended = _contributions(_app(tmp_path))
    assert extended == {
        "sections": plain["sections"] | {"example.nothing_new"},
        "jobs": plain["jobs"] | {"example-tidy"},
        "day sources": plain["day sources"] | {"example"},
        "matters": plain["matters"] | {"example"},
        "meeting panels": plain["meeting panels"] | {"example"},
    }
    # Each app keeps its own: the app built before the example domain existed is unchanged.
    monkeypatch.setattr(web, "DOMAINS", web.DOMAINS[:-1])
    assert _contributions(_app(tmp_path)) == plain


def test_every_contribution_comes_from_a_registered_domain(app):
    """What the registries hold is each domain's own code, under the domain's package."""
    packages = {domain.__name__ for domain in web.DOMAINS} | {"cluster.jobs"}
    with app.app_context():
        functions = [
            *(section.fn for section in SECTIONS.entries().values()),
            *(job.fn for job in registered_jobs().values()),
            *EVENT_SOURCES.entries().values(),
            *DAY_SOURCES.entries().values(),
            *MATTERS_ARISING_SOURCES.entries().values(),
            *(panel.load for panel in MEETING_PANELS.entries().values()),
        ]
    assert functions
    for fn in functions:
        assert ".".join(fn.__module__.split(".")[:2]) in packages, fn


def test_registering_a_name_twice_is_refused(app):
    with pytest.raises(ValueError, match="registered twice"):
        add_section(app, "new", _nothing_new, name="meetings.programme")


def _python_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_import_of_the_package_hides_inside_a_function():
    """Imports of ``cluster`` modules are at the top of their module, where the layers contract and
    a reader see them (one inside a function usually dodges a cycle)."""
    hidden = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("cluster"):
                        hidden.append(f"{path.relative_to(PACKAGE.parent)}:{inner.lineno}")
                    if isinstance(inner, ast.Import) and any(
                        a.name.startswith("cluster") for a in inner.names
                    ):
                        hidden.append(f"{path.relative_to(PACKAGE.parent)}:{inner.lineno}")
    assert hidden == []


def test_nothing_is_found_by_file_name():
    """Plug-ins are registered, never discovered: no module walks packages or imports by name."""
    finders = ("pkgutil", "import_module", "__import__", "iter_modules", "find_spec")
    found = [
        f"{path.relative_to(PACKAGE.parent)}: {word}"
        for path in _python_files()
        for word in finders
        if word in path.read_text()
    ]
    assert found == []
