"""Pages of the speakers directory, of bookings, and the speaker's own answer page (no account)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from cluster.extensions import db, utcnow
from cluster.meetings.access import load_meeting
from cluster.speakers import notify, queries, services
from cluster.speakers.forms import ActionForm, AnswerForm, BookingForm, SpeakerForm, StatusForm
from cluster.speakers.models import AGENCIES, Speaker, SpeakerBooking
from cluster.speakers.services import BookingDraft, SpeakerDraft, SpeakerRuleError
from cluster.tenancy.access import get_for_organisation
from cluster.ui.filters import viewer_zone
from cluster.ui.paging import requested_page
from cluster.ui.panels import Panels

bp = Blueprint("speakers", __name__)
#: The speaker's answer to an invitation: outside any organisation, the emailed token is the key.
answer_bp = Blueprint("speaker_answer", __name__)

#: Blocks other domains add to a speaker's page (members' ratings of their sessions), called with
#: the speaker and the past sessions the viewer may see.
SPEAKER_PANELS = Panels("speaker page panels")


def meeting_page_bookings(meeting, access) -> list[SpeakerBooking]:
    """Every booking of a meeting, for its page (the template shows organisers all of them)."""
    return queries.meeting_bookings(meeting.id)


def meeting_speaker_bookings(meeting) -> list[SpeakerBooking]:
    """The active bookings of a meeting, for other domains' pages (the meeting page, the agenda
    builder): one statement."""
    return queries.bookings_by_meeting([meeting.id])[meeting.id]


def _editor_required() -> None:
    if not services.can_edit_directory(g.membership):
        abort(403)


def _filters() -> queries.Filters:
    args = request.args
    return queries.Filters(q=args.get("q", ""), agency=args.get("agency", ""), topic=args.get("topic", ""))


@bp.get("/speakers")
def index():
    filters = _filters()
    results = queries.search(g.organisation.id, filters, requested_page())
    return render_template(
        "speakers/index.html",
        filters=filters,
        results=results,
        agencies=AGENCIES,
        demand=queries.topic_demand(g.membership),
        can_edit=services.can_edit_directory(g.membership),
    )


def _draft(form: SpeakerForm) -> SpeakerDraft:
    return SpeakerDraft(
        name=form.name.data or "",
        agency=form.agency.data or "",
        organisation_name=form.organisation_name.data or "",
        topics=form.topics.data or "",
        email=form.email.data or "",
        phone=form.phone.data or "",
        consent_given=bool(form.consent_given.data),
        consent_note=form.consent_note.data or "",
        notes=form.notes.data or "",
    )


def _rule_error(form, problem: SpeakerRuleError) -> None:
    field = getattr(form, problem.field, None) if problem.field else None
    (field if field is not None else form.submit).errors.append(str(problem))


@bp.route("/speakers/new", methods=["GET", "POST"])
def new():
    _editor_required()
    form = SpeakerForm()
    if form.validate_on_submit():
        try:
            speaker = services.add_speaker(g.organisation.id, _draft(form), current_user)
        except SpeakerRuleError as problem:
            db.session.rollback()
            _rule_error(form, problem)
        else:
            db.session.commit()
            flash(f"{speaker.name} added to the directory.", "success")
            return redirect(url_for(".show", speaker_id=speaker.id))
    return render_template("speakers/edit.html", form=form, speaker=None)


@bp.get("/speakers/<int:speaker_id>")
def show(speaker_id: int):
    speaker = get_for_organisation(Speaker, speaker_id)
    can_edit = services.can_edit_directory(g.membership)
    upcoming, past = queries.sessions(speaker, utcnow(), g.membership)
    return render_template(
        "speakers/show.html",
        speaker=speaker,
        upcoming=upcoming,
        past=past,
        can_edit=can_edit,
        panels=SPEAKER_PANELS.load(speaker, past),
        action_form=ActionForm(),
    )


@bp.route("/speakers/<int:speaker_id>/edit", methods=["GET", "POST"])
def edit(speaker_id: int):
    _editor_required()
    speaker = get_for_organisation(Speaker, speaker_id)
    data = None
    if request.method == "GET":
        data = {
            "name": speaker.name,
            "agency": speaker.agency,
            "organisation_name": speaker.organisation_name,
            "topics": ", ".join(speaker.topic_list),
            "email": speaker.email,
            "phone": speaker.phone,
            "consent_note": speaker.consent_note,
            "notes": speaker.notes,
        }
    form = SpeakerForm(data=data)
    if form.validate_on_submit():
        try:
            services.update_speaker(speaker, _draft(form), current_user)
        except SpeakerRuleError as problem:
            db.session.rollback()
            speaker = get_for_organisation(Speaker, speaker_id)
            _rule_error(form, problem)
        else:
            db.session.commit()
            flash("Speaker saved.", "success")
            return redirect(url_for(".show", speaker_id=speaker.id))
    return render_template("speakers/edit.html", form=form, speaker=speaker)


@bp.post("/speakers/<int:speaker_id>/erase-contact")
def erase_contact(speaker_id: int):
    _editor_required()
    speaker = get_for_organisation(Speaker, speaker_id)
    if ActionForm().validate_on_submit():
        services.erase_contact(speaker, current_user)
        db.session.commit()
        flash("Contact details and the record of agreement erased. The erasure is recorded.", "success")
    return redirect(url_for(".show", speaker_id=speaker.id))


# Bookings ---------------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/speakers/new", methods=["GET", "POST"])
def book(meeting_id: int):
    meeting, _ = load_meeting(meeting_id, "organise")
    chosen = request.args.get("speaker", "") if request.method == "GET" else None
    form = BookingForm(data={"speaker_id": chosen} if chosen else None)
    form.speaker_id.choices = [("", "Choose a speaker")] + [
        (str(i), label) for i, label in queries.choosable(g.organisation.id)
    ]
    slots = services.agenda_slots(meeting)
    form.agenda_slot_id.choices = [("", "Not tied to an agenda entry")] + [
        (str(s.id), s.title) for s in slots
    ]
    if meeting.status in ("cancelled", "held"):
        flash(f"This meeting is {meeting.status_label.lower()}: speakers can no longer be invited.", "info")
        return redirect(url_for("org.meetings.show", meeting_id=meeting.id))
    if form.validate_on_submit():
        speaker = (
            db.session.get(Speaker, int(form.speaker_id.data)) if form.speaker_id.data.isdigit() else None
        )
        if speaker is None or speaker.organisation_id != g.organisation.id:
            form.speaker_id.errors.append("Choose a speaker")
        else:
            slot = form.agenda_slot_id.data
            draft = BookingDraft(
                topic=form.topic.data or "",
                start=form.start.data,
                minutes=form.minutes.data,
                agenda_slot_id=int(slot) if slot and slot.isdigit() and len(slot) < 18 else None,
            )
            if slot and draft.agenda_slot_id is None:
                form.agenda_slot_id.errors.append("Choose an entry of this meeting's agenda")
            else:
                try:
                    booking, token = services.book(speaker, meeting, draft, current_user)
                except SpeakerRuleError as problem:
                    db.session.rollback()
                    _rule_error(form, problem)
                else:
                    db.session.commit()
                    sent = notify.invitation(booking, token)
                    flash(
                        f"{speaker.name} invited."
                        + (
                            " They have been emailed the details and the calendar entry."
                            if sent
                            else " The directory has no email address for them: tell them yourself."
                        ),
                        "success",
                    )
                    return redirect(url_for(".booking", booking_id=booking.id))
    return render_template("speakers/book.html", form=form, meeting=meeting)


def _booking_to_organise(booking_id: int) -> SpeakerBooking:
    """The booking, loaded as its meeting is for its organisers (:func:`load_meeting`)."""
    booking = get_for_organisation(SpeakerBooking, booking_id)
    load_meeting(booking.meeting_id, "organise")
    return booking


@bp.get("/speaker-bookings/<int:booking_id>")
def booking(booking_id: int):
    booking = _booking_to_organise(booking_id)
    form = StatusForm(data={"status": booking.status})
    return _booking_page(booking, form)


def _booking_page(booking: SpeakerBooking, form: StatusForm):
    form.status.choices = [
        (key, label)
        for key, label in form.status.choices
        if key == booking.status or key in services.TRANSITIONS[booking.status]
    ]
    return render_template(
        "speakers/booking.html",
        booking=booking,
        form=form,
        session=notify.session_text(booking, viewer_zone()),
    )


@bp.post("/speaker-bookings/<int:booking_id>/status")
def booking_status(booking_id: int):
    booking = _booking_to_organise(booking_id)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            previous = services.set_status(booking, form.status.data)
            token = (
                services.renew_token(booking) if booking.status == "asked" and previous != "asked" else None
            )
        except SpeakerRuleError as problem:
            db.session.rollback()
            booking = get_for_organisation(SpeakerBooking, booking_id)
            form.status.errors.append(str(problem))
        else:
            db.session.commit()
            told = False
            ahead = booking.meeting.ends_at > utcnow() and booking.meeting.status != "cancelled"
            if booking.status == "cancelled" and previous in ("asked", "confirmed") and ahead:
                told = notify.cancellation(booking)
            elif token and ahead:
                told = notify.invitation(booking, token)
            flash(
                f"Status: {booking.status_label.lower()}."
                + (" The speaker has been emailed." if told else ""),
                "success",
            )
            return redirect(url_for(".booking", booking_id=booking.id))
    return _booking_page(booking, form), 400


@answer_bp.route("/speaker-invitations/<token>", methods=["GET", "POST"])
def answer(token: str):
    """The speaker confirms or declines (GET shows the choice: link scanners must not answer).
    A wrong token is 404; once answered, the page only says what was answered."""
    booking = services.booking_for_token(token)
    if booking is None:
        abort(404)
    form = AnswerForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.answer(booking, form.answer.data == "confirm")
        except SpeakerRuleError as problem:
            form.answer.errors.append(str(problem))
        else:
            db.session.commit()
            return redirect(url_for(".answer", token=token))
    return render_template(
        "speakers/answer.html",
        booking=booking,
        form=form,
        open=services.answer_open(booking),
        session=notify.session_text(booking, notify.SPEAKER_ZONE),
    ), (400 if form.errors else 200)
