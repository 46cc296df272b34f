"""Small factories for tests: each call makes one valid object, with overridable fields."""

from __future__ import annotations

import itertools
from datetime import time, timedelta
from functools import lru_cache

from werkzeug.security import generate_password_hash

from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting
from cluster.meetings.services import create_meeting
from cluster.networks.models import Network
from cluster.networks.services import appoint, set_member_schools
from cluster.schools.models import School
from cluster.tenancy.models import Membership, Organisation
from cluster.timeutil import LONDON, local_to_utc

PASSWORD = "correct-horse-staple-9"
_counter = itertools.count(1)


#: scrypt with a small work factor for the people tests make: checking their password at sign-in
#: costs 2 ms rather than 100. The app's own hashing, and its work factor, are tested in
#: tests/auth/test_passwords.py; people who set a password through the app get the app's hash.
TEST_HASH_METHOD = "scrypt:1024:8:1"


@lru_cache(maxsize=1)
def password_hash() -> str:
    return generate_password_hash(PASSWORD, method=TEST_HASH_METHOD)


class Factory:
    def organisation(
        self, slug: str | None = None, name: str | None = None, kind: str = "local_authority"
    ) -> Organisation:
        n = next(_counter)
        org = Organisation(slug=slug or f"org-{n}", name=name or f"Organisation {n}", kind=kind)
        db.session.add(org)
        db.session.commit()
        return org

    def school(
        self,
        organisation: Organisation,
        name: str | None = None,
        phase: str = "Primary",
        urn: str | None = None,
        **fields,
    ) -> School:
        n = next(_counter)
        school = School(
            organisation_id=organisation.id,
            name=name or f"School {n}",
            phase=phase,
            urn=urn if urn is not None else f"{900000 + n}",
            **fields,
        )
        db.session.add(school)
        db.session.commit()
        return school

    def user(
        self,
        organisation: Organisation | None = None,
        email: str | None = None,
        name: str | None = None,
        *,
        is_admin: bool = False,
        school: School | None = None,
        job_title: str = "",
        platform_admin: bool = False,
    ) -> User:
        n = next(_counter)
        user = User(
            email=(email or f"user{n}@school.example").lower(),
            name=name or f"User {n}",
            password_hash=password_hash(),
            is_platform_admin=platform_admin,
        )
        db.session.add(user)
        db.session.flush()
        if organisation is not None:
            self.join(user, organisation, is_admin=is_admin, school=school, job_title=job_title)
        db.session.commit()
        return user

    def join(
        self,
        user: User,
        organisation: Organisation,
        *,
        is_admin: bool = False,
        school: School | None = None,
        job_title: str = "",
    ) -> Membership:
        membership = Membership(
            organisation_id=organisation.id,
            user_id=user.id,
            is_admin=is_admin,
            school_id=school.id if school else None,
            job_title=job_title,
        )
        db.session.add(membership)
        db.session.commit()
        return membership

    def network(
        self,
        organisation: Organisation,
        name: str | None = None,
        schools: list[School] = (),
        organisers=(),
        observers=(),
    ) -> Network:
        network = Network(organisation_id=organisation.id, name=name or f"Network {next(_counter)}")
        db.session.add(network)
        db.session.flush()
        set_member_schools(network, list(schools))
        for user in organisers:
            appoint(network, user, "organiser")
        for user in observers:
            appoint(network, user, "observer")
        db.session.commit()
        return network

    def meeting(
        self,
        network: Network,
        *,
        status: str = "scheduled",
        days_ahead: int = 14,
        title: str | None = None,
        **fields,
    ) -> Meeting:
        """A meeting ``days_ahead`` days from now (negative for the past), 13:30-16:00 UK time."""
        day = (utcnow() + timedelta(days=days_ahead)).astimezone(LONDON).date()
        fields.setdefault("starts_at", local_to_utc(day, time(13, 30)))
        fields.setdefault("ends_at", local_to_utc(day, time(16, 0)))
        meeting = create_meeting(network, status=status, title=title or f"Meeting {next(_counter)}", **fields)
        db.session.commit()
        return meeting

    def agenda_item(
        self,
        network: Network,
        proposer: User,
        *,
        school: School | None = None,
        title: str | None = None,
        kind: str = "discussion",
        phases: tuple[str, ...] = ("all",),
        minutes: int = 15,
        description: str = "",
        target_meeting: Meeting | None = None,
        **fields,
    ):
        """An open proposal of ``network`` by ``proposer`` (who supports it); ``fields`` are set afterwards
        (for example ``created_at``)."""
        from cluster.agenda.services import ProposalDraft, propose

        item = propose(
            network,
            proposer,
            school,
            ProposalDraft(
                title=title or f"Item {next(_counter)}",
                description=description,
                kind=kind,
                phases=tuple(phases),
                minutes_needed=minutes,
                target_meeting_id=target_meeting.id if target_meeting else None,
            ),
        )
        for name, value in fields.items():
            setattr(item, name, value)
        db.session.commit()
        return item

    def agenda(self, meeting: Meeting, *, items=(), publish_as: User | None = None):
        """``meeting``'s agenda (standing items first), with ``items`` placed; published by
        ``publish_as`` when given (the meeting must be scheduled)."""
        from cluster.agenda import planning

        agenda = planning.start_agenda(meeting)
        for item in items:
            planning.place_item(agenda, item)
        if publish_as is not None:
            planning.publish(agenda, publish_as)
        db.session.commit()
        return agenda

    def digest_preference(
        self,
        user: User,
        frequency: str = "weekly",
        weekday: int = 0,
        hour: int = 7,
        pause_in_holidays: bool = False,
    ):
        """``user``'s digest preference (by default the defaults, stored)."""
        from cluster.digests.models import DigestPreference

        preference = DigestPreference(
            user_id=user.id,
            frequency=frequency,
            weekday=weekday,
            hour=hour,
            pause_in_holidays=pause_in_holidays,
            updated_at=utcnow(),
        )
        db.session.add(preference)
        db.session.commit()
        return preference

    def open_poll(self, network: Network, *, closes_at, slots, title: str | None = None, created_at=None):
        """An open date poll of ``network`` closing at ``closes_at``, with a slot per (start, end) in ``slots``."""
        from cluster.polls.models import DatePoll, PollSlot

        poll = DatePoll(
            organisation_id=network.organisation_id,
            network_id=network.id,
            title=title or f"Poll {next(_counter)}",
            closes_at=closes_at,
            status="open",
            created_at=created_at or utcnow(),
        )
        poll.slots = [
            PollSlot(organisation_id=network.organisation_id, starts_at=s, ends_at=e) for s, e in slots
        ]
        db.session.add(poll)
        db.session.commit()
        return poll

    def poll_answers(self, poll, user: User, answer: str = "yes") -> None:
        """``user`` answers ``answer`` to every slot of ``poll``."""
        from cluster.polls.models import PollAnswer

        db.session.add_all(
            PollAnswer(
                organisation_id=poll.organisation_id,
                poll_id=poll.id,
                slot_id=slot.id,
                user_id=user.id,
                answer=answer,
                updated_at=utcnow(),
            )
            for slot in poll.slots
        )
        db.session.commit()

    def rsvp(self, meeting: Meeting, user: User, response: str = "yes", mode: str = "in_person"):
        """``user``'s reply to ``meeting``."""
        from cluster.meetings.models import Rsvp

        rsvp = Rsvp(
            organisation_id=meeting.organisation_id,
            meeting_id=meeting.id,
            user_id=user.id,
            response=response,
            mode=mode,
            updated_at=utcnow(),
        )
        db.session.add(rsvp)
        db.session.commit()
        return rsvp

    def resource(
        self,
        network: Network,
        owner: User,
        *,
        title: str | None = None,
        file_name: str = "notes.txt",
        data: bytes | None = b"Plain notes about provision maps.",
        url: str = "",
        **fields,
    ):
        """A resource of ``network`` shared by ``owner``: a file (``data`` named ``file_name``) or, with
        ``data=None``, a link to ``url``. Files go to the test run's uploads folder (see conftest)."""
        from cluster.resources.services import share
        from cluster.resources.storage import storage

        values = dict(
            description="", area_of_need="cognition", phase="primary", tags="", visibility="network"
        )
        values.update(fields)
        resource = share(
            network,
            owner,
            storage(),
            title=title or f"Resource {next(_counter)}",
            url=url or "",
            file_name=file_name if data is not None else "",
            data=data or b"",
            **values,
        )
        db.session.commit()
        return resource

    def speaker(
        self,
        organisation: Organisation,
        *,
        name: str | None = None,
        agency: str = "educational_psychology",
        topics: str = "",
        email: str = "",
        by: User | None = None,
        **fields,
    ):
        """A speaker of ``organisation``'s directory; with ``email``, their agreement is recorded (by ``by``)."""
        from cluster.speakers.models import Speaker

        now = utcnow()
        values = {"organisation_name": "", "phone": "", "consent_note": "", "notes": ""}
        if email:
            values.update(
                consent_at=now, consent_recorded_by_id=by.id if by else None, consent_note="Agreed by email"
            )
        values.update(fields)
        speaker = Speaker(
            organisation_id=organisation.id,
            name=name or f"Speaker {next(_counter)}",
            agency=agency,
            topics=topics,
            email=email,
            created_at=now,
            updated_at=now,
            **values,
        )
        db.session.add(speaker)
        db.session.commit()
        return speaker

    def speaker_booking(
        self,
        speaker,
        meeting: Meeting,
        by: User,
        *,
        topic: str = "A talk",
        status: str = "asked",
        start: time | None = None,
        minutes: int | None = None,
    ):
        """``speaker`` invited to ``meeting`` by ``by`` (through the service); returns (booking, answer token)."""
        from cluster.speakers.services import BookingDraft, book

        booking, token = book(speaker, meeting, BookingDraft(topic=topic, start=start, minutes=minutes), by)
        booking.status = status
        db.session.commit()
        return booking, token

    def moderation_scale(
        self, organisation: Organisation, labels=("Not yet", "SEN support", "Request EHC needs assessment")
    ):
        """``organisation``'s moderation scale with a level per label (made once; later calls return it)."""
        from cluster.moderation.scale import add_level, ensure_scale, levels_of

        scale = ensure_scale(organisation.id)
        if not levels_of(organisation.id):
            for label in labels:
                add_level(scale, label, f"Descriptor of {label}")
        db.session.commit()
        return scale

    def moderation_case(
        self,
        network: Network,
        submitter: User,
        *,
        school: School | None = None,
        status: str = "open",
        year_group: str = "4",
        primary_need: str = "SLCN",
        proposed: int = 1,
        current: int = 0,
        **texts,
    ):
        """A case of ``network`` by ``submitter`` (``status`` draft, open or closed), on the organisation's
        scale (made if missing); ``proposed``/``current`` are level positions."""
        from cluster.moderation.scale import levels_of
        from cluster.moderation.services import CaseDraft, create_case

        organisation = db.session.get(Organisation, network.organisation_id)
        self.moderation_scale(organisation)
        levels = levels_of(organisation.id)
        values = {
            "question": "Does this meet the threshold for an EHC needs assessment?",
            "apdr": "Three APDR cycles since September.",
            "pupil_voice": "Pupil A says reading is hard.",
        }
        values.update(texts)
        case = create_case(
            network,
            submitter,
            school.id if school else None,
            CaseDraft(
                year_group=year_group,
                primary_need=primary_need,
                current_level_id=levels[current].id,
                proposed_level_id=levels[proposed].id,
                texts=values,
                parents_know=True,
                anonymised=True,
            ),
        )
        if status != "draft":
            case.status, case.shared_at = "open", utcnow()
        if status == "closed":
            case.status, case.closed_at = "closed", utcnow()
        db.session.commit()
        return case
