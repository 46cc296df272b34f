"""Sign in and out, forgotten passwords, and accepting invitations."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from cluster.auth import notify, services
from cluster.auth.forms import (
    AcceptInvitationForm,
    JoinWithPasswordForm,
    NewPasswordForm,
    ResetRequestForm,
    SignInForm,
)
from cluster.auth.passwords import verify_password
from cluster.extensions import db

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site may be the place to go after signing in."""
    if not target:
        return None
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return None
    return target


def lockout_policy() -> services.LockoutPolicy:
    config = current_app.config
    return services.LockoutPolicy(
        max_failures=config["CLUSTER_LOGIN_MAX_FAILURES"],
        window=timedelta(minutes=config["CLUSTER_LOGIN_WINDOW_MINUTES"]),
        max_failures_per_ip=config["CLUSTER_LOGIN_MAX_FAILURES_PER_IP"],
    )


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                form.email.data, form.password.data, request.remote_addr or "", lockout_policy()
            )
        except services.SignInRefused as refusal:
            db.session.commit()  # keep the record of the failure
            error = str(refusal)
        else:
            db.session.commit()
            next_page = _safe_next(request.args.get("next"))
            session.clear()
            login_user(user)
            return redirect(next_page or url_for("main.index"))
    status = 429 if error and "Too many" in error else 200
    return render_template("auth/sign_in.html", form=form, error=error), status


@bp.post("/sign-out")
def sign_out():
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.get("/no-organisation")
@login_required
def no_organisation():
    return render_template("auth/no_organisation.html")


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        found = services.request_password_reset(form.email.data)
        db.session.commit()
        if found:
            user, token = found
            notify.send_reset_link(user, token)
        # The same answer whether or not the account exists.
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    reset = services.find_open_reset(token)
    if reset is None:
        return render_template("auth/link_invalid.html", what="password reset link"), 404
    form = NewPasswordForm()
    form._email = reset.user.email
    if form.validate_on_submit():
        services.complete_password_reset(reset, form.password.data)
        db.session.commit()
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = services.find_open_invitation(token)
    if invitation is None:
        return render_template("auth/link_invalid.html", what="invitation"), 404
    user = services.existing_user(invitation.email)
    if user is not None:
        form = JoinWithPasswordForm()
        if form.validate_on_submit():
            if verify_password(user.password_hash, form.password.data):
                services.accept_invitation(invitation, user=user)
                db.session.commit()
                return _welcome(user, invitation)
            form.password.errors.append("Enter the password of the account for " + invitation.email)
        return render_template("auth/accept_existing.html", form=form, invitation=invitation)
    form = AcceptInvitationForm()
    form._email = invitation.email
    if form.validate_on_submit():
        user = services.accept_invitation(invitation, name=form.name.data, password=form.password.data)
        db.session.commit()
        return _welcome(user, invitation)
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation)


def _welcome(user, invitation):
    session.clear()
    login_user(user)
    flash(f"Welcome to {invitation.organisation.name}.", "success")
    return redirect(url_for("org.home.index", org_slug=invitation.organisation.slug))
