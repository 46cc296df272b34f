"""The invitation email."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from cluster.auth.models import Invitation, User
from cluster.extensions import db
from cluster.mail import absolute_url, build_message, send
from cluster.timeutil import zone_of


def send_invitation(invitation: Invitation, token: str) -> None:
    """Email the single-use link. Call after the invitation is committed.

    The expiry date is on the invitee's clock: their own zone if they already have an account
    (invited to another organisation), else the zone a new account starts with."""
    role_words = {"organiser": "an organiser", "observer": "an observer"}.get(
        invitation.network_role, "a member"
    )
    zone = zone_of(db.session.scalar(sa.select(User.time_zone).where(User.email == invitation.email)))
    message = build_message(
        invitation.email,
        f"You are invited to {invitation.organisation.name} on cluster",
        "invitation",
        organisation=invitation.organisation,
        network=invitation.network,
        role_words=role_words,
        inviter=invitation.invited_by,
        expires=f"{invitation.expires_at.astimezone(zone):%-d %B %Y}",
        link=absolute_url(url_for("auth.accept_invitation", token=token)),
    )
    send([message])
