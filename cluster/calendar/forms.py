"""Forms of the school calendar, and the error summary every form with date boxes needs."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import Field, FieldList, Form, FormField, RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, StopValidation

from cluster.calendar.models import CALENDAR_KINDS
from cluster.calendar.services import NAME_LENGTH, clean_text
from cluster.ui.fields import GovDateField


class DateBoxesField(GovDateField):
    """A :class:`GovDateField` that also survives a form posted without its boxes at all (the
    GOV.UK widget needs three values to show, or it fails) and numbers too large for a date."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist or ["", "", ""])
        except OverflowError:
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date, like 27 3 2027") from None


class DateRequired:
    """The date must be given. Unlike InputRequired, it does not ask the widget for the HTML
    ``required`` attribute, which is invalid on the date input's wrapping element."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data is None and not field.errors:
            raise StopValidation(self.message)


class CalendarEntryForm(FlaskForm):
    kind = RadioField(
        "What is it?",
        choices=list(CALENDAR_KINDS.items()),
        widget=GovRadioInput(),
        invalid_choice_message="Choose term, school holiday or INSET day",
    )
    name = StringField(
        "Name",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            InputRequired("Enter a name, like Autumn 1 or October half term"),
            Length(max=NAME_LENGTH, message=f"The name must be {NAME_LENGTH} characters or fewer"),
        ],
    )
    starts_on = DateBoxesField("Start date", validators=[DateRequired("Enter the start date")])
    ends_on = DateBoxesField("End date")
    submit = SubmitField("Add to the calendar", widget=GovSubmitInput())


class CalendarImportForm(FlaskForm):
    file = FileField("CSV file", widget=GovFileInput())
    submit = SubmitField("Import", widget=GovSubmitInput())


def summary_errors(*forms: Form) -> list[dict]:
    """Every error of ``forms`` for the GOV.UK error summary, each linked to the box to correct:
    the day box of a date, the first choice of radios, the fields of each row of a list."""
    found: list[dict] = []
    for form in forms:
        for field in form:
            found += _field_errors(field)
    return found


def _field_errors(field: Field) -> list[dict]:
    if isinstance(field, FieldList):
        return [error for entry in field for error in _field_errors(entry)]
    if isinstance(field, FormField):
        return [error for sub in field.form for error in _field_errors(sub)]
    if not field.errors or field.type == "CSRFTokenField":
        return []
    href = f"#{field.name}-day" if isinstance(field, GovDateField) else f"#{field.id}"
    return [{"text": field.errors[0], "href": href}]
