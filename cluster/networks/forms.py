from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import EmailField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length

from cluster.networks.models import NETWORK_ROLES


class NetworkForm(FlaskForm):
    name = StringField(
        "Name", widget=GovTextInput(), validators=[DataRequired("Enter the network's name"), Length(max=200)]
    )
    description = TextAreaField("Description", widget=GovTextArea(), validators=[Length(max=5000)])
    school_ids = SelectMultipleField("Member schools", coerce=str, widget=GovCheckboxesInput())
    submit = SubmitField("Save network", widget=GovSubmitInput())


class AppointForm(FlaskForm):
    user_id = SelectField(
        "Person", coerce=str, widget=GovSelect(), validators=[DataRequired("Choose a person")]
    )
    role = SelectField(
        "Role",
        choices=list(NETWORK_ROLES.items()),
        widget=GovSelect(),
        validators=[DataRequired("Choose a role")],
    )
    submit = SubmitField("Appoint", widget=GovSubmitInput())


class NetworkInviteForm(FlaskForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the email address to invite"),
            Email("Enter an email address like name@school.sch.uk"),
            Length(max=254),
        ],
    )
    school_id = SelectField(
        "Their school", coerce=str, widget=GovSelect(), validators=[DataRequired("Choose their school")]
    )
    submit = SubmitField("Send invitation", widget=GovSubmitInput())
