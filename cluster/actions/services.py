"""The rules of actions and of "you said, we did". Flush, never commit."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from cluster.actions.models import ACTION_STATUSES, Action, FeedbackTheme, ThemeQuote, YouSaidPage
from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.feedback.models import COMMENT_FIELDS, FeedbackResponse
from cluster.meetings.models import Meeting
from cluster.meetings.services import member_schools, network_people
from cluster.networks.access import NetworkAccess
from cluster.networks.models import Network, NetworkSchool
from cluster.networks.queries import people_in
from cluster.tenancy.models import Membership


class ActionRuleError(ValueError):
    """A change the rules do not allow; ``str()`` is the message to show."""


def owner_choices(network: Network) -> list[tuple[str, str]]:
    """Who can own an action of ``network``: its member schools ("school-<id>") and its people
    ("user-<id>": organisers, observers and member SENCOs). Two queries."""

    schools = [(f"school-{s.id}", f"{s.name} (school)") for s in member_schools(network)]
    people = [(f"user-{u.id}", u.name) for u in network_people(network)]
    return people + schools


def parse_owner(network: Network, value: str) -> tuple[int | None, int | None]:
    """(user id, school id) from an owner choice, checked to be of ``network``."""
    kind, _, raw = (value or "").partition("-")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        raise ActionRuleError("Choose who owns the action")
    owner_id = int(raw)
    if kind == "school":
        ok = db.session.scalar(
            sa.select(NetworkSchool.school_id).where(
                NetworkSchool.network_id == network.id, NetworkSchool.school_id == owner_id
            )
        )
        if ok is None:
            raise ActionRuleError("Choose a school of the network")
        return None, owner_id
    if kind == "user":
        if owner_id not in {u.id for u in network_people(network)}:
            raise ActionRuleError("Choose a person in the network")
        return owner_id, None
    raise ActionRuleError("Choose who owns the action")


def _check_links(network: Network, meeting_id: int | None, theme_id: int | None) -> None:
    if (
        meeting_id is not None
        and db.session.scalar(
            sa.select(Meeting.id).where(Meeting.id == meeting_id, Meeting.network_id == network.id)
        )
        is None
    ):
        raise ActionRuleError("Choose a meeting of the network")
    if (
        theme_id is not None
        and db.session.scalar(
            sa.select(FeedbackTheme.id).where(
                FeedbackTheme.id == theme_id, FeedbackTheme.network_id == network.id
            )
        )
        is None
    ):
        raise ActionRuleError("Choose a theme of the network's feedback")


def record_action(
    network: Network,
    created_by: User,
    *,
    description: str,
    owner: str,
    due_on: date,
    meeting_id: int | None = None,
    theme_id: int | None = None,
    now: datetime | None = None,
) -> Action:
    """Record an open action of ``network``, owned by one of its people or schools."""
    now = now or utcnow()
    if not description.strip():
        raise ActionRuleError("Describe the action")
    owner_user_id, owner_school_id = parse_owner(network, owner)
    _check_links(network, meeting_id, theme_id)
    action = Action(
        organisation_id=network.organisation_id,
        network_id=network.id,
        meeting_id=meeting_id,
        theme_id=theme_id,
        description=description.strip()[:1000],
        owner_user_id=owner_user_id,
        owner_school_id=owner_school_id,
        due_on=due_on,
        status="open",
        created_by_id=created_by.id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(action)
    db.session.flush()
    return action


def update_action(
    action: Action,
    *,
    description: str,
    owner: str,
    due_on: date,
    meeting_id: int | None,
    theme_id: int | None,
    status: str,
    outcome: str,
    now: datetime | None = None,
) -> None:
    """An organiser changes any part of an action, including reopening it."""
    now = now or utcnow()
    if not description.strip():
        raise ActionRuleError("Describe the action")
    action.owner_user_id, action.owner_school_id = parse_owner(action.network, owner)
    _check_links(action.network, meeting_id, theme_id)
    action.description, action.due_on = description.strip()[:1000], due_on
    action.meeting_id, action.theme_id = meeting_id, theme_id
    _set_status(action, status, outcome, now)
    db.session.flush()


def _set_status(action: Action, status: str, outcome: str, now: datetime) -> None:
    if status not in ACTION_STATUSES:
        raise ActionRuleError("Choose open, done or dropped")
    if status != action.status:
        action.closed_at = None if status == "open" else now
    action.status, action.outcome = status, (outcome or "").strip()[:5000]
    action.updated_at = now


def is_owner(action: Action, membership: Membership) -> bool:
    return action.owner_user_id == membership.user_id or (
        action.owner_school_id is not None and action.owner_school_id == membership.school_id
    )


def close_action(action: Action, status: str, outcome: str, now: datetime | None = None) -> None:
    """The owner (or an organiser) marks an action done or dropped, saying what came of it."""
    if status not in ("done", "dropped"):
        raise ActionRuleError("Choose done or dropped")
    if not (outcome or "").strip():
        raise ActionRuleError("Say what came of it" if status == "done" else "Say why it was dropped")
    _set_status(action, status, outcome, now or utcnow())
    db.session.flush()


# You said, we did ---------------------------------------------------------------------------------


def page_of(network: Network) -> YouSaidPage | None:
    return db.session.scalar(sa.select(YouSaidPage).where(YouSaidPage.network_id == network.id))


def can_read_you_said(network: Network, access: NetworkAccess, page: YouSaidPage | None) -> bool:
    """The network's people read it; everyone in the organisation once it is shared."""
    return access.can_view or bool(page and page.shared_with_organisation)


def set_shared(network: Network, shared: bool, now: datetime | None = None) -> YouSaidPage:
    page = page_of(network)
    if page is None:
        page = YouSaidPage(organisation_id=network.organisation_id, network_id=network.id)
        db.session.add(page)
    page.shared_with_organisation, page.updated_at = shared, now or utcnow()
    db.session.flush()
    return page


def save_theme(
    network: Network,
    user: User,
    theme: FeedbackTheme | None,
    *,
    summary: str,
    meeting_id: int | None,
    quotes: list[str],
    action_ids: list[int],
    now: datetime | None = None,
) -> FeedbackTheme:
    """Create or change a theme: its summary, the comments it quotes (``"<response id>-<field>"``
    of the network's feedback) and the actions that answer it (the network's)."""
    now = now or utcnow()
    if not summary.strip():
        raise ActionRuleError("Summarise what members said")
    _check_links(network, meeting_id, None)
    chosen: set[tuple[int, str]] = set()
    for quote in quotes:
        raw, _, field = quote.partition("-")
        if not raw.isascii() or not raw.isdigit() or len(raw) > 12 or field not in COMMENT_FIELDS:
            raise ActionRuleError("Choose comments from the list")
        chosen.add((int(raw), field))
    if chosen:
        found = {
            (rid, f)
            for (rid,) in db.session.execute(
                sa.select(FeedbackResponse.id).where(
                    FeedbackResponse.network_id == network.id,
                    FeedbackResponse.id.in_({rid for rid, _ in chosen}),
                )
            )
            for f in COMMENT_FIELDS
        }
        if not chosen <= found:
            raise ActionRuleError("Choose comments from the list")
    if action_ids and len(
        set(
            db.session.scalars(
                sa.select(Action.id).where(Action.network_id == network.id, Action.id.in_(action_ids))
            )
        )
    ) != len(set(action_ids)):
        raise ActionRuleError("Choose actions of the network")
    if theme is None:
        theme = FeedbackTheme(
            organisation_id=network.organisation_id,
            network_id=network.id,
            created_by_id=user.id,
            created_at=now,
            summary="",
        )
        db.session.add(theme)
    theme.summary, theme.meeting_id, theme.updated_at = summary.strip()[:500], meeting_id, now
    db.session.flush()
    have = {(q.response_id, q.field): q for q in theme.quotes}
    for key, quote in have.items():
        if key not in chosen:
            theme.quotes.remove(quote)
    for response_id, field in sorted(chosen - set(have)):
        theme.quotes.append(
            ThemeQuote(organisation_id=network.organisation_id, response_id=response_id, field=field)
        )
    db.session.execute(
        sa.update(Action)
        .where(Action.theme_id == theme.id, Action.id.not_in(action_ids or [-1]))
        .values(theme_id=None)
        .execution_options(synchronize_session=False)
    )
    if action_ids:
        db.session.execute(
            sa.update(Action)
            .where(Action.network_id == network.id, Action.id.in_(action_ids))
            .values(theme_id=theme.id)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()
    return theme


def organiser_ids(network: Network) -> set[int]:
    return set(db.session.scalars(people_in(network.id, "organiser")))
