"""Forms of the resource library."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError

from cluster.resources.models import AREAS_OF_NEED, PHASES, VISIBILITIES


class ResourceDetailsForm(FlaskForm):
    """What is said about a resource: shared when it is first shared and when its owner edits it."""

    title = StringField(
        "Title", widget=GovTextInput(), validators=[DataRequired("Enter a title"), Length(max=200)]
    )
    description = TextAreaField("Description", widget=GovTextArea(), validators=[Length(max=10000)])
    url = URLField(
        "Or a link",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=1000), URL(message="Enter a link starting with https://")],
    )
    area_of_need = RadioField(
        "Area of need",
        choices=list(AREAS_OF_NEED.items()),
        widget=GovRadioInput(),
        validators=[DataRequired("Choose the area of need")],
    )
    phase = SelectField(
        "Phase",
        choices=[("", "Choose a phase")] + list(PHASES.items()),
        widget=GovSelect(),
        validators=[DataRequired("Choose a phase")],
    )
    tags = StringField("Tags", widget=GovTextInput(), validators=[Length(max=500)])
    visibility = RadioField(
        "Who can see it",
        choices=list(VISIBILITIES.items()),
        default="network",
        widget=GovRadioInput(),
        validators=[DataRequired("Choose who can see it")],
    )
    #: Choices (the sharing networks' recent and coming meetings and agenda items) are set by the view.
    meeting_id = SelectField("Meeting", coerce=str, widget=GovSelect(), validate_choice=False)
    agenda_item_id = SelectField("Agenda item", coerce=str, widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Save changes", widget=GovSubmitInput())

    def validate_url(self, field):
        if field.data and not field.data.lower().startswith(("http://", "https://")):
            raise ValidationError("Enter a link starting with https://")


class ResourceForm(ResourceDetailsForm):
    network_id = SelectField(
        "Network", coerce=str, widget=GovSelect(), validators=[DataRequired("Choose the network sharing it")]
    )
    file = FileField("File", widget=GovFileInput())
    submit = SubmitField("Share resource", widget=GovSubmitInput())


class VersionForm(FlaskForm):
    file = FileField("New version", widget=GovFileInput())
    submit = SubmitField("Upload new version", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """A button that changes something (delete, recommend, reviewed): CSRF only."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
