"""The digest preferences form. Choices are checked against their lists (a missing or unknown
value is an error message), without HTML ``required`` attributes: the form is ``novalidate``
and a select whose first option is a real choice may not carry one."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovSelect, GovSubmitInput
from wtforms import BooleanField, RadioField, SelectField, SubmitField

from cluster.digests.models import WEEKDAYS

FREQUENCY_CHOICES = [
    ("weekly", "Weekly"),
    ("daily", "Daily"),
    ("off", "Never: turn the digest off"),
]


class DigestPreferenceForm(FlaskForm):
    frequency = RadioField(
        "How often do you want the digest?",
        choices=FREQUENCY_CHOICES,
        widget=GovRadioInput(),
        invalid_choice_message="Choose weekly, daily or never",
    )
    weekday = SelectField(
        "Day of the week",
        choices=[(str(n), day) for n, day in enumerate(WEEKDAYS)],
        widget=GovSelect(),
        invalid_choice_message="Choose a day of the week",
    )
    hour = SelectField(
        "Time",
        choices=[(str(h), f"{h:02d}:00") for h in range(24)],
        widget=GovSelect(),
        invalid_choice_message="Choose a time",
    )
    pause_in_holidays = BooleanField("Pause the digest during school holidays", widget=GovCheckboxInput())
    submit = SubmitField("Save digest preferences", widget=GovSubmitInput())
