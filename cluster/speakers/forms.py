"""Forms of the speakers directory and of bookings."""

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
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, Regexp

from cluster.speakers.models import AGENCIES, BOOKING_STATUSES
from cluster.ui.fields import TimeField


class SpeakerForm(FlaskForm):
    name = StringField(
        "Name", widget=GovTextInput(), validators=[DataRequired("Enter the speaker's name"), Length(max=200)]
    )
    agency = SelectField(
        "Agency",
        choices=[("", "Choose an agency")] + list(AGENCIES.items()),
        widget=GovSelect(),
        validators=[DataRequired("Choose the speaker's agency")],
    )
    organisation_name = StringField(
        "Service or organisation", widget=GovTextInput(), validators=[Length(max=200)]
    )
    topics = StringField("Topics", widget=GovTextInput(), validators=[Length(max=1000)])
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=254), Email("Enter an email address like name@service.example")],
    )
    phone = StringField(
        "Phone number",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=40),
            Regexp(r"^[0-9+() \-]{6,40}$", message="Enter a phone number like 01632 960 123"),
        ],
    )
    consent_given = BooleanField(
        "The speaker agreed that their contact details are kept in this directory", widget=GovCheckboxInput()
    )
    consent_note = TextAreaField("How they agreed", widget=GovTextArea(), validators=[Length(max=2000)])
    notes = TextAreaField("Notes", widget=GovTextArea(), validators=[Length(max=10000)])
    submit = SubmitField("Save speaker", widget=GovSubmitInput())


class BookingForm(FlaskForm):
    speaker_id = SelectField(
        "Speaker", coerce=str, widget=GovSelect(), validators=[DataRequired("Choose a speaker")]
    )
    topic = StringField(
        "Topic of the session",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the topic of the session"), Length(max=200)],
    )
    start = TimeField("Start time", validators=[Optional()])
    minutes = IntegerField(
        "Minutes",
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(min=1, max=600, message="Minutes must be a whole number from 1 to 600"),
        ],
    )
    agenda_slot_id = SelectField("Agenda entry", coerce=str, widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Invite the speaker", widget=GovSubmitInput())


class StatusForm(FlaskForm):
    status = RadioField(
        "Status",
        choices=list(BOOKING_STATUSES.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Choose a status")],
    )
    submit = SubmitField("Change status", widget=GovSubmitInput())


class AnswerForm(FlaskForm):
    answer = RadioField(
        "Can you speak at this meeting?",
        choices=[("confirm", "Yes, I will speak"), ("decline", "No, I cannot")],
        widget=GovRadioInput(),
        validators=[InputRequired("Say whether you can speak")],
    )
    submit = SubmitField("Send answer", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """A button that changes something (erase contact details): CSRF only."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
