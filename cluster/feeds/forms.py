from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput
from wtforms import BooleanField, SubmitField


class FeedOptionsForm(FlaskForm):
    include_polls = BooleanField("Closing dates of date polls", widget=GovCheckboxInput())
    include_actions = BooleanField("Actions due", widget=GovCheckboxInput())
    submit = SubmitField("Save what the feed shows", widget=GovSubmitInput())
