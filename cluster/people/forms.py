from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length


class InviteForm(FlaskForm):
    """An org admin invites anyone: a SENCO (with a school), an officer or observer, or another admin."""

    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the email address to invite"),
            Email("Enter an email address like name@school.sch.uk"),
            Length(max=254),
        ],
    )
    school_id = SelectField("School", coerce=str, widget=GovSelect(), validate_choice=True)
    job_title = StringField(
        "Role, for people without a school", widget=GovTextInput(), validators=[Length(max=200)]
    )
    is_admin = BooleanField("Make them an admin of the organisation", widget=GovCheckboxInput())
    submit = SubmitField("Send invitation", widget=GovSubmitInput())


class MembershipForm(FlaskForm):
    school_id = SelectField("School", coerce=str, widget=GovSelect(), validate_choice=True)
    job_title = StringField(
        "Role, for people without a school", widget=GovTextInput(), validators=[Length(max=200)]
    )
    is_admin = BooleanField("Admin of the organisation", widget=GovCheckboxInput())
    submit = SubmitField("Save", widget=GovSubmitInput())
