"""Feedback, actions and "you said, we did" for the Northbrook demo, and for the large authority.

:func:`build_feedback_demo` runs after the meetings, agenda and speakers demos: for every held
meeting of the last year it adds the attendees' feedback (about two in three answer, one in four
of them anonymously), then a year of actions per network (done, dropped, open and overdue), and
"you said" themes paired with them. It also holds a meeting three days ago in the North primary
network, which senco1 attended and has not given feedback on yet, and gives senco1 actions of
their own. Idempotent: an organisation with any feedback is left alone. Flushes only.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from cluster.actions.models import Action, FeedbackTheme
from cluster.actions.services import record_action, save_theme, set_shared
from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.feedback import services
from cluster.feedback.models import FeedbackResponse
from cluster.meetings.models import Attendance, Meeting
from cluster.meetings.services import create_meeting, member_schools
from cluster.networks.models import Network
from cluster.networks.queries import MEMBER, network_ids_of, people_in
from cluster.tenancy.models import Membership, Organisation
from cluster.timeutil import LONDON, local_date, local_to_utc

KEEP = [
    "The case discussion in small groups: the most useful part of every meeting.",
    "Hearing what other schools do with their provision maps.",
    "The LA update at the start: short and to the point.",
    "Time to talk to secondary colleagues about transition.",
    "Having the EP service in the room to answer questions.",
    "The shared templates: I used the one-page profile the next day.",
]
CHANGE = [
    "Too much of the agenda was about primary: secondary items came last and were rushed.",
    "Start on time: we lost 15 minutes waiting for the link to work.",
    "The room was too small for the group work.",
    "Fewer presentations, more time for questions.",
    "Send the papers a week before, not the day before.",
    "Online joiners could not hear the discussion at the back of the room.",
]
ADD = [
    "A session on emotionally based school avoidance with CAMHS.",
    "Exam access arrangements: a walk-through of the JCQ evidence.",
    "More on writing outcomes for EHC needs assessment requests.",
    "A speech and language therapist on the new referral pathway.",
    "Moderation of SEN support thresholds across schools.",
    "Time for new SENCOs to ask the basic questions.",
]
#: (summary, comment pool and index quoted, actions: (description, state, outcome))
THEMES = [
    (
        "Agendas lean towards primary; secondary items come last and get rushed",
        (CHANGE, 0),
        [
            (
                "Put one secondary item in the first hour of every agenda",
                "done",
                "Done from the spring term: the secondary item now comes straight after matters arising.",
            ),
            ("Ask secondary SENCOs to propose items two weeks before each meeting", "open", ""),
        ],
    ),
    (
        "Papers arrive too late to read before the meeting",
        (CHANGE, 4),
        [
            (
                "Publish the agenda and papers seven days before each meeting",
                "done",
                "The agenda is now published a week ahead; papers are linked from it.",
            ),
        ],
    ),
    (
        "Members want CAMHS and speech and language therapy at meetings",
        (ADD, 0),
        [
            (
                "Invite the CAMHS schools link team to a summer meeting",
                "done",
                "CAMHS came in the summer term; slides are in the resource library.",
            ),
            (
                "Invite the NHS speech and language therapy lead",
                "dropped",
                "The service could not release anyone this year; we will ask again in September.",
            ),
        ],
    ),
]
ACTIONS = [
    (
        "Circulate the one-page profile template to every school",
        "done",
        "Sent to all schools and added to the library.",
    ),
    ("Collect exam access arrangements evidence examples", "open", ""),
    ("Ask the LA for the spring panel dates", "done", "Panel dates shared in the minutes."),
    ("Share the reduced timetable record form", "overdue", ""),
    ("Draft a network position on reduced timetables", "dropped", "Superseded by the LA's new guidance."),
    ("Set up a buddy system for new SENCOs", "open", ""),
    ("Book the hall for the joint training day", "overdue", ""),
    ("Update the local offer entry for outreach", "done", "Updated and checked by the LA SEND team."),
]


def _organiser(network: Network) -> User | None:
    return db.session.scalar(
        sa.select(User).where(User.id.in_(people_in(network.id, "organiser"))).order_by(User.email).limit(1)
    )


def _feedback(meeting: Meeting, rng: random.Random, share: float = 0.7, limit: int | None = None) -> int:
    """Feedback from about ``share`` of the meeting's attendees, answered the day after it."""
    answered = 0
    attendee_ids = sorted(services.attendee_ids(meeting))[:limit]
    people = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(attendee_ids or [-1])))}
    subjects = services.subjects(meeting)
    for user_id in attendee_ids:
        if rng.random() > share:
            continue
        useful = rng.choice([3, 4, 4, 5, 5, 2])
        services.save_response(
            meeting,
            people[user_id],
            usefulness=useful,
            relevance=max(1, min(5, useful + rng.choice([-2, -1, 0, 0, 1]))),
            ratings={s.key: rng.choice([3, 4, 5, None]) for s in subjects},
            keep=rng.choice(KEEP) if rng.random() < 0.6 else "",
            change=rng.choice(CHANGE) if rng.random() < 0.5 else "",
            add=rng.choice(ADD) if rng.random() < 0.5 else "",
            anonymous=rng.random() < 0.25,
            now=meeting.ends_at + timedelta(hours=rng.randint(2, 40)),
        )
        answered += 1
    return answered


def _recent_meeting(
    network: Network, organiser: User, senco: User, now: datetime, rng: random.Random
) -> Meeting:
    """A meeting held three days ago, with a register that includes ``senco``'s school."""
    day = (now - timedelta(days=3)).astimezone(LONDON).date()
    starts, ends = local_to_utc(day, time(13, 30)), local_to_utc(day, time(16, 0))
    meeting = create_meeting(
        network,
        status="scheduled",
        created_by=organiser,
        title="Extra meeting: annual reviews workshop",
        starts_at=starts,
        ends_at=ends,
        address="Northbrook Teachers' Centre, Room 2",
        refreshments="Tea and coffee",
        now=starts - timedelta(days=30),
    )
    meeting.status, meeting.changed_at = "held", ends
    schools = member_schools(network)
    senco_school = db.session.scalar(
        sa.select(Membership.school_id).where(
            Membership.user_id == senco.id, Membership.organisation_id == network.organisation_id
        )
    )
    db.session.add_all(
        Attendance(
            organisation_id=network.organisation_id,
            meeting_id=meeting.id,
            school_id=s.id,
            recorded_by_id=organiser.id,
            recorded_at=ends,
        )
        for s in schools
        if s.id == senco_school or rng.random() < 0.7
    )
    db.session.flush()
    return meeting


def _actions(
    network: Network,
    organiser: User,
    meetings: list[Meeting],
    now: datetime,
    rng: random.Random,
    specs=ACTIONS,
) -> list[Action]:
    owners = [f"school-{s.id}" for s in member_schools(network)]
    today = local_date(now)
    made = []
    for n, (description, state, outcome) in enumerate(specs):
        meeting = meetings[n % len(meetings)] if meetings else None
        recorded = meeting.ends_at if meeting else now - timedelta(days=30 * (n + 1))
        due = (
            today - timedelta(days=rng.randint(3, 20))
            if state == "overdue"
            else (recorded + timedelta(days=rng.randint(20, 60))).date()
            if state != "open"
            else today + timedelta(days=rng.randint(10, 40))
        )
        action = record_action(
            network,
            organiser,
            description=description,
            owner=owners[n % len(owners)],
            due_on=due,
            meeting_id=meeting.id if meeting else None,
            now=recorded,
        )
        if state in ("done", "dropped"):
            action.status, action.outcome = state, outcome
            action.closed_at = min(now, recorded + timedelta(days=rng.randint(10, 50)))
        made.append(action)
    return made


def _network_demo(network: Network, now: datetime, rng: random.Random, senco: User | None) -> None:
    organiser = _organiser(network)
    if organiser is None:
        return
    if senco is not None:
        recent = _recent_meeting(network, organiser, senco, now, rng)
        for user_id in sorted(services.attendee_ids(recent)):
            if user_id != senco.id and rng.random() < 0.5:
                services.save_response(
                    recent,
                    db.session.get(User, user_id),
                    usefulness=rng.choice([4, 5]),
                    relevance=rng.choice([3, 4, 5]),
                    ratings={},
                    keep=rng.choice(KEEP),
                    anonymous=rng.random() < 0.3,
                    now=now - timedelta(days=1),
                )
    held = list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.network_id == network.id,
                Meeting.status == "held",
                Meeting.starts_at >= now - timedelta(days=365),
                Meeting.ends_at < now - timedelta(days=4),
            )
            .order_by(Meeting.starts_at)
        )
    )
    for meeting in held:
        _feedback(meeting, rng)
    actions = _actions(network, organiser, held, now, rng)
    if senco is not None:
        today = local_date(now)
        record_action(
            network,
            organiser,
            description="Share your school's transition passport with the network",
            owner=f"user-{senco.id}",
            due_on=today + timedelta(days=5),
            meeting_id=held[-1].id if held else None,
            now=now - timedelta(days=20),
        )
        record_action(
            network,
            organiser,
            description="Bring two anonymised SEN support profiles for moderation",
            owner=f"user-{senco.id}",
            due_on=today - timedelta(days=4),
            meeting_id=held[-1].id if held else None,
            now=now - timedelta(days=30),
        )
    db.session.flush()
    responses = {}
    for response in db.session.scalars(
        sa.select(FeedbackResponse)
        .where(FeedbackResponse.network_id == network.id)
        .order_by(FeedbackResponse.meeting_id, FeedbackResponse.usefulness)
    ):
        for field in ("keep", "change", "add"):
            responses.setdefault(getattr(response, field), []).append(f"{response.id}-{field}")
    for n, (summary, (pool, index), answers) in enumerate(THEMES):
        theme_actions = _actions(
            network, organiser, held[n : n + 1], now, rng, [(d, s, o) for d, s, o in answers]
        )
        quotes = responses.get(pool[index], [])[:2]
        save_theme(
            network,
            organiser,
            None,
            summary=summary,
            meeting_id=held[n].id if n < len(held) else None,
            quotes=quotes,
            action_ids=[a.id for a in theme_actions],
            now=now - timedelta(days=60 - 10 * n),
        )
    del actions
    if network.name == "North primary SENCOs":
        set_shared(network, True, now)


def build_feedback_demo(now: datetime | None = None, seed: int = 23) -> bool:
    """Add feedback, actions and themes to Northbrook; False when it already has them."""
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "northbrook"))
    if organisation is None or db.session.scalar(
        sa.select(FeedbackTheme.id).where(FeedbackTheme.organisation_id == organisation.id).limit(1)
    ):
        return False
    now, rng = now or utcnow(), random.Random(seed)
    senco1 = db.session.scalar(sa.select(User).where(User.email == "senco1@northbrook.example"))
    senco_networks = set()
    if senco1 is not None:
        senco_networks = set(
            db.session.scalars(
                sa.select(Network.id).where(
                    Network.organisation_id == organisation.id,
                    Network.id.in_(network_ids_of(senco1.id, MEMBER)),
                )
            )
        )
    networks = db.session.scalars(
        sa.select(Network).where(Network.organisation_id == organisation.id).order_by(Network.name)
    ).all()
    first = True
    for network in networks:
        mine = network.id in senco_networks and first
        _network_demo(network, now, rng, senco1 if mine else None)
        first = first and not mine
    db.session.flush()
    return True


def populate_feedback(
    organisation: Organisation, *, rng: random.Random, now: datetime, per_meeting: int = 12
) -> None:
    """For the large authority: feedback at every held meeting (up to ``per_meeting`` attendees
    each) and a year of actions and themes in every network."""
    networks = db.session.scalars(
        sa.select(Network).where(Network.organisation_id == organisation.id).order_by(Network.id)
    ).all()
    for network in networks:
        organiser = _organiser(network)
        if organiser is None or not member_schools(network):
            continue
        held = list(
            db.session.scalars(
                sa.select(Meeting)
                .where(Meeting.network_id == network.id, Meeting.status == "held")
                .order_by(Meeting.starts_at)
            )
        )
        staffed = list(
            db.session.scalars(
                sa.select(Membership.school_id)
                .where(
                    Membership.organisation_id == organisation.id,
                    Membership.school_id.in_([s.id for s in member_schools(network)]),
                )
                .distinct()
                .order_by(Membership.school_id)
                .limit(per_meeting * 2)
            )
        )
        registered = set(
            db.session.scalars(
                sa.select(Attendance.meeting_id).where(
                    Attendance.meeting_id.in_([m.id for m in held] or [-1])
                )
            )
        )
        for meeting in held:
            if meeting.id not in registered:  # a register for meetings held without one
                db.session.add_all(
                    Attendance(
                        organisation_id=organisation.id,
                        meeting_id=meeting.id,
                        school_id=school_id,
                        recorded_by_id=organiser.id,
                        recorded_at=meeting.ends_at,
                    )
                    for school_id in staffed
                    if rng.random() < 0.75
                )
                db.session.flush()
            _feedback(meeting, rng, share=0.8, limit=per_meeting)
        made = _actions(network, organiser, held, now, rng)
        save_theme(
            network,
            organiser,
            None,
            summary=THEMES[0][0],
            meeting_id=None,
            quotes=[],
            action_ids=[a.id for a in made[:2]],
            now=now,
        )
    db.session.flush()
