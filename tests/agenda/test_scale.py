"""A network with years of history (thousands of proposals, supports, comments and minuted
agendas) shows its proposals and agendas with the same number of SQL statements as a new one."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from cluster.agenda.models import (
    Agenda,
    AgendaComment,
    AgendaItem,
    AgendaSlot,
    AgendaSupport,
    MinutesRevision,
)
from cluster.agenda.planning import slots_of
from cluster.agenda.services import add_standing_item
from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting
from cluster.networks.models import NetworkSchool
from cluster.schools.models import School
from cluster.tenancy.models import Membership
from tests.agenda.helpers import build_world
from tests.conftest import sign_in_as
from tests.factories import password_hash
from tests.helpers import StatementCounter


def _pages(w, item, held, slot) -> list[str]:
    n, m = w.network.id, w.meeting.id
    return [
        f"{w.base}/networks/{n}/agenda-items",
        f"{w.base}/networks/{n}/agenda-items?sort=newest&phase=secondary",
        f"{w.base}/networks/{n}/agenda-items?status=done",
        f"{w.base}/networks/{n}/agenda-items/{item.id}",
        f"{w.base}/networks/{n}/standing-items",
        f"{w.base}/meetings/{m}/agenda",
        f"{w.base}/meetings/{m}/agenda/build",
        f"{w.base}/meetings/{m}/agenda/print",
        f"{w.base}/meetings/{m}/agenda/agenda.md",
        f"{w.base}/meetings/{m}",
        f"{w.base}/meetings/{held.id}/agenda",
        f"{w.base}/meetings/{held.id}/agenda/close",
        f"{w.base}/meetings/{held.id}/minutes/{slot.id}",
        f"{w.base}/meetings/{held.id}",
    ]


def _measure(app, users: dict[str, int], urls) -> dict[tuple[str, str], tuple[int, int]]:
    found = {}
    for who, user_id in users.items():
        client = app.test_client()
        sign_in_as(client, SimpleNamespace(id=user_id))
        for url in urls:
            db.session.remove()  # each request starts with an empty session, as in production
            with StatementCounter() as counter:
                status = client.get(url).status_code
            found[(who, url)] = (counter.count, status)
    return found


def _grow(org_id: int, network_id: int, item_id: int, rows: int = 2000) -> None:
    """Years of history in bulk: members, meetings with minuted agendas, proposals in every state,
    supports and comments (many on the item ``item_id`` itself)."""
    now = utcnow()
    school_ids = list(
        db.session.scalars(
            sa.insert(School).returning(School.id, sort_by_parameter_order=True),
            [
                {
                    "organisation_id": org_id,
                    "urn": f"{700000 + i}",
                    "name": f"School {i:03d}",
                    "phase": ("Primary", "Secondary")[i % 2],
                    "establishment_type": "Community school",
                    "status": "Open",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(60)
            ],
        )
    )
    db.session.execute(
        sa.insert(NetworkSchool),
        [{"organisation_id": org_id, "network_id": network_id, "school_id": s} for s in school_ids],
    )
    user_ids = list(
        db.session.scalars(
            sa.insert(User).returning(User.id, sort_by_parameter_order=True),
            [
                {
                    "email": f"senco{i}@grow.example",
                    "name": f"SENCO {i}",
                    "password_hash": password_hash(),
                    "is_platform_admin": False,
                    "active": True,
                    "time_zone": "Europe/London",
                    "created_at": now,
                }
                for i in range(60)
            ],
        )
    )
    db.session.execute(
        sa.insert(Membership),
        [
            {
                "organisation_id": org_id,
                "user_id": u,
                "is_admin": False,
                "school_id": s,
                "job_title": "",
                "deputy_name": "",
                "created_at": now,
            }
            for u, s in zip(user_ids, school_ids)
        ],
    )
    meeting_ids = list(
        db.session.scalars(
            sa.insert(Meeting).returning(Meeting.id, sort_by_parameter_order=True),
            [
                {
                    "organisation_id": org_id,
                    "network_id": network_id,
                    "title": f"Meeting {i}",
                    "starts_at": now - timedelta(days=40 * (i + 1)),
                    "ends_at": now - timedelta(days=40 * (i + 1)) + timedelta(hours=2),
                    "status": "held",
                    "uid": f"grow-{i}@cluster",
                    "sequence": 0,
                    "changed_at": now,
                    "created_at": now,
                    "updated_at": now,
                    "address": "",
                    "online_url": "",
                    "refreshments": "",
                    "description": "",
                    "cancel_reason": "",
                }
                for i in range(30)
            ],
        )
    )
    statuses = ["open", "done", "declined", "open", "done"]
    item_ids = list(
        db.session.scalars(
            sa.insert(AgendaItem).returning(AgendaItem.id, sort_by_parameter_order=True),
            [
                {
                    "organisation_id": org_id,
                    "network_id": network_id,
                    "title": f"Old topic {i}",
                    "description": "Some *history*",
                    "kind": "discussion",
                    "for_primary": i % 2 == 0,
                    "for_secondary": i % 3 == 0,
                    "for_special": i % 5 == 0,
                    "minutes_needed": 15,
                    "status": statuses[i % 5],
                    "support_count": i % 7,
                    "comment_count": i % 3,
                    "proposed_by_id": user_ids[i % 60],
                    "proposer_school_id": school_ids[i % 60],
                    "deferred_at": now - timedelta(days=41) if i % 40 == 0 else None,
                    "deferred_from_meeting_id": meeting_ids[0] if i % 40 == 0 else None,
                    "deferred_reason": "deferred" if i % 40 == 0 else "",
                    "decline_reason": "",
                    "created_at": now - timedelta(hours=i),
                    "updated_at": now,
                }
                for i in range(rows)
            ],
        )
    )
    db.session.execute(
        sa.insert(AgendaSupport),
        [
            {
                "organisation_id": org_id,
                "item_id": item_ids[i % len(item_ids)],
                "user_id": user_ids[i // len(item_ids) % 60],
                "school_id": school_ids[i // len(item_ids) % 60],
                "created_at": now,
            }
            for i in range(rows)
        ]
        + [
            {"organisation_id": org_id, "item_id": item_id, "user_id": u, "school_id": s, "created_at": now}
            for u, s in zip(user_ids, school_ids)
        ],
    )
    db.session.execute(
        sa.insert(AgendaComment),
        [
            {
                "organisation_id": org_id,
                "item_id": item_id if i % 4 == 0 else item_ids[i % len(item_ids)],
                "author_id": user_ids[i % 60],
                "author_school_id": school_ids[i % 60],
                "body": f"Comment {i}",
                "created_at": now - timedelta(minutes=i),
            }
            for i in range(rows)
        ],
    )
    agenda_ids = list(
        db.session.scalars(
            sa.insert(Agenda).returning(Agenda.id, sort_by_parameter_order=True),
            [
                {
                    "organisation_id": org_id,
                    "meeting_id": mid,
                    "network_id": network_id,
                    "status": "closed",
                    "plan_version": 3,
                    "published_version": 3,
                    "published_at": now,
                    "matters_snapshot": [],
                    "created_at": now,
                }
                for mid in meeting_ids
            ],
        )
    )
    slot_ids = list(
        db.session.scalars(
            sa.insert(AgendaSlot).returning(AgendaSlot.id, sort_by_parameter_order=True),
            [
                {
                    "organisation_id": org_id,
                    "agenda_id": aid,
                    "position": p,
                    "kind": "item",
                    "item_id": item_ids[(n * 10 + p) % len(item_ids)],
                    "title": f"Entry {p}",
                    "minutes": 10,
                    "presenter": "",
                    "at_end": False,
                    "outcome": "discussed",
                    "minutes_text": "Minutes",
                    "decisions": "",
                    "minutes_version": 1,
                    "created_at": now,
                }
                for n, aid in enumerate(agenda_ids)
                for p in range(10)
            ],
        )
    )
    db.session.execute(
        sa.insert(MinutesRevision),
        [
            {
                "organisation_id": org_id,
                "slot_id": sid,
                "version": 1,
                "minutes_text": "Minutes",
                "decisions": "",
                "edited_at": now,
            }
            for sid in slot_ids
        ],
    )
    db.session.commit()


def test_agenda_pages_issue_the_same_number_of_statements_whatever_the_history(app, make):
    w = build_world(make)
    add_standing_item(w.network, "LA update", 10)
    db.session.commit()
    item = make.agenda_item(w.network, w.secondary, school=w.schools["ashcombe"], title="GCSE access")
    placed = make.agenda_item(w.network, w.primary, school=w.schools["fernhill"], title="Phonics")
    make.agenda(w.meeting, items=[placed], publish_as=w.organiser)
    held = make.meeting(w.network, days_ahead=-3, title="Last meeting")
    done = make.agenda_item(w.network, w.special, school=w.schools["oakfield"], title="Outreach")
    held_agenda = make.agenda(held, items=[done], publish_as=w.organiser)
    held.status = "held"
    db.session.commit()
    slot = slots_of(held_agenda)[-1]
    users = {"organiser": w.organiser.id, "member": w.secondary.id, "observer": w.observer.id}
    urls = _pages(w, item, held, slot)
    org_id, network_id, item_id = w.org.id, w.network.id, item.id

    small = _measure(app, users, urls)
    _grow(org_id, network_id, item_id)
    large = _measure(app, users, urls)

    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaItem)) > 2000
    problems = [
        f"GET {url} as {who}: {small[(who, url)]} -> {large[(who, url)]} (statements, status)"
        for (who, url) in small
        if small[(who, url)] != large[(who, url)] or large[(who, url)][1] >= 500
    ]
    assert not problems, "\n".join(problems)
    assert small[("member", urls[0])][1] == 200 and small[("organiser", urls[6])][1] == 200
