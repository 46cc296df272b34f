"""Agenda emails: the published agenda to everyone in the network, "your item is on the
agenda" to proposers, and "your item was declined" (with the reason) to a proposer.

Messages are built before the commit, from what the caller passes in, and handed to
:func:`send` after it, so that nobody hears of a change that was not saved; all go over one
SMTP connection. Each person reads the times on their own clock (their ``time_zone``). A
failure to send is logged and reported to the organiser, never a crash (the change itself is
saved)."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from flask import current_app, url_for

from cluster import mail
from cluster.agenda.models import AgendaItem
from cluster.agenda.queries import AgendaView
from cluster.auth.models import User
from cluster.mail import absolute_url, build_message
from cluster.meetings.notify import place_text, when_text
from cluster.timeutil import zone_of


@dataclass(frozen=True)
class Row:
    """One line of the timed agenda as an email shows it."""

    starts: str
    ends: str
    title: str
    presenter: str
    kind: str
    minutes: int


def rows_of(view: AgendaView, zone: ZoneInfo) -> list[Row]:
    """The timed agenda on the clock of ``zone``."""
    return (
        [
            Row(
                f"{entry.starts_at.astimezone(zone):%H:%M}",
                f"{entry.ends_at.astimezone(zone):%H:%M}",
                entry.entry.title,
                entry.entry.presenter,
                entry.entry.item.kind_label if entry.entry.item else entry.entry.kind_label,
                entry.entry.minutes,
            )
            for entry in view.plan.entries
        ]
        if view.plan
        else []
    )


def published_messages(
    view: AgendaView, people: list[User], proposers: dict[int, User], again: bool
) -> list[EmailMessage]:
    """The timed agenda for each of ``people``; and for each proposer (by entry id) of an item
    newly on the agenda, a note of when it comes up."""
    meeting, slug = view.meeting, view.meeting.network.organisation.slug
    link = absolute_url(url_for("org.agenda.show", org_slug=slug, meeting_id=meeting.id))
    print_link = absolute_url(url_for("org.agenda.print_view", org_slug=slug, meeting_id=meeting.id))
    place = place_text(meeting)
    messages = []
    for person in people:
        zone = zone_of(person.time_zone)
        day = f"{meeting.starts_at.astimezone(zone):%-d %B}"
        messages.append(
            build_message(
                person.email,
                f"{'Updated agenda' if again else 'Agenda'}: {meeting.title}, {day}",
                "agenda_published",
                person=person,
                meeting=meeting,
                when=when_text(meeting, zone),
                place=place,
                rows=rows_of(view, zone),
                matters=view.matters,
                link=link,
                again=again,
                print_link=print_link,
            )
        )
    times = {entry.entry.id: entry for entry in view.plan.entries} if view.plan else {}
    for slot_id, proposer in proposers.items():
        entry = times.get(slot_id)
        if entry is None:
            continue
        zone = zone_of(proposer.time_zone)
        messages.append(
            build_message(
                proposer.email,
                f"Your item is on the agenda: {entry.entry.title}",
                "agenda_item_placed",
                person=proposer,
                meeting=meeting,
                when=when_text(meeting, zone),
                place=place,
                slot=entry.entry,
                link=link,
                starts=f"{entry.starts_at.astimezone(zone):%H:%M}",
                ends=f"{entry.ends_at.astimezone(zone):%H:%M}",
            )
        )
    return messages


def declined_message(item: AgendaItem, proposer: User) -> EmailMessage:
    link = absolute_url(
        url_for(
            "org.agenda.item",
            org_slug=item.network.organisation.slug,
            network_id=item.network_id,
            item_id=item.id,
        )
    )
    return build_message(
        proposer.email,
        f"Not on the agenda: {item.title}",
        "agenda_item_declined",
        person=proposer,
        item=item,
        network=item.network,
        link=link,
    )


def send(messages: list[EmailMessage]) -> bool:
    """Send ``messages`` over one connection; False (and logged) if the mail server refused."""
    try:
        mail.send(messages)
    except (smtplib.SMTPException, OSError):
        current_app.logger.exception("could not send %d agenda emails", len(messages))
        return False
    return True
