"""Proposals of a network: the list (sorted and filtered), proposing, each item's page with its
supports and comments, changing and declining; and the network's standing items.

The agenda of each meeting is in :mod:`cluster.agenda.plan_views`, minutes and closing in
:mod:`cluster.agenda.minutes_views`; importing this module registers them all on ``bp``."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from cluster.agenda import notify, queries, services
from cluster.agenda.access import load_item, standing_of
from cluster.agenda.forms import CommentForm, DeclineForm, ProposalForm, StandingItemForm
from cluster.agenda.models import ITEM_KINDS, StandingItem
from cluster.agenda.services import AgendaRuleError
from cluster.agenda.views import AGENDA_ITEM_PANELS, bp
from cluster.extensions import db
from cluster.networks.access import load_network
from cluster.tenancy.access import get_for_organisation
from cluster.ui.paging import requested_page

ITEMS = "/networks/<int:network_id>/agenda-items"
ITEM = ITEMS + "/<int:item_id>"


@bp.get(ITEMS)
def proposals(network_id: int):
    network, access = load_network(network_id)
    filters = queries.ProposalFilters.from_args(request.args)
    found = queries.proposals_page(network, filters, requested_page())
    phase_group = g.membership.school.phase_group if g.membership.school else None
    return render_template(
        "agenda/proposals.html",
        network=network,
        standing=standing_of(access),
        filters=filters,
        found=found,
        supported=queries.supported_ids(current_user, [item.id for item in found.items]),
        concerned={item.id for item in found.items if queries.viewer_concerned(phase_group, item)},
        phase_group=phase_group,
        sorts=queries.SORTS,
        statuses=queries.LIST_STATUSES,
        phase_filters=queries.PHASE_FILTERS,
        kinds=ITEM_KINDS,
    )


@bp.route(ITEMS + "/new", methods=["GET", "POST"])
def propose(network_id: int):
    """Members (and organisers) propose; ``?meeting=<id>`` aims the proposal at that meeting."""
    network, _ = load_network(network_id, "take_part")
    meetings = services.open_target_meetings(network)
    aimed = request.args.get("meeting", "")
    form = ProposalForm(
        meetings=meetings,
        data=None
        if request.method == "POST"
        else {"target_meeting_id": aimed if aimed in {str(m.id) for m in meetings} else "any"},
    )
    if form.validate_on_submit():
        try:
            item = services.propose(network, current_user, g.membership.school, form.draft)
        except AgendaRuleError as refused:
            _attach(form, refused)
        else:
            db.session.commit()
            flash(
                "Your item is proposed. Members can support it, and the organisers see it when they build the agenda.",
                "success",
            )
            return redirect(url_for(".item", network_id=network.id, item_id=item.id))
    return render_template("agenda/propose.html", network=network, form=form, item=None)


def _attach(form, refused: AgendaRuleError) -> None:
    field = getattr(form, refused.field, None) if refused.field else None
    target = field if field is not None else next(iter(form))
    target.errors = [*target.errors, str(refused)]


@bp.get(ITEM)
def item(network_id: int, item_id: int):
    network, item, standing = load_item(network_id, item_id)
    return _item_page(network, item, standing, CommentForm())


def _item_page(network, item, standing, comment_form: CommentForm, status: int = 200):
    detail = queries.item_detail(item, current_user)
    school = g.membership.school
    return render_template(
        "agenda/item.html",
        network=network,
        item=item,
        standing=standing,
        detail=detail,
        comment_form=comment_form,
        panels=AGENDA_ITEM_PANELS.load(item, standing),
        concerned=queries.viewer_concerned(school.phase_group if school else None, item),
        sees_reason=standing.can_organise or item.proposed_by_id == current_user.id,
    ), status


@bp.route(ITEM + "/edit", methods=["GET", "POST"])
def edit_item(network_id: int, item_id: int):
    """The proposer changes their open proposal; organisers may change any open one."""
    network, item, standing = load_item(network_id, item_id)
    if not standing.can_edit(item):
        abort(403)
    if item.status != "open":
        flash(f"This item is {item.status_label.lower()} and can no longer be changed.", "info")
        return redirect(url_for(".item", network_id=network.id, item_id=item.id))
    meetings = services.open_target_meetings(network)
    form = ProposalForm(
        meetings=meetings,
        data=None
        if request.method == "POST"
        else {
            "title": item.title,
            "description": item.description,
            "kind": item.kind,
            "phases": item.phases,
            "minutes_needed": item.minutes_needed,
            "target_meeting_id": str(item.target_meeting_id) if item.target_meeting_id else "any",
        },
    )
    form.submit.label.text = "Save changes"
    if form.validate_on_submit():
        try:
            services.update_item(item, form.draft)
        except AgendaRuleError as refused:
            db.session.rollback()
            _attach(form, refused)
        else:
            db.session.commit()
            flash("Saved.", "success")
            return redirect(url_for(".item", network_id=network.id, item_id=item.id))
    return render_template("agenda/propose.html", network=network, form=form, item=item)


@bp.post(ITEM + "/support")
def support(network_id: int, item_id: int):
    """Support an item, or withdraw support (``want=no``): one support per person."""
    network, item, _ = load_item(network_id, item_id, "take_part")
    want = request.form.get("want", "yes") != "no"
    try:
        changed = services.set_support(item, current_user, g.membership.school, want)
    except AgendaRuleError as refused:
        flash(str(refused), "info")
    else:
        db.session.commit()
        if changed:
            flash("You support this item." if want else "You no longer support this item.", "success")
    return redirect(url_for(".item", network_id=network.id, item_id=item.id))


@bp.post(ITEM + "/comments")
def comment(network_id: int, item_id: int):
    network, item, standing = load_item(network_id, item_id, "take_part")
    form = CommentForm()
    if form.validate_on_submit():
        try:
            services.add_comment(item, current_user, g.membership.school, form.body.data)
        except AgendaRuleError as refused:
            db.session.rollback()
            form.body.errors = [*form.body.errors, str(refused)]
        else:
            db.session.commit()
            flash("Your comment is added.", "success")
            return redirect(url_for(".item", network_id=network.id, item_id=item.id) + "#comments")
    return _item_page(network, item, standing, form, status=400)


@bp.route(ITEM + "/decline", methods=["GET", "POST"])
def decline(network_id: int, item_id: int):
    """Organisers close a proposal with a reason; the proposer is told."""
    network, item, _ = load_item(network_id, item_id, "organise")
    if item.status != "open":
        flash(f"Only an open proposal can be declined; this one is {item.status_label.lower()}.", "info")
        return redirect(url_for(".item", network_id=network.id, item_id=item.id))
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            services.decline(item, current_user, form.reason.data)
        except AgendaRuleError as refused:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, str(refused)]
        else:
            proposer = item.proposed_by if item.proposed_by and item.proposed_by.active else None
            message = (
                notify.declined_message(item, proposer)
                if proposer and proposer.id != current_user.id
                else None
            )
            db.session.commit()
            sent = notify.send([message]) if message else True
            flash(
                "The item is declined."
                + (" The proposer has been emailed the reason." if message and sent else "")
                + ("" if sent else " The email to the proposer could not be sent."),
                "success",
            )
            return redirect(url_for(".item", network_id=network.id, item_id=item.id))
    return render_template("agenda/decline.html", network=network, item=item, form=form)


# Standing items -------------------------------------------------------------------------------


@bp.route("/networks/<int:network_id>/standing-items", methods=["GET", "POST"])
def standing(network_id: int):
    """Organisers define the items every new agenda of the network starts with."""
    network, _ = load_network(network_id, "organise")
    form = StandingItemForm()
    if form.validate_on_submit():
        try:
            added = services.add_standing_item(
                network,
                form.title.data,
                form.minutes.data,
                form.presenter.data or "",
                at_end=form.placement.data == "end",
            )
        except AgendaRuleError as refused:
            db.session.rollback()
            _attach(form, refused)
        else:
            db.session.commit()
            flash(f"“{added.title}” will be on every new agenda.", "success")
            return redirect(url_for(".standing", network_id=network.id))
    return render_template(
        "agenda/standing.html", network=network, form=form, items=services.standing_items(network)
    )


@bp.post("/networks/<int:network_id>/standing-items/<int:standing_id>/remove")
def remove_standing(network_id: int, standing_id: int):
    network, _ = load_network(network_id, "organise")
    found = get_for_organisation(StandingItem, standing_id)
    if found.network_id != network.id:
        abort(404)
    services.remove_standing_item(found)
    db.session.commit()
    flash(f"“{found.title}” will not be added to new agendas.", "success")
    return redirect(url_for(".standing", network_id=network.id))
