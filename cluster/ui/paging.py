"""The page of a paginated list that a request asks for."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import request

from cluster.extensions import db

#: Beyond this, a page number is nonsense (and an offset no database should be asked for).
MAX_PAGE = 10_000


def requested_page() -> int:
    """``?page=`` as a number from 1 to :data:`MAX_PAGE` (1 when absent or not a number)."""
    return min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)


@dataclass
class ResultPage:
    """One page of search results, clamped to the pages there are (for ``macros.pagination``)."""

    items: list
    total: int
    page: int
    pages: int

    has_prev = property(lambda self: self.page > 1)
    has_next = property(lambda self: self.page < self.pages)
    prev_num = property(lambda self: self.page - 1)
    next_num = property(lambda self: self.page + 1)


def one_page(stmt: sa.Select, count: sa.Select, page: int, per_page: int) -> ResultPage:
    """Page ``page`` of ``stmt`` (ordered), with ``count`` counting all its rows: two statements."""
    total = db.session.scalar(count) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    items = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return ResultPage(items=list(items), total=total, page=page, pages=pages)
