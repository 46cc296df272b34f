"""Pages outside any organisation: the front door, the switcher and the health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, jsonify, redirect, request, session, url_for
from flask_login import current_user, login_required

from cluster.extensions import db
from cluster.jobs import scheduler_heartbeat_age
from cluster.jobs.heartbeat import STALE_AFTER
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
        return redirect(url_for("org.home.index", org_slug=session["organisation"]))
    if slugs:
        return redirect(url_for("org.home.index", org_slug=slugs[0]))
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
    return redirect(url_for("org.home.index", org_slug=slug))


@bp.get("/healthz")
def healthz():
    """For load balancers and monitoring. 200 while the database answers, 503 when it does not.

    A stale scheduler heartbeat (no scheduler for three minutes) reports ``"status": "degraded"``
    but stays 200: a load balancer must not take every app server out of service because the
    one scheduler stopped. Monitoring asks ``?require=scheduler`` to get a 503 for that too.
    """
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return {"status": "error", "database": "unreachable"}, 503

    age = scheduler_heartbeat_age()
    fresh = age is not None and age < STALE_AFTER
    body = {
        "status": "ok" if fresh else "degraded",
        "database": "ok",
        "scheduler": {
            "heartbeat_age_seconds": None if age is None else round(age.total_seconds()),
            "fresh": fresh,
        },
    }
    required = {part.strip() for part in request.args.get("require", "").split(",") if part.strip()}
    status = 503 if "scheduler" in required and not fresh else 200
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
