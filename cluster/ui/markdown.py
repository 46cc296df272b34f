"""User-written Markdown, rendered and then sanitised: the only way user HTML reaches a page."""

from __future__ import annotations

import markdown as md
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "a",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


def render_markdown(text: str | None) -> Markup:
    """Markdown to safe HTML: raw HTML in the source is escaped by the sanitiser, links may only
    be http(s) or mailto, and every link gets ``rel="noopener noreferrer"``."""
    if not text:
        return Markup("")
    html = md.markdown(text, extensions=["sane_lists", "tables"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)
