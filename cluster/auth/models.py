"""Accounts, invitations, password resets and sign-in attempts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cluster.extensions import UTCDateTime, db, utcnow
from cluster.schools.models import School
from cluster.tenancy.models import Membership, Organisation, TenantOwned


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased; the sign-in handle.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_platform_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    time_zone: Mapped[str] = mapped_column(sa.String(64), default="Europe/London")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", order_by="Membership.id", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active


class Invitation(TenantOwned, db.Model):
    """A single-use, expiring invitation to join an organisation (and optionally a network)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id", ondelete="SET NULL"))
    network_id: Mapped[int | None] = mapped_column(sa.ForeignKey("network.id", ondelete="CASCADE"))
    #: "organiser" or "observer" in ``network``; empty for a member SENCO.
    network_role: Mapped[str] = mapped_column(sa.String(20), default="")
    job_title: Mapped[str] = mapped_column(sa.String(200), default="")
    #: SHA-256 of the secret in the link; the secret itself is never stored.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation = relationship(Organisation)
    school = relationship(School)
    network = relationship("Network")
    invited_by: Mapped[User | None] = relationship()


class PasswordReset(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class LoginAttempt(db.Model):
    """A failed sign-in, kept for the lockout window whether or not the account exists."""

    __table_args__ = (sa.Index("ix_login_attempt_email_at", "email", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    ip: Mapped[str] = mapped_column(sa.String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
