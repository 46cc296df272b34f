"""Schools: the directory every member can read; admins add, edit and import from GIAS."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from cluster.extensions import db
from cluster.schools import services
from cluster.schools.forms import GiasUploadForm, SchoolForm
from cluster.schools.gias import GiasFormatError, import_gias
from cluster.schools.models import PHASES, School
from cluster.tenancy.access import get_for_organisation, org_admin_required
from cluster.ui.paging import requested_page
from cluster.ui.panels import Panels

bp = Blueprint("schools", __name__, url_prefix="/schools")

#: Blocks other domains add to a school's page (the networks it is in), called with the school.
SCHOOL_PANELS = Panels("school page panels")

FIELDS = ("urn", "name", "phase", "establishment_type", "town", "postcode")


@bp.get("")
def index():
    search = request.args.get("q", "").strip()[:100]
    phase = request.args.get("phase", "")
    phase = phase if phase in PHASES else ""
    page = services.schools_page(g.organisation, requested_page(), search, phase)
    return render_template("schools/index.html", page=page, search=search, phase=phase, phases=PHASES)


@bp.get("/<int:school_id>")
def show(school_id: int):
    school = get_for_organisation(School, school_id)
    return render_template("schools/show.html", school=school, panels=SCHOOL_PANELS.load(school))


@bp.route("/new", methods=["GET", "POST"])
@org_admin_required
def new():
    return _edit(None)


@bp.route("/<int:school_id>/edit", methods=["GET", "POST"])
@org_admin_required
def edit(school_id: int):
    return _edit(get_for_organisation(School, school_id))


def _edit(school: School | None):
    form = SchoolForm(obj=school if request.method == "GET" else None)
    if form.validate_on_submit():
        if form.urn.data and services.urn_taken(g.organisation, form.urn.data.strip(), exclude=school):
            form.urn.errors.append(f"Another school in {g.organisation.name} already has URN {form.urn.data}")
        else:
            saved = services.save_school(
                g.organisation, school, **{name: getattr(form, name).data or "" for name in FIELDS}
            )
            db.session.commit()
            flash(f"Saved {saved.name}.", "success")
            return redirect(url_for(".show", school_id=saved.id))
    return render_template("schools/edit.html", form=form, school=school)


@bp.route("/import", methods=["GET", "POST"])
@org_admin_required
def import_file():
    form = GiasUploadForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        if not upload or not getattr(upload, "filename", ""):
            form.file.errors.append("Choose the GIAS CSV file to import")
        else:
            codes = {c for c in (form.la_codes.data or "").replace(",", " ").split()} or None
            try:
                report = import_gias(g.organisation, upload.stream, la_codes=codes)
            except GiasFormatError as problem:
                db.session.rollback()
                form.file.errors.append(str(problem))
            else:
                db.session.commit()
    return render_template("schools/import.html", form=form, report=report)
