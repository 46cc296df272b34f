"""Date-poll emails: the reminder to members who have not answered, and the chosen date to
those who can come. Call after the commit; one message per person, so nobody sees the others'
addresses. A message that cannot be sent is logged and counted, and the rest still go."""

from __future__ import annotations

import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask import current_app, url_for

from cluster.auth.models import User
from cluster.mail import absolute_url, build_message, send
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
from cluster.polls.models import DatePoll, PollSlot
from cluster.polls.services import slot_when
from cluster.timeutil import to_local


@dataclass(frozen=True)
class Recipient:
    """Who to write to, read before the commit (which expires the ORM objects)."""

    email: str
    name: str


def recipients(users: Iterable[User]) -> list[Recipient]:
    return [Recipient(user.email, user.name) for user in users]


def _send_each(people: Sequence[Recipient], subject: str, template: str, **context) -> int:
    failed = 0
    for person in people:
        try:
            send([build_message(person.email, subject, template, user=person, **context)])
        except (smtplib.SMTPException, OSError):
            current_app.logger.exception("could not send %s to %s", template, person.email)
            failed += 1
    return failed


def send_reminders(poll: DatePoll, network: Network, people: Sequence[Recipient], sender_name: str) -> int:
    """Ask ``people`` to answer ``poll``; return how many could not be sent."""
    return _send_each(
        people,
        f"Reminder: which dates suit you for {poll.title}?",
        "poll_reminder",
        poll=poll,
        network=network,
        sender_name=sender_name,
        closes=to_local(poll.closes_at).strftime("%A %-d %B %Y at %H:%M"),
        link=absolute_url(url_for("org.polls.show", network_id=network.id, poll_id=poll.id)),
    )


def send_date_chosen(
    poll: DatePoll, network: Network, slot: PollSlot, meeting: Meeting, people: Sequence[Recipient]
) -> int:
    """Tell ``people`` (who said yes or if need be to ``slot``) the meeting's date; return failures."""
    when = slot_when(slot.starts_at, slot.ends_at)
    return _send_each(
        people,
        f"{meeting.title}: {when}",
        "poll_date_chosen",
        poll=poll,
        network=network,
        meeting=meeting,
        when=when,
        place=slot.place,
        link=absolute_url(url_for("org.meetings.show", meeting_id=meeting.id)),
    )
