"""The resource library's pages: find, share, a resource's page, download, versions, delete."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from cluster.agenda.models import AgendaItem
from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting
from cluster.networks.access import NetworkAccess, load_network
from cluster.networks.services import visible_networks
from cluster.resources import queries, services
from cluster.resources.files import INLINE_TYPES, UploadProblem
from cluster.resources.forms import ActionForm, ResourceDetailsForm, ResourceForm, VersionForm
from cluster.resources.models import AREAS_OF_NEED, KINDS, PHASES, Resource
from cluster.resources.storage import storage
from cluster.tenancy.access import get_for_organisation
from cluster.ui.paging import requested_page

bp = Blueprint("resources", __name__)


def resource_for(resource_id: int, need: str = "view") -> tuple[Resource, NetworkAccess]:
    """The resource if the user may see it: loaded as its network is (404 if foreign, or shared
    only with a network the user does not see); ``need`` "manage" (owner or the network's
    organisers) or "organise" (organisers) answers 403."""
    resource = get_for_organisation(Resource, resource_id)
    _, access = load_network(
        resource.network_id, "organisation" if resource.visibility == "organisation" else "view"
    )
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
        q=args.get("q", "")[:200],
        area=args.get("area", "") if args.get("area") in AREAS_OF_NEED else "",
        phase=args.get("phase", "") if args.get("phase") in PHASES else "",
        kind=args.get("kind", "") if args.get("kind") in KINDS else "",
        network=args.get("network", type=int),
        since=since,
        sort=args.get("sort")
        if args.get("sort") in queries.SORTS
        else ("relevance" if args.get("q") else "newest"),
    )


@bp.get("/resources")
def index():
    filters = _filters()
    results = queries.search(g.membership, filters, requested_page())
    networks = visible_networks(g.membership)
    return render_template(
        "resources/index.html",
        filters=filters,
        results=results,
        today=date.today(),
        networks=[n for n, _ in networks],
        areas=AREAS_OF_NEED,
        phases=PHASES,
        kinds=KINDS,
        sorts=queries.SORTS,
        can_see_deletions=g.membership.is_admin or any(r == "organiser" for _, r in networks),
    )


def _sharing_networks() -> list:
    """The networks the person may share from: theirs as a member or organiser (every one for an admin)."""
    return [
        n
        for n, role in visible_networks(g.membership)
        if g.membership.is_admin or role in ("member", "organiser")
    ]


def _offer_links(form, network_ids: list[int]) -> tuple[dict, dict]:
    """Fill the meeting and agenda item choices; return them by id for checking."""
    meetings, items = queries.link_choices(network_ids, utcnow())
    form.meeting_id.choices = [("", "None")] + [(str(m.id), m.label) for m in meetings]
    form.agenda_item_id.choices = [("", "None")] + [(str(i.id), i.label) for i in items]
    return {str(m.id): m for m in meetings}, {str(i.id): i for i in items}


def _chosen_links(form, network_id: int, meetings: dict, items: dict) -> tuple[int | None, int | None] | None:
    """The meeting and agenda item chosen, checked against the sharing network (None, with the
    errors on the form, when either is not one of that network's)."""
    chosen = []
    for field, options, noun in (
        (form.meeting_id, meetings, "meeting"),
        (form.agenda_item_id, items, "agenda item"),
    ):
        if not field.data:
            chosen.append(None)
        elif field.data in options and options[field.data].network_id == network_id:
            chosen.append(options[field.data].id)
        else:
            field.errors.append(f"Choose a {noun} of the network sharing it, or None")
    return None if len(chosen) < 2 else (chosen[0], chosen[1])


def _prefill_links(form, networks: list) -> None:
    """Sharing from a meeting's or an agenda item's page (``?meeting=`` / ``?agenda_item=``)."""
    for arg, field, model in (
        ("meeting", form.meeting_id, Meeting),
        ("agenda_item", form.agenda_item_id, AgendaItem),
    ):
        wanted = request.args.get(arg, type=int)
        if wanted and wanted < 2**31:
            found = db.session.get(model, wanted)
            if found is not None and any(n.id == found.network_id for n in networks):
                field.data, form.network_id.data = str(found.id), str(found.network_id)


@bp.route("/resources/new", methods=["GET", "POST"])
def new():
    networks = _sharing_networks()
    if not networks:
        abort(403)
    form = ResourceForm()
    form.network_id.choices = [("", "Choose a network")] + [(str(n.id), n.name) for n in networks]
    meetings, items = _offer_links(form, [n.id for n in networks])
    if request.method == "GET":
        _prefill_links(form, networks)
    if form.validate_on_submit():
        network = next(n for n in networks if str(n.id) == form.network_id.data)
        links = _chosen_links(form, network.id, meetings, items)
        file_name, data = _read_upload(form.file)
        if not data and not file_name and not form.url.data:
            form.file.errors.append("Select a file or enter a link")
        elif links is not None:
            try:
                resource = services.share(
                    network,
                    current_user,
                    storage(),
                    title=form.title.data,
                    description=form.description.data or "",
                    area_of_need=form.area_of_need.data,
                    phase=form.phase.data,
                    tags=form.tags.data or "",
                    visibility=form.visibility.data,
                    url=form.url.data or "",
                    file_name=file_name,
                    data=data,
                    max_bytes=_max_bytes(),
                    meeting_id=links[0],
                    agenda_item_id=links[1],
                )
            except UploadProblem as problem:
                db.session.rollback()
                form.file.errors.append(str(problem))
            else:
                db.session.commit()
                flash("Resource shared.", "success")
                return redirect(url_for(".show", resource_id=resource.id))
    return render_template("resources/new.html", form=form)


@bp.route("/resources/<int:resource_id>/edit", methods=["GET", "POST"])
def edit(resource_id: int):
    resource, _ = resource_for(resource_id, "manage")
    form = ResourceDetailsForm(obj=resource)
    if request.method == "GET":
        form.tags.data = ", ".join(resource.tag_list)
        form.meeting_id.data = str(resource.meeting_id or "")
        form.agenda_item_id.data = str(resource.agenda_item_id or "")
    meetings, items = _offer_links(form, [resource.network_id])
    if form.validate_on_submit():
        if resource.kind == "link" and not form.url.data:
            form.url.errors.append("Enter the link")
        links = _chosen_links(form, resource.network_id, meetings, items)
        if links is not None and not form.url.errors:
            services.update_details(
                resource,
                storage(),
                title=form.title.data,
                description=form.description.data or "",
                area_of_need=form.area_of_need.data,
                phase=form.phase.data,
                tags=form.tags.data or "",
                visibility=form.visibility.data,
                url=form.url.data if resource.kind == "link" else None,
                meeting_id=links[0],
                agenda_item_id=links[1],
            )
            db.session.commit()
            flash("Changes saved.", "success")
            return redirect(url_for(".show", resource_id=resource.id))
    return render_template("resources/edit.html", form=form, resource=resource)


@bp.get("/resources/mine")
def mine():
    """The resources the person owns, those due for review first."""
    return render_template(
        "resources/mine.html",
        page=queries.owned_page(g.membership, requested_page()),
        today=date.today(),
        action_form=ActionForm(),
    )


@bp.get("/resources/deletions")
def deletions():
    """The record of deleted resources, for the organisers of the networks they were shared from."""
    organised = [n.id for n, role in visible_networks(g.membership) if role == "organiser"]
    if not (g.membership.is_admin or organised):
        abort(403)
    return render_template(
        "resources/deletions.html", page=queries.deletions_page(g.membership, organised, requested_page())
    )


@bp.get("/resources/<int:resource_id>")
def show(resource_id: int):
    resource, access = resource_for(resource_id)
    can_manage = resource.owner_id == current_user.id or access.can_organise
    return render_template(
        "resources/show.html",
        resource=resource,
        versions=queries.versions(resource),
        can_manage=can_manage,
        can_organise=access.can_organise,
        today=date.today(),
        action_form=ActionForm(),
        version_form=VersionForm(),
    )


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
    response = send_file(
        store.open(version.content_hash),
        mimetype=version.content_type,
        as_attachment=not inline,
        download_name=version.file_name,
        max_age=0,
    )
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
    flash(
        "Marked as recommended by the network." if resource.recommended else "No longer recommended.",
        "success",
    )
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


def meeting_resources(meeting, access) -> list[Resource]:
    """For a meeting's page: the resources linked to it that the viewer may see."""
    return queries.linked(g.membership, meeting_id=meeting.id)


def agenda_item_resources(item, standing) -> list[Resource]:
    """For an agenda item's page: the resources linked to it that the viewer may see."""
    return queries.linked(g.membership, agenda_item_id=item.id)
