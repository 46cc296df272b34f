"""Planning a year's programme at once.

The organiser chooses a rule ("the second Tuesday of each half term, 13:30 to 16:00"), sees the
dates it gives with their clashes flagged (bank holidays, school holidays, INSET days, days
already past, days the network already meets), unticks or moves single meetings, and creates a
:class:`MeetingSeries` with one meeting per ticked date. Nothing is created before the organiser
has seen the flags of every date they create. Organisers of the network and org admins only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

import sqlalchemy as sa
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovSelect, GovTextInput
from sqlalchemy.orm import selectinload
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import InputRequired, Length, ValidationError

from cluster.auth.models import User
from cluster.calendar import services as calendar
from cluster.calendar.forms import DateBoxesField, summary_errors
from cluster.calendar.models import CalendarEntry
from cluster.calendar.services import DayFlag, clean_text
from cluster.extensions import db
from cluster.meetings.models import Meeting, MeetingSeries
from cluster.meetings.series import (
    HALF_TERM_PLACEHOLDER,
    ORDINALS,
    WEEKDAYS,
    Candidate,
    SeriesRule,
    meeting_title,
    plan_series,
)
from cluster.meetings.services import MeetingRuleError, create_meeting
from cluster.networks.access import load_network
from cluster.networks.models import Network
from cluster.tenancy.models import Organisation
from cluster.timeutil import local_to_utc, to_local
from cluster.ui.fields import TimeField
from cluster.ui.filters import plural

bp = Blueprint("programme", __name__)

STATUSES = {
    "draft": "Drafts: only organisers see them until each one is scheduled",
    "scheduled": "Scheduled: members see them at once, can reply and get them in their calendars",
}
#: A year has six half terms; a few more rows leave room for a split term, never for a flood.
MAX_ROWS = 20


# Forms -------------------------------------------------------------------------------------------


def _choice(label: str, message: str, **options) -> RadioField:
    """Radios whose every wrong answer (none, unknown, not a number) is told ``message``."""
    return RadioField(
        label,
        widget=GovRadioInput(),
        invalid_choice_message=message,
        invalid_value_message=message,
        **options,
    )


class PlanForm(FlaskForm):
    year = _choice("Academic year", "Choose the academic year", coerce=int)
    weekday = _choice(
        "Day of the week", "Choose the day of the week", coerce=int, choices=list(enumerate(WEEKDAYS[:5]))
    )
    ordinal = _choice(
        "Which one in each half term",
        "Choose which one in each half term",
        coerce=int,
        choices=[(n, word.capitalize()) for n, word in ORDINALS.items()],
    )
    start = TimeField("Start time", validators=[InputRequired("Enter the start time, like 13:30")])
    end = TimeField("End time", validators=[InputRequired("Enter the end time, like 16:00")])
    host_school_id = SelectField(
        "Host school",
        coerce=str,
        widget=GovSelect(),
        invalid_choice_message="Choose one of the network's schools",
    )
    address = StringField(
        "Address or other place", widget=GovTextInput(), filters=[clean_text], validators=[Length(max=500)]
    )
    title = StringField(
        "Title",
        widget=GovTextInput(),
        default=f"{HALF_TERM_PLACEHOLDER} network meeting",
        filters=[clean_text],
        validators=[InputRequired("Enter a title for the meetings"), Length(max=150)],
    )

    def validate_end(self, field) -> None:
        if field.data and self.start.data and field.data <= self.start.data:
            raise ValidationError("The end time must be after the start time")

    def rule(self) -> SeriesRule:
        return SeriesRule(
            weekday=self.weekday.data, ordinal=self.ordinal.data, starts=self.start.data, ends=self.end.data
        )

    def carried(self) -> list[tuple[str, str]]:
        """The previewed rule as hidden (name, value) pairs, so that creating uses that very rule."""
        rest = (self.year, self.weekday, self.ordinal, self.host_school_id, self.address, self.title)
        return [
            (self.start.name, f"{self.start.data:%H:%M}"),
            (self.end.name, f"{self.end.data:%H:%M}"),
            *((f.name, "" if f.data is None else str(f.data)) for f in rest),
        ]


class RowForm(Form):
    """One proposed meeting: whether to create it, its (editable) date, and the date whose flags
    the organiser was last shown."""

    include = BooleanField("Create this meeting", widget=GovCheckboxInput())
    day = DateBoxesField("Date")
    checked_day = HiddenField()
    half_term = HiddenField()


class RowsForm(Form):
    rows = FieldList(FormField(RowForm), max_entries=MAX_ROWS)
    status = _choice(
        "Create them as",
        "Choose drafts or scheduled meetings",
        choices=list(STATUSES.items()),
        default="draft",
    )


# Rules ---------------------------------------------------------------------------------------------


def programme_flags(
    organisation: Organisation, network: Network, days: list[date], today: date, starts: time | None = None
) -> dict[date, list[DayFlag]]:
    """Why each of ``days`` is a poor day for one of ``network``'s meetings: the calendar's flags
    (bank holidays, school holidays, INSET days, weekends), a day already past, and a day the
    network already has a meeting that is not cancelled ("repeat" when it starts at ``starts``
    too: the same meeting twice). Two queries whatever the number of days."""
    if not days:
        return {}
    flags = calendar.day_flags(organisation, days)
    since, until = local_to_utc(min(days), time(0)), local_to_utc(max(days) + timedelta(days=1), time(0))
    meetings = db.session.execute(
        sa.select(Meeting.starts_at, Meeting.title).where(
            Meeting.network_id == network.id,
            Meeting.status != "cancelled",
            Meeting.starts_at >= since,
            Meeting.starts_at < until,
        )
    ).all()
    for day in set(days):
        if day < today:
            flags[day].append(DayFlag("past", "Already past"))
        for starts_at, title in meetings:
            local = to_local(starts_at)
            if local.date() == day and local.time() == starts:
                flags[day].append(
                    DayFlag("repeat", f"The network already meets at {starts:%H:%M} this day: {title}")
                )
            elif local.date() == day:
                flags[day].append(DayFlag("meeting", f"The network already meets this day: {title}"))
    return flags


def create_programme(
    network: Network,
    rule: SeriesRule,
    meetings: list[tuple[str, date]],
    *,
    status: str,
    created_by: User,
    host_school_id: int | None = None,
    address: str = "",
) -> MeetingSeries:
    """Create a series described by ``rule`` and one meeting per (title, day) of ``meetings``, each
    from the rule's start to its end on the Europe/London wall clock (stored UTC), as drafts or
    scheduled. There must be at least one meeting. Flushes; the caller commits."""
    if status not in STATUSES:
        raise MeetingRuleError("Choose drafts or scheduled meetings")
    if not meetings:
        raise MeetingRuleError("Tick at least one date to create a meeting")
    series = MeetingSeries(
        organisation_id=network.organisation_id, network_id=network.id, description=rule.describe()[:300]
    )
    db.session.add(series)
    db.session.flush()
    for title, day in sorted(meetings, key=lambda m: m[1]):
        create_meeting(
            network,
            status=status,
            series_id=series.id,
            created_by=created_by,
            title=title,
            starts_at=local_to_utc(day, rule.starts),
            ends_at=local_to_utc(day, rule.ends),
            host_school_id=host_school_id,
            address=address.strip(),
        )
    return series


# Views -----------------------------------------------------------------------------------------------


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
            "programme/plan.html",
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
