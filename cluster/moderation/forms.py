"""Forms of moderation: a case, a judgment, the outcome, the organiser's arrangements, the scale."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
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
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from cluster.moderation.models import EVIDENCE, NEEDS, YEAR_GROUPS
from cluster.ui.fields import GovDateField, TimeField

NEED_CHOICES = [(code, f"{name} ({code})") for code, name in NEEDS.items()]
TEXT_MAX = 20000


class CaseForm(FlaskForm):
    year_group = SelectField(
        "Year group",
        choices=[("", "Choose a year group")] + list(YEAR_GROUPS.items()),
        widget=GovSelect(),
        validators=[Optional()],
    )
    primary_need = SelectField(
        "Primary need",
        choices=[("", "Choose the primary need")] + NEED_CHOICES,
        widget=GovSelect(),
        validators=[Optional()],
    )
    secondary_need = SelectField(
        "Secondary need (optional)",
        choices=[("", "None")] + NEED_CHOICES,
        widget=GovSelect(),
        validators=[Optional()],
    )
    current_level_id = SelectField(
        "Current provision level", coerce=str, widget=GovSelect(), validators=[Optional()]
    )
    proposed_level_id = SelectField(
        "Level your school proposes", coerce=str, widget=GovSelect(), validators=[Optional()]
    )
    question = TextAreaField(EVIDENCE["question"], widget=GovTextArea(), validators=[Length(max=TEXT_MAX)])
    apdr = TextAreaField(EVIDENCE["apdr"], widget=GovTextArea(), validators=[Length(max=TEXT_MAX)])
    pupil_voice = TextAreaField(
        EVIDENCE["pupil_voice"], widget=GovTextArea(), validators=[Length(max=TEXT_MAX)]
    )
    parent_voice = TextAreaField(
        EVIDENCE["parent_voice"], widget=GovTextArea(), validators=[Length(max=TEXT_MAX)]
    )
    agency_advice = TextAreaField(
        EVIDENCE["agency_advice"], widget=GovTextArea(), validators=[Length(max=TEXT_MAX)]
    )
    assessments = TextAreaField(
        EVIDENCE["assessments"], widget=GovTextArea(), validators=[Length(max=TEXT_MAX)]
    )
    hide_school = BooleanField(
        "Hide my school from other members (organisers still see it)", widget=GovCheckboxInput()
    )
    parents_know = BooleanField(
        "The pupil's parents or carers know this case is being discussed by the network",
        widget=GovCheckboxInput(),
    )
    anonymised = BooleanField(
        "I have removed names, dates of birth, UPNs and anything else that identifies the pupil",
        widget=GovCheckboxInput(),
    )
    acknowledge_warnings = BooleanField(
        "I have checked the warnings below and the case is still anonymous", widget=GovCheckboxInput()
    )
    submit = SubmitField("Save draft", widget=GovSubmitInput())
    share = SubmitField("Check and share with the network", widget=GovSubmitInput())

    def set_levels(self, levels) -> None:
        choices = [(str(level.id), level.label) for level in levels]
        self.current_level_id.choices = [("", "Choose a level")] + choices
        self.proposed_level_id.choices = [("", "Choose a level")] + choices

    def level(self, field) -> int | None:
        value = field.data or ""
        return int(value) if value.isdigit() and len(value) < 18 else None


class AttachmentForm(FlaskForm):
    """Shown on the case's form page: prefixed, so that its fields' ids are its own."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "attachment")
        super().__init__(*args, **kwargs)

    file = FileField("Add a file of evidence", widget=GovFileInput())
    submit = SubmitField("Upload file", widget=GovSubmitInput())


class JudgmentForm(FlaskForm):
    level_id = RadioField(
        "Your judgment",
        coerce=str,
        widget=GovRadioInput(),
        validators=[InputRequired("Choose the level you judge right")],
    )
    rationale = TextAreaField(
        "Why (a sentence or two)",
        widget=GovTextArea(),
        validators=[DataRequired("Enter a short rationale"), Length(max=1000)],
    )
    submit = SubmitField("Save my judgment", widget=GovSubmitInput())


class OutcomeForm(FlaskForm):
    level_id = RadioField(
        "Agreed outcome",
        coerce=str,
        widget=GovRadioInput(),
        validators=[InputRequired("Choose the agreed level")],
    )
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        validators=[DataRequired("Enter the reason for the outcome"), Length(max=TEXT_MAX)],
    )
    submit = SubmitField("Record outcome and close judging", widget=GovSubmitInput())


class ArrangementsForm(FlaskForm):
    closes_day = GovDateField("Judging closes on (optional)", validators=[Optional()])
    closes_time = TimeField("Closing time (optional)")
    agenda_slot_id = SelectField("Discuss at", coerce=str, widget=GovSelect(), validators=[Optional()])
    observer_ids = SelectMultipleField("Observers invited to judge", coerce=str, widget=GovCheckboxesInput())
    submit = SubmitField("Save arrangements", widget=GovSubmitInput())


class ScaleForm(FlaskForm):
    name = StringField(
        "Name of the scale", widget=GovTextInput(), validators=[DataRequired("Enter a name"), Length(max=200)]
    )
    description = TextAreaField(
        "Description (optional)", widget=GovTextArea(), validators=[Length(max=TEXT_MAX)]
    )
    retention_months = IntegerField(
        "Months a case is kept after its outcome",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter a number of months"),
            NumberRange(1, 120, "Enter a number of months from 1 to 120"),
        ],
    )
    submit = SubmitField("Save settings", widget=GovSubmitInput())


class LevelForm(FlaskForm):
    """Shown on the scale page with the settings form: prefixed, so that its fields' ids are its own."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "level")
        super().__init__(*args, **kwargs)

    label = StringField(
        "Level", widget=GovTextInput(), validators=[DataRequired("Enter the level's name"), Length(max=120)]
    )
    descriptor = TextAreaField(
        "Descriptor (optional)", widget=GovTextArea(), validators=[Length(max=TEXT_MAX)]
    )
    submit = SubmitField("Save level", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """A button that changes something: CSRF only."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
