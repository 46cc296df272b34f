"""Moderation pages: a network's cases and agreement, drafting and sharing a case (behind the
personal-data gate), the case page with blind judging, the organiser's arrangements and outcome,
the view log and attachments. The scale's admin pages are in :mod:`cluster.moderation.views.scale`."""

from __future__ import annotations

from flask import (
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

from cluster.extensions import db, utcnow
from cluster.moderation import pii, queries, services
from cluster.moderation.agreement import percent_agreement
from cluster.moderation.arrangements import choices_for, current_values, parse_link
from cluster.moderation.forms import (
    ActionForm,
    ArrangementsForm,
    AttachmentForm,
    CaseForm,
    JudgmentForm,
    OutcomeForm,
)
from cluster.moderation.models import EVIDENCE, CaseAttachment, ModerationCase
from cluster.moderation.scale import levels_of
from cluster.moderation.storage import moderation_storage
from cluster.moderation.views import bp
from cluster.networks.access import load_network
from cluster.resources.files import UploadProblem
from cluster.tenancy.access import get_for_organisation
from cluster.timeutil import local_to_utc
from cluster.ui.charts import Series, bar_chart, line_chart


def case_for(case_id: int, need: str = "view") -> tuple[ModerationCase, services.CaseAccess]:
    """The case, loaded as its network is (404 if foreign, or of a network the user does not
    see), if the user may ``need`` it (403 otherwise: see :func:`services.case_access`)."""
    case = get_for_organisation(ModerationCase, case_id)
    _, net = load_network(case.network_id)
    invited = net.is_observer and services.is_invited(case, current_user.id)
    access = services.case_access(g.membership, net, case, invited)
    allowed = {
        "view": access.can_view,
        "edit": access.can_edit,
        "judge": access.can_judge,
        "organise": access.can_organise,
        "log": access.is_submitter or access.can_organise,
        "withdraw": access.is_submitter and case.status in ("draft", "open"),
    }[need]
    if not allowed:
        abort(403)
    return case, access


def _max_bytes() -> int:
    return int(current_app.config.get("CLUSTER_UPLOAD_MAX_BYTES") or 20 * 1024 * 1024)


# A network's moderation page ------------------------------------------------------------------------


@bp.get("/networks/<int:network_id>/moderation")
def index(network_id: int):
    # Only people with a role in the network see its cases: org admins without one do not
    # (special category data: least privilege).
    network, access = load_network(network_id, "role")
    cases = queries.network_cases(g.membership, access, network.id)
    periods = queries.agreement_over_time(network.id)
    return render_template(
        "moderation/index.html",
        network=network,
        access=access,
        cases=cases,
        periods=periods,
        chart=_agreement_chart(periods),
        has_scale=bool(levels_of(g.organisation.id)),
    )


def _agreement_chart(periods):

    def pct(value):
        return None if value is None else round(value * 100, 1)

    # The axis starts at 0 unless alpha or kappa fall below it (worse than chance).
    return line_chart(
        id="agreement-chart",
        title="Agreement over time",
        unit="%",
        max_value=100,
        categories=[p.period for p in periods],
        series=[
            Series("Krippendorff's alpha (ordinal) × 100", [pct(p.alpha) for p in periods]),
            Series("Fleiss' kappa × 100", [pct(p.kappa) for p in periods]),
            Series("Proposed level matched the outcome", [pct(p.match_rate) for p in periods]),
            Series("Judgments matching the outcome", [pct(p.mean_agreement) for p in periods]),
        ],
        description="How consistently the network judges cases, per term: 100 is full agreement, 0 is what chance gives.",
    )


# Drafting and sharing --------------------------------------------------------------------------------


def _draft_from(form: CaseForm) -> services.CaseDraft:
    return services.CaseDraft(
        year_group=form.year_group.data or "",
        primary_need=form.primary_need.data or "",
        secondary_need=form.secondary_need.data or "",
        current_level_id=form.level(form.current_level_id),
        proposed_level_id=form.level(form.proposed_level_id),
        texts={name: getattr(form, name).data or "" for name in EVIDENCE},
        parents_know=bool(form.parents_know.data),
        anonymised=bool(form.anonymised.data),
        hide_school=bool(form.hide_school.data),
    )


@bp.route("/networks/<int:network_id>/moderation/new", methods=["GET", "POST"])
def new(network_id: int):
    """Start a case: only SENCOs of the network's schools submit (saved as a draft first)."""
    network, access = load_network(network_id, "member")
    levels = levels_of(g.organisation.id)
    if not levels:
        flash(
            "Your organisation has not set up its moderation scale yet: ask your organisation's admin.",
            "important",
        )
        return redirect(url_for(".index", network_id=network.id))
    form = CaseForm()
    form.set_levels(levels)
    form.attachment_errors = []
    if form.validate_on_submit():
        case = services.create_case(network, current_user, g.membership.school_id, _draft_from(form))
        db.session.commit()
        flash("Draft saved. Nobody else can see it until you share it.", "success")
        return redirect(url_for(".edit", case_id=case.id))
    return render_template(
        "moderation/edit.html",
        form=form,
        network=network,
        case=None,
        levels=levels,
        check=None,
        risks=[],
        attachments=[],
        attachment_form=None,
        action_form=None,
    )


def _add_check_errors(form: CaseForm, check: services.ShareCheck, attachments) -> None:
    """The gate's answer as form errors (the error summary links to each field)."""
    names = {a.id: a.file_name for a in attachments}
    for name, message in check.missing.items():
        field = getattr(form, name)
        field.errors = list(field.errors) + [message]
    for place, findings in check.findings.items():
        blocking = [f for f in findings if f.severity == "block"]
        shown = blocking or ([] if form.acknowledge_warnings.data else findings)
        if not shown:
            continue
        more = f" (and {len(shown) - 1} more)" if len(shown) > 1 else ""
        if place.startswith("attachment-"):
            label = names.get(int(place.split("-", 1)[1]), "an attached file")
            field = form.acknowledge_warnings if not blocking else None
            message = f"In the file {label}: {shown[0].message}{more}"
            if field is None:
                form.attachment_errors.append({"text": message, "href": f"#found-{place}"})
                continue
        else:
            field, message = getattr(form, place), f"{EVIDENCE[place]}: {shown[0].message}{more}"
        field.errors = list(field.errors) + [message]
    if (
        check.warnings
        and not check.blocks
        and not form.acknowledge_warnings.data
        and not form.acknowledge_warnings.errors
    ):
        form.acknowledge_warnings.errors = list(form.acknowledge_warnings.errors) + [
            "Check the warnings, then confirm the case is still anonymous"
        ]


@bp.route("/moderation/cases/<int:case_id>/edit", methods=["GET", "POST"])
def edit(case_id: int):
    """Edit a draft; "Save draft" always saves, "Check and share" saves and then runs the gate."""
    case, _ = case_for(case_id, "edit")
    levels = levels_of(case.organisation_id)
    form = CaseForm(obj=None if request.method == "POST" else case)
    form.set_levels(levels)
    form.attachment_errors = []
    if request.method == "GET":
        form.current_level_id.data = str(case.current_level_id or "")
        form.proposed_level_id.data = str(case.proposed_level_id or "")
    attachments = services.attachments_of(case)
    check = None
    if form.validate_on_submit():
        services.save_draft(case, _draft_from(form))
        if not form.share.data:
            db.session.commit()
            flash("Draft saved. Nobody else can see it until you share it.", "success")
            return redirect(url_for(".edit", case_id=case.id))
        try:
            services.share(case, warnings_acknowledged=bool(form.acknowledge_warnings.data))
        except services.ShareRefused as refused:
            db.session.commit()  # the draft is kept, whatever the checks found
            check = refused.check
            _add_check_errors(form, check, attachments)
        else:
            db.session.commit()
            flash("Case shared with the network for judging.", "success")
            return redirect(url_for(".show", case_id=case.id))
    elif request.method == "GET" and request.args.get("check") == "1":
        check = services.check_for_sharing(case, attachments)
    return render_template(
        "moderation/edit.html",
        form=form,
        network=case.network,
        case=case,
        levels=levels,
        check=check,
        risks=services.cohort_risks(case),
        attachments=attachments,
        attachment_form=AttachmentForm(),
        action_form=ActionForm(),
        highlight=_highlighter(),
    )


def _highlighter():

    return pii.highlight


@bp.post("/moderation/cases/<int:case_id>/attachments")
def upload(case_id: int):
    case, _ = case_for(case_id, "edit")
    form = AttachmentForm()
    if form.validate_on_submit():
        upload = form.file.data
        name = getattr(upload, "filename", "") or ""
        data = upload.read(_max_bytes() + 1) if name else b""
        try:
            if not name:
                raise UploadProblem("Select a file")
            services.add_attachment(case, current_user, moderation_storage(), name, data, _max_bytes())
        except UploadProblem as problem:
            db.session.rollback()
            form.file.errors = list(form.file.errors) + [str(problem)]
        else:
            db.session.commit()
            flash("File added. It is checked for personal data when you share the case.", "success")
            return redirect(url_for(".edit", case_id=case.id))
    levels = levels_of(case.organisation_id)
    case_form = CaseForm(obj=case, formdata=None)
    case_form.set_levels(levels)
    case_form.attachment_errors = []
    case_form.current_level_id.data = str(case.current_level_id or "")
    case_form.proposed_level_id.data = str(case.proposed_level_id or "")
    return render_template(
        "moderation/edit.html",
        form=case_form,
        network=case.network,
        case=case,
        levels=levels,
        check=None,
        risks=services.cohort_risks(case),
        attachments=services.attachments_of(case),
        attachment_form=form,
        action_form=ActionForm(),
        highlight=_highlighter(),
    )


@bp.post("/moderation/cases/<int:case_id>/attachments/<int:attachment_id>/delete")
def remove_attachment(case_id: int, attachment_id: int):
    case, _ = case_for(case_id, "edit")
    attachment = get_for_organisation(CaseAttachment, attachment_id)
    if attachment.case_id != case.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    unused = services.remove_attachment(attachment)
    db.session.commit()
    services.remove_files(moderation_storage(), unused)
    flash("File removed.", "success")
    return redirect(url_for(".edit", case_id=case.id))


@bp.post("/moderation/cases/<int:case_id>/withdraw")
def withdraw(case_id: int):
    case, _ = case_for(case_id, "withdraw")
    if not ActionForm().validate_on_submit():
        abort(400)
    services.withdraw(case)
    db.session.commit()
    flash("Case withdrawn: nobody else sees it any more.", "success")
    return redirect(url_for(".index", network_id=case.network_id))


# The case page and judging ------------------------------------------------------------------------------


def _render_case(
    case: ModerationCase, access: services.CaseAccess, judgment_form: JudgmentForm | None = None
):
    levels = levels_of(case.organisation_id)
    mine = services.judgment_of(case, current_user.id)
    judgments = services.judgments_of(case)
    see_all = services.may_see_judgments(case, access, mine is not None)
    form = judgment_form or JudgmentForm(
        data={"level_id": str(mine.level_id) if mine else None, "rationale": mine.rationale if mine else ""}
    )
    form.level_id.choices = [(str(level.id), level.label) for level in levels]
    chart = distribution = None
    agreement = None
    if see_all:
        position = {level.id: i for i, level in enumerate(levels)}
        distribution = [(level, sum(1 for j in judgments if j.level_id == level.id)) for level in levels]
        chart = bar_chart(
            id="distribution",
            title="Judgments by level",
            categories=[level.label for level in levels],
            series=[Series("Judgments", [count for _, count in distribution])],
            description="How many people judged the case at each level of the scale.",
        )
        if case.outcome_level_id in position:
            agreement = percent_agreement(
                [position[j.level_id] for j in judgments if j.level_id in position],
                position[case.outcome_level_id],
            )
    return render_template(
        "moderation/show.html",
        case=case,
        access=access,
        levels=levels,
        mine=mine,
        see_all=see_all,
        judgments=judgments if see_all else [],
        judged=len(judgments),
        distribution=distribution,
        chart=chart,
        agreement=agreement,
        form=form,
        attachments=services.attachments_of(case),
        closes_at=services.closes_at(case),
        action_form=ActionForm(),
        now=utcnow(),
    )


@bp.get("/moderation/cases/<int:case_id>")
def show(case_id: int):
    case, access = case_for(case_id)
    if access.can_edit:
        return redirect(
            url_for(".edit", case_id=case.id)
        )  # a draft is only ever seen by its author, on its form
    services.record_view(case, current_user)
    db.session.commit()
    return _render_case(case, access)


@bp.post("/moderation/cases/<int:case_id>/judgment")
def judge(case_id: int):
    case, access = case_for(case_id, "judge")
    form = JudgmentForm()
    form.level_id.choices = [(str(level.id), level.label) for level in levels_of(case.organisation_id)]
    if form.validate_on_submit():
        try:
            services.record_judgment(case, current_user, int(form.level_id.data), form.rationale.data or "")
        except ValueError as problem:
            db.session.rollback()
            form.level_id.errors = list(form.level_id.errors) + [str(problem).capitalize()]
        else:
            db.session.commit()
            flash("Judgment saved. You can now see how others judged the case.", "success")
            return redirect(url_for(".show", case_id=case.id))
    return _render_case(case, access, form)


@bp.get("/moderation/cases/<int:case_id>/attachments/<int:attachment_id>")
def download(case_id: int, attachment_id: int):
    """An attachment: always downloaded (never shown inline), ``nosniff``, never cached."""
    case, _ = case_for(case_id)
    attachment = get_for_organisation(CaseAttachment, attachment_id)
    store = moderation_storage()
    if attachment.case_id != case.id or not store.exists(attachment.content_hash):
        abort(404)
    services.record_view(case, current_user, attachment.file_name)
    db.session.commit()
    response = send_file(
        store.open(attachment.content_hash),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.file_name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# The organiser's pages ------------------------------------------------------------------------------------


@bp.post("/moderation/cases/<int:case_id>/close")
def close(case_id: int):
    case, _ = case_for(case_id, "organise")
    if not ActionForm().validate_on_submit():
        abort(400)
    services.close_judging(case)
    db.session.commit()
    flash("Judging closed. Everyone with access now sees the judgments.", "success")
    return redirect(url_for(".show", case_id=case.id))


@bp.route("/moderation/cases/<int:case_id>/outcome", methods=["GET", "POST"])
def outcome(case_id: int):
    case, _ = case_for(case_id, "organise")
    levels = levels_of(case.organisation_id)
    form = OutcomeForm(
        data=None
        if request.method == "POST"
        else {
            "level_id": str(case.outcome_level_id) if case.outcome_level_id else None,
            "reason": case.outcome_reason,
        }
    )
    form.level_id.choices = [(str(level.id), level.label) for level in levels]
    if form.validate_on_submit():
        services.record_outcome(case, int(form.level_id.data), form.reason.data or "")
        db.session.commit()
        flash("Outcome recorded.", "success")
        return redirect(url_for(".show", case_id=case.id))
    return render_template("moderation/outcome.html", case=case, form=form)


@bp.route("/moderation/cases/<int:case_id>/arrangements", methods=["GET", "POST"])
def arrangements(case_id: int):
    """Closing time, the meeting (or its moderation agenda slot) and the observers invited to judge."""

    case, _ = case_for(case_id, "organise")
    links, observers = choices_for(case)
    form = ArrangementsForm(data=None if request.method == "POST" else current_values(case))
    form.agenda_slot_id.choices = [("", "No meeting")] + links
    form.observer_ids.choices = observers
    if form.validate_on_submit():
        closes = None
        if form.closes_day.data is not None or form.closes_time.data is not None:
            if form.closes_day.data is None or form.closes_time.data is None:
                form.closes_day.errors = list(form.closes_day.errors) + [
                    "Enter both the closing date and time, or neither"
                ]
            else:
                closes = local_to_utc(form.closes_day.data, form.closes_time.data)
        if not form.closes_day.errors:
            meeting_id, slot_id = parse_link(form.agenda_slot_id.data or "")
            services.set_arrangements(
                case,
                closes=closes,
                meeting_id=meeting_id,
                agenda_slot_id=slot_id,
                observer_ids=[int(v) for v in form.observer_ids.data or []],
            )
            db.session.commit()
            flash("Arrangements saved.", "success")
            return redirect(url_for(".show", case_id=case.id))
    return render_template("moderation/arrangements.html", case=case, form=form)


@bp.get("/moderation/cases/<int:case_id>/views")
def views(case_id: int):
    case, _ = case_for(case_id, "log")
    return render_template("moderation/views.html", case=case, log=queries.view_log(case))
