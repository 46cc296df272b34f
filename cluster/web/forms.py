"""The platform admin's form for a new organisation."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Regexp

from cluster.tenancy.models import ORGANISATION_KINDS


class OrganisationForm(FlaskForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the organisation's name"), Length(max=200)],
    )
    slug = StringField(
        "Short name for web addresses",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter a short name"),
            Length(min=2, max=60, message="Short name must be between 2 and 60 characters"),
            Regexp(
                r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                message="Use lower-case letters, numbers and hyphens only, like north-yorkshire",
            ),
        ],
    )
    kind = RadioField(
        "Kind",
        choices=list(ORGANISATION_KINDS.items()),
        default="local_authority",
        widget=GovRadioInput(),
        validators=[DataRequired("Choose the kind of organisation")],
    )
    admin_email = EmailField(
        "Email of its first admin",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the email of the first admin"),
            Email("Enter an email address like name@council.gov.uk"),
            Length(max=254),
        ],
    )
    submit = SubmitField("Create organisation", widget=GovSubmitInput())
