"""Security headers on every response, with a per-request nonce for the one inline script; and
form and query values without control characters."""

from __future__ import annotations

import secrets

from flask import Flask, Request, Response, current_app, g
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

from cluster.ui.fields import without_control_characters


class _CleanValues(ImmutableMultiDict):
    """Submitted values without control characters: nobody types them, PostgreSQL refuses NUL in
    text (a 500 on any query that mentions it), and terminals obey them when logs are read."""

    def __init__(self, mapping=None):
        if mapping is not None:
            pairs = (
                MultiDict(mapping).items(multi=True) if isinstance(mapping, (dict, MultiDict)) else mapping
            )
            mapping = [
                (key, without_control_characters(value) if isinstance(value, str) else value)
                for key, value in pairs
            ]
        super().__init__(mapping)


class CleanRequest(Request):
    parameter_storage_class = _CleanValues
    url_parameter_storage_class = _CleanValues


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def add_security_headers(response: Response) -> Response:
    nonce = g.get("csp_nonce")
    script_src = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; "
        f"script-src {script_src}; "
        "style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if current_app.config["CLUSTER_PRODUCTION"]:
        response.headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
    return response


def init_security(app: Flask) -> None:
    app.request_class = CleanRequest
    app.after_request(add_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
