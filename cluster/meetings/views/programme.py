"""Planning a year's programme at once (organisers of the network and org admins only).

GET shows the rule form; the organiser previews the dates the rule gives, with their clashes
flagged, unticks or moves single meetings, and creates them. Nothing is created before the
organiser has seen the flags of every date they create. The rules are :mod:`cluster.meetings.programme`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from cluster.calendar import services as calendar
from cluster.calendar.forms import summary_errors
from cluster.calendar.models import CalendarEntry
from cluster.extensions import db
from cluster.meetings.forms import MAX_ROWS, PlanForm, RowsForm
from cluster.meetings.programme import create_programme, programme_flags
from cluster.meetings.series import ORDINALS, WEEKDAYS, Candidate, meeting_title, plan_series
from cluster.meetings.services import MeetingRuleError
from cluster.meetings.views import bp
from cluster.networks.access import load_network
from cluster.networks.models import Network
from cluster.ui.filters import plural


@bp.route("/networks/<int:network_id>/programme/plan", methods=["GET", "POST"])
def plan(network_id: int):
    """GET: the rule form. POST action=preview: the rule's dates with their flags. action=check:
    the flags of dates the organiser moved. action=create: the series and its meetings, unless a
    ticked date moved since its flags were shown (then it is checked instead)."""
    network, _ = load_network(network_id, "organise", options=[selectinload(Network.schools)])
    today = calendar.london_today()
    page = _plan_page(network, today)
    form = page.form
    if not form.validate_on_submit():
        return page.render(status=400 if request.method == "POST" else 200)
    year_terms = [t for t in page.terms if calendar.academic_year_of(t.starts_on) == form.year.data]
    if not year_terms:
        form.year.errors.append(
            f"There are no term dates for {calendar.academic_year_label(form.year.data)} yet"
        )
        return page.render(status=400)
    planned = plan_series(year_terms, form.rule())
    action = request.form.get("action")
    rows = RowsForm(request.form) if action in ("check", "create") else None
    if rows is None or not rows.rows:
        return page.render(*_preview(network, planned.candidates, form.start.data, today), planned.skipped)
    moved, repeats, flags = _recheck(network, rows, form.year.data, form.start.data, today)
    if action == "check" or moved or repeats:
        return page.render(rows, flags, planned.skipped, notice=_notice(moved, repeats))
    if not _valid_choice(rows):
        return page.render(rows, flags, planned.skipped, status=400)
    return _create(network, form, rows) or page.render(rows, flags, planned.skipped, status=400)


@dataclass
class _PlanPage:
    """The planner page: its network, its rule form and the half terms of the years offered."""

    network: Network
    form: PlanForm
    terms: list[CalendarEntry]

    def render(
        self,
        rows: RowsForm | None = None,
        flags: dict | None = None,
        skipped: Sequence = (),
        *,
        notice: str | None = None,
        status: int = 200,
    ):
        choices = self.form.year.choices
        counts = {
            year: sum(calendar.academic_year_of(t.starts_on) == year for t in self.terms)
            for year, _ in choices
        }
        rule = self.form.rule() if rows is not None else None
        return render_template(
            "meetings/plan.html",
            network=self.network,
            form=self.form,
            rows=rows,
            flags=flags or {},
            notice=notice,
            rule=rule,
            skipped=", ".join(t.name for t in skipped),
            meeting_title=meeting_title,
            words=(ORDINALS[rule.ordinal], WEEKDAYS[rule.weekday]) if rule else None,
            missing_years=[label for year, label in choices if not counts[year]],
            year_hints=[{"hint": {"text": _terms_in_words(counts[year])}} for year, _ in choices],
            errors=summary_errors(*[f for f in (self.form, rows) if f is not None]),
        ), status


def _terms_in_words(count: int) -> str:
    return f"{plural(count, 'half term')} in the school calendar" if count else "No term dates yet"


def _plan_page(network: Network, today: date) -> _PlanPage:
    """The rule form offering this academic year and the next, and the half terms of both (one query)."""
    years = [calendar.academic_year_of(today), calendar.academic_year_of(today) + 1]
    first_day, last_day = calendar.academic_year_span(years[0])[0], calendar.academic_year_span(years[1])[1]
    terms = calendar.terms(g.organisation, first_day, last_day)
    form = PlanForm()
    form.year.choices = [(year, calendar.academic_year_label(year)) for year in years]
    schools = [(str(school.id), school.name) for school in network.schools]
    form.host_school_id.choices = [("", "No host school, or decide later"), *schools]
    if request.method == "GET":  # the first year with half terms still to come, if any
        form.year.data = next(
            (calendar.academic_year_of(t.starts_on) for t in terms if t.ends_on >= today), years[0]
        )
    return _PlanPage(network, form, terms)


def _preview(
    network: Network, candidates: list[Candidate], starts: time, today: date
) -> tuple[RowsForm, dict]:
    """A row per candidate date, ticked unless it has a flag."""
    flags = programme_flags(g.organisation, network, [c.day for c in candidates], today, starts)
    rows = [
        {
            "include": not flags[c.day],
            "day": c.day,
            "checked_day": c.day.isoformat(),
            "half_term": c.half_term.name,
        }
        for c in candidates[:MAX_ROWS]
    ]
    return RowsForm(data={"rows": rows}), flags


def _recheck(network: Network, rows: RowsForm, year: int, starts: time, today: date) -> tuple[int, int, dict]:
    """Flag the dates of ``rows`` afresh (each must be in the academic year); untick a moved date
    that has a flag, and a date the network already meets at that time (a form sent twice).
    Returns how many ticked dates moved since their flags were last shown, how many were repeats,
    and the flags."""
    rows.validate()
    first, last = calendar.academic_year_span(year)
    for row in (r.form for r in rows.rows):
        if row.day.data and not first <= row.day.data <= last:
            row.day.errors.append(
                f"The date must be in {calendar.academic_year_label(year)}, "
                f"from 1 September {year} to 31 August {year + 1}"
            )
            row.day.data = None
        if not row.include.data:
            row.day.errors = []  # an unticked row's date does not matter
    flags = programme_flags(
        g.organisation, network, [r.form.day.data for r in rows.rows if r.form.day.data], today, starts
    )
    moved = repeats = 0
    for row in (r.form for r in rows.rows):
        if not row.day.data:
            continue
        if row.day.data.isoformat() != row.checked_day.data:
            moved += bool(row.include.data)
            row.include.data = bool(row.include.data) and not flags[row.day.data]
            row.checked_day.data = row.day.data.isoformat()
        if row.include.data and any(flag.kind == "repeat" for flag in flags[row.day.data]):
            repeats += 1
            row.include.data = False
    return moved, repeats, flags


def _notice(moved: int, repeats: int) -> str | None:
    said = []
    if moved:
        said.append(f"You moved {plural(moved, 'date')}: check the flags below, then create the meetings.")
    if repeats:
        said.append(
            f"The network already has {plural(repeats, 'meeting')} at this time on the ticked dates "
            "(was the form sent twice?): they are unticked."
        )
    return " ".join(said) or None


def _valid_choice(rows: RowsForm) -> bool:
    """Every ticked row has a real date and at least one row is ticked (errors added otherwise)."""
    for row in (r.form for r in rows.rows):
        if row.include.data and row.day.data is None and not row.day.errors:
            row.day.errors.append(f"Enter the date of the {row.half_term.data} meeting, or untick it")
    if not any(r.form.include.data for r in rows.rows):
        rows.rows[0].form.include.errors = ["Tick at least one date to create a meeting"]
    return not rows.status.errors and not any(r.form.day.errors or r.form.include.errors for r in rows.rows)


def _create(network: Network, form: PlanForm, rows: RowsForm):
    """Create the series (redirect to the network with a banner), or None with the error shown."""
    chosen = [
        (meeting_title(form.title.data, row.half_term.data or ""), row.day.data)
        for row in (r.form for r in rows.rows)
        if row.include.data
    ]
    try:
        series = create_programme(
            network,
            form.rule(),
            chosen,
            status=rows.status.data,
            created_by=current_user,
            host_school_id=int(form.host_school_id.data) if form.host_school_id.data else None,
            address=form.address.data or "",
        )
    except MeetingRuleError as problem:
        db.session.rollback()
        form.host_school_id.errors.append(str(problem))
        return None
    db.session.commit()
    made = plural(len(chosen), "draft meeting" if rows.status.data == "draft" else "scheduled meeting")
    flash(f"Created {made}: {series.description[0].lower()}{series.description[1:]}.", "success")
    return redirect(url_for("org.networks.show", network_id=network.id))
