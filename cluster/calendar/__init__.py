"""The organisation's calendar: terms, holidays, INSET days, and bank holidays."""

from __future__ import annotations

from flask import Blueprint, Flask

from cluster.calendar import views


def register(app: Flask, pages: Blueprint) -> None:
    """The term dates pages."""
    pages.register_blueprint(views.bp)
