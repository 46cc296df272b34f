"""The page of a paginated list that a request asks for."""
from __future__ import annotations

from flask import request

#: Beyond this, a page number is nonsense (and an offset no database should be asked for).
MAX_PAGE = 10_000


def requested_page() -> int:
    """``?page=`` as a number from 1 to :data:`MAX_PAGE` (1 when absent or not a number)."""
    return min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
