"""Secret tokens for links in emails: random, 256 bits, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """Return ``(token, token_hash)``: send the token, store the hash."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
