"""The resource library's pages: find, share, a resource's page, download, versions, delete."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from cluster.extensions import db
from cluster.networks.services import network_access, visible_networks
from cluster.resources import queries, services
from cluster.resources.files import INLINE_TYPES, UploadProblem
from cluster.resources.forms import ActionForm, ResourceForm, VersionForm
from cluster.resources.models import AREAS_OF_NEED, KINDS, PHASES, Resource
from cluster.resources.storage import storage
from cluster.tenancy.access import get_for_organisation

bp = Blueprint("resources", __name__)


def resource_for(resource_id: int, need: str = "view") -> tuple[Resource, object]:
    """The resource if the user may see it (404 otherwise, as for a foreign one); ``need`` "manage"
    (owner or the network's organisers) or "organise" (organisers) answers 403."""
    resource = get_for_organisation(Resource, resource_id)
    access = network_access(g.membership, resource.network)
    if resource.visibility != "organisation" and not access.can_view:
        abort(404)
    is_owner = resource.owner_id == current_user.id
    if need == "manage" and not (is_owner or access.can_organise):
        abort(403)
    if need == "organise" and not access.can_organise:
        abort(403)
    return resource, access


def _max_bytes() -> int:
    return int(current_app.config.get("CLUSTER_UPLOAD_MAX_BYTES") or 20 * 1024 * 1024)


def _read_upload(field) -> tuple[str, bytes]:
    upload = field.data
    if not upload or not getattr(upload, "filename", None):
        return "", b""
    return upload.filename, upload.read(_max_bytes() + 1)


def _filters() -> queries.Filters:
    args = request.args
    since = None
    try:
        since = date.fromisoformat(args.get("since", "")) if args.get("since") else None
    except ValueError:
        since = None
    return queries.Filters(
        q=args.get("q", "")[:200], area=args.get("area", "") if args.get("area") in AREAS_OF_NEED else "",
        phase=args.get("phase", "") if args.get("phase") in PHASES else "",
        kind=args.get("kind", "") if args.get("kind") in KINDS else "",
        network=args.get("network", type=int), since=since,
        sort=args.get("sort") if args.get("sort") in queries.SORTS else ("relevance" if args.get("q") else "newest"),
    )


@bp.get("/resources")
def index():
    filters = _filters()
    results = queries.search(g.membership, filters, request.args.get("page", 1, type=int) or 1)
    return render_template("resources/index.html", filters=filters, results=results, today=date.today(),
                           networks=[n for n, _ in visible_networks(g.membership)], areas=AREAS_OF_NEED,
                           phases=PHASES, kinds=KINDS, sorts=queries.SORTS)


@bp.route("/resources/new", methods=["GET", "POST"])
def new():
    networks = [n for n, role in visible_networks(g.membership) if g.membership.is_admin or role in ("member", "organiser")]
    if not networks:
        abort(403)
    form = ResourceForm()
    form.network_id.choices = [("", "Choose a network")] + [(str(n.id), n.name) for n in networks]
    if form.validate_on_submit():
        network = next(n for n in networks if str(n.id) == form.network_id.data)
        file_name, data = _read_upload(form.file)
        if not data and not file_name and not form.url.data:
            form.file.errors.append("Select a file or enter a link")
        else:
            try:
                resource = services.share(
                    network, current_user, storage(), title=form.title.data, description=form.description.data or "",
                    area_of_need=form.area_of_need.data, phase=form.phase.data, tags=form.tags.data or "",
                    visibility=form.visibility.data, url=form.url.data or "", file_name=file_name, data=data,
                    max_bytes=_max_bytes(),
                )
            except UploadProblem as problem:
                db.session.rollback()
                form.file.errors.append(str(problem))
            else:
                db.session.commit()
                flash("Resource shared.", "success")
                return redirect(url_for(".show", resource_id=resource.id))
    return render_template("resources/new.html", form=form)


@bp.get("/resources/<int:resource_id>")
def show(resource_id: int):
    resource, access = resource_for(resource_id)
    can_manage = resource.owner_id == current_user.id or access.can_organise
    return render_template("resources/show.html", resource=resource, versions=queries.versions(resource),
                           can_manage=can_manage, can_organise=access.can_organise, today=date.today(),
                           action_form=ActionForm(), version_form=VersionForm())


@bp.get("/resources/<int:resource_id>/download")
def download(resource_id: int):
    """The file (the current version, or ``?version=n``): an attachment, or inline for PDFs and
    images on request, always with ``nosniff``."""
    resource, _ = resource_for(resource_id)
    if resource.kind == "link":
        abort(404)
    version = queries.version(resource, request.args.get("version", type=int))
    store = storage()
    if version is None or not store.exists(version.content_hash):
        abort(404)
    inline = request.args.get("inline") == "1" and version.content_type in INLINE_TYPES
    services.count_download(resource)
    db.session.commit()
    response = send_file(store.open(version.content_hash), mimetype=version.content_type,
                         as_attachment=not inline, download_name=version.file_name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/resources/<int:resource_id>/versions/new", methods=["GET", "POST"])
def new_version(resource_id: int):
    resource, _ = resource_for(resource_id, "manage")
    if resource.kind == "link":
        abort(404)
    form = VersionForm()
    if form.validate_on_submit():
        file_name, data = _read_upload(form.file)
        try:
            if not file_name:
                raise UploadProblem("Select a file")
            version = services.add_version(resource, current_user, storage(), file_name, data, _max_bytes())
        except UploadProblem as problem:
            db.session.rollback()
            form.file.errors.append(str(problem))
        else:
            db.session.commit()
            flash(f"Version {version.number} uploaded.", "success")
            return redirect(url_for(".show", resource_id=resource.id))
    return render_template("resources/version.html", form=form, resource=resource)


@bp.post("/resources/<int:resource_id>/delete")
def delete(resource_id: int):
    resource, _ = resource_for(resource_id, "manage")
    if not ActionForm().validate_on_submit():
        abort(400)
    store = storage()
    unused = services.delete(resource, current_user, store)
    db.session.commit()
    services.remove_files(store, unused)
    flash("Resource deleted.", "success")
    return redirect(url_for(".index"))


@bp.post("/resources/<int:resource_id>/recommend")
def recommend(resource_id: int):
    resource, _ = resource_for(resource_id, "organise")
    if not ActionForm().validate_on_submit():
        abort(400)
    services.set_recommended(resource, not resource.recommended)
    db.session.commit()
    flash("Marked as recommended by the network." if resource.recommended else "No longer recommended.", "success")
    return redirect(url_for(".show", resource_id=resource.id))


@bp.post("/resources/<int:resource_id>/reviewed")
def reviewed(resource_id: int):
    resource, _ = resource_for(resource_id, "manage")
    if not ActionForm().validate_on_submit():
        abort(400)
    services.mark_reviewed(resource)
    db.session.commit()
    flash("Thank you: the resource will be due for review again in 12 months.", "success")
    return redirect(url_for(".show", resource_id=resource.id))
