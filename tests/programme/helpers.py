"""A tiny stand-in for a browser without JavaScript: read a page's forms, fill them in, submit."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"fields": [], "buttons": []})
        elif not self.forms:
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                self.forms[-1]["fields"].append((a["name"], a.get("value", "on"), "checked" in a, kind))
            elif kind != "submit":
                self.forms[-1]["fields"].append((a["name"], a.get("value", ""), True, kind))
        elif tag == "button" and a.get("name"):
            self.forms[-1]["buttons"].append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            chosen = next(
                (v for v, selected in self._options if selected), self._options[0][0] if self._options else ""
            )
            self.forms[-1]["fields"].append((self._select, chosen, True, "select"))
            self._select = None


def forms(html: str) -> list[dict]:
    reader = _FormReader()
    reader.feed(html)
    return reader.forms


def fill(html: str, button: str, **changes) -> list[tuple[str, str]]:
    """What a browser sends when the form holding the button with value ``button`` is submitted.

    ``changes`` sets a text field (name=value), replaces the values of a repeated field (a list,
    as in date boxes), ticks or unticks a checkbox (True/False), or picks a radio (its value).
    """
    form = next(f for f in forms(html) if any(value == button for _, value in f["buttons"]))
    sent, done = [], set()
    for name, value, on, kind in form["fields"]:
        key = name.replace("-", "_")
        if key not in changes:
            if on:
                sent.append((name, value))
            continue
        wanted = changes[key]
        if kind == "checkbox":
            if wanted:
                sent.append((name, value))
        elif kind == "radio":
            if str(wanted) == value:
                sent.append((name, value))
        elif isinstance(wanted, (list, tuple)):
            if name not in done:
                sent += [(name, str(v)) for v in wanted]
                done.add(name)
        else:
            sent.append((name, str(wanted)))
    name = next(n for n, v in form["buttons"] if v == button)
    return sent + [(name, button)]
