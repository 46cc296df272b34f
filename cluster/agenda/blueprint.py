"""The agenda blueprint (a child of the organisation blueprint), shared by the view modules."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("agenda", __name__)


def page_number(value: int | None) -> int:
    """A page number from the query string, kept in a range a database can offset by."""
    return min(max(value or 1, 1), 10_000)
