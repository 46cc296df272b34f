"""Helpers shared by tests."""
from __future__ import annotations

import re
from email.message import EmailMessage


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
