"""Forms for date polls: the organiser's new poll, members' answers, finalising.

Dates are GOV.UK date inputs (day, month, year boxes) and times are typed ("13:30"), both as
Europe/London wall-clock; the forms hand UTC to the services.
"""

from __future__ import annotations

from datetime import datetime, time

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from werkzeug.datastructures import MultiDict
from wtforms import Field, FieldList, Form, FormField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from cluster.extensions import utcnow
from cluster.polls.models import PollSlot
from cluster.polls.services import COMMENT_LENGTH, MAX_SLOTS, Problem, SlotDraft, poll_problems
from cluster.timeutil import local_to_utc
from cluster.ui.fields import GovDateField, TimeField, without_control_characters

#: Rows shown at first, and how many "Add more slots" adds.
FIRST_ROWS = 6
MORE_ROWS = 3
MAX_ROWS = MAX_SLOTS


def clean_text(value: str | None) -> str | None:
    """Drop control characters (NUL above all: PostgreSQL refuses it in text) and outer spaces."""
    return without_control_characters(value).strip() if isinstance(value, str) else value


class DayField(GovDateField):
    """A GOV.UK date input that is simply blank when its boxes were not sent at all (the widget
    needs three values to show back)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist or ["", "", ""])

    @property
    def blank(self) -> bool:
        return not any((v or "").strip() for v in (self.raw_data or []))


class SlotRowForm(Form):
    """One row of candidate slot. Blank rows are ignored, so PollForm checks the rows itself (and
    its messages name the row: "Enter the start time of slot 2")."""

    day = DayField("Date", description="For example, 8 6 2027")
    starts = TimeField("Start time")
    ends = TimeField("End time")
    place = StringField("Place", widget=GovTextInput(), filters=[clean_text])

    def validate(self, extra_validators=None) -> bool:
        return True

    @property
    def blank(self) -> bool:
        typed = [*(self.starts.raw_data or []), *(self.ends.raw_data or []), self.place.data or ""]
        return self.day.blank and not any((value or "").strip() for value in typed)


def _error(field: Field, message: str) -> None:
    field.errors = [*field.errors, message]


class PollForm(FlaskForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired("Enter a title for the poll"),
            Length(max=200, message="The title must be 200 characters or fewer"),
        ],
    )
    description = TextAreaField(
        "Description (optional)",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[Length(max=5000, message="The description must be 5,000 characters or fewer")],
    )
    closes_day = DayField(
        "Closing date", description="For example, 1 6 2027. It must be before the first slot."
    )
    closes_time = TimeField("Closing time", default=time(17, 0))
    slots = FieldList(FormField(SlotRowForm), min_entries=FIRST_ROWS, max_entries=MAX_ROWS)
    submit = SubmitField("Open the poll", widget=GovSubmitInput())
    add_slots = SubmitField("Add more slots", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.closes_at: datetime | None = None
        self.drafts: list[SlotDraft] = []
        #: Problems with the slots as a whole ("add at least 2 slots").
        self.slot_errors: list[str] = []

    def add_rows(self) -> None:
        """ "Add more slots": three more empty rows, keeping what was typed."""
        for _ in range(min(MORE_ROWS, MAX_ROWS - len(self.slots))):
            self.slots.append_entry()

    def validate(self, extra_validators=None) -> bool:
        """Read every field, then judge the slots that could be read by the services' rules, so
        that all the mistakes are reported at once."""
        super().validate(extra_validators)
        self.slot_errors = []
        self.closes_at = self._closes_at()
        self.drafts = [draft for n, row in enumerate(self.slots, 1) if (draft := self._draft(n, row.form))]
        rows_read = not any(field.errors for row in self.slots for field in row.form)
        self.attach(poll_problems(self.closes_at, self.drafts, utcnow(), all_slots=rows_read))
        return not self.has_errors

    def _closes_at(self) -> datetime | None:
        # The fields' own messages ("Closing date must include a year") come from processing.
        if self.closes_day.blank:
            _error(self.closes_day, "Enter the date the poll closes")
        if self.closes_time.data is None and not self.closes_time.errors:
            _error(self.closes_time, "Enter the closing time, like 17:00")
        if self.closes_day.data is None or self.closes_time.data is None:
            return None
        return local_to_utc(self.closes_day.data, self.closes_time.data)

    def _draft(self, n: int, row: SlotRowForm) -> SlotDraft | None:
        if row.blank:
            return None
        if row.day.blank:
            _error(row.day, f"Enter the date of slot {n}")
        elif row.day.data is None:
            _error(row.day, f"The date of slot {n} must be a real date, like 8 6 2027")
        starts, ends = row.starts.data, row.ends.data
        if starts is None:
            _error(row.starts, f"Enter the start time of slot {n}, like 13:30")
        if ends is None:
            _error(row.ends, f"Enter the end time of slot {n}, like 16:00")
        if len(row.place.data or "") > 300:
            _error(row.place, f"The place of slot {n} must be 300 characters or fewer")
        if row.day.data is None or starts is None or ends is None or row.place.errors:
            return None
        return SlotDraft(
            local_to_utc(row.day.data, starts), local_to_utc(row.day.data, ends), row.place.data or "", n
        )

    def attach(self, problems: list[Problem]) -> None:
        """Show the services' objections next to the fields they are about."""
        for problem in problems:
            kind, _, rest = problem.field.partition("-")
            if kind == "slot":
                n, _, name = rest.partition("-")
                _error(getattr(self.slots[int(n) - 1].form, name), problem.message)
            elif kind == "closes":
                _error(self.closes_day, problem.message)
            elif kind == "title":
                _error(self.title, problem.message)
            else:
                self.slot_errors.append(problem.message)

    @property
    def has_errors(self) -> bool:
        return bool(self.slot_errors) or any(f.errors for f, _ in self._fields_in_order())

    def error_items(self) -> list[dict]:
        """The error summary, in page order, each linking to its field."""
        items = [{"text": f.errors[0], "href": f"#{href}"} for f, href in self._fields_in_order() if f.errors]
        slot_items = [{"text": message, "href": "#slots"} for message in self.slot_errors]
        before_rows = sum(1 for f, _ in self._fields_in_order()[:4] if f.errors)
        return items[:before_rows] + slot_items + items[before_rows:]

    def _fields_in_order(self) -> list[tuple[Field, str]]:
        fields = [
            (self.title, self.title.id),
            (self.description, self.description.id),
            (self.closes_day, f"{self.closes_day.id}-day"),
            (self.closes_time, self.closes_time.id),
        ]
        for row in self.slots:
            form = row.form
            fields += [
                (form.day, f"{form.day.id}-day"),
                (form.starts, form.starts.id),
                (form.ends, form.ends.id),
                (form.place, form.place.id),
            ]
        return fields


class VoteForm(FlaskForm):
    """The comment and the CSRF token; the radios (one set per slot) are read by :func:`posted_answers`."""

    comment = TextAreaField(
        "Comment (optional)",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[
            Length(max=COMMENT_LENGTH, message=f"Your comment must be {COMMENT_LENGTH} characters or fewer")
        ],
    )
    submit = SubmitField("Save your answers", widget=GovSubmitInput())


def posted_answers(
    formdata: MultiDict, slots: list[PollSlot], with_deputy: bool
) -> dict[tuple[int, bool], str]:
    """The radios that were chosen: ``slot-<id>`` for the member, ``deputy-<id>`` for their deputy.
    Unknown values are passed on for the service to refuse."""
    answers = {}
    for slot in slots:
        for prefix, for_deputy in (("slot", False), ("deputy", True)):
            value = formdata.get(f"{prefix}-{slot.id}")
            if value and (with_deputy or not for_deputy):
                answers[(slot.id, for_deputy)] = value
    return answers


class FinaliseForm(FlaskForm):
    slot_id = RadioField(
        "Date for the meeting", coerce=int, validators=[DataRequired("Choose the date for the meeting")]
    )
    title = StringField(
        "Meeting title",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired("Enter a title for the meeting"),
            Length(max=200, message="The title must be 200 characters or fewer"),
        ],
    )
    submit = SubmitField("Schedule the meeting", widget=GovSubmitInput())
