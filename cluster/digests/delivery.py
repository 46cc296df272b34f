"""The digest job: who is due, in their own time zone; compose in batches; claim, then send.

Every 15 minutes (a UTC interval, see :mod:`cluster.digests.jobs`) :func:`send_due_digests`

1. takes up digests that failed and whose retry time has come, and those a crashed run left
   behind (:mod:`cluster.mail.outbox` explains the states);
2. walks the people who want a digest, ``batch_size`` at a time, and keeps those whose slot
   (Monday 07:00 on their own clock, say) has come and has no row yet (:mod:`.schedule`);
3. composes their digests together (a fixed number of queries per batch, :mod:`.compose`);
4. claims a row per person and period under the unique constraint (``queued``; or ``empty``
   when there is nothing to say, ``paused`` in a school holiday) and commits, before anything
   is sent;
5. takes each queued row and commits that (with the previous message's outcome) before handing
   the message to SMTP; the last outcome is committed at the end of the batch.

So a second run, a concurrent run, or a run after a crash never sends a period twice, and a
digest with nothing in it is never sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.calendar.models import CalendarEntry
from cluster.digests.compose import Digest, compose, load_batch
from cluster.digests.mailing import digest_message
from cluster.digests.models import (
    DEFAULT_FREQUENCY,
    DEFAULT_HOUR,
    DEFAULT_WEEKDAY,
    DigestDelivery,
    DigestPreference,
)
from cluster.digests.schedule import Period, due_period, window_start
from cluster.digests.sections import DigestBatch, Reader
from cluster.digests.services import last_sent_until
from cluster.extensions import db, utcnow
from cluster.mail import Mailer, url_context
from cluster.mail.headers import new_message_id
from cluster.mail.outbox import (
    RunReport,
    claim,
    deliver,
    give_up_abandoned,
    record_outcome,
    take,
    takeable,
)
from cluster.timeutil import zone_of

BATCH_SIZE = 500
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Candidate:
    """A person who wants a digest, with their preference (the defaults if they have none)."""

    user_id: int
    email: str
    name: str
    time_zone: str
    frequency: str
    weekday: int
    hour: int
    pause_in_holidays: bool


def send_due_digests(
    now: datetime | None = None, *, clock: Clock | None = None, batch_size: int = BATCH_SIZE
) -> RunReport:
    """Send every digest that is due at ``now`` (see the module docstring). Commits as it goes:
    each claim before sending, each outcome after. ``clock`` gives the time of each attempt (it
    defaults to ``now`` when ``now`` is given, for tests, and to the real time otherwise)."""
    if clock is None:
        clock = (lambda: now) if now is not None else utcnow
    now = now or clock()
    report = RunReport()
    with url_context(), Mailer() as mailer:
        give_up_abandoned(DigestDelivery, clock())
        db.session.commit()
        _send_retries(clock, mailer, report, batch_size)
        after = 0
        while candidates := _candidates(after, batch_size):
            after = candidates[-1].user_id
            _send_batch(candidates, now, clock, mailer, report)
    return report


def _candidates(after: int, limit: int) -> list[Candidate]:
    """Active people who have not turned the digest off, by id, after ``after``. One query."""
    frequency = sa.func.coalesce(DigestPreference.frequency, DEFAULT_FREQUENCY)
    rows = db.session.execute(
        sa.select(
            User.id,
            User.email,
            User.name,
            User.time_zone,
            frequency,
            sa.func.coalesce(DigestPreference.weekday, DEFAULT_WEEKDAY),
            sa.func.coalesce(DigestPreference.hour, DEFAULT_HOUR),
            sa.func.coalesce(DigestPreference.pause_in_holidays, False),
        )
        .outerjoin(DigestPreference, DigestPreference.user_id == User.id)
        .where(User.active.is_(True), User.id > after, frequency != "off")
        .order_by(User.id)
        .limit(limit)
    ).all()
    return [Candidate(*row) for row in rows]


def _send_batch(
    candidates: list[Candidate], now: datetime, clock: Clock, mailer: Mailer, report: RunReport
) -> None:
    due: dict[int, tuple[Candidate, Period]] = {}
    for person in candidates:
        period = due_period(person.frequency, person.weekday, person.hour, zone_of(person.time_zone), now)
        if period is not None:
            due[person.user_id] = (person, period)
    if not due:
        return
    done = set(
        db.session.execute(
            sa.select(DigestDelivery.user_id, DigestDelivery.period).where(
                DigestDelivery.user_id.in_(list(due)),
                DigestDelivery.period.in_({p.key for _, p in due.values()}),
            )
        ).all()
    )
    due = {uid: (person, period) for uid, (person, period) in due.items() if (uid, period.key) not in done}
    if not due:
        return
    last = last_sent_until(list(due))
    readers = [
        Reader(
            user_id=uid,
            email=person.email,
            name=person.name,
            zone=zone_of(person.time_zone),
            frequency=period.frequency,
            weekday=person.weekday,
            hour=person.hour,
            since=window_start(last.get(uid), period.length, now),
            until=now,
            had_digest=uid in last,
        )
        for uid, (person, period) in sorted(due.items())
    ]
    batch = load_batch(readers, now)
    on_holiday = _on_holiday(
        batch, {uid: period for uid, (person, period) in due.items() if person.pause_in_holidays}
    )
    digests = compose(batch)
    claimed_at = clock()
    rows = []
    for reader in readers:
        period, digest = due[reader.user_id][1], digests[reader.user_id]
        status = "paused" if reader.user_id in on_holiday else ("empty" if digest.is_empty else "queued")
        rows.append(
            {
                "user_id": reader.user_id,
                "period": period.key,
                "frequency": period.frequency,
                "scheduled_for": period.scheduled_at,
                "covers_from": reader.since,
                "covers_until": reader.until,
                "item_count": digest.item_count,
                "status": status,
                "attempts": 0,
                "created_at": claimed_at,
                "message_id": new_message_id() if status == "queued" else "",
                "last_error": {
                    "paused": "A school holiday",
                    "empty": "Nothing new, coming up or waiting",
                }.get(status, ""),
            }
        )
    claimed = claim(DigestDelivery, rows, ("user_id", "period"))
    db.session.commit()  # the claim is what makes each digest exactly-once: visible before any send
    for row in rows:
        row_id = claimed.get((row["user_id"], row["period"]))
        if row_id is None:
            continue  # another run claimed it first
        if row["status"] != "queued":
            report.skip(row["status"])
            continue
        _send_one(row_id, digests[row["user_id"]], row["message_id"], clock, mailer, report, fresh=True)
    db.session.commit()


def _send_one(
    row_id: int,
    digest: Digest,
    message_id: str,
    clock: Clock,
    mailer: Mailer,
    report: RunReport,
    *,
    fresh: bool,
) -> None:
    """Take the row and send its digest. One commit: this attempt, with the previous message's
    outcome, is on record before SMTP sees the message; the caller commits the last outcome."""
    now = clock()
    if not take(DigestDelivery, row_id, now, fresh=fresh):
        return  # another run is sending it (the UPDATE changed nothing)
    db.session.commit()
    deliver(
        DigestDelivery,
        row_id,
        lambda: None if digest.is_empty else digest_message(digest, message_id, now),
        mailer,
        now,
        report,
        commit=False,
    )


def _on_holiday(batch: DigestBatch, periods: dict[int, Period]) -> set[int]:
    """People who pause their digest in school holidays and whose slot falls in a holiday of
    every organisation they belong to (organisations without term dates never pause it). One query."""
    days = {
        uid: period.scheduled_at.astimezone(batch.readers[uid].zone).date() for uid, period in periods.items()
    }
    organisations = sorted({org for uid in days for org in batch.schools.get(uid, {})})
    holidays = db.session.execute(
        sa.select(CalendarEntry.organisation_id, CalendarEntry.starts_on, CalendarEntry.ends_on).where(
            CalendarEntry.kind == "holiday",
            CalendarEntry.organisation_id.in_(organisations),
            CalendarEntry.starts_on <= max(days.values(), default=batch.now.date()),
            CalendarEntry.ends_on >= min(days.values(), default=batch.now.date()),
        )
    ).all()
    paused = set()
    for uid, day in days.items():
        theirs = batch.schools.get(uid, {})
        if theirs and all(
            any(org == o and start <= day <= end for o, start, end in holidays) for org in theirs
        ):
            paused.add(uid)
    return paused


# Retries and rows left behind ---------------------------------------------------------------------


def _send_retries(clock: Clock, mailer: Mailer, report: RunReport, batch_size: int) -> None:
    """Send again the digests whose retry time has come, and those a crashed run left queued or
    half-sent. Each is composed afresh (what needs the reader now) over its stored window, and
    keeps its Message-ID."""
    after = 0
    while True:
        now = clock()
        rows = db.session.execute(
            sa.select(
                DigestDelivery.id,
                DigestDelivery.user_id,
                DigestDelivery.frequency,
                DigestDelivery.covers_from,
                DigestDelivery.covers_until,
                DigestDelivery.message_id,
            )
            .where(takeable(DigestDelivery, now), DigestDelivery.id > after)
            .order_by(DigestDelivery.id)
            .limit(batch_size)
        ).all()
        if not rows:
            return
        after = rows[-1].id
        people = {
            person.id: person
            for person in db.session.execute(
                sa.select(
                    User.id,
                    User.email,
                    User.name,
                    User.time_zone,
                    User.active,
                    DigestPreference.frequency,
                    DigestPreference.weekday,
                    DigestPreference.hour,
                )
                .outerjoin(DigestPreference, DigestPreference.user_id == User.id)
                .where(User.id.in_([row.user_id for row in rows]))
            )
        }
        sent_before = last_sent_until(list(people))
        readers, wanted, seen = [], [], set()
        for row in rows:
            if row.user_id in seen:
                continue  # one period per person per pass: the other is taken on the next run
            seen.add(row.user_id)
            person = people.get(row.user_id)
            if person is None or not person.active or person.frequency == "off":
                if take(DigestDelivery, row.id, now):
                    record_outcome(
                        DigestDelivery, row.id, "skipped", "The person turned the digest off or left"
                    )
                    report.skip("skipped")
                db.session.commit()
                continue
            wanted.append(row)
            readers.append(
                Reader(
                    user_id=row.user_id,
                    email=person.email,
                    name=person.name,
                    zone=zone_of(person.time_zone),
                    frequency=row.frequency,
                    weekday=person.weekday if person.weekday is not None else DEFAULT_WEEKDAY,
                    hour=person.hour if person.hour is not None else DEFAULT_HOUR,
                    since=row.covers_from,
                    until=row.covers_until,
                    had_digest=row.user_id in sent_before,
                )
            )
        if not readers:
            continue
        digests = compose(load_batch(readers, now))
        for row in wanted:
            message_id = row.message_id or new_message_id()
            _send_one(row.id, digests[row.user_id], message_id, clock, mailer, report, fresh=False)
        db.session.commit()
