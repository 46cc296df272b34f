"""Schools: the organisation's directory, entered by hand or imported from GIAS."""

from __future__ import annotations

from flask import Blueprint, Flask

from cluster.schools import views
from cluster.schools.cli import schools_cli


def register(app: Flask, pages: Blueprint) -> None:
    """The schools pages, and ``flask schools import-gias``."""
    pages.register_blueprint(views.bp)
    app.cli.add_command(schools_cli)
