"""Forms for proposals, comments, declining, standing items, the plan, closing and minutes.

Choice fields check their own choices with a clear message (no HTML ``required`` on radios,
checkboxes and selects: the forms are ``novalidate`` and the server explains). The plan and
closing forms have one row per agenda entry, so their inputs are read by hand, keyed by entry id.
"""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from werkzeug.datastructures import MultiDict
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from cluster.agenda.models import ITEM_KINDS, OUTCOMES, PHASES, AgendaSlot
from cluster.agenda.planning import SlotEdit
from cluster.agenda.services import (
    COMMENT_LENGTH,
    DESCRIPTION_LENGTH,
    MAX_MINUTES,
    MIN_MINUTES,
    REASON_LENGTH,
    TITLE_LENGTH,
    ProposalDraft,
)
from cluster.timeutil import to_local

_MINUTES_MESSAGE = f"Minutes needed must be a whole number from {MIN_MINUTES} to {MAX_MINUTES}"


def _one_of(message: str):
    def check(form, field):
        valid = {str(value) for value, _ in field.choices}
        values = field.data if isinstance(field.data, list) else [field.data]
        if not field.data or any(str(v) not in valid for v in values):
            raise ValidationError(message)

    return check


class ProposalForm(FlaskForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter a title"),
            Length(max=TITLE_LENGTH, message=f"The title must be {TITLE_LENGTH} characters or fewer"),
        ],
    )
    description = TextAreaField(
        "Description (optional)",
        widget=GovTextArea(),
        description=(
            "What you would like to share, ask or decide. You can use Markdown: **bold**, lists with -, links."
        ),
        validators=[
            Length(
                max=DESCRIPTION_LENGTH,
                message=f"The description must be {DESCRIPTION_LENGTH:,} characters or fewer",
            )
        ],
    )
    kind = RadioField(
        "What kind of item is it?",
        choices=list(ITEM_KINDS.items()),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[_one_of("Choose what kind of item this is")],
    )
    phases = SelectMultipleField(
        "Which phases does it concern?",
        choices=list(PHASES.items()),
        coerce=str,
        widget=GovCheckboxesInput(),
        validate_choice=False,
        validators=[_one_of("Choose the phases it concerns")],
    )
    minutes_needed = IntegerField(
        "Minutes needed",
        widget=GovTextInput(),
        default=15,
        validators=[
            InputRequired(_MINUTES_MESSAGE),
            NumberRange(min=MIN_MINUTES, max=MAX_MINUTES, message=_MINUTES_MESSAGE),
        ],
    )
    target_meeting_id = SelectField(
        "For which meeting?",
        coerce=str,
        widget=GovSelect(),
        validate_choice=False,
        validators=[_one_of("Choose one of the network's coming meetings, or any meeting")],
    )
    submit = SubmitField("Propose the item", widget=GovSubmitInput())

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.target_meeting_id.choices = [("any", "Any meeting")] + [
            (str(m.id), f"{m.title}, {to_local(m.starts_at).strftime('%-d %B %Y')}") for m in meetings
        ]

    @property
    def draft(self) -> ProposalDraft:
        target = self.target_meeting_id.data
        return ProposalDraft(
            title=self.title.data or "",
            description=(self.description.data or "").replace("\x00", ""),
            kind=self.kind.data or "",
            phases=tuple(self.phases.data or ()),
            minutes_needed=self.minutes_needed.data or 0,
            target_meeting_id=int(target) if target and target.isdigit() else None,
        )


class CommentForm(FlaskForm):
    body = TextAreaField(
        "Add a comment",
        widget=GovTextArea(),
        validators=[
            DataRequired("Enter your comment"),
            Length(
                max=COMMENT_LENGTH, message=f"Your comment must be {COMMENT_LENGTH:,} characters or fewer"
            ),
        ],
    )
    submit = SubmitField("Add comment", widget=GovSubmitInput())


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        "Why is it declined?",
        widget=GovTextArea(),
        description="The proposer sees this and is emailed it.",
        validators=[
            DataRequired("Say why, so that the proposer knows"),
            Length(max=REASON_LENGTH, message=f"The reason must be {REASON_LENGTH:,} characters or fewer"),
        ],
    )
    submit = SubmitField("Decline the item", widget=GovSubmitInput())


class StandingItemForm(FlaskForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter a title"),
            Length(max=TITLE_LENGTH, message=f"The title must be {TITLE_LENGTH} characters or fewer"),
        ],
    )
    minutes = IntegerField(
        "Minutes",
        widget=GovTextInput(),
        default=10,
        validators=[
            InputRequired(f"Minutes must be a whole number from {MIN_MINUTES} to {MAX_MINUTES}"),
            NumberRange(
                min=MIN_MINUTES,
                max=MAX_MINUTES,
                message=f"Minutes must be a whole number from {MIN_MINUTES} to {MAX_MINUTES}",
            ),
        ],
    )
    presenter = StringField(
        "Usually presented by (optional)",
        widget=GovTextInput(),
        validators=[Length(max=200, message="The presenter must be 200 characters or fewer")],
    )
    placement = RadioField(
        "Where does it go?",
        choices=[("start", "At the start, after matters arising"), ("end", "At the end of the meeting")],
        default="start",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[_one_of("Choose where it goes")],
    )
    submit = SubmitField("Add standing item", widget=GovSubmitInput())


class MinuteTakerForm(FlaskForm):
    minute_taker_id = SelectField(
        "Minute-taker",
        coerce=str,
        widget=GovSelect(),
        validate_choice=False,
        validators=[_one_of("Choose someone in the network")],
    )
    submit = SubmitField("Save minute-taker", widget=GovSubmitInput())

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.minute_taker_id.choices = [("none", "Nobody: the organisers take the minutes")] + [
            (str(p.id), p.name) for p in people
        ]


class MinutesForm(FlaskForm):
    minutes_text = TextAreaField(
        "Minutes", widget=GovTextArea(), description="What was said. You can use Markdown."
    )
    decisions = TextAreaField(
        "Decisions (optional)", widget=GovTextArea(), description="What was agreed, one per line."
    )
    version = HiddenField()
    submit = SubmitField("Save minutes", widget=GovSubmitInput())

    @property
    def loaded_version(self) -> int | None:
        value = (self.version.data or "").strip()
        return int(value) if value.isdigit() and len(value) < 10 else None


# Forms with a row per agenda entry -----------------------------------------------------------------

_WHOLE = re.compile(r"\s*\d{1,4}\s*")


class PlanForm(FlaskForm):
    """The plan: for each entry ``position-<id>`` (hidden; reordered by the drag script),
    ``minutes-<id>``, ``presenter-<id>`` and, for entries that are not proposals, ``title-<id>``.
    Buttons: ``move`` = "<id>:up|down", ``remove`` = "<id>", ``place`` = "item:<id>",
    "standing:<id>" or "break"."""

    version = HiddenField()

    def read(
        self, slots: list[AgendaSlot], formdata: MultiDict
    ) -> tuple[dict[int, SlotEdit], dict[str, str]]:
        """The edits for ``slots`` and the errors by input id; entries missing from the form are
        left out (the service then refuses the form as stale)."""
        edits, errors = {}, {}
        for n, slot in enumerate(slots):
            minutes_text = formdata.get(f"minutes-{slot.id}")
            if minutes_text is None:
                continue
            position = formdata.get(f"position-{slot.id}", str(n))
            minutes = int(minutes_text) if _WHOLE.fullmatch(minutes_text) else None
            if minutes is None or minutes > MAX_MINUTES:
                errors[f"minutes-{slot.id}"] = (
                    f"Minutes for “{slot.title}” must be a whole number from 0 to {MAX_MINUTES}"
                )
            presenter = (formdata.get(f"presenter-{slot.id}") or "").replace("\x00", "")
            if len(presenter.strip()) > 200:
                errors[f"presenter-{slot.id}"] = (
                    f"The presenter of “{slot.title}” must be 200 characters or fewer"
                )
            title = formdata.get(f"title-{slot.id}") if slot.kind != "item" else None
            if title is not None:
                title = title.replace("\x00", "")
                if not title.strip():
                    errors[f"title-{slot.id}"] = "Enter a title for each entry"
                elif len(title.strip()) > TITLE_LENGTH:
                    errors[f"title-{slot.id}"] = f"Titles must be {TITLE_LENGTH} characters or fewer"
            edits[slot.id] = SlotEdit(
                int(position) if _WHOLE.fullmatch(position or "") else n, minutes or 0, presenter, title
            )
        return edits, errors

    @property
    def loaded_version(self) -> int | None:
        value = (self.version.data or "").strip()
        return int(value) if value.isdigit() and len(value) < 10 else None


def read_move(formdata: MultiDict) -> tuple[int, str] | None:
    slot_id, _, direction = (formdata.get("move") or "").partition(":")
    return (
        (int(slot_id), direction)
        if slot_id.isdigit() and len(slot_id) < 10 and direction in ("up", "down")
        else None
    )


def read_id(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


class CloseForm(FlaskForm):
    """Closing the agenda: ``outcome-<id>`` for each proposed item (radios)."""

    def read(self, slots: list[AgendaSlot], formdata: MultiDict) -> tuple[dict[int, str], dict[str, str]]:
        outcomes, errors = {}, {}
        for slot in slots:
            value = formdata.get(f"outcome-{slot.id}")
            if value in OUTCOMES:
                outcomes[slot.id] = value
            else:
                errors[f"outcome-{slot.id}"] = f"Say what happened to “{slot.title}”"
        return outcomes, errors
