"""The agenda's part of the digest: proposals awaiting your support in your phase (needs you),
and new proposals, published agendas and new minutes (new since). One statement per kind for
the whole batch of readers."""

from __future__ import annotations

import sqlalchemy as sa

from cluster.agenda.models import Agenda, AgendaItem, AgendaSupport
from cluster.digests.sections import DigestBatch, DigestItem
from cluster.extensions import db
from cluster.meetings.models import Meeting
from cluster.schools.models import School

#: Which item flags concern a school of each phase group (all-through schools teach both).
_CONCERNS = {
    "primary": ("for_primary",),
    "secondary": ("for_secondary",),
    "special": ("for_special",),
    "all-through": ("for_primary", "for_secondary"),
}


def _earliest(batch: DigestBatch):
    return min((reader.since for reader in batch.readers.values()), default=batch.now)


def _new_items(batch: DigestBatch):
    return db.session.execute(
        sa.select(
            AgendaItem.id,
            AgendaItem.title,
            AgendaItem.network_id,
            AgendaItem.created_at,
            AgendaItem.proposed_by_id,
            AgendaItem.for_primary,
            AgendaItem.for_secondary,
            AgendaItem.for_special,
            AgendaItem.support_count,
        )
        .where(
            AgendaItem.network_id.in_(batch.network_ids),
            AgendaItem.status == "open",
            AgendaItem.created_at > _earliest(batch),
        )
        .order_by(AgendaItem.created_at, AgendaItem.id)
    ).all()


def _phase_groups(batch: DigestBatch) -> dict[int, str]:
    """user id -> phase group of their school in the item's organisation (readers with a school)."""
    school_ids = {sid for by_org in batch.schools.values() for sid in by_org.values() if sid}
    if not school_ids:
        return {}
    groups = {
        school.id: school.phase_group
        for school in db.session.scalars(sa.select(School).where(School.id.in_(school_ids)))
    }
    return {
        uid: groups[sid] for uid, by_org in batch.schools.items() for sid in by_org.values() if sid in groups
    }


def _awaits(
    batch: DigestBatch, reader_id: int, row, groups: dict[int, str], supported: set[tuple[int, int]]
) -> bool:
    """A member whose school's phase the item concerns, who has not supported it (nor proposed it)."""
    if batch.networks_of(reader_id).get(row.network_id) != "member" or reader_id == row.proposed_by_id:
        return False
    flags = _CONCERNS.get(groups.get(reader_id, ""), ())
    return any(getattr(row, flag) for flag in flags) and (row.id, reader_id) not in supported


def _supported(batch: DigestBatch, item_ids: list[int]) -> set[tuple[int, int]]:
    if not item_ids:
        return set()
    return {
        (item_id, user_id)
        for item_id, user_id in db.session.execute(
            sa.select(AgendaSupport.item_id, AgendaSupport.user_id).where(
                AgendaSupport.item_id.in_(item_ids), AgendaSupport.user_id.in_(batch.user_ids)
            )
        )
    }


def proposals_awaiting_support(batch: DigestBatch) -> dict[int, list[DigestItem]]:
    """New proposals in a member's phase that they have not yet supported."""
    rows = _new_items(batch)
    groups, supported = _phase_groups(batch), _supported(batch, [row.id for row in rows])
    found: dict[int, list[DigestItem]] = {}
    for row in rows:
        for reader in batch.readers_in(row.network_id):
            if reader.since < row.created_at <= reader.until and _awaits(
                batch, reader.user_id, row, groups, supported
            ):
                found.setdefault(reader.user_id, []).append(
                    DigestItem(
                        network_id=row.network_id,
                        kind="Agenda proposal for your phase",
                        title=row.title,
                        url=batch.network_link(
                            "org.agenda.item", row.network_id, network_id=row.network_id, item_id=row.id
                        ),
                        sort_at=row.created_at,
                        facts=(
                            f"Proposed {batch.when(reader.user_id, row.created_at)}; "
                            f"{row.support_count} {'school supports' if row.support_count == 1 else 'supports'} so far. "
                            "Support it if your school wants it on the agenda.",
                        ),
                        key=f"agenda-item:{row.id}",
                    )
                )
    return found


def new_agenda_news(batch: DigestBatch) -> dict[int, list[DigestItem]]:
    """New proposals (for those they do not already need), published agendas and new minutes."""
    rows = _new_items(batch)
    groups, supported = _phase_groups(batch), _supported(batch, [row.id for row in rows])
    found: dict[int, list[DigestItem]] = {}
    for row in rows:
        for reader in batch.readers_in(row.network_id):
            if (
                reader.since < row.created_at <= reader.until
                and reader.user_id != row.proposed_by_id
                and not _awaits(batch, reader.user_id, row, groups, supported)
            ):
                found.setdefault(reader.user_id, []).append(
                    DigestItem(
                        network_id=row.network_id,
                        kind="New agenda proposal",
                        title=row.title,
                        url=batch.network_link(
                            "org.agenda.item", row.network_id, network_id=row.network_id, item_id=row.id
                        ),
                        sort_at=row.created_at,
                        facts=(f"Proposed {batch.when(reader.user_id, row.created_at)}",),
                        key=f"agenda-item:{row.id}",
                    )
                )
    earliest = _earliest(batch)
    agendas = db.session.execute(
        sa.select(
            Agenda.meeting_id,
            Agenda.network_id,
            Agenda.published_at,
            Agenda.minutes_updated_at,
            Meeting.title,
        )
        .join(Meeting, Meeting.id == Agenda.meeting_id)
        .where(
            Agenda.network_id.in_(batch.network_ids),
            sa.or_(Agenda.published_at > earliest, Agenda.minutes_updated_at > earliest),
        )
    ).all()
    for row in agendas:
        for reader in batch.readers_in(row.network_id):
            for kind, moment, key in (
                ("Agenda published", row.published_at, "agenda"),
                ("Minutes", row.minutes_updated_at, "minutes"),
            ):
                if moment and reader.since < moment <= reader.until:
                    found.setdefault(reader.user_id, []).append(
                        DigestItem(
                            network_id=row.network_id,
                            kind=kind,
                            title=row.title,
                            url=batch.network_link(
                                "org.agenda.show", row.network_id, meeting_id=row.meeting_id
                            ),
                            sort_at=moment,
                            facts=(f"{kind} {batch.when(reader.user_id, moment)}",),
                            key=f"{key}:{row.meeting_id}",
                        )
                    )
    return found
