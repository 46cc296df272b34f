from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import IntegerField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from cluster.meetings.models import ATTENDANCE_MODES, RSVP_RESPONSES
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
