"""The organisation's school calendar: everyone in the organisation reads it; org admins add,
delete and import its terms, holidays and INSET days."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, g, redirect, render_template, url_for

from cluster.calendar import importing, services
from cluster.calendar.forms import CalendarEntryForm, CalendarImportForm, summary_errors
from cluster.calendar.models import CalendarEntry
from cluster.extensions import db
from cluster.tenancy.access import get_for_organisation, org_admin_required

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


@bp.app_template_filter("calendar_day")
def calendar_day(day: date) -> str:
    """Monday 31 May 2027."""
    return f"{day:%A} {day.day} {day:%B %Y}"


@bp.app_template_filter("calendar_span")
def calendar_span(starts_on: date, ends_on: date) -> str:
    """3 September to 23 October 2026; a single day as :func:`calendar_day`."""
    if starts_on == ends_on:
        return calendar_day(starts_on)
    first = f"{starts_on.day} {starts_on:%B}" + (
        "" if starts_on.year == ends_on.year else f" {starts_on.year}"
    )
    return f"{first} to {ends_on.day} {ends_on:%B %Y}"


@bp.get("")
def index():
    return _page()


@bp.post("/entries")
@org_admin_required
def add():
    form = CalendarEntryForm()
    if form.validate_on_submit():
        kind, name, starts_on = form.kind.data, form.name.data.strip(), form.starts_on.data
        ends_on = form.ends_on.data or starts_on
        problems = services.entry_problems(kind, name, starts_on, ends_on)
        for field, message in problems.items():
            getattr(form, field).errors.append(message)
        if not problems and services.is_duplicate(g.organisation, kind, name, starts_on, ends_on):
            form.name.errors.append(
                f"{name} ({calendar_span(starts_on, ends_on)}) is already in the calendar"
            )
        elif not problems:
            entry = services.add_entry(g.organisation, kind, name, starts_on, ends_on)
            db.session.commit()
            flash(f"Added {entry.name}: {calendar_span(entry.starts_on, entry.ends_on)}.", "success")
            return redirect(url_for(".index"))
    return _page(entry_form=form), 400


@bp.post("/<int:entry_id>/delete")
@org_admin_required
def delete(entry_id: int):
    entry = get_for_organisation(CalendarEntry, entry_id)
    services.delete_entry(entry)
    db.session.commit()
    flash(f"Deleted {entry.name}: {calendar_span(entry.starts_on, entry.ends_on)}.", "success")
    return redirect(url_for(".index"))


@bp.post("/import")
@org_admin_required
def import_file():
    form, report = CalendarImportForm(), None
    if form.validate_on_submit():
        upload = form.file.data
        if not upload or not getattr(upload, "filename", ""):
            form.file.errors.append("Choose a CSV file to import")
        else:
            try:
                report = importing.import_calendar_csv(g.organisation, importing.decode_csv(upload.read()))
            except importing.CalendarFormatError as problem:
                form.file.errors.append(str(problem))
            else:
                db.session.commit()
    return _page(import_form=form, report=report), 200 if report else 400


def _page(
    entry_form: CalendarEntryForm | None = None,
    import_form: CalendarImportForm | None = None,
    report: importing.CalendarImport | None = None,
):
    """The calendar page: this academic year and the next; the forms for admins only."""
    if g.membership.is_admin:
        entry_form = entry_form or CalendarEntryForm(formdata=None)
        import_form = import_form or CalendarImportForm(formdata=None)
    years = services.calendar_years(g.organisation, services.academic_year_of(services.london_today()))
    errors = summary_errors(*[f for f in (entry_form, import_form) if f is not None])
    return render_template(
        "calendar/index.html",
        years=years,
        entry_form=entry_form,
        import_form=import_form,
        report=report,
        errors=errors,
    )
