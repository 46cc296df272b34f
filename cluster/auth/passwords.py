"""Password rules and hashing."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    text = files("cluster.auth").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line and not line.startswith("#"))


def password_problem(password: str, email: str = "") -> str | None:
    """Return why ``password`` is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Password must be at least {MIN_LENGTH} characters long"
    if len(password) > 200:
        return "Password must be 200 characters or fewer"
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) <= 2:
        return "This password is too common: choose one that others would not guess"
    if email and lowered == email.lower():
        return "Password must not be your email address"
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)
