"""Forms of actions and of "you said, we did"."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import RadioField, SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from cluster.actions.models import ACTION_STATUSES
from cluster.ui.fields import GovDateField


class ActionForm(FlaskForm):
    description = TextAreaField(
        "What is to be done",
        widget=GovTextArea(),
        validators=[DataRequired("Describe the action"), Length(max=1000)],
    )
    owner = SelectField(
        "Owner", coerce=str, widget=GovSelect(), validators=[DataRequired("Choose who owns the action")]
    )
    due_on = GovDateField("Due date", validators=[InputRequired("Enter the date it is due by")])
    meeting_id = SelectField("Recorded at", coerce=str, widget=GovSelect(), validators=[Optional()])
    theme_id = SelectField("In answer to feedback", coerce=str, widget=GovSelect(), validators=[Optional()])
    status = RadioField(
        "Status",
        choices=list(ACTION_STATUSES.items()),
        default="open",
        widget=GovRadioInput(),
        validators=[Optional()],
    )
    outcome = TextAreaField("Outcome", widget=GovTextArea(), validators=[Length(max=5000)])
    submit = SubmitField("Save action", widget=GovSubmitInput())


class CloseActionForm(FlaskForm):
    status = RadioField(
        "What happened?",
        choices=[("done", "Done"), ("dropped", "Dropped")],
        widget=GovRadioInput(),
        validators=[DataRequired("Choose done or dropped")],
    )
    outcome = TextAreaField(
        "Outcome",
        widget=GovTextArea(),
        validators=[DataRequired("Say what came of it, or why it was dropped"), Length(max=5000)],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class ThemeForm(FlaskForm):
    summary = TextAreaField(
        "You said",
        widget=GovTextArea(),
        validators=[DataRequired("Summarise what members said"), Length(max=500)],
    )
    meeting_id = SelectField("From the feedback on", coerce=str, widget=GovSelect(), validators=[Optional()])
    quotes = SelectMultipleField(
        "Comments to quote", coerce=str, widget=GovCheckboxesInput(), validators=[Optional()]
    )
    action_ids = SelectMultipleField(
        "We did: the actions that answer it", coerce=str, widget=GovCheckboxesInput(), validators=[Optional()]
    )
    submit = SubmitField("Save theme", widget=GovSubmitInput())


class ShareForm(FlaskForm):
    submit = SubmitField("Share", widget=GovSubmitInput())
