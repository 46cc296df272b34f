"""Objects the access matrix needs for moderation (see tests/access_registry.py)."""

from __future__ import annotations

import itertools

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.extensions import db
from cluster.moderation.models import CaseObserver, ModerationCase

_fresh = itertools.count(1)


def moderation_objects(make, org, network, school, other_school, users) -> dict:
    """The organisation's scale; a draft by the member (with a file); an open case of the other
    school (put forward by the organiser, so the member judges it) that the observer is invited
    to judge, with a file."""
    from cluster.moderation.services import add_attachment
    from cluster.moderation.storage import moderation_storage

    make.moderation_scale(org)
    draft = make.moderation_case(network, users["member"], school=school, status="draft")
    case = make.moderation_case(network, users["organiser"], school=other_school, status="open")
    db.session.add(CaseObserver(organisation_id=org.id, case_id=case.id, user_id=users["observer"].id))
    store = moderation_storage()
    case.status = "draft"  # files are added to drafts only
    attachment = add_attachment(
        case, users["organiser"], store, "reading.txt", b"Reading age 6y 4m; BPVS SS 78.", 1 << 20
    )
    draft_attachment = add_attachment(
        draft, users["member"], store, "notes.txt", b"Pupil A: notes from the review.", 1 << 20
    )
    case.status = "open"
    # The observer has judged (their case page shows the distribution); two terms of statistics
    # (the network's page shows the agreement chart).
    from datetime import date

    from cluster.moderation.models import AgreementRecord
    from cluster.moderation.scale import levels_of
    from cluster.moderation.services import record_judgment

    record_judgment(case, users["observer"], levels_of(org.id)[1].id, "SEN support fits the evidence.")
    for closed_on, levels in (
        (date(2025, 10, 1), [0, 1, 2]),
        (date(2025, 11, 1), [1, 1, 2]),
        (date(2026, 2, 1), [1, 1, 1]),
    ):
        db.session.add(
            AgreementRecord(
                organisation_id=org.id,
                network_id=network.id,
                closed_on=closed_on,
                scale_size=3,
                levels=levels,
                proposed_position=1,
                outcome_position=1,
            )
        )
    db.session.commit()
    return {
        "draft": draft.id,
        "case": case.id,
        "attachment": attachment.id,
        "draft_attachment": draft_attachment.id,
    }


def _member(side) -> User:
    return db.session.scalar(sa.select(User).where(User.email == side.users["member"].email))


def disposable_draft(side) -> int:
    """A fresh draft of the member for each caller of a route that ends it (withdraw)."""
    from tests.factories import Factory

    network = db.session.get(ModerationCase, side.moderation["draft"]).network
    return Factory().moderation_case(network, _member(side), status="draft").id


def disposable_attachment(side) -> dict:
    from cluster.moderation.services import add_attachment
    from cluster.moderation.storage import moderation_storage

    draft = db.session.get(ModerationCase, side.moderation["draft"])
    attachment = add_attachment(
        draft,
        _member(side),
        moderation_storage(),
        "old.txt",
        f"disposable notes {next(_fresh)}".encode(),
        1 << 20,
    )
    db.session.commit()
    return {"case_id": draft.id, "attachment_id": attachment.id}


def disposable_level(side) -> int:
    """A level nothing uses, for each caller of the delete route."""
    from cluster.moderation.scale import add_level, scale_of

    organisation_id = db.session.get(ModerationCase, side.moderation["draft"]).organisation_id
    level = add_level(scale_of(organisation_id), f"Unused {next(_fresh)}")
    db.session.commit()
    return level.id


def first_level(side) -> int:
    from cluster.moderation.scale import levels_of

    organisation_id = db.session.get(ModerationCase, side.moderation["draft"]).organisation_id
    return levels_of(organisation_id)[0].id
