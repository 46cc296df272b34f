"""The rules of the speakers directory and of booking speakers into meetings. Flush, never commit.

- Contact details (email, phone) are kept only with a record that the speaker agreed: who
  recorded the agreement, when, and a note of how it was given. Without it, only the name,
  agency, service and topics are kept.
- Anyone who may edit a speaker may erase their contact details; the erasure is recorded.
- A booked session falls within its meeting (UK local time), in an agenda slot of that meeting.
- The speaker answers an invitation through a single-use link: only the token's hash is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from cluster.agenda.models import Agenda, AgendaSlot
from cluster.auth.models import User
from cluster.auth.tokens import hash_token, new_token
from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting
from cluster.networks.models import NetworkRole
from cluster.networks.queries import appointed
from cluster.speakers.models import AGENCIES, BOOKING_STATUSES, Speaker, SpeakerBooking
from cluster.tenancy.models import Membership
from cluster.timeutil import local_date, local_to_utc, to_local


class SpeakerRuleError(ValueError):
    """A change the rules refuse; the message is for the person who asked (``field`` names the form field)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


#: Which status an organiser may move a booking to, from each status.
TRANSITIONS = {
    "asked": ("confirmed", "declined", "cancelled"),
    "confirmed": ("cancelled", "declined"),
    "declined": ("asked",),
    "cancelled": ("asked",),
}


def can_edit_directory(membership: Membership) -> bool:
    """Organisation admins and the organisers of any of its networks keep the directory."""
    if membership.is_admin:
        return True
    organises = (
        appointed(membership.user_id, role="organiser")
        .where(NetworkRole.organisation_id == membership.organisation_id)
        .limit(1)
    )
    return db.session.execute(organises).first() is not None


def normalise_topics(raw: str) -> str:
    topics: list[str] = []
    for topic in (raw or "").split(","):
        topic = " ".join(topic.split()).lower()[:60]
        if topic and topic not in topics:
            topics.append(topic)
    out = ""
    for topic in topics:  # whole topics only, within the column
        candidate = f"{out},{topic}" if out else topic
        if len(candidate) > 1000:
            break
        out = candidate
    return out


@dataclass
class SpeakerDraft:
    name: str
    agency: str
    organisation_name: str = ""
    topics: str = ""
    email: str = ""
    phone: str = ""
    #: The editor confirms now that the speaker agreed to their contact details being kept.
    consent_given: bool = False
    consent_note: str = ""
    notes: str = ""


def _apply(speaker: Speaker, draft: SpeakerDraft, by: User, now: datetime) -> None:
    if draft.agency not in AGENCIES:
        raise SpeakerRuleError("Choose the speaker's agency", "agency")
    if not draft.name.strip():
        raise SpeakerRuleError("Enter the speaker's name", "name")
    email, phone = draft.email.strip().lower(), " ".join(draft.phone.split())
    has_consent = speaker.consent_at is not None or draft.consent_given
    if (email or phone) and not has_consent:
        raise SpeakerRuleError(
            "Contact details can only be kept if the speaker agreed: tick the box to record their agreement, "
            "or leave the email and phone empty",
            "consent_given",
        )
    if draft.consent_given and speaker.consent_at is None:
        if not draft.consent_note.strip():
            raise SpeakerRuleError(
                "Say how the speaker agreed, for example “by email to the EP service, 3 March”",
                "consent_note",
            )
        speaker.consent_at, speaker.consent_recorded_by_id = now, by.id
        speaker.consent_note = draft.consent_note.strip()
    elif draft.consent_note.strip() and speaker.consent_at is not None:
        speaker.consent_note = draft.consent_note.strip()
    speaker.name = draft.name.strip()
    speaker.agency = draft.agency
    speaker.organisation_name = draft.organisation_name.strip()
    speaker.topics = normalise_topics(draft.topics)
    speaker.email, speaker.phone = email, phone
    speaker.notes = draft.notes.strip()
    speaker.updated_at = now


def add_speaker(organisation_id: int, draft: SpeakerDraft, by: User, now: datetime | None = None) -> Speaker:
    """A new entry of the directory; contact details only with the speaker's recorded agreement."""
    now = now or utcnow()
    speaker = Speaker(
        organisation_id=organisation_id,
        created_by_id=by.id,
        created_at=now,
        consent_note="",
        notes="",
        email="",
        phone="",
        organisation_name="",
        topics="",
    )
    _apply(speaker, draft, by, now)
    db.session.add(speaker)
    db.session.flush()
    return speaker


def update_speaker(speaker: Speaker, draft: SpeakerDraft, by: User, now: datetime | None = None) -> None:
    """Change an entry; adding contact details needs the agreement recorded (once)."""
    _apply(speaker, draft, by, now or utcnow())
    db.session.flush()


def erase_contact(speaker: Speaker, by: User, now: datetime | None = None) -> None:
    """Data minimisation: forget the contact details and the agreement, and record who erased them and when.
    Adding details again needs a new agreement."""
    now = now or utcnow()
    speaker.email, speaker.phone = "", ""
    speaker.consent_at, speaker.consent_recorded_by_id, speaker.consent_note = None, None, ""
    speaker.contact_erased_at, speaker.contact_erased_by_id = now, by.id
    speaker.updated_at = now
    db.session.flush()


# Bookings ---------------------------------------------------------------------------------------


def agenda_slots(meeting: Meeting) -> list[AgendaSlot]:
    """The entries of the meeting's agenda a speaker can take (not breaks), in order."""
    return list(
        db.session.scalars(
            sa.select(AgendaSlot)
            .join(Agenda, Agenda.id == AgendaSlot.agenda_id)
            .where(Agenda.meeting_id == meeting.id, AgendaSlot.kind != "break")
            .order_by(AgendaSlot.position, AgendaSlot.id)
        )
    )


def session_start(meeting: Meeting, at: time | None, minutes: int | None) -> datetime | None:
    """The UTC start of a session at wall-clock ``at`` (UK time) on the meeting's day; it and its
    ``minutes`` must fall within the meeting."""
    if minutes is not None and not 1 <= minutes <= 600:
        raise SpeakerRuleError("Minutes must be between 1 and 600", "minutes")
    if at is None:
        return None
    starts = local_to_utc(local_date(meeting.starts_at), at)
    ends = starts + timedelta(minutes=minutes or 0)
    if starts < meeting.starts_at or starts >= meeting.ends_at or ends > meeting.ends_at:
        # The bounds on the clock ``at`` was given on (UK time), whoever is entering it.
        raise SpeakerRuleError(
            f"The session must fall within the meeting, {to_local(meeting.starts_at):%H:%M} to "
            f"{to_local(meeting.ends_at):%H:%M}" + (f", including its {minutes} minutes" if minutes else ""),
            "start",
        )
    return starts


@dataclass
class BookingDraft:
    topic: str
    start: time | None = None
    minutes: int | None = None
    agenda_slot_id: int | None = None


def _check_slot(meeting: Meeting, slot_id: int | None) -> int | None:
    if slot_id is None:
        return None
    if slot_id not in {s.id for s in agenda_slots(meeting)}:
        raise SpeakerRuleError("Choose an entry of this meeting's agenda", "agenda_slot_id")
    return slot_id


def book(
    speaker: Speaker, meeting: Meeting, draft: BookingDraft, by: User, now: datetime | None = None
) -> tuple[SpeakerBooking, str]:
    """Invite ``speaker`` to ``meeting`` ("asked"); returns the booking and the secret for the
    speaker's answer links (only its hash is kept)."""
    now = now or utcnow()
    if speaker.organisation_id != meeting.organisation_id:
        raise SpeakerRuleError("Choose a speaker from the directory", "speaker_id")
    if meeting.status in ("cancelled", "held"):
        raise SpeakerRuleError(
            f"This meeting is {meeting.status_label.lower()}: speakers can no longer be invited", "speaker_id"
        )
    if not draft.topic.strip():
        raise SpeakerRuleError("Enter the topic of the session", "topic")
    starts = session_start(meeting, draft.start, draft.minutes)
    booking = SpeakerBooking(
        organisation_id=meeting.organisation_id,
        speaker_id=speaker.id,
        meeting_id=meeting.id,
        agenda_slot_id=_check_slot(meeting, draft.agenda_slot_id),
        topic=draft.topic.strip()[:200],
        starts_at=starts,
        minutes=draft.minutes,
        status="asked",
        invited_by_id=by.id,
        created_at=now,
        updated_at=now,
        sequence=0,
    )
    token, booking.response_token_hash = new_token()
    db.session.add(booking)
    db.session.flush()
    return booking, token


def set_status(booking: SpeakerBooking, status: str, now: datetime | None = None) -> str:
    """Move a booking to ``status`` (see :data:`TRANSITIONS`); returns the previous status."""
    if status not in BOOKING_STATUSES:
        raise SpeakerRuleError("Choose a status", "status")
    previous = booking.status
    if status == previous:
        return previous
    if status not in TRANSITIONS[previous]:
        raise SpeakerRuleError(
            f"A booking that is {BOOKING_STATUSES[previous].lower()} cannot become "
            f"{BOOKING_STATUSES[status].lower()}",
            "status",
        )
    if status in ("asked", "confirmed") and booking.meeting.status in ("held", "cancelled"):
        raise SpeakerRuleError(
            f"The meeting is {booking.meeting.status_label.lower()}: the speaker can no longer be "
            f"{'asked' if status == 'asked' else 'confirmed'}",
            "status",
        )
    booking.status = status
    booking.sequence += 1
    booking.updated_at = now or utcnow()
    db.session.flush()
    return previous


def renew_token(booking: SpeakerBooking) -> str:
    """A fresh answer link (when the booking is asked again); the old one stops working."""
    token, booking.response_token_hash = new_token()
    booking.responded_at = None
    db.session.flush()
    return token


def booking_for_token(token: str) -> SpeakerBooking | None:
    if not token or len(token) > 200:
        return None
    return db.session.scalar(
        sa.select(SpeakerBooking).where(SpeakerBooking.response_token_hash == hash_token(token))
    )


def answer_open(booking: SpeakerBooking, now: datetime | None = None) -> bool:
    """The speaker may still answer: not yet answered, still asked, and the meeting is ahead."""
    now = now or utcnow()
    return (
        booking.responded_at is None
        and booking.status == "asked"
        and booking.meeting.ends_at > now
        and booking.meeting.status == "scheduled"
    )


def answer(booking: SpeakerBooking, accept: bool, now: datetime | None = None) -> None:
    """The speaker's own answer through the emailed link: once only."""
    now = now or utcnow()
    if not answer_open(booking, now):
        raise SpeakerRuleError(
            "This invitation can no longer be answered here: please reply to the organiser", "answer"
        )
    set_status(booking, "confirmed" if accept else "declined", now)
    booking.responded_at = now
    db.session.flush()
