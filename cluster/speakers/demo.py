"""Northbrook's guest speakers in the demo: a directory of local speakers across the agencies (each
with their agreement to be contacted recorded), a year of past sessions in Northbrook's networks,
and invitations (asked and confirmed) to the coming meetings.

:func:`build_speakers_demo` runs after the meetings and agenda demos; it is idempotent (an
organisation that already has speakers is left alone) and flushes only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting
from cluster.networks.models import Network, NetworkRole
from cluster.speakers.models import Speaker, SpeakerBooking
from cluster.speakers.services import normalise_topics
from cluster.tenancy.models import Organisation

# (name, agency, service, topics, email, phone, notes)
SPEAKERS = [
    (
        "Dr Helen Okafor",
        "educational_psychology",
        "Northbrook Educational Psychology Service",
        "ehc needs assessment, statutory advice, precision teaching, emotional literacy (elsa)",
        "helen.okafor@ep.northbrook.example",
        "01632 960 101",
        "Senior EP. Offers a 45-minute session on **what the EP service needs** in an EHC needs assessment request.",
    ),
    (
        "Tom Fairweather",
        "educational_psychology",
        "Northbrook Educational Psychology Service",
        "emotionally based school avoidance, anxiety, attachment, trauma-informed practice",
        "tom.fairweather@ep.northbrook.example",
        "",
        "Runs the EBSA pathway training; needs a projector.",
    ),
    (
        "Priya Raman",
        "speech_language_therapy",
        "Northbrook NHS Speech and Language Therapy",
        "speech and language therapy referrals, developmental language disorder, language screening, stammering",
        "priya.raman@nhs.northbrook.example",
        "01632 960 214",
        "Clinical lead for schools. Can explain the new referral pathway and waiting times.",
    ),
    (
        "Gareth Lloyd",
        "speech_language_therapy",
        "Northbrook NHS Speech and Language Therapy",
        "social communication, autism, attention autism, colourful semantics",
        "gareth.lloyd@nhs.northbrook.example",
        "",
        "",
    ),
    (
        "Dr Nadia Hussain",
        "camhs",
        "Northbrook CAMHS Schools Link Team",
        "camhs referral criteria, self-harm, anxiety, eating disorders, mental health support teams",
        "nadia.hussain@camhs.northbrook.example",
        "01632 960 330",
        "Available on Tuesday and Thursday afternoons only.",
    ),
    (
        "Sue Whitaker",
        "sendiass",
        "Northbrook SENDIASS",
        "working with parents, ehcp annual reviews, mediation and tribunal, co-production",
        "sue.whitaker@sendiass.northbrook.example",
        "01632 960 402",
        "",
    ),
    (
        "Michelle Grant",
        "parent_carer_forum",
        "Northbrook Parent Carer Forum",
        "parent voice, co-production, transition, reduced timetables",
        "chair@pcf.northbrook.example",
        "",
        "Parent of two autistic young people; speaks about what helps families trust schools.",
    ),
    (
        "Andrew Cole",
        "specialist_teaching",
        "Northbrook Specialist Teaching Service",
        "dyslexia, literacy difficulties, exam access arrangements, assistive technology",
        "andrew.cole@sts.northbrook.example",
        "01632 960 517",
        "Access arrangements assessor (CPT3A).",
    ),
    (
        "Fiona Marsh",
        "specialist_teaching",
        "Northbrook Sensory Support Service",
        "hearing impairment, visual impairment, multi-sensory impairment, classroom acoustics",
        "fiona.marsh@sensory.northbrook.example",
        "",
        "Qualified teacher of the deaf.",
    ),
    (
        "Kate Delaney",
        "occupational_therapy",
        "Northbrook Children's Occupational Therapy",
        "sensory processing, handwriting, fine motor skills, dyspraxia (dcd), sensory circuits",
        "kate.delaney@nhs.northbrook.example",
        "01632 960 611",
        "",
    ),
    (
        "James Osei",
        "social_care",
        "Northbrook Children with Disabilities Team",
        "early help, short breaks, safeguarding disabled children, preparing for adulthood",
        "james.osei@social.northbrook.example",
        "",
        "",
    ),
    (
        "Rachel Byrne",
        "charity",
        "National Autistic Society (Northbrook branch)",
        "autism, girls and autism, masking, pda, sensory processing",
        "rachel.byrne@nas-branch.example",
        "",
        "",
    ),
    (
        "Imran Siddiqui",
        "other",
        "Northbrook Virtual School",
        "children looked after, personal education plans, pupil premium plus, attachment",
        "imran.siddiqui@virtualschool.northbrook.example",
        "",
        "Head of the Virtual School.",
    ),
]

#: (speaker index, topic, minutes) offered in turn to each network's meetings.
SESSIONS = [
    (0, "What makes a strong EHC needs assessment request", 45),
    (2, "The new speech and language therapy referral pathway", 30),
    (9, "Sensory circuits in the school day", 40),
    (4, "CAMHS referral criteria and the mental health support teams", 40),
    (7, "Exam access arrangements: evidence of need", 30),
    (5, "Working with parents at annual reviews", 30),
    (1, "Emotionally based school avoidance: the Northbrook pathway", 45),
    (11, "Girls, autism and masking", 40),
    (12, "Personal education plans for children looked after with SEND", 30),
    (6, "What families tell the parent carer forum", 30),
    (3, "Attention Autism in the classroom", 40),
    (8, "Supporting pupils with hearing impairment", 30),
    (10, "Short breaks and early help for disabled children", 30),
]


def build_speakers_demo(now: datetime | None = None) -> bool:
    """Add the speakers demo to Northbrook; False when it has speakers already."""
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "northbrook"))
    if organisation is None or db.session.scalar(
        sa.select(Speaker.id).where(Speaker.organisation_id == organisation.id).limit(1)
    ):
        return False
    now = now or utcnow()
    networks = db.session.scalars(
        sa.select(Network).where(Network.organisation_id == organisation.id).order_by(Network.name)
    ).all()
    organisers = {
        network_id: user
        for network_id, user in db.session.execute(
            sa.select(NetworkRole.network_id, User)
            .join(User, NetworkRole.user_id == User.id)
            .where(NetworkRole.organisation_id == organisation.id, NetworkRole.role == "organiser")
            .order_by(User.id)
        )
    }
    recorder = next(iter(organisers.values()), None)
    year_ago = now - timedelta(days=380)
    speakers = []
    for n, (name, agency, service, topics, email, phone, notes) in enumerate(SPEAKERS):
        agreed = year_ago + timedelta(days=n * 3)
        speakers.append(
            Speaker(
                organisation_id=organisation.id,
                name=name,
                agency=agency,
                organisation_name=service,
                topics=normalise_topics(topics),
                email=email,
                phone=phone,
                consent_at=agreed,
                consent_recorded_by_id=recorder.id if recorder else None,
                consent_note="Agreed by email to be listed and contacted about network meetings.",
                notes=notes,
                created_by_id=recorder.id if recorder else None,
                created_at=agreed,
                updated_at=agreed,
            )
        )
    # One former speaker whose contact details were erased on request: name, agency and topics only.
    speakers.append(
        Speaker(
            organisation_id=organisation.id,
            name="Lena Kowalski",
            agency="charity",
            organisation_name="Northbrook Dyslexia Group",
            topics="dyslexia,parent workshops",
            email="",
            phone="",
            consent_note="",
            notes="Moved away in 2026.",
            contact_erased_at=now - timedelta(days=60),
            contact_erased_by_id=recorder.id if recorder else None,
            created_by_id=recorder.id if recorder else None,
            created_at=year_ago,
            updated_at=now - timedelta(days=60),
        )
    )
    db.session.add_all(speakers)
    db.session.flush()

    turn = 0
    for index, network in enumerate(networks):
        organiser = organisers.get(network.id)
        meetings = db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.network_id == network.id,
                Meeting.status.in_(("held", "scheduled")),
                Meeting.starts_at >= year_ago,
            )
            .order_by(Meeting.starts_at)
        ).all()
        upcoming_seen = 0
        for meeting in meetings:
            past = meeting.ends_at < now
            if not past:
                upcoming_seen += 1
                if upcoming_seen > 2:
                    break
            speaker_index, topic, minutes = SESSIONS[(turn + index) % len(SESSIONS)]
            turn += 1
            status = "confirmed" if past or upcoming_seen == 1 else "asked"
            starts = meeting.starts_at + timedelta(minutes=30)
            made = min(now, meeting.starts_at - timedelta(days=35))
            db.session.add(
                SpeakerBooking(
                    organisation_id=organisation.id,
                    speaker_id=speakers[speaker_index].id,
                    meeting_id=meeting.id,
                    topic=topic,
                    starts_at=starts,
                    minutes=minutes,
                    status=status,
                    invited_by_id=organiser.id if organiser else None,
                    sequence=0 if status == "asked" else 1,
                    responded_at=made + timedelta(days=2) if status == "confirmed" else None,
                    created_at=made,
                    updated_at=made,
                )
            )
            if past and turn % 4 == 0:  # now and then a speaker could not come
                db.session.add(
                    SpeakerBooking(
                        organisation_id=organisation.id,
                        speaker_id=speakers[(speaker_index + 5) % len(SPEAKERS)].id,
                        meeting_id=meeting.id,
                        topic="Service update",
                        starts_at=None,
                        minutes=15,
                        status="declined",
                        invited_by_id=organiser.id if organiser else None,
                        sequence=1,
                        created_at=made,
                        updated_at=made,
                    )
                )
    db.session.flush()
    return True


def populate_speakers(organisation: Organisation, now: datetime | None = None, speakers: int = 60) -> None:
    """For the large authority (bulk inserts): ``speakers`` speakers across the agencies, and a
    speaker at every meeting of every network (confirmed in the past, asked or confirmed ahead)."""
    now = now or utcnow()
    org_id = organisation.id
    ids = list(
        db.session.scalars(
            sa.insert(Speaker).returning(Speaker.id, sort_by_parameter_order=True),
            [
                {
                    "organisation_id": org_id,
                    "name": f"{SPEAKERS[n % len(SPEAKERS)][0]} ({n + 1})",
                    "agency": SPEAKERS[n % len(SPEAKERS)][1],
                    "organisation_name": SPEAKERS[n % len(SPEAKERS)][2],
                    "topics": normalise_topics(SPEAKERS[n % len(SPEAKERS)][3]),
                    "email": f"speaker{n + 1}@{organisation.slug}.example",
                    "phone": "",
                    "consent_at": now,
                    "consent_note": "Agreed when added.",
                    "notes": "",
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(speakers)
            ],
        )
    )
    if not ids:
        return
    meetings = db.session.execute(
        sa.select(Meeting.id, Meeting.starts_at, Meeting.ends_at)
        .where(Meeting.organisation_id == org_id, Meeting.status.in_(("held", "scheduled")))
        .order_by(Meeting.id)
    ).all()
    rows = []
    for n, (meeting_id, starts, ends) in enumerate(meetings):
        _, topic, minutes = SESSIONS[n % len(SESSIONS)]
        rows.append(
            {
                "organisation_id": org_id,
                "speaker_id": ids[n % len(ids)],
                "meeting_id": meeting_id,
                "topic": topic,
                "starts_at": starts + timedelta(minutes=30),
                "minutes": minutes,
                "status": "confirmed" if ends < now or n % 2 else "asked",
                "sequence": 0,
                "created_at": now,
                "updated_at": now,
            }
        )
    if rows:
        db.session.execute(sa.insert(SpeakerBooking), rows)
