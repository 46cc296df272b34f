"""Reading actions: a network's list, a person's own, "you said, we did", and opened vs closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import joinedload, selectinload

from cluster.actions.models import Action, FeedbackTheme, ThemeQuote
from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.feedback.models import COMMENT_FIELDS, FeedbackResponse
from cluster.feedback.reports import bounds, day_of
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
from cluster.schools.models import School
from cluster.tenancy.models import Membership
from cluster.timeutil import local_date, to_local
from cluster.ui.charts import Series, bar_chart

LIST_LIMIT = 200


def _with_owners(stmt: sa.Select) -> sa.Select:
    return stmt.options(
        joinedload(Action.owner_user),
        joinedload(Action.owner_school),
        joinedload(Action.meeting),
        joinedload(Action.network),
    )


def network_actions(network: Network) -> tuple[list[Action], list[Action]]:
    """The network's open actions (soonest due first) and its latest closed ones. Two queries."""
    open_ = (
        db.session.scalars(
            _with_owners(
                sa.select(Action)
                .where(Action.network_id == network.id, Action.status == "open")
                .order_by(Action.due_on, Action.id)
                .limit(LIST_LIMIT)
            )
        )
        .unique()
        .all()
    )
    closed = (
        db.session.scalars(
            _with_owners(
                sa.select(Action)
                .where(Action.network_id == network.id, Action.status != "open")
                .order_by(Action.closed_at.desc(), Action.id.desc())
                .limit(50)
            )
        )
        .unique()
        .all()
    )
    return list(open_), list(closed)


def meeting_actions(meeting_id: int) -> list[Action]:
    """Actions recorded at a meeting (one query)."""
    return list(
        db.session.scalars(
            _with_owners(
                sa.select(Action)
                .where(Action.meeting_id == meeting_id)
                .order_by(Action.due_on, Action.id)
                .limit(LIST_LIMIT)
            )
        ).unique()
    )


def owned_by(membership: Membership) -> sa.ColumnElement[bool]:
    """Actions of ``membership``'s organisation owned by the person or by their school."""
    mine = Action.owner_user_id == membership.user_id
    if membership.school_id is not None:
        mine = sa.or_(mine, Action.owner_school_id == membership.school_id)
    return sa.and_(Action.organisation_id == membership.organisation_id, mine)


def my_open_actions(membership: Membership, limit: int = 20) -> list[Action]:
    """The open actions a person owns, themselves or through their school, soonest due first (one query)."""
    return list(
        db.session.scalars(
            _with_owners(
                sa.select(Action)
                .where(owned_by(membership), Action.status == "open")
                .order_by(Action.due_on, Action.id)
                .limit(limit)
            )
        ).unique()
    )


def themes(network: Network) -> tuple[list[FeedbackTheme], dict[int, list[Action]]]:
    """The network's themes (newest first) with their quotes, the actions answering each, and who
    (see :func:`quote_authors` for who said what). Three queries."""
    found = list(
        db.session.scalars(
            sa.select(FeedbackTheme)
            .where(FeedbackTheme.network_id == network.id)
            .options(
                selectinload(FeedbackTheme.quotes).joinedload(ThemeQuote.response),
                joinedload(FeedbackTheme.meeting),
            )
            .order_by(FeedbackTheme.id.desc())
            .limit(LIST_LIMIT)
        ).unique()
    )
    actions: dict[int, list[Action]] = {theme.id: [] for theme in found}
    for action in db.session.scalars(
        _with_owners(
            sa.select(Action)
            .where(Action.network_id == network.id, Action.theme_id.is_not(None))
            .order_by(Action.due_on, Action.id)
        )
    ).unique():
        actions.setdefault(action.theme_id, []).append(action)
    return found, actions


@dataclass(frozen=True)
class QuotableComment:
    key: str  # "<response id>-<field>"
    text: str
    field: str
    meeting_title: str
    #: "Name, School", or "" for an anonymous response.
    by: str


def quotable_comments(network: Network, limit: int = 300) -> list[QuotableComment]:
    """Comments of the network's feedback an organiser may quote under a theme: the latest
    meetings first, then by their text (never by who or when). One query."""

    named = FeedbackResponse.anonymous.is_(False)
    rows = db.session.execute(
        sa.select(
            FeedbackResponse.id,
            FeedbackResponse.keep,
            FeedbackResponse.change,
            FeedbackResponse.add,
            FeedbackResponse.anonymous,
            Meeting.title,
            sa.case((named, User.name), else_=sa.null()),
            sa.case((named, School.name), else_=sa.null()),
        )
        .join(Meeting, Meeting.id == FeedbackResponse.meeting_id)
        .join(User, User.id == FeedbackResponse.user_id)
        .outerjoin(
            Membership,
            sa.and_(
                Membership.user_id == FeedbackResponse.user_id,
                Membership.organisation_id == FeedbackResponse.organisation_id,
            ),
        )
        .outerjoin(School, School.id == Membership.school_id)
        .where(
            FeedbackResponse.network_id == network.id,
            sa.or_(FeedbackResponse.keep != "", FeedbackResponse.change != "", FeedbackResponse.add != ""),
        )
        .order_by(
            Meeting.starts_at.desc(),
            FeedbackResponse.usefulness,
            FeedbackResponse.keep,
            FeedbackResponse.change,
        )
        .limit(limit)
    ).all()
    found = []
    for rid, keep, change, add, anonymous, title, name, school in rows:
        by = "" if anonymous else ", ".join(p for p in (name, school) if p)
        for field, text in (("keep", keep), ("change", change), ("add", add)):
            if text:
                found.append(QuotableComment(f"{rid}-{field}", text, field, title, by))
    return found


def quote_authors(theme_list: list[FeedbackTheme]) -> dict[tuple[int, str], str]:
    """Who each quoted comment is by ("Name, School"), only for named responses (one query)."""
    ids = {q.response_id for theme in theme_list for q in theme.quotes} or {-1}
    rows = db.session.execute(
        sa.select(FeedbackResponse.id, User.name, School.name)
        .join(User, User.id == FeedbackResponse.user_id)
        .outerjoin(
            Membership,
            sa.and_(
                Membership.user_id == FeedbackResponse.user_id,
                Membership.organisation_id == FeedbackResponse.organisation_id,
            ),
        )
        .outerjoin(School, School.id == Membership.school_id)
        .where(FeedbackResponse.id.in_(ids), FeedbackResponse.anonymous.is_(False))
    ).all()
    return {rid: ", ".join(p for p in (name, school) if p) for rid, name, school in rows}


def quote_text(quote: ThemeQuote) -> str:
    return getattr(quote.response, quote.field, "") if quote.field in COMMENT_FIELDS else ""


@dataclass(frozen=True)
class MonthActions:
    label: str
    opened: int
    closed: int


def _months(since: date, until: date) -> list[tuple[int, int]]:
    months, year, month = [], since.year, since.month
    while (year, month) <= (until.year, until.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def actions_by_month(network: Network, since: datetime, until: datetime) -> list[MonthActions]:
    """Actions recorded and actions closed (done or dropped) in each calendar month of
    [since, until), UK time. Two queries."""

    opened = db.session.scalars(
        sa.select(Action.created_at).where(
            Action.network_id == network.id, Action.created_at >= since, Action.created_at < until
        )
    ).all()
    closed = db.session.scalars(
        sa.select(Action.closed_at).where(
            Action.network_id == network.id,
            Action.closed_at.is_not(None),
            Action.closed_at >= since,
            Action.closed_at < until,
        )
    ).all()
    counts: dict[tuple[int, int], list[int]] = {
        key: [0, 0] for key in _months(to_local(since).date(), to_local(until).date())
    }
    for index, moments in ((0, opened), (1, closed)):
        for moment in moments:
            local = to_local(moment)
            counts.setdefault((local.year, local.month), [0, 0])[index] += 1
    return [MonthActions(date(y, m, 1).strftime("%b %Y"), o, c) for (y, m), (o, c) in sorted(counts.items())]


def actions_chart(network: Network, since: datetime, until: datetime) -> Markup:
    """For the network's charts page: actions opened and closed each month (one query)."""
    months = actions_by_month(network, since, until)
    return bar_chart(
        id="chart-actions",
        title="Actions opened and closed each month",
        categories=[m.label for m in months],
        series=[Series("Opened", [m.opened for m in months]), Series("Closed", [m.closed for m in months])],
        unit="actions",
        category_label="Month",
        description="Actions recorded, and actions marked done or dropped, in each month.",
    )


def meeting_results_actions(meeting: Meeting) -> dict:
    """For a meeting's feedback results: the actions recorded at it (one query)."""
    return {"actions": meeting_actions(meeting.id), "today": local_date(utcnow())}


def action_rows(network: Network, start: date, end: date, today: date) -> list[list]:
    """Actions recorded in the period, or closed in it, or still open from before. One query."""
    since, until = bounds(start, end)
    actions = (
        db.session.scalars(
            sa.select(Action)
            .where(
                Action.network_id == network.id,
                Action.created_at < until,
                sa.or_(
                    Action.created_at >= since,
                    Action.status == "open",
                    sa.and_(Action.closed_at >= since, Action.closed_at < until),
                ),
            )
            .options(
                joinedload(Action.owner_user), joinedload(Action.owner_school), joinedload(Action.meeting)
            )
            .order_by(Action.created_at, Action.id)
        )
        .unique()
        .all()
    )
    rows = [["Recorded", "Meeting", "Action", "Owner", "Due", "Status", "Overdue", "Outcome", "Closed"]]
    for action in actions:
        rows.append(
            [
                day_of(action.created_at),
                action.meeting.title if action.meeting else "",
                action.description,
                action.owner_name,
                action.due_on.isoformat(),
                action.status_label,
                "yes" if action.is_overdue(today) else "no",
                action.outcome,
                day_of(action.closed_at),
            ]
        )
    return rows
