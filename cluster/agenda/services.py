"""Proposals: proposing, changing, supporting, commenting, declining; and each network's
standing items. Functions flush, never commit; each docstring states the rule it keeps.
Who may call them is decided in :mod:`cluster.agenda.access`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from cluster.agenda.models import ITEM_KINDS, PHASES, AgendaComment, AgendaItem, AgendaSupport, StandingItem
from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
from cluster.schools.models import School

#: Minutes an item (or an agenda entry) may ask for: a meeting is an afternoon.
MIN_MINUTES, MAX_MINUTES = 1, 240
TITLE_LENGTH, DESCRIPTION_LENGTH, COMMENT_LENGTH, REASON_LENGTH = 200, 10_000, 2_000, 1_000


class AgendaRuleError(ValueError):
    """A change the rules do not allow; ``str()`` is the message to show, ``field`` the form
    field it is about (or "")."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ProposalDraft:
    title: str
    description: str
    kind: str
    phases: tuple[str, ...]
    minutes_needed: int
    target_meeting_id: int | None = None


def phase_flags(phases: tuple[str, ...] | list[str]) -> tuple[bool, bool, bool]:
    """(primary, secondary, special) from phase keys; "all" is all three."""
    chosen = set(phases)
    if "all" in chosen:
        return True, True, True
    return "primary" in chosen, "secondary" in chosen, "special" in chosen


def open_target_meetings(network: Network, now: datetime | None = None) -> list[Meeting]:
    """The meetings a proposal may aim at: the network's scheduled meetings still to come."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.network_id == network.id, Meeting.status == "scheduled", Meeting.ends_at >= now)
            .order_by(Meeting.starts_at)
            .limit(12)
        )
    )


def _check(network: Network, draft: ProposalDraft, now: datetime | None) -> None:
    if not draft.title.strip():
        raise AgendaRuleError("Enter a title", "title")
    if len(draft.title.strip()) > TITLE_LENGTH:
        raise AgendaRuleError(f"The title must be {TITLE_LENGTH} characters or fewer", "title")
    if len(draft.description) > DESCRIPTION_LENGTH:
        raise AgendaRuleError(
            f"The description must be {DESCRIPTION_LENGTH:,} characters or fewer", "description"
        )
    if draft.kind not in ITEM_KINDS:
        raise AgendaRuleError("Choose what kind of item this is", "kind")
    if not draft.phases or not set(draft.phases) <= set(PHASES):
        raise AgendaRuleError("Choose the phases it concerns", "phases")
    if not MIN_MINUTES <= draft.minutes_needed <= MAX_MINUTES:
        raise AgendaRuleError(
            f"Minutes needed must be a whole number from {MIN_MINUTES} to {MAX_MINUTES}", "minutes_needed"
        )
    if draft.target_meeting_id is not None and draft.target_meeting_id not in {
        m.id for m in open_target_meetings(network, now)
    }:
        raise AgendaRuleError(
            "Choose one of the network's coming meetings, or any meeting", "target_meeting_id"
        )


def _apply(item: AgendaItem, draft: ProposalDraft) -> None:
    item.title, item.description, item.kind = draft.title.strip(), draft.description.strip(), draft.kind
    item.for_primary, item.for_secondary, item.for_special = phase_flags(draft.phases)
    item.minutes_needed, item.target_meeting_id = draft.minutes_needed, draft.target_meeting_id


def propose(
    network: Network, user: User, school: School | None, draft: ProposalDraft, now: datetime | None = None
) -> AgendaItem:
    """A new open proposal of ``network``. The proposer's support counts at once (their one
    support), so a proposal is never at zero; the school is the proposer's school today.
    A target meeting must be one of the network's coming scheduled meetings."""
    now = now or utcnow()
    _check(network, draft, now)
    item = AgendaItem(
        organisation_id=network.organisation_id,
        network_id=network.id,
        status="open",
        proposed_by_id=user.id,
        proposer_school_id=school.id if school else None,
        created_at=now,
        updated_at=now,
        support_count=0,
        comment_count=0,
    )
    _apply(item, draft)
    db.session.add(item)
    db.session.flush()
    set_support(item, user, school, True, now=now)
    return item


def update_item(item: AgendaItem, draft: ProposalDraft, now: datetime | None = None) -> None:
    """Change a proposal: only while it is open (placed, discussed and declined items are part
    of a meeting's record). Supports and comments stay."""
    if item.status != "open":
        raise AgendaRuleError(f"This item is {item.status_label.lower()} and can no longer be changed")
    _check(item.network, draft, now)
    _apply(item, draft)
    db.session.flush()


def set_support(
    item: AgendaItem, user: User, school: School | None, want: bool, now: datetime | None = None
) -> bool:
    """Support ``item`` (``want``) or withdraw support: one support per person; only for items
    still to be discussed (open or placed). Returns whether anything changed; asking twice is
    harmless (a double click, or two tabs)."""
    if item.status not in ("open", "placed"):
        raise AgendaRuleError("This item has been discussed or declined: support is closed")
    exists = db.session.scalar(
        sa.select(AgendaSupport.id).where(AgendaSupport.item_id == item.id, AgendaSupport.user_id == user.id)
    )
    if want == (exists is not None):
        return False
    if want:
        db.session.add(
            AgendaSupport(
                organisation_id=item.organisation_id,
                item_id=item.id,
                user_id=user.id,
                school_id=school.id if school else None,
                created_at=now or utcnow(),
            )
        )
    else:
        db.session.execute(sa.delete(AgendaSupport).where(AgendaSupport.id == exists))
    db.session.flush()
    _recount(item)
    return True


def _recount(item: AgendaItem) -> None:
    # Counted afresh rather than +1/-1, so that concurrent supports can never leave it wrong for long.
    item.support_count = db.session.scalar(
        sa.select(sa.func.count()).select_from(AgendaSupport).where(AgendaSupport.item_id == item.id)
    )
    db.session.flush()


def add_comment(
    item: AgendaItem, user: User, school: School | None, body: str, now: datetime | None = None
) -> AgendaComment:
    """A comment on a proposal (plain text, up to COMMENT_LENGTH); comments stay open on every
    item, as people add what happened or what still needs doing."""
    body = body.strip()
    if not body:
        raise AgendaRuleError("Enter your comment", "body")
    if len(body) > COMMENT_LENGTH:
        raise AgendaRuleError(f"Your comment must be {COMMENT_LENGTH:,} characters or fewer", "body")
    comment = AgendaComment(
        organisation_id=item.organisation_id,
        item_id=item.id,
        author_id=user.id,
        author_school_id=school.id if school else None,
        body=body,
        created_at=now or utcnow(),
    )
    db.session.add(comment)
    item.comment_count = (item.comment_count or 0) + 1
    db.session.flush()
    return comment


def decline(item: AgendaItem, by: User, reason: str, now: datetime | None = None) -> None:
    """Close an open proposal with a reason the proposer is shown (and emailed). Placed items
    are first taken off their agenda; discussed ones are history."""
    reason = reason.strip()
    if item.status != "open":
        raise AgendaRuleError(
            f"Only an open proposal can be declined; this one is {item.status_label.lower()}"
        )
    if not reason:
        raise AgendaRuleError("Say why, so that the proposer knows", "reason")
    if len(reason) > REASON_LENGTH:
        raise AgendaRuleError(f"The reason must be {REASON_LENGTH:,} characters or fewer", "reason")
    item.status, item.decline_reason, item.declined_at, item.declined_by_id = (
        "declined",
        reason,
        now or utcnow(),
        by.id,
    )
    db.session.flush()


# Standing items ---------------------------------------------------------------------------------


def standing_items(network: Network) -> list[StandingItem]:
    """The network's active standing items: those that open a meeting, then those that close it."""
    return list(
        db.session.scalars(
            sa.select(StandingItem)
            .where(StandingItem.network_id == network.id, StandingItem.active.is_(True))
            .order_by(StandingItem.at_end, StandingItem.position, StandingItem.id)
        )
    )


def add_standing_item(
    network: Network, title: str, minutes: int, presenter: str = "", at_end: bool = False
) -> StandingItem:
    """A standing item, added to every agenda started from now on (agendas already started are
    left as their organisers built them)."""
    title, presenter = title.strip(), presenter.strip()
    if not title:
        raise AgendaRuleError("Enter a title", "title")
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise AgendaRuleError(
            f"Minutes must be a whole number from {MIN_MINUTES} to {MAX_MINUTES}", "minutes"
        )
    last = db.session.scalar(
        sa.select(sa.func.max(StandingItem.position)).where(StandingItem.network_id == network.id)
    )
    item = StandingItem(
        organisation_id=network.organisation_id,
        network_id=network.id,
        title=title[:TITLE_LENGTH],
        minutes=minutes,
        presenter=presenter[:200],
        at_end=at_end,
        position=(last or 0) + 1,
        active=True,
    )
    db.session.add(item)
    db.session.flush()
    return item


def remove_standing_item(item: StandingItem) -> None:
    """Stop adding it to new agendas; agendas that have it keep it."""
    item.active = False
    db.session.flush()
