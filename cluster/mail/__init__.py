"""Outgoing email: a message built from a text and an HTML template, sent by one backend.

Backends: ``smtp`` (``MAIL_SERVER`` ...) and ``file``, the embedded default, which writes
each message as an ``.eml`` file into ``CLUSTER_OUTBOX``.
"""

from __future__ import annotations

import smtplib
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template


def build_message(to: str, subject: str, template: str, **context) -> EmailMessage:
    """Render ``templates/email/<template>.txt`` and ``.html`` into a multipart/alternative message."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = to
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rsplit("@", 1)[-1].strip(">") or "cluster.example"
    msg["Message-ID"] = make_msgid(domain=domain)
    context.setdefault("base_url", current_app.config["CLUSTER_BASE_URL"].rstrip("/"))
    msg.set_content(render_template(f"email/{template}.txt", **context))
    msg.add_alternative(render_template(f"email/{template}.html", subject=subject, **context), subtype="html")
    return msg


def send(msg: EmailMessage) -> None:
    """Hand ``msg`` to the configured backend."""
    send_all([msg])


def send_all(messages: list[EmailMessage]) -> None:
    """Hand ``messages`` to the configured backend, over one SMTP connection."""
    if not messages:
        return
    config = current_app.config
    if config["MAIL_BACKEND"] == "smtp":
        smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            for msg in messages:
                smtp.send_message(msg)
    else:
        outbox = Path(config["CLUSTER_OUTBOX"])
        outbox.mkdir(parents=True, exist_ok=True)
        for msg in messages:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            (outbox / f"{stamp}-{uuid.uuid4().hex[:8]}.eml").write_bytes(bytes(msg))


def send_email(to: str, subject: str, template: str, **context) -> EmailMessage:
    msg = build_message(to, subject, template, **context)
    send(msg)
    return msg


def absolute_url(path: str) -> str:
    """An absolute link for an email, from ``CLUSTER_BASE_URL``."""
    return current_app.config["CLUSTER_BASE_URL"].rstrip("/") + path
