"""Date-poll emails: the reminder to members who have not answered, and the chosen date to
those who can come. Call after the commit; one message per person, so nobody sees the others'
addresses, each with the times on that person's clock. A message that cannot be sent is logged
and counted, and the rest still go."""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from flask import current_app, url_for

from cluster.auth.models import User
from cluster.mail import Mailer, absolute_url, build_message
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
from cluster.polls.models import DatePoll, PollSlot
from cluster.polls.services import slot_when
from cluster.timeutil import zone_of


@dataclass(frozen=True)
class Recipient:
    """Who to write to, read before the commit (which expires the ORM objects)."""

    email: str
    name: str
    zone: ZoneInfo


def recipients(users: Iterable[User]) -> list[Recipient]:
    return [Recipient(user.email, user.name, zone_of(user.time_zone)) for user in users]


def _send_each(people: Sequence[Recipient], template: str, write: Callable[[Recipient], EmailMessage]) -> int:
    """Send each person the message ``write`` makes for them, over one connection; return how many
    could not be sent (a refused address or a dropped connection costs one message, not the rest)."""
    failed = 0
    with Mailer() as mailer:
        for person in people:
            try:
                mailer.send(write(person))
            except (smtplib.SMTPException, OSError):
                current_app.logger.exception("could not send %s to %s", template, person.email)
                failed += 1
    return failed


def send_reminders(poll: DatePoll, network: Network, people: Sequence[Recipient], sender_name: str) -> int:
    """Ask ``people`` to answer ``poll``; return how many could not be sent."""
    subject = f"Reminder: which dates suit you for {poll.title}?"
    link = absolute_url(
        url_for("org.polls.show", org_slug=network.organisation.slug, network_id=network.id, poll_id=poll.id)
    )

    def write(person: Recipient) -> EmailMessage:
        return build_message(
            person.email,
            subject,
            "poll_reminder",
            user=person,
            poll=poll,
            network=network,
            sender_name=sender_name,
            closes=f"{poll.closes_at.astimezone(person.zone):%A %-d %B %Y at %H:%M}",
            link=link,
        )

    return _send_each(people, "poll_reminder", write)


def send_date_chosen(
    poll: DatePoll, network: Network, slot: PollSlot, meeting: Meeting, people: Sequence[Recipient]
) -> int:
    """Tell ``people`` (who said yes or if need be to ``slot``) the meeting's date; return failures."""
    link = absolute_url(
        url_for("org.meetings.show", org_slug=network.organisation.slug, meeting_id=meeting.id)
    )

    def write(person: Recipient) -> EmailMessage:
        when = slot_when(slot.starts_at, slot.ends_at, person.zone)
        return build_message(
            person.email,
            f"{meeting.title}: {when}",
            "poll_date_chosen",
            user=person,
            poll=poll,
            network=network,
            meeting=meeting,
            when=when,
            place=slot.place,
            link=link,
        )

    return _send_each(people, "poll_date_chosen", write)
