from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from cluster.schools.models import PHASES


class SchoolForm(FlaskForm):
    urn = StringField(
        "URN",
        widget=GovTextInput(),
        validators=[Optional(), Regexp(r"^\d{1,6}$", message="URN must be up to 6 digits, like 123456")],
    )
    name = StringField(
        "Name", widget=GovTextInput(), validators=[DataRequired("Enter the school's name"), Length(max=200)]
    )
    phase = SelectField(
        "Phase of education",
        choices=[("", "Choose a phase")] + [(p, p) for p in PHASES],
        widget=GovSelect(),
        validators=[DataRequired("Choose the phase of education")],
    )
    establishment_type = StringField(
        "Type of establishment", widget=GovTextInput(), validators=[Length(max=120)]
    )
    town = StringField("Town", widget=GovTextInput(), validators=[Length(max=120)])
    postcode = StringField(
        "Postcode",
        widget=GovTextInput(),
        validators=[Length(max=10, message="Postcode must be 10 characters or fewer")],
    )
    submit = SubmitField("Save school", widget=GovSubmitInput())

    def validate_postcode(self, field):
        # It is stored upper-cased, which can make it longer ("ß" becomes "SS"): measure that too.
        if len(field.data or "") <= 10 < len((field.data or "").strip().upper()):
            raise ValidationError("Postcode must be 10 characters or fewer")


class GiasUploadForm(FlaskForm):
    file = FileField("GIAS extract (edubasealldata CSV)", widget=GovFileInput())
    la_codes = StringField(
        "Local authority codes to import",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Regexp(
                r"^\s*\d{3}(\s*[, ]\s*\d{3})*\s*$",
                message="Enter 3-digit LA codes separated by commas, like 938, 312",
            ),
        ],
    )
    submit = SubmitField("Import schools", widget=GovSubmitInput())
