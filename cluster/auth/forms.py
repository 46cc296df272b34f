from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from cluster.auth.passwords import password_problem


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter your password"), Length(max=200)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ResetRequestForm(FlaskForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter your email address"),
            Email("Enter an email address like name@school.sch.uk"),
            Length(max=254),
        ],
    )
    submit = SubmitField("Send reset link", widget=GovSubmitInput())


class NewPasswordMixin:
    def validate_password(self, field):
        problem = password_problem(field.data or "", getattr(self, "_email", ""))
        if problem:
            raise ValidationError(problem)


class NewPasswordForm(NewPasswordMixin, FlaskForm):
    password = PasswordField(
        "New password", widget=GovPasswordInput(), validators=[DataRequired("Enter a new password")]
    )
    confirm = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            DataRequired("Confirm your new password"),
            EqualTo("password", "The passwords do not match"),
        ],
    )
    submit = SubmitField("Set password", widget=GovSubmitInput())


class AcceptInvitationForm(NewPasswordMixin, FlaskForm):
    name = StringField(
        "Your full name", widget=GovTextInput(), validators=[DataRequired("Enter your name"), Length(max=200)]
    )
    password = PasswordField(
        "Choose a password", widget=GovPasswordInput(), validators=[DataRequired("Choose a password")]
    )
    confirm = PasswordField(
        "Confirm password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Confirm your password"), EqualTo("password", "The passwords do not match")],
    )
    submit = SubmitField("Accept invitation", widget=GovSubmitInput())


class JoinWithPasswordForm(FlaskForm):
    """For someone who already has an account: prove it is theirs to accept."""

    password = PasswordField(
        "Your current password", widget=GovPasswordInput(), validators=[DataRequired("Enter your password")]
    )
    submit = SubmitField("Accept invitation", widget=GovSubmitInput())
