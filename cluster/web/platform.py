"""The platform admin's pages: every organisation, and creating one with its first admin."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from cluster.auth.services import create_invitation
from cluster.extensions import db
from cluster.people.invitations import send_invitation
from cluster.tenancy import services
from cluster.tenancy.access import platform_admin_required
from cluster.web.forms import OrganisationForm

bp = Blueprint("platform", __name__, url_prefix="/platform")


@bp.get("/organisations")
@platform_admin_required
def organisations():
    return render_template("platform/organisations.html", organisations=services.organisations_with_counts())


@bp.route("/organisations/new", methods=["GET", "POST"])
@platform_admin_required
def new_organisation():
    form = OrganisationForm()
    if form.validate_on_submit():
        if services.slug_taken(form.slug.data):
            form.slug.errors.append("That short name is already used by another organisation")
        else:
            organisation = services.create_organisation(form.name.data, form.slug.data, form.kind.data)
            invitation, token = create_invitation(
                organisation, form.admin_email.data, current_user, is_admin=True
            )
            db.session.commit()
            send_invitation(invitation, token)
            flash(
                f"{organisation.name} created. An invitation is on its way to {invitation.email}.", "success"
            )
            return redirect(url_for("platform.organisations"))
    return render_template("platform/new_organisation.html", form=form)
