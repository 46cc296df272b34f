"""Moderation in the demo: Northbrook's scale, and cases across its networks over the last year.

senco1 (Amira Hussain, North primary SENCOs) finds cases awaiting her judgment, her own open case
and a draft; the organiser finds cases to close and a year of closed cases whose agreement
improves term by term, as a network's does when it moderates regularly.

Idempotent: nothing is added once Northbrook has a moderation scale.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.moderation import services
from cluster.moderation.models import AgreementRecord, Judgment, ModerationCase
from cluster.moderation.scale import levels_of, scale_of, seed_default
from cluster.networks.models import Network
from cluster.networks.queries import sencos_of
from cluster.tenancy.models import Membership, Organisation

PRIMARY, SECONDARY, SPECIAL = "North primary SENCOs", "Secondary SENCO network", "Special schools and AP"

#: (year group, primary need, secondary need, current, proposed, question, APDR, pupil voice, parent voice,
#:  outside agency advice, assessments)
CASES = [
    (
        "2",
        "SLCN",
        "SEMH",
        1,
        2,
        "Does Pupil A meet the threshold for an EHC needs assessment?",
        (
            "Three APDR cycles since Reception: daily Talk Boost group, visual timetable, pre-teaching of topic vocabulary. "
            "Progress in expressive language is slow; receptive language has improved a little."
        ),
        "Pupil A says: “I like Lego club. I don't like it when everyone talks at once.”",
        "Mum says he has tantrums after school most days and finds change very hard.",
        "SALT (spring term): severe receptive and expressive language disorder; recommends daily 1:1 language work.",
        "CELF-5 core language standard score 61; BPVS standard score 68.",
    ),
    (
        "5",
        "SPLD",
        "",
        1,
        1,
        "Is SEN support still right, or should we move to a request?",
        "Two cycles of precision teaching and Toe by Toe; reading fluency up from 40 to 62 words a minute.",
        "Pupil B says reading is “getting easier but still slow”.",
        "Parents are pleased with progress and would like the intervention to continue.",
        "Specialist teacher (dyslexia) assessment: profile consistent with dyslexia; recommends continuing the programme.",
        "Single word reading standard score 79; spelling standard score 74; non-verbal reasoning 104.",
    ),
    (
        "R",
        "ASD",
        "SLCN",
        0,
        2,
        "Should the school request an EHC needs assessment now, or first complete a further cycle?",
        "One APDR cycle: sensory breaks, now-and-next board, adult support at transitions.",
        "Pupil C uses a few single words; enjoys sand and water play.",
        "Dad says she sleeps poorly and is distressed by noisy places.",
        "Community paediatrician: autism diagnosis in the summer; EP consultation booked.",
        "Early Years Foundation Stage profile: emerging in all prime areas.",
    ),
    (
        "4",
        "SEMH",
        "",
        1,
        2,
        "Does the evidence show needs beyond what SEN support can meet?",
        "Four cycles: Zones of Regulation, daily check-in with a key adult, a reduced timetable for two weeks.",
        "Pupil D says: “I get angry when it's unfair. The calm room helps.”",
        "Carer says things are better at home since the new routine.",
        "EP: attachment-related needs; recommends a relational approach and staff training.",
        "Boxall profile: developmental strand below expected in 8 of 10 areas.",
    ),
    (
        "6",
        "MLD",
        "SPLD",
        1,
        1,
        "Which range fits best before transition to Year 7?",
        "Three cycles of small-group maths and reading; progress steady but gaps widening.",
        "Pupil E says maths “makes my head hurt” but likes science.",
        "Mum is worried about secondary school and wants a transition plan.",
        "Specialist teacher: global delay in literacy and numeracy; recommends transition passport.",
        "Reading age 7y 2m; Sandwell maths age 7y 6m.",
    ),
    (
        "9",
        "SEMH",
        "ASD",
        1,
        2,
        "Does emotionally based school avoidance here need an EHC needs assessment?",
        "Three cycles: part-time timetable, mentor, safe space, work sent home.",
        "Pupil F says school is “too loud and too much”.",
        "Parents say mornings are very difficult; attendance 48% this term.",
        "CAMHS: anxiety; EP: recommends a graded return plan.",
        "Attendance 48%; reading standard score 96.",
    ),
]


def _users(organisation: Organisation, network: Network) -> list[tuple[User, int]]:

    return list(
        db.session.execute(
            sa.select(User, Membership.school_id)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.user_id.in_(sencos_of(network.id)), Membership.organisation_id == organisation.id
            )
            .order_by(User.id)
        ).all()
    )


def _case(
    network: Network,
    submitter: User,
    school_id: int,
    spec,
    levels,
    *,
    shared_at: datetime,
    hide: bool = False,
):
    year, need, second, current, proposed, question, apdr, pupil, parent, agency, tests = spec
    case = services.create_case(
        network,
        submitter,
        school_id,
        services.CaseDraft(
            year_group=year,
            primary_need=need,
            secondary_need=second,
            current_level_id=levels[current].id,
            proposed_level_id=levels[proposed].id,
            texts={
                "question": question,
                "apdr": apdr,
                "pupil_voice": pupil,
                "parent_voice": parent,
                "agency_advice": agency,
                "assessments": tests,
            },
            parents_know=True,
            anonymised=True,
            hide_school=hide,
        ),
    )
    case.status, case.shared_at, case.created_at, case.updated_at = "open", shared_at, shared_at, shared_at
    return case


def _judge(case, judges, levels, rng, target: int, consistency: float, at: datetime) -> None:
    for judge, _ in judges:
        if rng.random() < consistency:
            choice = target
        else:
            choice = max(0, min(len(levels) - 1, target + rng.choice([-1, 1])))
        services.record_judgment(
            case,
            judge,
            levels[choice].id,
            rng.choice(
                [
                    "The APDR evidence shows sustained, relevant action with limited progress.",
                    "Outside advice is recent and specific; the provision described matches it.",
                    "Needs look well met at this level; one more review cycle would tell us more.",
                    "Standardised scores and the pupil's voice point the same way.",
                ]
            ),
            now=at,
        )


def build_moderation_demo(now: datetime | None = None, seed: int = 9) -> bool:
    now, rng = now or utcnow(), random.Random(seed)
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "northbrook"))
    if organisation is None or scale_of(organisation.id) is not None:
        return False
    seed_default(organisation.id)
    levels = levels_of(organisation.id)
    networks = {
        n.name: n
        for n in db.session.scalars(sa.select(Network).where(Network.organisation_id == organisation.id))
    }
    ep = db.session.scalar(sa.select(User).where(User.email == "ep@northbrook.example"))
    for name, history in ((PRIMARY, 10), (SECONDARY, 6), (SPECIAL, 5)):
        network = networks.get(name)
        if network is None:
            continue
        people = _users(organisation, network)
        if len(people) < 3:
            continue
        # Closed cases over the last year, judged more consistently as the year goes on.
        for n in range(history):
            days_ago = 330 - n * (300 // history)
            at = now - timedelta(days=days_ago)
            submitter, school_id = people[(n + 1) % len(people)]
            spec = CASES[n % len(CASES)]
            case = _case(network, submitter, school_id, spec, levels, shared_at=at - timedelta(days=14))
            judges = [p for p in people if p[0].id != submitter.id][:6]
            target = min(len(levels) - 1, max(0, spec[4] - (1 if n % 4 == 3 else 0)))
            _judge(
                case,
                judges,
                levels,
                rng,
                target,
                consistency=0.45 + 0.5 * n / history,
                at=at - timedelta(days=3),
            )
            services.record_outcome(
                case,
                levels[target].id,
                rng.choice(
                    [
                        "Agreed after discussion: the evidence of several APDR cycles with specialist advice supports this level.",
                        "Agreed: needs are met at this level for now; review after the next cycle and bring back if progress stalls.",
                        "The network agreed with the school's proposal; the EP's advice was decisive.",
                    ]
                ),
                now=at,
            )
            case.closed_at = at
        # Open cases: in the primary network, two await senco1 (Amira) and one is her own, plus her draft.
        if name == PRIMARY:
            amira = next((u for u, _ in people if u.email == "senco1@northbrook.example"), None)
            others = [p for p in people if amira is None or p[0].id != amira.id]
            for i, spec in enumerate(CASES[:2]):
                submitter, school_id = others[i + 1]
                case = _case(
                    network,
                    submitter,
                    school_id,
                    spec,
                    levels,
                    shared_at=now - timedelta(days=5 - i),
                    hide=i == 1,
                )
                _judge(
                    case,
                    [p for p in others if p[0].id != submitter.id][:3],
                    levels,
                    rng,
                    spec[4],
                    0.7,
                    now - timedelta(days=1),
                )
                case.closes_at = now + timedelta(days=10 + i)
            if amira is not None:
                school_id = next(s for u, s in people if u.id == amira.id)
                own = _case(network, amira, school_id, CASES[2], levels, shared_at=now - timedelta(days=2))
                _judge(own, others[:2], levels, rng, 2, 0.8, now - timedelta(days=1))
                if ep is not None:
                    services.set_arrangements(
                        own,
                        closes=now + timedelta(days=12),
                        meeting_id=None,
                        agenda_slot_id=None,
                        observer_ids=[ep.id],
                    )
                draft = _case(network, amira, school_id, CASES[4], levels, shared_at=now)
                draft.status, draft.shared_at = "draft", None
        elif name == SECONDARY:
            submitter, school_id = people[0]
            _case(network, submitter, school_id, CASES[5], levels, shared_at=now - timedelta(days=3))
    db.session.flush()
    return True


def populate_large(
    organisation: Organisation, *, cases_per_network: int = 12, now: datetime | None = None, seed: int = 11
) -> None:
    """For ``--scale large``: a scale and, per network, closed cases with judgments and statistics
    and a few open ones, inserted in bulk."""

    now, rng = now or utcnow(), random.Random(seed)
    seed_default(organisation.id)
    levels = levels_of(organisation.id)
    for network in db.session.scalars(
        sa.select(Network).where(Network.organisation_id == organisation.id).order_by(Network.id)
    ):
        people = _users(organisation, network)[:8]
        if len(people) < 3:
            continue
        case_rows = []
        for n in range(cases_per_network):
            submitter, school_id = people[n % len(people)]
            spec = CASES[n % len(CASES)]
            at = now - timedelta(days=20 + 25 * n)
            closed = n >= 3
            case_rows.append(
                {
                    "organisation_id": organisation.id,
                    "network_id": network.id,
                    "school_id": school_id,
                    "submitted_by_id": submitter.id,
                    "year_group": spec[0],
                    "primary_need": spec[1],
                    "secondary_need": spec[2],
                    "current_level_id": levels[spec[3]].id,
                    "proposed_level_id": levels[spec[4]].id,
                    "question": spec[5],
                    "apdr": spec[6],
                    "pupil_voice": spec[7],
                    "parent_voice": spec[8],
                    "agency_advice": spec[9],
                    "assessments": spec[10],
                    "parents_know": True,
                    "anonymised": True,
                    "hide_school": False,
                    "status": "closed" if closed else "open",
                    "shared_at": at - timedelta(days=14),
                    "closed_at": at if closed else None,
                    "outcome_level_id": levels[spec[4]].id if closed else None,
                    "outcome_reason": "Agreed by the network." if closed else "",
                    "outcome_at": at if closed else None,
                    "retention_until": (at + timedelta(days=365)).date() if closed else None,
                    "created_at": at,
                    "updated_at": at,
                }
            )
        db.session.execute(sa.insert(ModerationCase), case_rows)
        ids = list(
            db.session.scalars(
                sa.select(ModerationCase.id)
                .where(ModerationCase.network_id == network.id)
                .order_by(ModerationCase.id)
            )
        )[-cases_per_network:]
        judgment_rows, record_rows = [], []
        for case_id, row in zip(ids, case_rows):
            judged = []
            for user, _ in people:
                if user.id == row["submitted_by_id"]:
                    continue
                position = max(0, min(len(levels) - 1, CASES[0][4] - rng.choice([0, 0, 1])))
                judged.append(position)
                judgment_rows.append(
                    {
                        "organisation_id": organisation.id,
                        "case_id": case_id,
                        "user_id": user.id,
                        "level_id": levels[position].id,
                        "rationale": "Judged on the evidence.",
                        "created_at": row["created_at"],
                        "updated_at": row["created_at"],
                    }
                )
            if row["status"] == "closed":
                ids_in_order = [level.id for level in levels]
                record_rows.append(
                    {
                        "organisation_id": organisation.id,
                        "network_id": network.id,
                        "closed_on": row["closed_at"].date(),
                        "scale_size": len(levels),
                        "levels": sorted(judged),
                        "proposed_position": ids_in_order.index(row["proposed_level_id"]),
                        "outcome_position": ids_in_order.index(row["outcome_level_id"]),
                    }
                )
        if judgment_rows:
            db.session.execute(sa.insert(Judgment), judgment_rows)
        if record_rows:
            db.session.execute(sa.insert(AgreementRecord), record_rows)
    db.session.flush()
