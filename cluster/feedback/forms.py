"""The feedback form (with a rating per agenda item and speaker session) and the report period."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import BooleanField, RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cluster.feedback.services import COMMENT_LENGTH, Subject
from cluster.ui.fields import GovDateField

SCORES = [(str(n), label) for n, label in ((1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5"))]


class FeedbackForm(FlaskForm):
    usefulness = RadioField(
        "How useful was the meeting overall?",
        choices=SCORES,
        widget=GovRadioInput(),
        validators=[DataRequired("Choose how useful the meeting was, from 1 to 5")],
    )
    relevance = RadioField(
        "How relevant was it to your phase?",
        choices=SCORES,
        widget=GovRadioInput(),
        validators=[DataRequired("Choose how relevant it was to your phase, from 1 to 5")],
    )
    keep = TextAreaField(
        "What should we keep?", widget=GovTextArea(), validators=[Length(max=COMMENT_LENGTH)]
    )
    change = TextAreaField(
        "What should we change?", widget=GovTextArea(), validators=[Length(max=COMMENT_LENGTH)]
    )
    add = TextAreaField("What should we add?", widget=GovTextArea(), validators=[Length(max=COMMENT_LENGTH)])
    anonymous = BooleanField("Submit anonymously", widget=GovCheckboxInput())
    submit = SubmitField("Send feedback", widget=GovSubmitInput())


def rating_field_name(subject: Subject) -> str:
    return f"rating_{subject.kind}_{subject.id}"


def feedback_form(subjects: list[Subject], data: dict | None = None) -> FeedbackForm:
    """The form with an optional 1-5 rating for each of ``subjects``."""

    class MeetingFeedbackForm(FeedbackForm):
        pass

    for subject in subjects:
        setattr(
            MeetingFeedbackForm,
            rating_field_name(subject),
            RadioField(subject.label, choices=SCORES, widget=GovRadioInput(), validators=[Optional()]),
        )
    return MeetingFeedbackForm(data=data)


class PeriodForm(FlaskForm):
    """The period of a report (a GET form: no CSRF)."""

    class Meta:
        csrf = False

    start = GovDateField("From", validators=[Optional()])
    end = GovDateField("To", validators=[Optional()])

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValueError("The end of the period must be on or after its start")
