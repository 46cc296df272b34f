"""Asking attendees for feedback: one email each, once a meeting is marked held.

The job waits an hour after the meeting was marked held (its ``changed_at``), so that the
organiser has taken the register: the register says who attended, and only without one are
those who replied "coming" asked. Each request is on record before it is sent (see
:mod:`cluster.mail.outbox`), so nobody is asked twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from functools import partial

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import joinedload

from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.feedback.models import FeedbackRequest, FeedbackResponse
from cluster.feedback.services import WINDOW, attendee_pairs
from cluster.mail import Mailer, absolute_url, build_message, url_context
from cluster.mail.headers import finish_headers, new_message_id, one_line, recipient
from cluster.mail.outbox import (
    RunReport,
    claim,
    deliver,
    give_up_abandoned,
    take,
    takeable,
)
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
from cluster.timeutil import zone_of

#: Time for the organiser to take the register after marking the meeting held.
REGISTER_GRACE = timedelta(hours=1)
#: Not worth asking with less than this left of the feedback window.
LAST_CALL = timedelta(days=2)


def send_feedback_requests(now: datetime | None = None) -> RunReport:
    """Ask every attendee of a recently held meeting for feedback, once, by email."""
    now = now or utcnow()
    report = RunReport()
    with url_context(), Mailer() as mailer:
        give_up_abandoned(FeedbackRequest, now)
        db.session.commit()
        open_meetings = sa.select(Meeting.id).where(
            Meeting.status == "held",
            Meeting.changed_at <= now - REGISTER_GRACE,
            Meeting.ends_at <= now,
            Meeting.ends_at > now - WINDOW + LAST_CALL,
        )
        pairs = attendee_pairs(open_meetings).subquery()
        answered = sa.select(FeedbackResponse.id).where(
            FeedbackResponse.meeting_id == pairs.c.meeting_id, FeedbackResponse.user_id == pairs.c.user_id
        )
        due = db.session.execute(
            sa.select(pairs.c.meeting_id, pairs.c.user_id, Meeting.organisation_id)
            .join(Meeting, Meeting.id == pairs.c.meeting_id)
            .where(~sa.exists(answered))
        ).all()
        rows = [
            {
                "organisation_id": org_id,
                "meeting_id": meeting_id,
                "user_id": user_id,
                "status": "queued",
                "attempts": 0,
                "created_at": now,
                "message_id": new_message_id("feedback"),
                "last_error": "",
            }
            for meeting_id, user_id, org_id in due
        ]
        claimed = claim(FeedbackRequest, rows, ("meeting_id", "user_id"))
        db.session.commit()  # on record before anything is sent
        retry = db.session.execute(
            sa.select(
                FeedbackRequest.id,
                FeedbackRequest.meeting_id,
                FeedbackRequest.user_id,
                FeedbackRequest.message_id,
            )
            .join(Meeting, Meeting.id == FeedbackRequest.meeting_id)
            .where(takeable(FeedbackRequest, now), Meeting.ends_at > now - WINDOW)
        ).all()
        fresh = set(claimed.values())
        work = [(row.id, row.meeting_id, row.user_id, row.message_id) for row in retry if row.id not in fresh]
        work += [
            (claimed[key], row["meeting_id"], row["user_id"], row["message_id"])
            for row in rows
            if (key := (row["meeting_id"], row["user_id"])) in claimed
        ]
        meetings = {
            m.id: m
            for m in db.session.scalars(
                sa.select(Meeting)
                .where(Meeting.id.in_({w[1] for w in work}))
                .options(joinedload(Meeting.network).joinedload(Network.organisation))
            )
        }
        people = {
            u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_({w[2] for w in work})))
        }
        for row_id, meeting_id, user_id, message_id in sorted(work):
            if not take(FeedbackRequest, row_id, now, fresh=row_id in fresh):
                continue
            db.session.commit()
            build = partial(request_message, meetings[meeting_id], people[user_id], message_id, now)
            deliver(FeedbackRequest, row_id, build, mailer, now, report, commit=False)
        db.session.commit()
    return report


def request_message(meeting: Meeting, person: User, message_id: str, now: datetime) -> EmailMessage:
    """ "How was the meeting?": a link to the form, how long it is open, and that it may be anonymous."""
    zone = zone_of(person.time_zone)
    closes = (meeting.ends_at + WINDOW).astimezone(zone)
    message = build_message(
        recipient(person.name, person.email),
        f"How was {one_line(meeting.title)}? Two minutes of feedback",
        "feedback_request",
        person=person,
        meeting=meeting,
        day=meeting.starts_at.astimezone(zone).strftime("%A %-d %B %Y"),
        closes=closes.strftime("%A %-d %B %Y"),
        link=absolute_url(
            url_for("org.feedback.give", org_slug=meeting.network.organisation.slug, meeting_id=meeting.id)
        ),
    )
    finish_headers(message, message_id, now)
    return message


def feedback_requests(now: datetime) -> str:
    """Ask the attendees of meetings marked held for feedback, once each, by email."""
    return f"feedback requests: {send_feedback_requests(now)}"
