"""The password-reset email."""

from __future__ import annotations

from flask import url_for

from cluster.auth.models import User
from cluster.mail import absolute_url, build_message, send


def send_reset_link(user: User, token: str) -> None:
    """Email ``user`` the single-use link to choose a new password. Call after the reset is committed."""
    link = absolute_url(url_for("auth.reset_password", token=token))
    send([build_message(user.email, "Reset your cluster password", "reset_password", user=user, link=link)])
