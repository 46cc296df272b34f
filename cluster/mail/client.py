"""The one way out for email: :class:`Mailer` hands messages to the configured backend.

Backends (``MAIL_BACKEND``):

- ``smtp``: one connection to ``MAIL_SERVER`` for all the messages of a :class:`Mailer`, opened
  with the first message (STARTTLS or SSL, and a login, as configured) and opened again after
  the server drops it;
- ``file``, the embedded default: each message an ``.eml`` file in ``CLUSTER_OUTBOX``, named so
  that a listing reads in the order they were sent.

A page that sends mail calls :func:`send`; a job keeps one :class:`Mailer` open for its run and
sends through :func:`cluster.mail.outbox.deliver`, which records each outcome.
"""

from __future__ import annotations

import smtplib
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol

from flask import current_app


class Backend(Protocol):
    def send(self, message: EmailMessage) -> None: ...

    def close(self) -> None: ...


class SmtpBackend:
    """One SMTP connection, opened when the first message goes."""

    def __init__(self, config: Mapping[str, Any]):
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(message)
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()  # the next message opens a new connection
            raise

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        smtp = smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
        try:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None


class FileBackend:
    """Each message as an ``.eml`` file in ``outbox`` (created if missing)."""

    def __init__(self, outbox: Path):
        self.outbox = outbox

    def send(self, message: EmailMessage) -> None:
        self.outbox.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        (self.outbox / f"{stamp}-{uuid.uuid4().hex[:8]}.eml").write_bytes(bytes(message))

    def close(self) -> None:
        pass


def backend_for(config: Mapping[str, Any]) -> Backend:
    if config["MAIL_BACKEND"] == "smtp":
        return SmtpBackend(config)
    return FileBackend(Path(config["CLUSTER_OUTBOX"]))


class Mailer:
    """The configured backend, for as many messages as its user has: one SMTP connection for all
    of them. Use as a context manager, which closes the connection."""

    def __init__(self) -> None:
        self.backend = backend_for(current_app.config)

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def send(self, message: EmailMessage) -> None:
        """Hand ``message`` over; raises :class:`smtplib.SMTPException` or :class:`OSError`."""
        self.backend.send(message)

    def close(self) -> None:
        self.backend.close()


def send(messages: Iterable[EmailMessage]) -> None:
    """Hand ``messages`` to the configured backend, over one SMTP connection. Raises on the first
    that cannot be sent (the ones before it are gone)."""
    with Mailer() as mailer:
        for message in messages:
            mailer.send(message)
