"""An email built from two templates: ``templates/email/<name>.txt`` and ``.html``, as one
``multipart/alternative`` message (text first), with every link absolute.

The templates are rendered with what the caller passes and nothing else: no signed-in user, no
organisation of the page, no request. An email is written for its recipient, so whoever sends it
passes in all it shows (times already on the recipient's clock).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage
from email.utils import formatdate

from flask import current_app, has_request_context

from cluster.mail.headers import new_message_id, sender

#: Fold headers only where RFC 5322 must (998 characters): a Message-ID or a List-Unsubscribe URL
#: folded at the default 78 is legal but read badly by some mail providers.
HEADERS_ON_ONE_LINE = policy.default.clone(max_line_length=998)


def build_message(to: str, subject: str, template: str, **context) -> EmailMessage:
    """Render ``templates/email/<template>.txt`` and ``.html`` into a multipart/alternative message
    to ``to``, from the configured sender, with a fresh Message-ID."""
    message = EmailMessage(policy=HEADERS_ON_ONE_LINE)
    message["Subject"] = subject
    message["From"] = sender()
    message["To"] = to
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = new_message_id(template)
    message.set_content(_render(f"email/{template}.txt", context))
    message.add_alternative(
        _render(f"email/{template}.html", {"subject": subject, **context}), subtype="html"
    )
    return message


def _render(name: str, context: dict) -> str:
    # The Jinja environment directly, not render_template: the app's context processors describe
    # the page being viewed (who is signed in, their organisations), which an email must not show.
    return current_app.jinja_env.get_template(name).render(context)


def absolute_url(path: str) -> str:
    """An absolute link (for an email, a calendar feed): ``path`` on ``CLUSTER_BASE_URL``."""
    return current_app.config["CLUSTER_BASE_URL"].rstrip("/") + path


@contextmanager
def url_context() -> Iterator[None]:
    """Let a job build links with ``url_for`` (a request context of its own, outside any request);
    :func:`absolute_url` makes them absolute."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context("/"):
        yield
