"""People: the organisation's members, their roles and schools, and invitations."""

from __future__ import annotations

from flask import Blueprint, Flask

from cluster.people import views


def register(app: Flask, pages: Blueprint) -> None:
    """The people and invitations pages."""
    pages.register_blueprint(views.bp)
