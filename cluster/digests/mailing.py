"""A digest as an email: plain text first, then HTML, with the headers mail providers expect of
a message people can unsubscribe from in one click (RFC 8058)."""
from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from flask import current_app, url_for

from cluster.digests.compose import Digest
from cluster.digests.services import schedule_in_words, unsubscribe_token
from cluster.mail import absolute_url, build_message

PRODUCT = "cluster"


def new_message_id(kind: str = "digest") -> str:
    """A Message-ID, made when the message is claimed and kept for its retries."""
    domain = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2] or "cluster.example"
    return make_msgid(idstring=kind, domain=domain)


def sender() -> str:
    """The From header: the configured sender, with a display name even if none was configured."""
    name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    return str(Address(display_name=name or PRODUCT, addr_spec=address or "no-reply@cluster.example"))


def recipient(name: str, email: str) -> str:
    """"Name <address>", quoted as needed; a name typed with line breaks cannot break the header."""
    return str(Address(display_name=one_line(name), addr_spec=email))


def one_line(text: str) -> str:
    """Text for a header: whitespace (line breaks included) squeezed to single spaces."""
    return " ".join(text.split())


def finish_headers(message: EmailMessage, message_id: str, now: datetime) -> EmailMessage:
    """The Message-ID kept from the claim, the Date of this attempt, a From display name, and a
    header that stops out-of-office replies coming back."""
    # Fold long headers only where RFC 5322 must (998): List-Unsubscribe is one long URL, and folding
    # it the default way (at 78) turns it into an encoded word that mail providers do not read.
    message.policy = message.policy.clone(max_line_length=998)
    message.replace_header("Message-ID", message_id)
    message.replace_header("Date", formatdate(now.timestamp(), usegmt=True))
    message.replace_header("From", sender())
    message["Auto-Submitted"] = "auto-generated"
    return message


def subject_of(digest: Digest) -> str:
    return f"Your {digest.reader.frequency} digest: {digest.summary}"


def digest_message(digest: Digest, message_id: str, now: datetime) -> EmailMessage:
    """The email for ``digest``: ``multipart/alternative`` (text, then HTML), every link absolute,
    a visible unsubscribe link and a link to the preferences, and one-click unsubscribe headers."""
    reader = digest.reader
    unsubscribe_url = absolute_url(url_for("digests.unsubscribe", token=unsubscribe_token(reader.user_id)))
    subject = subject_of(digest)
    message = build_message(
        recipient(reader.name, reader.email), subject, "digest", digest=digest, reader=reader,
        schedule=schedule_in_words(reader.frequency, reader.weekday, reader.hour),
        zone_name=reader.zone.key, unsubscribe_url=unsubscribe_url,
        preferences_url=absolute_url(url_for("digests.preferences")),
    )
    finish_headers(message, message_id, now)
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message
