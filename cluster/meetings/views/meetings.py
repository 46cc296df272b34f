"""A network's meetings (its programme), each meeting's page, replies, and the organisers' changes:
new, edit, schedule, held, cancel; a meeting as an .ics file."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cluster.extensions import db
from cluster.meetings import notify, services
from cluster.meetings.access import load_meeting
from cluster.meetings.feed import meeting_ics
from cluster.meetings.forms import CancelForm, MeetingForm, RsvpForm
from cluster.meetings.models import Meeting
from cluster.meetings.services import MeetingRuleError
from cluster.meetings.views import MEETING_PANELS, bp
from cluster.networks.access import load_network
from cluster.networks.models import Network
from cluster.timeutil import local_to_utc, to_local
from cluster.ui.paging import requested_page


@bp.get("/networks/<int:network_id>/meetings")
def programme(network_id: int):
    network, access = load_network(network_id)
    page = requested_page()
    return render_template(
        "meetings/programme.html",
        network=network,
        access=access,
        upcoming=services.upcoming(network, include_drafts=access.can_organise),
        past=services.past_page(network, page, include_drafts=access.can_organise),
    )


@bp.route("/networks/<int:network_id>/meetings/new", methods=["GET", "POST"])
def new(network_id: int):
    network, _ = load_network(network_id, "organise")
    form = _meeting_form(network)
    if form.validate_on_submit():
        try:
            meeting = services.create_meeting(
                network, created_by=current_user, status=form.status.data or "draft", **_fields(form)
            )
        except MeetingRuleError as problem:
            form.day.errors.append(str(problem))
        else:
            db.session.commit()
            flash(
                "Meeting saved."
                if meeting.status == "draft"
                else "Meeting scheduled: members can see it and reply.",
                "success",
            )
            return redirect(url_for(".show", meeting_id=meeting.id))
    return render_template("meetings/edit.html", form=form, network=network, meeting=None)


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
def edit(meeting_id: int):
    meeting, _ = load_meeting(meeting_id, "organise")
    if meeting.status in ("cancelled", "held"):
        flash(f"This meeting is {meeting.status_label.lower()} and can no longer be changed.", "info")
        return redirect(url_for(".show", meeting_id=meeting.id))
    form = _meeting_form(meeting.network, meeting)
    del form.status
    if form.validate_on_submit():
        try:
            newsworthy = services.update_meeting(meeting, **_fields(form))
        except MeetingRuleError as problem:
            form.day.errors.append(str(problem))
        else:
            people = services.people_to_tell(meeting) if newsworthy else []
            db.session.commit()
            if newsworthy:
                notify.meeting_changed(meeting, people)
            flash(
                "Meeting saved." + (f" {len(people)} people have been told of the change." if people else ""),
                "success",
            )
            return redirect(url_for(".show", meeting_id=meeting.id))
    return render_template("meetings/edit.html", form=form, network=meeting.network, meeting=meeting)


def _meeting_form(network: Network, meeting: Meeting | None = None) -> MeetingForm:
    data = None
    if meeting is not None and request.method == "GET":
        starts, ends = to_local(meeting.starts_at), to_local(meeting.ends_at)
        data = {
            "title": meeting.title,
            "day": starts.date(),
            "start": starts.time(),
            "end": ends.time(),
            "host_school_id": str(meeting.host_school_id or ""),
            "address": meeting.address,
            "online_url": meeting.online_url,
            "refreshments": meeting.refreshments,
            "capacity": meeting.capacity,
            "description": meeting.description,
        }
    form = MeetingForm(data=data)
    form.host_school_id.choices = [("", "Not at a member school")] + [
        (str(s.id), s.name) for s in services.member_schools(network)
    ]
    return form


def _fields(form: MeetingForm) -> dict:
    return {
        "title": form.title.data.strip(),
        "starts_at": local_to_utc(form.day.data, form.start.data),
        "ends_at": local_to_utc(form.day.data, form.end.data),
        "host_school_id": int(form.host_school_id.data) if form.host_school_id.data else None,
        "address": (form.address.data or "").strip(),
        "online_url": (form.online_url.data or "").strip(),
        "refreshments": (form.refreshments.data or "").strip(),
        "capacity": form.capacity.data,
        "description": form.description.data or "",
    }


@bp.get("/meetings/<int:meeting_id>")
def show(meeting_id: int):
    meeting, access = load_meeting(meeting_id)
    rsvp = services.rsvp_of(meeting, current_user)
    form = RsvpForm(
        data={"response": rsvp.response, "mode": rsvp.mode, "needs": rsvp.needs} if rsvp else None
    )
    return _meeting_page(meeting, access, form, rsvp)


@bp.post("/meetings/<int:meeting_id>/reply")
def reply(meeting_id: int):
    meeting, access = load_meeting(meeting_id)
    form = RsvpForm()
    if form.validate_on_submit():
        try:
            services.set_rsvp(
                meeting, current_user, form.response.data, form.mode.data, form.needs.data or ""
            )
        except MeetingRuleError as problem:
            form.response.errors.append(str(problem))
        else:
            db.session.commit()
            flash(
                "Thank you: your reply is saved. You can change it at any time before the meeting.", "success"
            )
            return redirect(url_for(".show", meeting_id=meeting.id))
    return _meeting_page(meeting, access, form, services.rsvp_of(meeting, current_user)), 400


def _meeting_page(meeting: Meeting, access, form: RsvpForm, rsvp):
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        access=access,
        rsvp=rsvp,
        form=form,
        summary=services.reply_summary(meeting),
        cancel_form=CancelForm(),
        panels=MEETING_PANELS.load(meeting, access),
    )


@bp.post("/meetings/<int:meeting_id>/schedule")
def schedule(meeting_id: int):
    meeting, _ = load_meeting(meeting_id, "organise")
    return _transition(meeting, services.schedule_meeting, "Meeting scheduled: members can see it and reply.")


@bp.post("/meetings/<int:meeting_id>/held")
def held(meeting_id: int):
    meeting, _ = load_meeting(meeting_id, "organise")
    return _transition(meeting, services.mark_held, "Marked as held. You can now take the register.")


def _transition(meeting: Meeting, change, message: str):
    try:
        change(meeting)
    except MeetingRuleError as problem:
        flash(str(problem), "info")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for(".show", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
def cancel(meeting_id: int):
    meeting, _ = load_meeting(meeting_id, "organise")
    form = CancelForm()
    if form.validate_on_submit():
        was_scheduled = meeting.status == "scheduled"
        try:
            services.cancel_meeting(meeting, form.reason.data)
        except MeetingRuleError as problem:
            form.reason.errors.append(str(problem))
        else:
            people = services.people_to_tell(meeting) if was_scheduled else []
            db.session.commit()
            notify.meeting_cancelled(meeting, people)
            flash(
                "Meeting cancelled." + (f" {len(people)} people have been told." if people else ""), "success"
            )
            return redirect(url_for(".show", meeting_id=meeting.id))
    return render_template("meetings/cancel.html", meeting=meeting, form=form)


@bp.get("/meetings/<int:meeting_id>/calendar.ics")
def ics(meeting_id: int):
    """One meeting to add to a calendar, with the feed's UID so that it is never duplicated."""
    meeting, _ = load_meeting(meeting_id)
    return Response(
        meeting_ics(meeting),
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="meeting-{meeting.id}.ics"'},
    )
