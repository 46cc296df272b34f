"""Sign-in with lockout, invitations and password resets.

Services flush but do not commit; the view commits once and sends email afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from cluster.auth.models import Invitation, LoginAttempt, PasswordReset, User
from cluster.auth.passwords import hash_password, verify_password
from cluster.auth.signals import invitation_accepted
from cluster.auth.tokens import hash_token, new_token
from cluster.extensions import db, utcnow
from cluster.tenancy.models import Membership, Organisation

INVITATION_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(hours=1)

# A hash to compare against when the account does not exist, so that a wrong email and a
# wrong password take the same time.
_DUMMY_HASH = hash_password("not-a-real-password-for-timing")


class SignInRefused(Exception):
    """Sign-in did not succeed; ``str()`` is the message to show."""


class LockedOut(SignInRefused):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    max_failures_per_ip: int = 50


def _is_locked(email: str, ip: str, policy: LockoutPolicy, now: datetime) -> bool:
    """Locked when the last ``max_failures`` failures for the email fell within one window and the
    newest is less than a window old; or when one address failed too often within the window."""
    recent = db.session.scalars(
        sa.select(LoginAttempt.at)
        .where(LoginAttempt.email == email, LoginAttempt.at > now - 2 * policy.window)
        .order_by(LoginAttempt.at.desc())
        .limit(policy.max_failures)
    ).all()
    if (
        len(recent) >= policy.max_failures
        and recent[0] - recent[-1] <= policy.window
        and now < recent[0] + policy.window
    ):
        return True
    from_ip = db.session.scalar(
        sa.select(sa.func.count()).where(LoginAttempt.ip == ip, LoginAttempt.at > now - policy.window)
    )
    return from_ip >= policy.max_failures_per_ip


def authenticate(
    email: str, password: str, ip: str, policy: LockoutPolicy, now: datetime | None = None
) -> User:
    """Return the user whose email and password these are.

    Raises :class:`LockedOut` after too many recent failures (whether or not the account
    exists, so the answer reveals nothing) and :class:`SignInRefused` for a wrong email or
    password. Failures are recorded; a success clears them.
    """
    now = now or utcnow()
    email = normalise_email(email)
    if _is_locked(email, ip, policy, now):
        raise LockedOut(
            f"Too many failed attempts. Wait {int(policy.window.total_seconds() // 60)} minutes, "
            "then try again, or reset your password."
        )
    user = db.session.scalar(sa.select(User).where(User.email == email))
    ok = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if not (user and ok and user.active):
        db.session.add(LoginAttempt(email=email, ip=ip, at=now))
        db.session.flush()
        raise SignInRefused("Enter a correct email address and password")
    db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.email == email))
    return user


def purge_login_attempts(policy: LockoutPolicy, now: datetime | None = None) -> int:
    """Forget failures older than any window that could still use them."""
    now = now or utcnow()
    result = db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.at < now - 2 * policy.window))
    return result.rowcount or 0


# Invitations ---------------------------------------------------------------------------------


def create_invitation(
    organisation: Organisation,
    email: str,
    invited_by: User,
    *,
    is_admin: bool = False,
    school_id: int | None = None,
    network_id: int | None = None,
    network_role: str = "",
    job_title: str = "",
    now: datetime | None = None,
) -> tuple[Invitation, str]:
    """Invite ``email`` into ``organisation``; return the invitation and the secret for its link.

    An earlier pending invitation for the same address in the same organisation stops working,
    so only the newest link is ever valid.
    """
    now = now or utcnow()
    email = normalise_email(email)
    db.session.execute(
        sa.update(Invitation)
        .where(
            Invitation.organisation_id == organisation.id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(expires_at=now)
    )
    token, token_hash = new_token()
    invitation = Invitation(
        organisation_id=organisation.id,
        email=email,
        is_admin=is_admin,
        school_id=school_id,
        network_id=network_id,
        network_role=network_role,
        job_title=job_title,
        token_hash=token_hash,
        expires_at=now + INVITATION_LIFETIME,
        invited_by_id=invited_by.id,
        created_at=now,
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def find_open_invitation(token: str, now: datetime | None = None) -> Invitation | None:
    """The invitation behind ``token`` if it is unused and unexpired."""
    now = now or utcnow()
    return db.session.scalar(
        sa.select(Invitation).where(
            Invitation.token_hash == hash_token(token),
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > now,
        )
    )


def existing_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def accept_invitation(
    invitation: Invitation,
    *,
    name: str = "",
    password: str = "",
    user: User | None = None,
    now: datetime | None = None,
) -> User:
    """Use ``invitation`` once: create the account (or take ``user``), join the organisation and network."""
    now = now or utcnow()
    if user is None:
        user = User(email=invitation.email, name=name.strip(), password_hash=hash_password(password))
        db.session.add(user)
        db.session.flush()
    membership = db.session.scalar(
        sa.select(Membership).where(
            Membership.organisation_id == invitation.organisation_id, Membership.user_id == user.id
        )
    )
    if membership is None:
        membership = Membership(organisation_id=invitation.organisation_id, user_id=user.id)
        db.session.add(membership)
    membership.is_admin = membership.is_admin or invitation.is_admin
    if invitation.school_id:
        membership.school_id = invitation.school_id
    if invitation.job_title:
        membership.job_title = invitation.job_title
    invitation.accepted_at = now
    invitation_accepted.send(invitation, user=user)
    db.session.flush()
    return user


def pending_invitations(organisation: Organisation, now: datetime | None = None) -> list[Invitation]:
    now = now or utcnow()
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(
                Invitation.organisation_id == organisation.id,
                Invitation.accepted_at.is_(None),
                Invitation.expires_at > now,
            )
            .order_by(Invitation.created_at.desc())
            .options(sa.orm.joinedload(Invitation.school), sa.orm.joinedload(Invitation.network))
        )
    )


def revoke_invitation(invitation: Invitation, now: datetime | None = None) -> None:
    invitation.expires_at = now or utcnow()


# Password resets -----------------------------------------------------------------------------


def request_password_reset(email: str, now: datetime | None = None) -> tuple[User, str] | None:
    """Create a one-hour reset link for ``email`` if it has an active account."""
    now = now or utcnow()
    user = existing_user(email)
    if user is None or not user.active:
        return None
    token, token_hash = new_token()
    db.session.add(
        PasswordReset(user_id=user.id, token_hash=token_hash, expires_at=now + RESET_LIFETIME, created_at=now)
    )
    db.session.flush()
    return user, token


def find_open_reset(token: str, now: datetime | None = None) -> PasswordReset | None:
    now = now or utcnow()
    return db.session.scalar(
        sa.select(PasswordReset).where(
            PasswordReset.token_hash == hash_token(token),
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > now,
        )
    )


def complete_password_reset(reset: PasswordReset, password: str, now: datetime | None = None) -> User:
    """Set the new password; this link and every other open link of the user stop working."""
    now = now or utcnow()
    user = reset.user
    user.password_hash = hash_password(password)
    db.session.execute(
        sa.update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.email == user.email))
    return user
