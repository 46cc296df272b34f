"""The organisation in the URL (``/o/<slug>/...``), resolved once per request onto ``g``.

Every tenant page is a child of the blueprint :func:`organisation_blueprint` makes. Anonymous visitors are sent to sign in;
a signed-in user who does not belong to the organisation gets 404, the same answer as for
an organisation that does not exist.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, session
from flask_login import current_user

from cluster.extensions import login_manager


def organisation_blueprint() -> Blueprint:
    """The parent of every tenant page (a new one per app, since a blueprint's setup is frozen
    once it is registered): domains add their pages to it, then the app registers it."""
    org_bp = Blueprint("org", __name__, url_prefix="/o/<org_slug>")
    org_bp.url_value_preprocessor(pull_organisation_slug)
    org_bp.before_request(load_organisation)
    return org_bp


def pull_organisation_slug(endpoint, values):
    g.org_slug = values.pop("org_slug", None) if values else None


def load_organisation():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    # The user's memberships came with them (``load_user``): no statement of its own.
    membership = next((m for m in current_user.memberships if m.organisation.slug == g.org_slug), None)
    if membership is None:
        abort(404)
    g.membership = membership
    g.organisation = membership.organisation
    session["organisation"] = membership.organisation.slug


def add_organisation_slug(endpoint: str, values: dict) -> None:
    """Fill in ``org_slug`` for ``url_for`` inside an organisation's pages."""
    if "org_slug" in values or not g.get("organisation"):
        return
    if current_app.url_map.is_endpoint_expecting(endpoint, "org_slug"):
        values["org_slug"] = g.organisation.slug
