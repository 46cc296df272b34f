"""Actions pages (a network's list, one action, record, edit, close) and "you said, we did"."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from cluster.actions import queries, services
from cluster.actions.forms import ActionForm, CloseActionForm, ShareForm, ThemeForm
from cluster.actions.models import Action, FeedbackTheme
from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting
from cluster.networks.access import load_network
from cluster.networks.models import Network
from cluster.tenancy.access import get_for_organisation
from cluster.timeutil import local_date
from cluster.ui.filters import format_date as day

bp = Blueprint("actions", __name__)


def _today():
    return local_date(utcnow())


def action_for(action_id: int, need: str = "view"):
    """The action and the user's standing in its network, loaded as its network is (404 if
    foreign, or of a network the user does not see); ``need`` "close" (its owner or an
    organiser) or "organise" answers 403."""
    action = get_for_organisation(Action, action_id)
    _, access = load_network(action.network_id, "organise" if need == "organise" else "view")
    if need == "close" and not (access.can_organise or services.is_owner(action, g.membership)):
        abort(403)
    return action, access


@bp.get("/networks/<int:network_id>/actions")
def index(network_id: int):
    network, access = load_network(network_id)
    open_actions, closed = queries.network_actions(network)
    return render_template(
        "actions/index.html",
        network=network,
        access=access,
        open_actions=open_actions,
        closed=closed,
        today=_today(),
    )


def _meeting_choices(network: Network) -> list[tuple[str, str]]:
    meetings = db.session.execute(
        sa.select(Meeting.id, Meeting.title, Meeting.starts_at)
        .where(Meeting.network_id == network.id, Meeting.status.in_(("scheduled", "held")))
        .order_by(Meeting.starts_at.desc())
        .limit(30)
    ).all()

    return [("", "Not recorded at a meeting")] + [
        (str(m.id), f"{m.title}, {day(m.starts_at)}") for m in meetings
    ]


def _theme_choices(network: Network) -> list[tuple[str, str]]:
    themes = db.session.execute(
        sa.select(FeedbackTheme.id, FeedbackTheme.summary)
        .where(FeedbackTheme.network_id == network.id)
        .order_by(FeedbackTheme.id.desc())
        .limit(50)
    ).all()
    return [("", "Not from feedback")] + [(str(t.id), t.summary[:80]) for t in themes]


def _action_form(network: Network, action: Action | None = None) -> ActionForm:
    data = None
    if request.method == "GET":
        if action is not None:
            data = {
                "description": action.description,
                "due_on": action.due_on,
                "owner": f"user-{action.owner_user_id}"
                if action.owner_user_id
                else f"school-{action.owner_school_id}",
                "meeting_id": str(action.meeting_id or ""),
                "theme_id": str(action.theme_id or ""),
                "status": action.status,
                "outcome": action.outcome,
            }
        else:
            data = {"meeting_id": request.args.get("meeting", ""), "theme_id": request.args.get("theme", "")}
    form = ActionForm(data=data)
    form.owner.choices = [("", "Choose an owner")] + services.owner_choices(network)
    form.meeting_id.choices = _meeting_choices(network)
    form.theme_id.choices = _theme_choices(network)
    if (
        action is not None
        and action.meeting is not None
        and str(action.meeting_id) not in dict(form.meeting_id.choices)
    ):
        form.meeting_id.choices.append((str(action.meeting_id), action.meeting.title))  # older than the list
    if (
        action is not None
        and action.theme is not None
        and str(action.theme_id) not in dict(form.theme_id.choices)
    ):
        form.theme_id.choices.append((str(action.theme_id), action.theme.summary[:80]))
    return form


def _id(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 12 else None


@bp.route("/networks/<int:network_id>/actions/new", methods=["GET", "POST"])
def new(network_id: int):
    network, _ = load_network(network_id, "organise")
    form = _action_form(network)
    del form.status, form.outcome
    if form.validate_on_submit():
        try:
            action = services.record_action(
                network,
                current_user,
                description=form.description.data,
                owner=form.owner.data,
                due_on=form.due_on.data,
                meeting_id=_id(form.meeting_id.data),
                theme_id=_id(form.theme_id.data),
            )
        except services.ActionRuleError as problem:
            db.session.rollback()
            form.description.errors.append(str(problem))
        else:
            db.session.commit()
            flash(
                "Action recorded. It stays on the next agenda's matters arising until it is done or dropped.",
                "success",
            )
            return redirect(url_for(".show", action_id=action.id))
    return render_template("actions/edit.html", form=form, network=network, action=None)


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
def edit(action_id: int):
    action, _ = action_for(action_id, "organise")
    form = _action_form(action.network, action)
    if form.validate_on_submit():
        try:
            services.update_action(
                action,
                description=form.description.data,
                owner=form.owner.data,
                due_on=form.due_on.data,
                meeting_id=_id(form.meeting_id.data),
                theme_id=_id(form.theme_id.data),
                status=form.status.data or action.status,
                outcome=form.outcome.data or "",
            )
        except services.ActionRuleError as problem:
            db.session.rollback()
            form.description.errors.append(str(problem))
        else:
            db.session.commit()
            flash("Action saved.", "success")
            return redirect(url_for(".show", action_id=action.id))
    return render_template("actions/edit.html", form=form, network=action.network, action=action)


@bp.get("/actions/<int:action_id>")
def show(action_id: int):
    action, access = action_for(action_id)
    return _action_page(action, access, CloseActionForm())


def _action_page(action: Action, access, form: CloseActionForm, status: int = 200):
    can_close = access.can_organise or services.is_owner(action, g.membership)
    return render_template(
        "actions/show.html", action=action, access=access, form=form, can_close=can_close, today=_today()
    ), status


@bp.post("/actions/<int:action_id>/close")
def close(action_id: int):
    action, access = action_for(action_id, "close")
    form = CloseActionForm()
    if form.validate_on_submit():
        try:
            services.close_action(action, form.status.data, form.outcome.data)
        except services.ActionRuleError as problem:
            db.session.rollback()
            form.outcome.errors.append(str(problem))
        else:
            db.session.commit()
            flash(f"Action marked {action.status_label.lower()}.", "success")
            return redirect(url_for(".show", action_id=action.id))
    return _action_page(action, access, form, 400)


# You said, we did ----------------------------------------------------------------------------------


@bp.get("/networks/<int:network_id>/you-said-we-did")
def you_said(network_id: int):
    network, access = load_network(network_id, "organisation")
    page = services.page_of(network)
    if not services.can_read_you_said(network, access, page):
        abort(404)
    themes, answers = queries.themes(network)
    return render_template(
        "actions/you_said.html",
        network=network,
        access=access,
        page=page,
        themes=themes,
        answers=answers,
        authors=queries.quote_authors(themes),
        quote_text=queries.quote_text,
        share_form=ShareForm(),
        today=_today(),
    )


@bp.post("/networks/<int:network_id>/you-said-we-did/share")
def share(network_id: int):
    network, _ = load_network(network_id, "organise")
    if not ShareForm().validate_on_submit():
        abort(400)
    page = services.page_of(network)
    shared = not (page and page.shared_with_organisation)
    services.set_shared(network, shared)
    db.session.commit()
    flash(
        f"Everyone in {g.organisation.name} can now read this page."
        if shared
        else "Only the network's people can read this page now.",
        "success",
    )
    return redirect(url_for(".you_said", network_id=network.id))


def _theme_form(network: Network, theme: FeedbackTheme | None):
    data = None
    if request.method == "GET" and theme is not None:
        data = {
            "summary": theme.summary,
            "meeting_id": str(theme.meeting_id or ""),
            "quotes": [f"{q.response_id}-{q.field}" for q in theme.quotes],
            "action_ids": [
                str(a) for a in db.session.scalars(sa.select(Action.id).where(Action.theme_id == theme.id))
            ],
        }
    form = ThemeForm(data=data)
    comments = queries.quotable_comments(network)
    form.meeting_id.choices = [("", "Not one meeting in particular")] + _meeting_choices(network)[1:]
    form.quotes.choices = [(c.key, c.text) for c in comments]
    open_actions, closed = queries.network_actions(network)
    form.action_ids.choices = [
        (str(a.id), f"{a.description[:100]} ({a.status_label.lower()})") for a in open_actions + closed
    ]
    return form, comments


@bp.route("/networks/<int:network_id>/you-said-we-did/themes/new", methods=["GET", "POST"])
def new_theme(network_id: int):
    network, _ = load_network(network_id, "organise")
    return _save_theme(network, None)


@bp.route("/themes/<int:theme_id>/edit", methods=["GET", "POST"])
def edit_theme(theme_id: int):
    theme = get_for_organisation(FeedbackTheme, theme_id)
    network, _ = load_network(theme.network_id, "organise")
    return _save_theme(network, theme)


def _save_theme(network: Network, theme: FeedbackTheme | None):
    form, comments = _theme_form(network, theme)
    if form.validate_on_submit():
        try:
            services.save_theme(
                network,
                current_user,
                theme,
                summary=form.summary.data,
                meeting_id=_id(form.meeting_id.data),
                quotes=form.quotes.data or [],
                action_ids=[int(a) for a in form.action_ids.data or [] if _id(a)],
            )
        except services.ActionRuleError as problem:
            db.session.rollback()
            form.summary.errors.append(str(problem))
        else:
            db.session.commit()
            flash("Theme saved.", "success")
            return redirect(url_for(".you_said", network_id=network.id))
    return render_template("actions/theme.html", form=form, network=network, theme=theme, comments=comments)
