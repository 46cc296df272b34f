"""A meeting's agenda: the page everyone reads, the organiser's builder (start, place, order,
time, publish), the printable view and the plain export for the minute-taker."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cluster.agenda import notify, planning, queries
from cluster.agenda.access import AgendaStanding, standing_of
from cluster.agenda.export import agenda_markdown
from cluster.agenda.forms import MinuteTakerForm, PlanForm, read_id, read_move
from cluster.agenda.minutes import can_close
from cluster.agenda.models import AgendaItem, StandingItem
from cluster.agenda.planning import PlanConflict
from cluster.agenda.services import AgendaRuleError, standing_items
from cluster.agenda.views import AGENDA_BUILDER_PANELS, bp
from cluster.extensions import db
from cluster.meetings.access import load_meeting
from cluster.meetings.models import Meeting
from cluster.meetings.services import network_people
from cluster.tenancy.access import get_for_organisation
from cluster.ui.filters import format_datetime, viewer_zone
from cluster.ui.paging import requested_page

AGENDA = "/meetings/<int:meeting_id>/agenda"


@bp.get(AGENDA)
def show(meeting_id: int):
    """The agenda with its times, and the minutes recorded so far (drafts for organisers only)."""
    meeting, access = load_meeting(meeting_id)
    standing = standing_of(access)
    view = queries.agenda_view(meeting)
    return render_template(
        "agenda/show.html",
        meeting=meeting,
        standing=standing,
        view=view,
        visible=standing.can_see(view.agenda),
        can_close=can_close(meeting),
    )


@bp.get(AGENDA + "/build")
def build(meeting_id: int):
    meeting, access = load_meeting(meeting_id, "organise")
    standing = standing_of(access)
    return _builder(meeting, standing)


def _builder(
    meeting: Meeting,
    standing: AgendaStanding,
    *,
    errors: dict[str, str] | None = None,
    posted=None,
    taker_form: MinuteTakerForm | None = None,
    status: int = 200,
):
    """The builder: the timed plan (with what was typed, after a refusal), the ranked proposals
    and what else can be added, publishing and the minute-taker. A fixed number of queries."""
    view = queries.agenda_view(meeting)
    page = requested_page()
    found, candidates, school_count = None, [], 0
    standing_choices, people = [], []
    if view.agenda is not None:
        groups = queries.network_phase_groups(meeting.network)
        school_count = sum(groups.values())
        found, candidates = queries.candidates_page(meeting.network, meeting, groups, page)
        on_agenda = {slot.standing_item_id for slot in view.slots}
        standing_choices = [s for s in standing_items(meeting.network) if s.id not in on_agenda]
        people = network_people(meeting.network)
        if taker_form is None:
            taker_form = MinuteTakerForm(
                people=people, data={"minute_taker_id": str(view.agenda.minute_taker_id or "none")}
            )
    return render_template(
        "agenda/build.html",
        meeting=meeting,
        standing=standing,
        view=view,
        found=found,
        candidates=candidates,
        standing_choices=standing_choices,
        taker_form=taker_form,
        errors=errors or {},
        posted=posted,
        can_close=can_close(meeting),
        school_count=school_count,
        builder_panels=AGENDA_BUILDER_PANELS.load(meeting),
    ), status


@bp.post(AGENDA + "/start")
def start(meeting_id: int):
    meeting, _ = load_meeting(meeting_id, "organise")
    try:
        planning.start_agenda(meeting)
    except AgendaRuleError as refused:
        flash(str(refused), "info")
        return redirect(url_for("org.meetings.show", meeting_id=meeting.id))
    db.session.commit()
    flash("Agenda started, with the network's standing items. Add proposals below.", "success")
    return redirect(url_for(".build", meeting_id=meeting.id))


@bp.post(AGENDA + "/plan")
def save_plan(meeting_id: int):
    """The builder's one form: save times and presenters, move or remove an entry, or add a
    proposal, a standing item or a break; every button saves what was typed first."""
    meeting, access = load_meeting(meeting_id, "organise")
    standing = standing_of(access)
    agenda = planning.agenda_of(meeting)
    if agenda is None:
        return redirect(url_for(".build", meeting_id=meeting.id))
    form = PlanForm()
    slots = planning.slots_of(agenda)
    edits, errors = form.read(slots, request.form)
    if not form.validate_on_submit() or form.loaded_version is None:
        errors["plan"] = "This form is out of date. Reload the page and try again."
    if errors:
        return _builder(meeting, standing, errors=errors, posted=request.form, status=400)
    try:
        planning.save_plan(
            agenda, form.loaded_version, edits, read_move(request.form), read_id(request.form.get("remove"))
        )
        message = _placement_message(agenda, request.form.get("place", "")) or "The agenda is saved."
    except AgendaRuleError as refused:
        db.session.rollback()
        conflict = isinstance(refused, PlanConflict)
        return _builder(
            meeting,
            standing,
            errors={refused.field or "plan": str(refused)},
            posted=None if conflict else request.form,
            status=409 if conflict else 400,
        )
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".build", meeting_id=meeting.id) + _anchor(request.form))


def _placement_message(agenda, choice: str) -> str | None:
    """Add what the pressed ``place`` button names: "item:<id>", "standing:<id>" or "break"."""
    kind, _, raw_id = choice.partition(":")
    if kind == "break":
        planning.add_break(agenda)
        return "A break is added before the closing items: move it where it belongs."
    object_id = read_id(raw_id)
    if kind == "item" and object_id is not None:
        item = get_for_organisation(AgendaItem, object_id)
        planning.place_item(agenda, item)
        return f"“{item.title}” is on the agenda."
    if kind == "standing" and object_id is not None:
        planning.add_standing(agenda, get_for_organisation(StandingItem, object_id))
        return "The standing item is back on the agenda."
    return None


def _anchor(form) -> str:
    """Back to the plan after moving an entry, so keyboard users stay where they were."""
    return "#plan" if form.get("move") or form.get("remove") or form.get("place") else ""


@bp.post(AGENDA + "/publish")
def publish(meeting_id: int):
    """Publish: everyone in the network is emailed the timed agenda; proposers of newly placed
    items are told theirs is on it."""
    meeting, _ = load_meeting(meeting_id, "organise")
    agenda = planning.agenda_of(meeting)
    if agenda is None:
        flash("Start the agenda first.", "info")
        return redirect(url_for(".build", meeting_id=meeting.id))
    again = agenda.published_at is not None
    try:
        to_tell = planning.publish(agenda, current_user)
    except AgendaRuleError as refused:
        db.session.rollback()
        flash(str(refused), "info")
        return redirect(url_for(".build", meeting_id=meeting.id))
    view = queries.agenda_view(meeting, agenda)
    people = network_people(meeting.network)
    messages = notify.published_messages(view, people, queries.proposers_of(to_tell), again)
    db.session.commit()
    sent = notify.send(messages)
    flash(
        f"The agenda is published and emailed to {len(people)} {'person' if len(people) == 1 else 'people'}."
        if sent
        else "The agenda is published, but the emails could not be sent: try publishing again later.",
        "success",
    )
    return redirect(url_for(".show", meeting_id=meeting.id))


@bp.post(AGENDA + "/minute-taker")
def minute_taker(meeting_id: int):
    meeting, access = load_meeting(meeting_id, "organise")
    standing = standing_of(access)
    agenda = planning.agenda_of(meeting)
    if agenda is None:
        return redirect(url_for(".build", meeting_id=meeting.id))
    form = MinuteTakerForm(people=network_people(meeting.network))
    if form.validate_on_submit():
        choice = form.minute_taker_id.data
        try:
            planning.set_minute_taker(agenda, None if choice == "none" else read_id(choice))
        except AgendaRuleError as refused:
            db.session.rollback()
            form.minute_taker_id.errors = [*form.minute_taker_id.errors, str(refused)]
        else:
            db.session.commit()
            flash("Minute-taker saved.", "success")
            return redirect(url_for(".build", meeting_id=meeting.id))
    return _builder(meeting, standing, taker_form=form, status=400)


def _public_view(meeting_id: int):
    """The agenda for print and export: members once published, organisers and the minute-taker always."""
    meeting, access = load_meeting(meeting_id)
    standing = standing_of(access)
    view = queries.agenda_view(meeting)
    if not standing.can_see(view.agenda):
        abort(404)
    return meeting, standing, view


@bp.get(AGENDA + "/print")
def print_view(meeting_id: int):
    meeting, standing, view = _public_view(meeting_id)
    return render_template("agenda/print.html", meeting=meeting, view=view, standing=standing)


@bp.get(AGENDA + "/agenda.md")
def export(meeting_id: int):
    """The agenda (and any minutes) as Markdown text, for the minute-taker's own editor."""
    meeting, _, view = _public_view(meeting_id)
    day = format_datetime(meeting.starts_at, "%Y-%m-%d")
    return Response(
        agenda_markdown(view, viewer_zone()),
        content_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="agenda-{day}.md"'},
    )


def agenda_for_meeting(meeting: Meeting, access) -> dict:
    """What the meeting page shows of the agenda (templates/agenda/_meeting_block.html): the
    published agenda and minutes for everyone, the draft for organisers. Two or three queries."""
    standing = standing_of(access)
    agenda = planning.agenda_of(meeting)
    view = queries.agenda_view(meeting, agenda, find=False) if standing.can_see(agenda) else None
    return {"standing": standing, "agenda": agenda, "view": view}
