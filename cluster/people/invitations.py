"""The invitation email."""

from __future__ import annotations

from flask import url_for

from cluster.auth.models import Invitation
from cluster.mail import absolute_url, build_message, send
from cluster.ui.filters import format_date


def send_invitation(invitation: Invitation, token: str) -> None:
    """Email the single-use link. Call after the invitation is committed."""
    role_words = {"organiser": "an organiser", "observer": "an observer"}.get(
        invitation.network_role, "a member"
    )
    message = build_message(
        invitation.email,
        f"You are invited to {invitation.organisation.name} on cluster",
        "invitation",
        organisation=invitation.organisation,
        network=invitation.network,
        role_words=role_words,
        inviter=invitation.invited_by,
        expires=format_date(invitation.expires_at),
        link=absolute_url(url_for("auth.accept_invitation", token=token)),
    )
    send([message])
