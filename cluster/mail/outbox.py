"""Exactly-once email from jobs: a row per message, committed before the message goes to SMTP.

Every email a job sends on its own (digests, meeting reminders, and later action reminders)
has a row in a table that mixes in :class:`DeliveryState`, under a unique constraint on what
makes the message one of a kind (a user and a period; a meeting, a person and a start time).
The life of a row:

    claim ─► queued ─take─► sending ─► sent
                              │
                              ├─► retrying ─(back-off)─take─► sending ...
                              └─► failed          (after MAX_ATTEMPTS)
    claim ─► empty / paused / skipped            (decided, nothing to send)

- :func:`claim` inserts rows with ``ON CONFLICT DO NOTHING`` and returns only the ones this run
  inserted, so two runs (or two processes) can never both own a message. The caller commits
  before sending anything: a rerun, a concurrent run or a retry after a crash finds the row.
- :func:`take` moves one row to ``sending`` with a compare-and-set UPDATE, committed before the
  message is handed to SMTP: exactly one run wins each row. The result (:func:`record_sent`,
  :func:`record_failure`) is committed before the next message goes (with that message's
  ``take``: one commit per message), and at the end of the run.
- A row left ``queued`` or ``sending`` by a process that died is taken again once its claim or
  attempt is older than :data:`LEASE` (longer than any SMTP conversation, shorter than the
  15-minute tick). The only message that can ever go twice is one SMTP accepted in the
  milliseconds between its acceptance and the next commit, if the process is killed right
  then: an unavoidable window without a transactional mail server, kept to one message.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from cluster.extensions import UTCDateTime, db
from cluster.mail.client import Mailer

#: How many times a message is tried before it is marked failed (and shown to the org admin).
MAX_ATTEMPTS = 5
#: Wait before the n-th retry: 15 minutes, then doubling (15, 30, 60, 120 minutes: about 4 hours in all).
FIRST_BACKOFF = timedelta(minutes=15)
#: A claim or an attempt this old belongs to a process that died: take it again.
LEASE = timedelta(minutes=10)
ERROR_LENGTH = 500

DELIVERY_STATUSES = {
    "queued": "Waiting to be sent",
    "sending": "Being sent",
    "sent": "Sent",
    "retrying": "Will be tried again",
    "failed": "Could not be sent",
    "empty": "Nothing to send",
    "paused": "Paused for the school holiday",
    "skipped": "Not sent",
}
#: Rows in these states are finished: nothing will ever send them.
FINAL = ("sent", "failed", "empty", "paused", "skipped")


class DeliveryState:
    """Columns of a message's delivery (mixed into each job's table of sent messages)."""

    status: Mapped[str] = mapped_column(sa.String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    #: When the current (or last) attempt began: an attempt older than LEASE is presumed dead.
    attempt_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When a message that failed is tried again.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The last failure in words (the SMTP server's answer), or why nothing was sent.
    last_error: Mapped[str] = mapped_column(sa.String(ERROR_LENGTH), default="")
    #: Kept from the first attempt, so that a retried message is the same message.
    message_id: Mapped[str] = mapped_column(sa.String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def status_label(self) -> str:
        return DELIVERY_STATUSES.get(self.status, self.status)


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt."""
    return FIRST_BACKOFF * (2 ** max(attempts - 1, 0))


def _insert(model):
    """INSERT for the engine in use, with ON CONFLICT support (PostgreSQL, or SQLite embedded)."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def claim(model, rows: Sequence[dict], unique: Sequence[str]) -> dict[tuple, int]:
    """Insert ``rows`` unless a row with the same ``unique`` columns exists; return the ids of
    the rows this call inserted, by their ``unique`` values. The caller commits before sending:
    that commit is what makes each message exactly-once.

    Rows are inserted in the order of their unique values, so that two runs inserting the same
    rows at once wait for each other instead of deadlocking.
    """
    if not rows:
        return {}
    ordered = sorted(rows, key=lambda row: tuple(row[c] for c in unique))
    stmt = _insert(model).values(ordered).on_conflict_do_nothing(index_elements=list(unique))
    columns = [model.id] + [getattr(model, c) for c in unique]
    inserted = db.session.execute(stmt.returning(*columns)).all()
    return {tuple(row[1:]): row[0] for row in inserted}


def takeable(model, now: datetime) -> sa.ColumnElement[bool]:
    """Rows a run may take: waiting for their retry time, or left behind by a run that died."""
    stale = now - LEASE
    return sa.or_(
        sa.and_(model.status == "retrying", model.next_attempt_at <= now),
        sa.and_(model.status == "queued", model.created_at <= stale),
        sa.and_(model.status == "sending", model.attempt_started_at <= stale),
    )


def take(model, row_id: int, now: datetime, *, fresh: bool = False) -> bool:
    """Start an attempt on row ``row_id`` if nobody else has: True when this run owns it now.

    ``fresh`` is for rows this run has just claimed (queued a moment ago); otherwise only
    :func:`takeable` rows are taken. One conditional UPDATE, so concurrent runs cannot both win.
    The caller commits before sending.
    """
    condition = model.status == "queued" if fresh else takeable(model, now)
    changed = db.session.execute(
        sa.update(model)
        .where(model.id == row_id, condition)
        .values(status="sending", attempt_started_at=now, attempts=model.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    return changed == 1


def record_sent(model, row_id: int, now: datetime) -> None:
    _set(model, row_id, status="sent", sent_at=now, next_attempt_at=None, last_error="")


def record_failure(model, row_id: int, now: datetime, error: str) -> str:
    """Note a failed attempt: try again after :func:`backoff`, or give up after MAX_ATTEMPTS.
    Returns the new status."""
    attempts = db.session.scalar(sa.select(model.attempts).where(model.id == row_id)) or 1
    status = "failed" if attempts >= MAX_ATTEMPTS else "retrying"
    _set(
        model,
        row_id,
        status=status,
        last_error=error[:ERROR_LENGTH],
        next_attempt_at=None if status == "failed" else now + backoff(attempts),
    )
    return status


def record_outcome(model, row_id: int, status: str, reason: str = "") -> None:
    """Finish a row without sending (``empty``, ``paused``, ``skipped``), saying why."""
    _set(model, row_id, status=status, last_error=reason[:ERROR_LENGTH], next_attempt_at=None)


def _set(model, row_id: int, **values) -> None:
    db.session.execute(
        sa.update(model)
        .where(model.id == row_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


# Sending ---------------------------------------------------------------------------------------


@dataclass
class RunReport:
    """What a job's run did, for its log line and for tests."""

    sent: int = 0
    failed: int = 0
    retrying: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, status: str, count: int = 1) -> None:
        self.skipped[status] = self.skipped.get(status, 0) + count

    def __str__(self) -> str:
        parts = [f"{self.sent} sent", f"{self.retrying} to retry", f"{self.failed} failed"]
        parts += [f"{n} {status}" for status, n in sorted(self.skipped.items())]
        return ", ".join(parts)


def deliver(
    model,
    row_id: int,
    build: Callable[[], EmailMessage | None],
    mailer: Mailer,
    now: datetime,
    report: RunReport,
    *,
    commit: bool = True,
) -> None:
    """Build and send one message whose row this run has taken (and committed), then record the
    outcome.

    ``build`` returns the message, or None when there is nothing to say any more (the row is
    then finished as ``empty``). A message that cannot be built or sent counts as a failed
    attempt: it is tried again after a back-off, and marked failed after MAX_ATTEMPTS.

    With ``commit=False`` the outcome is left for the caller's next commit, which must come
    before the next message is handed over (the commit of the next :func:`take` does): one
    commit per message instead of two, and still nothing sent without its attempt on record.
    """
    try:
        message = build()
        if message is not None:
            mailer.send(message)
    except Exception as problem:  # noqa: BLE001  (one bad message must not stop the others)
        db.session.rollback()  # nothing is pending (the attempt was just committed): this only clears a failed read
        if not isinstance(problem, (smtplib.SMTPException, OSError)):
            current_app.logger.exception("%s %s could not be built", model.__tablename__, row_id)
        status = record_failure(model, row_id, now, _describe(problem))
        current_app.logger.warning(
            "%s %s: attempt failed (%s): %s", model.__tablename__, row_id, status, problem
        )
        if status == "failed":
            report.failed += 1
        else:
            report.retrying += 1
    else:
        # Not in the try: once SMTP has the message, nothing may count it as a failure (and resend it).
        if message is None:
            record_outcome(model, row_id, "empty", "Nothing to send by the time it was tried again")
            report.skip("empty")
        else:
            record_sent(model, row_id, now)
            report.sent += 1
    if commit:
        db.session.commit()


def give_up_abandoned(model, now: datetime) -> int:
    """Mark failed the rows whose sending process died MAX_ATTEMPTS times (they would otherwise
    be taken again for ever). Returns how many."""
    return db.session.execute(
        sa.update(model)
        .where(model.status.in_(("queued", "sending")), model.attempts >= MAX_ATTEMPTS, takeable(model, now))
        .values(
            status="failed",
            next_attempt_at=None,
            last_error=f"Gave up after {MAX_ATTEMPTS} attempts: the process sending it kept stopping",
        )
        .execution_options(synchronize_session=False)
    ).rowcount


def _describe(problem: Exception) -> str:
    if isinstance(problem, smtplib.SMTPRecipientsRefused):
        answers = [
            f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
            for code, text in problem.recipients.values()
        ]
        return "The mail server refused the address: " + "; ".join(answers)
    if isinstance(problem, smtplib.SMTPResponseException):
        text = problem.smtp_error
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"The mail server answered {problem.smtp_code} {text}"
    if isinstance(problem, OSError) and not isinstance(problem, smtplib.SMTPException):
        return f"Could not reach the mail server: {problem.strerror or problem}"
    return f"{type(problem).__name__}: {problem}"
