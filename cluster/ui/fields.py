"""Form fields the GOV.UK widgets lack or need made robust: dates as day/month/year boxes, and
wall-clock times."""

from __future__ import annotations

import re
from datetime import date, time

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextInput
from wtforms import DateField, Field
from wtforms.validators import ValidationError

#: NUL and the other C0 control characters except tab and line breaks, DEL, and the C1 controls
#: (NEL, U+0085, among them: text tools treat it as a line break, so a value would come back split).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_control_characters(value: str) -> str:
    """``value`` without control characters: nobody types them, PostgreSQL refuses NUL in text."""
    return _CONTROL.sub("", value)


class _DateBoxes(GovDateInput):
    """GOV.UK date boxes. No ``required`` attribute: on the boxes' wrapper it is invalid HTML, and
    every form is ``novalidate`` (the server checks)."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("required", {"value": False, "optional": True})
        return super().__call__(field, **kwargs)


class GovDateField(DateField):
    """A date entered in three boxes (day, month, year), as the GOV.UK date input pattern.

    Any number of submitted values is accepted (fewer or more than three is an error message,
    never a crash), and a missing date says which part is missing.
    """

    widget = _DateBoxes()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%d %m %Y", **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            self.raw_data = ["", "", ""]  # the widget shows three boxes, even for a form sent without them
            return
        parts = [(value or "").strip() for value in valuelist[:3]]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        if not any(parts):
            self.data = None
            return
        if not all(parts):
            missing = [name for name, value in zip(("day", "month", "year"), parts) if not value]
            self.data = None
            raise ValueError(f"{self.label.text} must include a {' and '.join(missing)}")
        try:
            day, month, year = (int(p) for p in parts)
            if not 1000 <= year <= 9999:
                raise ValueError
            self.data = date(year, month, day)
        except (ValueError, OverflowError):
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date, like 27 3 2027") from None


_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class TimeField(Field):
    """A 24-hour wall-clock time such as 13:30 (also accepts 13.30)."""

    widget = GovTextInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if self.data else ""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not (valuelist[0] or "").strip():
            return
        match = _TIME.match(valuelist[0] or "")
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise ValueError(f"{self.label.text} must be a time like 13:30")
        self.data = time(int(match.group(1)), int(match.group(2)))


def in_future(message: str):
    def check(form, field):
        if field.data and field.data < date.today():
            raise ValidationError(message)

    return check
