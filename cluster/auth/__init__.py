"""Accounts: sign-in, passwords, invitations and password resets."""

from __future__ import annotations

from flask import Blueprint, Flask

from cluster.auth import views


def register(app: Flask, pages: Blueprint) -> None:
    """The sign-in, invitation and password pages (outside any organisation)."""
    app.register_blueprint(views.bp)
