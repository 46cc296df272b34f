"""The digest: one email (weekly, daily, or never) that tells each person what needs them, what
is coming up and what is new in their networks, sent exactly once, at their hour, in their zone.

- :mod:`.sections`: the parts of a digest and how a domain contributes a section.
- :mod:`.compose`: loading a batch of readers and composing their digests (reads only).
- :mod:`.schedule`: when a digest is due, through clock changes (pure).
- :mod:`.delivery`: the job that claims and sends due digests.
- :mod:`.mailing`: the email, with one-click unsubscribe.
- :mod:`.services`: preferences, unsubscribe tokens, the preview, failures for org admins.
- :mod:`.views`: the preferences, preview and unsubscribe pages.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask

from cluster.digests import jobs, views
from cluster.jobs.registry import add_job


def register(app: Flask, pages: Blueprint) -> None:
    """The preferences, preview and unsubscribe pages, the org admins' page of undelivered mail,
    and the job that sends the digests."""
    app.register_blueprint(views.bp)
    pages.register_blueprint(views.org_bp)
    add_job(
        app,
        "send-digests",
        jobs.send_digests,
        every=timedelta(minutes=15),
        misfire_grace=timedelta(minutes=14),
        run_at_start=True,
    )
