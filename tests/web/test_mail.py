"""Email backends: SMTP (a real server on 127.0.0.1 in these tests) and .eml files in the outbox."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

from cluster.mail import build_message, send
from cluster.mail.client import SmtpBackend
from tests.helpers import parts


def _reset_message(user, to: str):
    return build_message(
        to, "Reset your cluster password", "reset_password", user=user, link="http://cluster.test/reset/x"
    )


def test_smtp_backend_delivers_multipart_mail(app_context, make, mailbox):
    user = make.user(make.organisation(), name="Zoë")
    with app_context.test_request_context():
        send([_reset_message(user, "zoe@school.example")])
    [message] = mailbox
    assert message["Message-ID"] and message["Date"]
    assert message["From"].addresses[0].display_name == "cluster"
    text, html = parts(message)
    assert "Hello Zoë" in text and "<h1" in html and 'lang="en-GB"' in html


def test_messages_sent_together_share_one_smtp_connection(app_context, make, mailbox, monkeypatch):
    user = make.user(make.organisation(), name="Zoë")
    connect, connections = SmtpBackend._connect, []

    def counted(self):
        connections.append(self)
        return connect(self)

    monkeypatch.setattr(SmtpBackend, "_connect", counted)
    with app_context.test_request_context():
        send([_reset_message(user, f"zoe{n}@school.example") for n in range(3)])
        send([])
    assert len(mailbox) == 3 and len(connections) == 1


def test_file_backend_writes_eml_files(app_context, make, tmp_path):
    user = make.user(make.organisation(), name="Ben")
    app_context.config.update(MAIL_BACKEND="file", CLUSTER_OUTBOX=str(tmp_path))
    try:
        with app_context.test_request_context():
            send([_reset_message(user, "ben@school.example")])
    finally:
        app_context.config["MAIL_BACKEND"] = "smtp"
    [path] = list(Path(tmp_path).glob("*.eml"))
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["To"] == "ben@school.example"
    assert "Hello Ben" in parts(message)[0]


def test_headers_stay_on_one_line(app_context, make):
    """A long Message-ID (it names the kind of email) is not folded at 78 characters: legal, but
    read badly by some mail providers."""
    with app_context.test_request_context():
        message = _reset_message(make.user(make.organisation()), "someone@school.example")
    assert len("Message-ID: " + message["Message-ID"]) > 78
    raw = bytes(message).decode()
    assert "\nMessage-ID: <" in raw and "Message-ID:\n" not in raw
