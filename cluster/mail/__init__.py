"""Outgoing email, in four parts:

- :mod:`cluster.mail.message`: a message built from a text and an HTML template, and absolute
  links for it (:func:`build_message`, :func:`absolute_url`);
- :mod:`cluster.mail.headers`: Message-ID, From, recipients, Auto-Submitted, one-click unsubscribe;
- :mod:`cluster.mail.client`: the one client that opens SMTP connections or writes ``.eml`` files
  (:class:`Mailer`, and :func:`send` for mail sent from a page);
- :mod:`cluster.mail.outbox`: exactly-once delivery for jobs (claim, take, deliver, retry).

Configuration: ``MAIL_BACKEND`` (``smtp`` or ``file``), ``MAIL_SERVER`` ..., ``CLUSTER_OUTBOX``,
``CLUSTER_BASE_URL``.
"""

from __future__ import annotations

from cluster.mail.client import Mailer, send
from cluster.mail.message import absolute_url, build_message, url_context

__all__ = ["Mailer", "absolute_url", "build_message", "send", "url_context"]
