"""People of the organisation: the org admin's list, invitations and each person's place."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from cluster.auth.models import Invitation
from cluster.auth.services import create_invitation, pending_invitations, revoke_invitation
from cluster.extensions import db
from cluster.people import services
from cluster.people.forms import InviteForm, MembershipForm
from cluster.people.invitations import send_invitation
from cluster.schools.models import School
from cluster.tenancy.access import get_for_organisation, org_admin_required
from cluster.tenancy.models import Membership
from cluster.ui.paging import requested_page

bp = Blueprint("people", __name__, url_prefix="/people")


@bp.get("")
@org_admin_required
def index():
    search = request.args.get("q", "").strip()[:100]
    return render_template(
        "people/index.html",
        page=services.people_page(g.organisation, requested_page(), search),
        invitations=pending_invitations(g.organisation),
        search=search,
    )


@bp.route("/invite", methods=["GET", "POST"])
@org_admin_required
def invite():
    form = InviteForm()
    form.school_id.choices = services.school_choices(g.organisation)
    if form.validate_on_submit():
        if services.already_member(g.organisation, form.email.data):
            form.email.errors.append(f"{form.email.data} is already in {g.organisation.name}")
        else:
            school = get_for_organisation(School, form.school_id.data) if form.school_id.data else None
            invitation, token = create_invitation(
                g.organisation,
                form.email.data,
                current_user,
                is_admin=form.is_admin.data,
                school_id=school.id if school else None,
                job_title=form.job_title.data or "",
            )
            db.session.commit()
            send_invitation(invitation, token)
            flash(f"Invitation sent to {invitation.email}. The link works for 7 days.", "success")
            return redirect(url_for(".index"))
    return render_template("people/invite.html", form=form)


@bp.route("/<int:membership_id>", methods=["GET", "POST"])
@org_admin_required
def edit(membership_id: int):
    membership = get_for_organisation(Membership, membership_id, joinedload(Membership.user))
    form = MembershipForm(
        data=None
        if request.method == "POST"
        else {
            "school_id": str(membership.school_id or ""),
            "job_title": membership.job_title,
            "is_admin": membership.is_admin,
        }
    )
    form.school_id.choices = services.school_choices(g.organisation)
    if form.validate_on_submit():
        if membership.is_admin and not form.is_admin.data and services.admin_count(g.organisation) <= 1:
            form.is_admin.errors.append(
                "An organisation needs at least one admin: appoint another admin first"
            )
        else:
            school_id = get_for_organisation(School, form.school_id.data).id if form.school_id.data else None
            services.update_membership(
                membership,
                school_id=school_id,
                job_title=form.job_title.data or "",
                is_admin=form.is_admin.data,
            )
            db.session.commit()
            flash(f"Saved {membership.user.name}.", "success")
            return redirect(url_for(".index"))
    return render_template("people/edit.html", form=form, person=membership)


@bp.post("/invitations/<int:invitation_id>/revoke")
@org_admin_required
def revoke(invitation_id: int):
    invitation = get_for_organisation(Invitation, invitation_id)
    revoke_invitation(invitation)
    db.session.commit()
    flash(f"The invitation to {invitation.email} no longer works.", "success")
    return redirect(url_for(".index"))
