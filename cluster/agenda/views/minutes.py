"""Minutes per agenda entry (organisers and the named minute-taker), and closing the agenda
after the meeting, which carries unfinished items over to the proposals list."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from cluster.agenda import planning, queries
from cluster.agenda.access import standing_of
from cluster.agenda.forms import CloseForm, MinutesForm
from cluster.agenda.minutes import MinutesConflict, can_close, close_agenda, revisions, save_minutes
from cluster.agenda.models import AgendaSlot
from cluster.agenda.services import AgendaRuleError
from cluster.agenda.views import bp
from cluster.extensions import db
from cluster.meetings.access import load_meeting
from cluster.tenancy.access import get_for_organisation


@bp.route("/meetings/<int:meeting_id>/minutes/<int:slot_id>", methods=["GET", "POST"])
def minutes(meeting_id: int, slot_id: int):
    """Record one entry's minutes and decisions. A save from a page loaded before someone
    else's save is refused, and both texts are shown, so nobody's words are lost silently."""
    meeting, access = load_meeting(meeting_id)
    standing = standing_of(access)
    agenda = planning.agenda_of(meeting)
    slot = get_for_organisation(
        AgendaSlot, slot_id, joinedload(AgendaSlot.item), joinedload(AgendaSlot.minutes_updated_by)
    )
    if agenda is None or slot.agenda_id != agenda.id:
        abort(404)
    if not standing.can_take_minutes(agenda):
        abort(403)
    view = queries.agenda_view(meeting, agenda)
    timed = next((entry for entry in view.plan.entries if entry.entry.id == slot.id), None)
    form = MinutesForm(
        data=None
        if request.method == "POST"
        else {
            "minutes_text": slot.minutes_text,
            "decisions": slot.decisions,
            "version": str(slot.minutes_version),
        }
    )
    conflict, status = None, 200
    if form.validate_on_submit():
        try:
            if form.loaded_version is None:
                raise AgendaRuleError(
                    "This form is out of date. Copy your text, reload the page and try again.", "minutes_text"
                )
            save_minutes(
                slot,
                current_user,
                form.loaded_version,
                form.minutes_text.data or "",
                form.decisions.data or "",
            )
        except MinutesConflict as clash:
            db.session.rollback()
            conflict, status = clash, 409
            form.minutes_text.errors = [*form.minutes_text.errors, str(clash)]
            # Saving again now replaces their version, knowingly.
            form.version.data = str(clash.current.minutes_version)
        except AgendaRuleError as refused:
            db.session.rollback()
            field = getattr(form, refused.field, form.minutes_text)
            field.errors = [*field.errors, str(refused)]
            status = 400
        else:
            db.session.commit()
            flash(f"Minutes of “{slot.title}” saved.", "success")
            return redirect(url_for(".show", meeting_id=meeting.id) + f"#entry-{slot.id}")
    elif request.method == "POST":
        status = 400
    return render_template(
        "agenda/minutes.html",
        meeting=meeting,
        agenda=agenda,
        slot=slot,
        timed=timed,
        form=form,
        conflict=conflict.current if conflict else None,
        history=revisions(slot),
    ), status


@bp.route("/meetings/<int:meeting_id>/agenda/close", methods=["GET", "POST"])
def close(meeting_id: int):
    """After the meeting: say what happened to each proposed item, and close the agenda.
    Items not reached or deferred go back to the proposals list."""
    meeting, access = load_meeting(meeting_id, "organise")
    standing = standing_of(access)
    agenda = planning.agenda_of(meeting)
    if agenda is None or agenda.status == "closed":
        flash(
            "This meeting has no agenda to close." if agenda is None else "This agenda is already closed.",
            "info",
        )
        return redirect(url_for(".show", meeting_id=meeting.id))
    view = queries.agenda_view(meeting, agenda)
    items = [slot for slot in view.slots if slot.item is not None]
    form, errors, chosen, status = CloseForm(), {}, {}, 200
    if request.method == "POST" and not can_close(meeting):
        flash("You can close the agenda once the meeting has started.", "info")
        return redirect(url_for(".close", meeting_id=meeting.id))
    if request.method == "POST":
        outcomes, errors = form.read(items, request.form) if meeting.status != "cancelled" else ({}, {})
        chosen = outcomes
        if not form.validate_on_submit():
            errors["close"] = "This form is out of date. Reload the page and try again."
        if not errors:
            try:
                carried = close_agenda(agenda, outcomes)
            except AgendaRuleError as refused:
                db.session.rollback()
                errors[refused.field or "close"] = str(refused)
            else:
                db.session.commit()
                flash(
                    f"The agenda is closed. {len(carried)} {'item goes' if len(carried) == 1 else 'items go'} back to "
                    "the proposals list, with their supports."
                    if carried
                    else "The agenda is closed.",
                    "success",
                )
                return redirect(url_for(".show", meeting_id=meeting.id))
        status = 400
    return render_template(
        "agenda/close.html",
        meeting=meeting,
        view=view,
        items=items,
        errors=errors,
        chosen=chosen,
        can_close=can_close(meeting),
        standing=standing,
    ), status
