"""Friendly error pages: the same layout as every page, never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from cluster.extensions import db

MESSAGES = {
    400: ("Something was wrong with that request", "Go back, reload the page and try again."),
    403: (
        "You do not have permission to do that",
        "Ask an organiser or your organisation's admin if you think you should.",
    ),
    404: ("Page not found", "Check the address, or go back to your home page."),
    405: ("That action is not available here", "Go back and use the buttons on the page."),
    413: ("That upload is too large", "Choose a smaller file and try again."),
    429: ("Too many requests", "Wait a few minutes and try again."),
    500: (
        "Sorry, there is a problem with the service",
        "Try again later. Nothing you had saved has been lost.",
    ),
}


def render_error(code: int, detail: str | None = None):
    title, advice = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, advice=detail or advice), code


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400, "The form had expired or was not sent from this site. Reload the page and try again."
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("unhandled error")

        db.session.rollback()
        return render_error(500)
