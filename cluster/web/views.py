"""Pages outside any organisation: the front door, the switcher and the health check."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, request, session, url_for
from flask_login import current_user, login_required

from cluster.extensions import db
from cluster.tenancy.models import Membership, Organisation

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def index():
    """Send a signed-in user to the organisation they used last (or their first)."""
    slugs = db.session.scalars(
        sa.select(Organisation.slug)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == current_user.id)
        .order_by(Organisation.name)
    ).all()
    if session.get("organisation") in slugs:
        return redirect(url_for("org.tenancy.home", org_slug=session["organisation"]))
    if slugs:
        return redirect(url_for("org.tenancy.home", org_slug=slugs[0]))
    if current_user.is_platform_admin:
        return redirect(url_for("platform.organisations"))
    return redirect(url_for("auth.no_organisation"))


@bp.get("/switch")
@login_required
def switch():
    """The organisation switcher (a plain GET form, so it works without JavaScript)."""
    slug = request.args.get("organisation", "")
    belongs = db.session.scalar(
        sa.select(Membership.id)
        .join(Organisation, Membership.organisation_id == Organisation.id)
        .where(Organisation.slug == slug, Membership.user_id == current_user.id)
    )
    if belongs is None:
        abort(404)
    return redirect(url_for("org.tenancy.home", org_slug=slug))


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception:
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
