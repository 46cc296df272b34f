"""Helpers shared by tests."""

from __future__ import annotations

import re
from email.message import EmailMessage

import sqlalchemy as sa


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML bodies of a multipart/alternative message."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def link_in(message: EmailMessage, path_prefix: str) -> str:
    """The path of the first link in the plain-text part that starts with ``path_prefix``."""
    text, _ = parts(message)
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s]*)", text)
    assert match, f"no link to {path_prefix} in:\n{text}"
    return match.group(1)


class StatementCounter:
    """Counts (and keeps) the SQL statements sent to ``engine`` (the app's, by default) while open."""

    def __init__(self, engine=None):
        self.engine = engine
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def __enter__(self):
        if self.engine is None:
            from cluster.extensions import db

            self.engine = db.engine
        sa.event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)
