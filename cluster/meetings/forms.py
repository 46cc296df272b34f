from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from cluster.calendar.forms import DateBoxesField
from cluster.calendar.services import clean_text
from cluster.meetings.models import ATTENDANCE_MODES, RSVP_RESPONSES
from cluster.meetings.programme import STATUSES
from cluster.meetings.series import HALF_TERM_PLACEHOLDER, ORDINALS, WEEKDAYS, SeriesRule
from cluster.ui.fields import GovDateField, TimeField


class MeetingForm(FlaskForm):
    title = StringField(
        "Title", widget=GovTextInput(), validators=[DataRequired("Enter a title"), Length(max=200)]
    )
    day = GovDateField("Date", validators=[InputRequired("Enter the date of the meeting")])
    start = TimeField("Start time", validators=[InputRequired("Enter the start time, like 13:30")])
    end = TimeField("End time", validators=[InputRequired("Enter the end time, like 16:00")])
    host_school_id = SelectField("Host school", coerce=str, widget=GovSelect())
    address = StringField("Address or other place", widget=GovTextInput(), validators=[Length(max=500)])
    online_url = StringField(
        "Online meeting link",
        widget=GovTextInput(),
        validators=[
            Optional(),
            URL(require_tld=False, message="Enter a full web address, like https://meet.example/abc"),
            Length(max=500),
        ],
    )
    refreshments = StringField("Refreshments", widget=GovTextInput(), validators=[Length(max=500)])
    capacity = IntegerField(
        "Places",
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(min=1, max=10000, message="Places must be a whole number from 1 to 10,000"),
        ],
    )
    description = TextAreaField("Description", widget=GovTextArea(), validators=[Length(max=20000)])
    status = RadioField(
        "Who can see it",
        choices=[
            ("draft", "Draft: only organisers see it for now"),
            ("scheduled", "Scheduled: members see it and can reply"),
        ],
        default="draft",
        widget=GovRadioInput(),
        validators=[Optional()],
    )
    submit = SubmitField("Save meeting", widget=GovSubmitInput())

    def validate_end(self, field):
        if field.data and self.start.data and field.data <= self.start.data:
            raise ValidationError("The end time must be after the start time")

    def validate_online_url(self, field):
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError("Enter a full web address starting with https://")


class CancelForm(FlaskForm):
    reason = TextAreaField(
        "Why is it cancelled?",
        widget=GovTextArea(),
        validators=[DataRequired("Say why the meeting is cancelled"), Length(max=500)],
    )
    submit = SubmitField("Cancel the meeting", widget=GovSubmitInput())


class RsvpForm(FlaskForm):
    response = RadioField(
        "Are you coming?",
        choices=list(RSVP_RESPONSES.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Say whether you are coming")],
    )
    mode = RadioField(
        "How will you attend?",
        choices=list(ATTENDANCE_MODES.items()),
        default="in_person",
        widget=GovRadioInput(),
        validators=[InputRequired("Say how you will attend")],
    )
    needs = StringField("Dietary or access needs", widget=GovTextInput(), validators=[Length(max=500)])
    submit = SubmitField("Send reply", widget=GovSubmitInput())


# Planning a year's programme -------------------------------------------------------------------------

#: A year has six half terms; a few more rows leave room for a split term, never for a flood.
MAX_ROWS = 20


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
