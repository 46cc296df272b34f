"""A digest as an email: plain text first, then HTML, with the headers mail providers expect of
a message people can unsubscribe from in one click (RFC 8058)."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage

from flask import url_for

from cluster.digests.compose import Digest
from cluster.digests.services import schedule_in_words, unsubscribe_token
from cluster.mail import absolute_url, build_message
from cluster.mail.headers import finish_headers, list_unsubscribe, recipient


def subject_of(digest: Digest) -> str:
    return f"Your {digest.reader.frequency} digest: {digest.summary}"


def digest_message(digest: Digest, message_id: str, now: datetime) -> EmailMessage:
    """The email for ``digest``: ``multipart/alternative`` (text, then HTML), every link absolute,
    a visible unsubscribe link and a link to the preferences, and one-click unsubscribe headers."""
    reader = digest.reader
    unsubscribe_url = absolute_url(url_for("digests.unsubscribe", token=unsubscribe_token(reader.user_id)))
    subject = subject_of(digest)
    message = build_message(
        recipient(reader.name, reader.email),
        subject,
        "digest",
        digest=digest,
        reader=reader,
        schedule=schedule_in_words(reader.frequency, reader.weekday, reader.hour),
        zone_name=reader.zone.key,
        unsubscribe_url=unsubscribe_url,
        preferences_url=absolute_url(url_for("digests.preferences")),
    )
    finish_headers(message, message_id, now)
    return list_unsubscribe(message, unsubscribe_url)
