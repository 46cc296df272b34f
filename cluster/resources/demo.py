"""The resource library in the demo: what Northbrook's SENCOs would really share (real PDF and
Word files with text to search, and links to the national guidance), some linked to the
meetings and agenda items they came from, a few recommended by the network, one with two
versions, and some past their review date so their owners see a review due.

Idempotent: nothing is added once Northbrook has resources.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from cluster.agenda.models import AgendaItem
from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
from cluster.resources.models import Resource
from cluster.resources.samples import docx_with_text, pdf_with_text
from cluster.resources.services import add_version, set_recommended, share
from cluster.resources.storage import storage
from cluster.tenancy.models import Organisation

PRIMARY, SECONDARY, SPECIAL = "North primary SENCOs", "Secondary SENCO network", "Special schools and AP"

#: (network, owner's email, title, description, area, phase, tags, visibility, file kind, content or link,
#:  shared days ago, recommended, link to: "meeting" (the network's last held meeting), "item" or None)
RESOURCES = [
    (
        PRIMARY,
        "senco1@northbrook.example",
        "Provision map template 2026–27",
        "A whole-school provision map in three waves, with columns for cost, group size and **impact** "
        "at each review. Adapted from the one we use at our school.",
        "cognition",
        "primary",
        "provision map, graduated approach, costings",
        "network",
        "docx",
        "Provision map 2026–27\nWave 1: quality first teaching adaptations\nWave 2: small group interventions – "
        "precision teaching, phonics catch-up, Lego-based therapy\nWave 3: individual provision – speech and language "
        "therapy programme, occupational therapy sensory diet\nRecord entry and exit data for each intervention.",
        200,
        True,
        None,
    ),
    (
        PRIMARY,
        "senco2@northbrook.example",
        "Sensory circuits: a daily routine before lessons",
        "Slides from the autumn network meeting: alerting, organising and calming activities, and how to run "
        "a 15-minute circuit with two adults.",
        "sensory",
        "primary",
        "sensory circuits, occupational therapy, regulation",
        "network",
        "pdf",
        "Sensory circuits\nAlerting: star jumps, skipping, trampette\nOrganising: balance beam, crawling through a tunnel\n"
        "Calming: wall push-ups, heavy work, deep pressure\nProprioceptive and vestibular input before lessons "
        "helps pupils to regulate and be ready to learn.",
        40,
        True,
        "meeting",
    ),
    (
        PRIMARY,
        "organiser@northbrook.example",
        "Speech and language screening: WellComm summary sheet",
        "A one-page record of a WellComm screen with the Big Book of Ideas activities to try next.",
        "communication",
        "early_years",
        "speech and language, wellcomm, screening",
        "network",
        "docx",
        "WellComm screening summary\nSection reached:\nRed / amber / green:\nActivities from the Big Book of Ideas:\n"
        "Rescreen after six weeks of targeted activities. Refer to speech and language therapy if still red.",
        120,
        False,
        None,
    ),
    (
        PRIMARY,
        "senco1@northbrook.example",
        "Transition passport: Year 6 to Year 7",
        "A pupil-voice passport for pupils with SEND moving to secondary: what helps me, what I find hard, "
        "who I can talk to.",
        "semh",
        "primary",
        "transition, pupil voice, year 6",
        "organisation",
        "docx",
        "My transition passport\nWhat helps me learn:\nWhat I find hard:\nWho I can talk to at my new school:\n"
        "My one-page profile and my current targets are attached.",
        400,
        False,
        None,
    ),
    (
        PRIMARY,
        "senco3@northbrook.example",
        "Precision teaching probe sheets",
        "Printable probe sheets for high-frequency words and number bonds, with a fluency chart.",
        "cognition",
        "primary",
        "precision teaching, fluency, intervention",
        "network",
        "pdf",
        "Precision teaching\nOne-minute probe: read as many words as you can\nRecord correct and incorrect on the "
        "fluency chart each day\nAim: 40 correct per minute with no more than 2 errors before moving on.",
        90,
        False,
        "item",
    ),
    (
        SECONDARY,
        "organiser2@northbrook.example",
        "Exam access arrangements: evidence checklist",
        "What the JCQ regulations ask for in the centre's file for 25% extra time, a reader and a scribe.",
        "cognition",
        "secondary",
        "exam access arrangements, jcq, extra time",
        "network",
        "docx",
        "Exam access arrangements evidence checklist\nForm 8 completed by the qualified assessor\n"
        "Below average standardised scores (84 or less) in speed of reading, reading comprehension or writing\n"
        "Normal way of working evidenced by teachers\nReview every academic year.",
        30,
        True,
        "meeting",
    ),
    (
        SECONDARY,
        "senco11@northbrook.example",
        "Emotionally based school avoidance: early signs and first steps",
        "The local EBSA guidance for schools, with a staged response and a template for a return plan.",
        "semh",
        "secondary",
        "ebsa, attendance, anxiety",
        "organisation",
        "pdf",
        "Emotionally based school avoidance\nEarly signs: lateness, somatic complaints, reluctance on Mondays\n"
        "First steps: meet the family, a key adult, a gradual return plan reviewed weekly\n"
        "Involve the educational psychology service if attendance falls below 80 per cent.",
        500,
        False,
        None,
    ),
    (
        SPECIAL,
        "senco17@northbrook.example",
        "Outreach referral form",
        "The form mainstream schools use to ask Oakfield's outreach team for advice.",
        "cognition",
        "all",
        "outreach, referral, special school",
        "organisation",
        "docx",
        "Outreach referral\nPupil initials and year group\nArea of need and current provision\n"
        "What advice would help? Observation, training for staff, resources.",
        60,
        True,
        None,
    ),
    (
        PRIMARY,
        "organiser@northbrook.example",
        "SEND Code of Practice: 0 to 25 years",
        "The statutory guidance: chapter 6 for schools, and the graduated approach (6.44–6.56).",
        "cognition",
        "all",
        "code of practice, statutory guidance",
        "organisation",
        "link",
        "https://www.gov.uk/government/publications/send-code-of-practice-0-to-25",
        300,
        True,
        None,
    ),
    (
        SECONDARY,
        "senco12@northbrook.example",
        "Autism Education Trust: progression framework",
        "A framework for setting and tracking targets for autistic pupils beyond the curriculum.",
        "communication",
        "all",
        "autism, targets, aet",
        "network",
        "link",
        "https://www.autismeducationtrust.org.uk/",
        150,
        False,
        None,
    ),
    (
        SPECIAL,
        "senco18@northbrook.example",
        "Intensive interaction: getting started",
        "Notes from Willowbank's staff training on intensive interaction for pupils with PMLD.",
        "communication",
        "all",
        "pmld, intensive interaction, communication",
        "network",
        "pdf",
        "Intensive interaction\nFollow the pupil's lead, imitate sounds and movements, wait\n"
        "Record sessions on video and note new fundamentals of communication.",
        20,
        False,
        None,
    ),
]


def build_resources_demo(now: datetime | None = None) -> bool:
    """Share Northbrook's demo resources; False when it already has some."""
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "northbrook"))
    if organisation is None or db.session.scalar(
        sa.select(Resource.id).where(Resource.organisation_id == organisation.id).limit(1)
    ):
        return False
    now = now or utcnow()
    networks = {
        n.name: n
        for n in db.session.scalars(sa.select(Network).where(Network.organisation_id == organisation.id))
    }
    people = {
        u.email: u for u in db.session.scalars(sa.select(User).where(User.email.like("%@northbrook.example")))
    }
    store = storage()
    added = False
    for (
        network_name,
        email,
        title,
        description,
        area,
        phase,
        tags,
        visibility,
        kind,
        content,
        days_ago,
        recommended,
        link,
    ) in RESOURCES:
        network, owner = networks.get(network_name), people.get(email)
        if network is None or owner is None:
            continue
        shared_on = (now - timedelta(days=days_ago)).date()
        file_name, data, url = "", b"", ""
        if kind == "link":
            url = content
        elif kind == "pdf":
            file_name, data = _file_name(title, "pdf"), pdf_with_text(content)
        else:
            file_name, data = _file_name(title, "docx"), docx_with_text(content, title=title)
        resource = share(
            network,
            owner,
            store,
            title=title,
            description=description,
            area_of_need=area,
            phase=phase,
            tags=tags,
            visibility=visibility,
            url=url,
            file_name=file_name,
            data=data,
            meeting_id=_last_meeting(network, now) if link == "meeting" else None,
            agenda_item_id=_an_item(network) if link == "item" else None,
            today=shared_on,
        )
        resource.created_at = resource.updated_at = now - timedelta(days=days_ago)
        resource.download_count = (days_ago * 7) % 53
        if recommended:
            set_recommended(resource, True)
        added = True
    template = db.session.scalar(
        sa.select(Resource).where(
            Resource.organisation_id == organisation.id, Resource.title == "Provision map template 2026–27"
        )
    )
    if template is not None and template.owner is not None:
        version = add_version(
            template,
            template.owner,
            store,
            "provision-map-2026-27.docx",
            docx_with_text(
                RESOURCES[0][9] + "\nNew: a column for pupil voice at each review.", title=template.title
            ),
            20 * 1024 * 1024,
            today=(now - timedelta(days=60)).date(),
        )
        version.created_at = template.updated_at = now - timedelta(days=60)
    db.session.flush()
    return added


def _file_name(title: str, extension: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in title.lower()).split()
    return "-".join(words[:6]) + "." + extension


def _last_meeting(network: Network, now: datetime) -> int | None:
    return db.session.scalar(
        sa.select(Meeting.id)
        .where(Meeting.network_id == network.id, Meeting.starts_at < now, Meeting.status != "cancelled")
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )


def _an_item(network: Network) -> int | None:
    return db.session.scalar(
        sa.select(AgendaItem.id).where(AgendaItem.network_id == network.id).order_by(AgendaItem.id).limit(1)
    )
