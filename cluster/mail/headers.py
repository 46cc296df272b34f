"""Headers: a Message-ID kept across retries, a From with a display name, recipients whose names
cannot break a header, no out-of-office replies to automatic email, and one-click unsubscribe
(RFC 8058) for mail people can stop."""

from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from flask import current_app

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
    """ "Name <address>", quoted as needed; a name typed with line breaks cannot break the header."""
    return str(Address(display_name=one_line(name), addr_spec=email))


def one_line(text: str) -> str:
    """Text for a header: whitespace (line breaks included) squeezed to single spaces."""
    return " ".join(text.split())


def finish_headers(message: EmailMessage, message_id: str, now: datetime) -> EmailMessage:
    """The Message-ID kept from the claim, the Date of this attempt, and a header that stops
    out-of-office replies coming back."""
    message.replace_header("Message-ID", message_id)
    message.replace_header("Date", formatdate(now.timestamp(), usegmt=True))
    message["Auto-Submitted"] = "auto-generated"
    return message


def list_unsubscribe(message: EmailMessage, url: str) -> EmailMessage:
    """One-click unsubscribe (RFC 8058): mail providers show an "Unsubscribe" button that POSTs
    ``List-Unsubscribe=One-Click`` to ``url``, which must stop the mail without asking anything."""
    message["List-Unsubscribe"] = f"<{url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message
