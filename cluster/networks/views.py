"""Networks: the list, each network's page, and its admin (schools, organisers, observers, invitations)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from cluster.auth.models import User
from cluster.auth.services import create_invitation
from cluster.extensions import db
from cluster.networks import services
from cluster.networks.access import load_network
from cluster.networks.forms import AppointForm, NetworkForm, NetworkInviteForm
from cluster.networks.models import Network, NetworkRole, NetworkSchool
from cluster.people.invitations import send_invitation
from cluster.people.services import already_member, school_choices
from cluster.schools.models import School
from cluster.tenancy.access import get_for_organisation, org_admin_required, scoped
from cluster.tenancy.models import Membership

bp = Blueprint("networks", __name__, url_prefix="/networks")


@bp.get("")
def index():
    return render_template("networks/index.html", networks=services.visible_networks(g.membership))


@bp.get("/<int:network_id>")
def show(network_id: int):
    network, access = load_network(network_id)
    appoint_form = None
    if access.can_administer:
        appoint_form = AppointForm()
        appoint_form.user_id.choices = _people_choices()
    return render_template(
        "networks/show.html",
        network=network,
        access=access,
        people=services.network_people(network),
        appoint_form=appoint_form,
    )


@bp.route("/new", methods=["GET", "POST"])
@org_admin_required
def new():
    return _edit(None)


@bp.route("/<int:network_id>/edit", methods=["GET", "POST"])
def edit(network_id: int):
    network, _ = load_network(network_id, "administer")
    return _edit(network)


def _edit(network: Network | None):
    form = NetworkForm(obj=network if request.method == "GET" else None)
    form.school_ids.choices = [c for c in school_choices(g.organisation) if c[0]]
    if request.method == "GET" and network is not None:
        form.school_ids.data = [str(s.id) for s in network.schools]
    if form.validate_on_submit():
        if services.name_taken(g.organisation, form.name.data, exclude=network):
            form.name.errors.append(f"{g.organisation.name} already has a network called {form.name.data}")
        else:
            if network is None:
                network = services.create_network(g.organisation, form.name.data, form.description.data or "")
            else:
                network.name, network.description = (
                    form.name.data.strip(),
                    (form.description.data or "").strip(),
                )
            chosen = [int(i) for i in form.school_ids.data or []]
            schools = db.session.scalars(scoped(School).where(School.id.in_(chosen))).all() if chosen else []
            services.set_member_schools(network, list(schools))
            db.session.commit()
            flash(f"Saved {network.name}.", "success")
            return redirect(url_for(".show", network_id=network.id))
    return render_template("networks/edit.html", form=form, network=network)


def _people_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        sa.select(User.id, User.name, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == g.organisation.id)
        .order_by(User.name)
    )
    return [("", "Choose a person")] + [(str(i), f"{name} ({email})") for i, name, email in rows]


@bp.post("/<int:network_id>/roles")
def appoint(network_id: int):
    network, access = load_network(network_id, "administer")
    form = AppointForm()
    form.user_id.choices = _people_choices()
    if form.validate_on_submit():
        user = db.session.get(User, int(form.user_id.data))
        services.appoint(network, user, form.role.data)
        db.session.commit()
        flash(f"{user.name} is now {form.role.data} of {network.name}.", "success")
        return redirect(url_for(".show", network_id=network.id))
    return render_template(
        "networks/show.html",
        network=network,
        access=access,
        people=services.network_people(network),
        appoint_form=form,
    ), 400


@bp.post("/<int:network_id>/roles/<int:role_id>/remove")
def remove_role(network_id: int, role_id: int):
    network, _ = load_network(network_id, "administer")
    role = get_for_organisation(NetworkRole, role_id)
    if role.network_id != network.id:
        abort(404)
    db.session.delete(role)
    db.session.commit()
    flash("Role removed.", "success")
    return redirect(url_for(".show", network_id=network.id))


@bp.route("/<int:network_id>/invite", methods=["GET", "POST"])
def invite(network_id: int):
    """Organisers invite the SENCOs of their member schools."""
    network, _ = load_network(network_id, "organise")
    form = NetworkInviteForm()
    member_school_ids = list(
        db.session.scalars(sa.select(NetworkSchool.school_id).where(NetworkSchool.network_id == network.id))
    )
    form.school_id.choices = [("", "Choose their school")] + [
        c for c in school_choices(g.organisation, member_school_ids) if c[0]
    ]
    if form.validate_on_submit():
        if already_member(g.organisation, form.email.data):
            form.email.errors.append(f"{form.email.data} is already in {g.organisation.name}")
        else:
            school = get_for_organisation(School, form.school_id.data)
            invitation, token = create_invitation(
                g.organisation, form.email.data, current_user, school_id=school.id, network_id=network.id
            )
            db.session.commit()
            send_invitation(invitation, token)
            flash(f"Invitation sent to {invitation.email}. The link works for 7 days.", "success")
            return redirect(url_for(".show", network_id=network.id))
    return render_template("networks/invite.html", form=form, network=network)
