"""Every form survives bad input, and user text is always escaped.

Forms are found, not listed: for every endpoint in ``app.url_map`` that accepts POST (with its
arguments from ``tests/access_registry.ROUTES``), the page that carries its ``<form
method="post">`` (its own GET page, or any page of the matrix, e.g. a network's page for
"appoint") is fetched as the person who uses it: anonymous for public routes, the platform admin
for platform routes, otherwise the org admin of organisation A, or another allowed role if the
admin sees no such form. The form is parsed with ``html.parser`` and Hypothesis posts generated
values for its fields: empty, huge (1 MB), unicode edge cases, control characters and NUL,
markup and script, SQL-looking strings, wrong types, out-of-range numbers, other organisations'
ids, missing, duplicated and smuggled fields, random files. The answer must be

- 200 with a GOV.UK error summary, what was typed into text fields shown back (escaped; NUL
  and control characters may be dropped, surrounding spaces trimmed; passwords exempt) and
  nothing written (row counts of every table unchanged); or
- 302 to a page of this site, on a legitimate success; or
- 400 or 413 (nothing written);

and never 500. A named helper button ("Add more slots") may show the form again instead, and a
few successes answer on the page (ANSWERS_ON_THE_PAGE). Every POST route, with a form or not
(sign out, revoke, remove...), also gets a smaller fuzz of random fields that must not 500, and
requests over MAX_CONTENT_LENGTH get the friendly 413 page.

Then XSS payloads are stored through every form that takes user text (and, where no form
writes it yet, straight into the database: organisation names, people's names, job titles) and
every GET page of the matrix is rendered as everyone allowed to see it: no payload may come out
as markup (no ``on*`` attribute, no script but the app's own, no ``javascript:`` link).
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import BytesIO
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from cluster.extensions import db
from tests.access_registry import ROUTES
from tests.factories import PASSWORD
from tests.pages import TwoOrganisations, client_as, endpoints, get_pages, visitor

POST_ENDPOINTS = endpoints("POST")

#: Examples per form (full fuzz) and per POST route (generic fuzz): a budget shared by all
#: routes, so the file keeps to about a minute as routes are added. The examples are the same
#: on every run (derandomized), so the gate fails because the code changed, not by luck. For a
#: deeper, random search set CLUSTER_FUZZ_EXAMPLES, e.g. to 200.
DEEP = int(os.environ.get("CLUSTER_FUZZ_EXAMPLES", 0))
FORM_EXAMPLES = DEEP or max(8, 400 // max(1, len(POST_ENDPOINTS)))
GENERIC_EXAMPLES = max(3, FORM_EXAMPLES // 3)
# No shrinking: each example is a few requests, so shrinking would take minutes; the draws of a
# failing example are labelled and readable as they are.
FUZZ = settings(
    max_examples=FORM_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=not DEEP,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

#: Answers on the page itself that are neither an error nor a redirect: how to recognise each.
ANSWERS_ON_THE_PAGE = {
    # The same answer whether or not the account exists.
    "auth.reset_request": lambda sent, html: "Check your email" in html,
    # The import report.
    "org.schools.import_file": lambda sent, html: "Import finished" in html,
}
#: The name of a form's main button (WTForms' SubmitField); any other named button is a helper,
#: like "Add another slot", that may show the form again, saving nothing.
MAIN_BUTTON = "submit"
#: Tables a refused request may write to, by design.
WRITES_WHEN_REFUSED = {
    "auth.sign_in": {"login_attempt"},  # failures are counted for the lockout
}
#: Statuses a refused request may have besides 200, 400 and 413.
ALSO_ALLOWED = {
    "auth.sign_in": {429},  # locked out
}

TEXT_KINDS = {
    "text",
    "email",
    "search",
    "url",
    "tel",
    "number",
    "textarea",
    "date",
    "time",
    "datetime-local",
    "month",
    "week",
}
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Values -------------------------------------------------------------------------------------------

MEGABYTE = 1_000_000


class Huge(str):
    """A megabyte of text that reports itself briefly."""

    def __repr__(self) -> str:
        return f"<{len(self):,} characters: {str.__repr__(self[:16])}...>"


HUGE = [
    Huge(unit * (MEGABYTE // len(unit.encode())))
    for unit in ("x", "é", "<script>", "\u202e\u0301", "a\x00", "9", "👩🏽‍🏫")
]
UNICODE = [
    "\u202eevil.exe\u202c",
    "مدرسة الأمل",
    "שלום עולם",
    "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334a\u0301lgo",
    "e\u0301\u0301\u0301\u0301",
    "👩🏽‍🏫 SENCO 🏫 🇬🇧",
    "\U0001f4a9" * 7,
    "\\ud83d\\ude00",
    "\ud83d",
    "\udfff trailing",
    "\u200b\u200c\u200d\u2060\ufeff",
    "zero\u200bwidth",
    "\u00a0\u3000 ",
    "ß" * 10,
    "ﬃ" * 10,
    "İ" * 10,
    "ǅǈ",
    "\uffff\ufffe",
    "\U0010ffff",
    "\u0085\u2028\u2029",
]
CONTROL = [
    "\x00",
    "nul\x00in the middle",
    "\x01\x02\x03\x07\x08\x0b\x0c\x1b[31mred\x1b[0m\x7f",
    "\r\n\r\n",
    "\t",
]
MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% for x in range(9) %}",
    "<!--",
    "]]>",
    "&amp;&lt;&#0;",
]
SQL = [
    "' OR '1'='1",
    "'; DROP TABLE school; --",
    "1; SELECT pg_sleep(5)--",
    '" OR ""="',
    "%",
    "_",
    "\\",
    "%00",
    "' || '",
]
WRONG_TYPES = [
    "",
    " ",
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "-0",
    "99999999999999999999999999",
    str(2**63),
    str(-(2**63) - 1),
    "0x1F",
    "[]",
    "{}",
    "null",
    "true",
    "None",
    "31 2 2027",
    "29/02/2027",
    "25:61",
    "24:00",
    "23:59",
    "13.30",
    "9999",
    "0000",
    "abc",
    "²",
    "١٢",
    "𝟗",
    "Ⅻ",
]
NASTY = UNICODE + CONTROL + MARKUP + SQL + WRONG_TYPES
#: Fields nobody should be able to set by adding them to a form.
SMUGGLED = [
    "organisation_id",
    "is_admin",
    "is_platform_admin",
    "user_id",
    "id",
    "role",
    "status",
    "password_hash",
    "csrf_token",
]

_serial = itertools.count(1)


# Forms --------------------------------------------------------------------------------------------


@dataclass
class Control:
    name: str
    kind: str  # an input type ("text", "checkbox", "hidden"...), "textarea", "select" or "submit" (a button)
    id: str = ""
    value: str | None = (
        None  # what the page fills in: the text, the selected option, the ticked boxes (one a line)
    )
    options: list[str] = field(default_factory=list)
    multiple: bool = False

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def fillable(self) -> bool:
        return self.name != "csrf_token" and self.kind not in {"hidden", "submit", "button", "reset", "image"}


@dataclass
class Form:
    action: str  # a path
    multipart: bool
    controls: list[Control] = field(default_factory=list)

    @property
    def fillable(self) -> list[Control]:
        return [c for c in self.controls if c.fillable]


class FormParser(HTMLParser):
    """The ``<form method="post">`` elements of a page and their controls."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Control | None = None
        self._option: dict | None = None
        self._textarea: Control | None = None
        self._radios: dict[str, Control] = {}
        self._checkboxes: dict[str, Control] = {}

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                action = urlsplit(a.get("action") or self.page_url).path or urlsplit(self.page_url).path
                self._form = Form(action=action, multipart="multipart" in a.get("enctype", ""))
                self.forms.append(self._form)
                self._radios, self._checkboxes = {}, {}
            return
        if self._form is None or ("name" not in a and tag != "option"):
            if tag == "option" and self._select is not None:
                self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            return
        name = a.get("name", "")
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("radio", "checkbox"):
                group = self._radios if kind == "radio" else self._checkboxes
                control = group.get(name)
                if control is None:
                    control = group[name] = Control(name, kind, a.get("id", ""), multiple=kind == "checkbox")
                    self._form.controls.append(control)
                value = a.get("value", "on")
                control.options.append(value)
                if "checked" in a:
                    control.value = value if control.value is None else f"{control.value}\n{value}"
                return
            self._form.controls.append(Control(name, kind, a.get("id", ""), a.get("value")))
        elif tag == "textarea":
            self._textarea = Control(name, "textarea", a.get("id", ""), "")
            self._form.controls.append(self._textarea)
        elif tag == "select":
            self._select = Control(name, "select", a.get("id", ""), multiple="multiple" in a)
            self._form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._form.controls.append(Control(name, "submit", a.get("id", ""), a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        elif self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value = (
                self._option["value"] if self._option["value"] is not None else self._option["text"].strip()
            )
            self._select.options.append(value)
            if self._option["selected"] and self._select.value is None:
                self._select.value = value
            self._option = None
        elif tag == "select":
            self._select = None


def forms_on(html: str, page_url: str) -> list[Form]:
    parser = FormParser(page_url)
    parser.feed(html)
    parser.close()
    return parser.forms


def rendered_values(html: str, page_url: str, action: str) -> dict[str, list[str]]:
    """What the page shows in each text field of the form posting to ``action``."""
    shown: dict[str, list[str]] = {}
    for form in forms_on(html, page_url):
        if form.action == action:
            for control in form.controls:
                if control.is_text:
                    shown.setdefault(control.name, []).append(control.value or "")
    return shown


@dataclass
class Found:
    form: Form
    url: str  # where to post
    who: str  # as whom
    client: object


_CRAWLS: dict[str, dict[str, list[tuple[str, int]]]] = {}


def _people_to_try(endpoint: str) -> list[str]:
    route = ROUTES[endpoint]
    first = visitor(route)
    others = (
        []
        if route.public or route.platform
        else [r for r in ("member", "organiser", "observer", "admin") if r in route.allowed]
    )
    return [first] + [who for who in others if who != first]


def _post_endpoint(app, path: str) -> str | None:
    try:
        return app.url_map.bind("localhost").match(path, method="POST")[0]
    except HTTPException:
        return None


def crawl(app, world: TwoOrganisations, who: str) -> dict[str, list[tuple[str, int]]]:
    """Which GET pages carry a form posting to each endpoint, as ``who`` (and how many fields it
    has). Pages are found by endpoint, so this holds after the world is rebuilt."""
    if who not in _CRAWLS:
        found: dict[str, list[tuple[str, int]]] = {}
        client = client_as(app, world, who)
        for get_endpoint in endpoints("GET"):
            page_url = world.url(get_endpoint)
            response = client.get(page_url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            for form in forms_on(response.get_data(as_text=True), page_url):
                post_endpoint = _post_endpoint(app, form.action)
                if post_endpoint:
                    found.setdefault(post_endpoint, []).append((get_endpoint, len(form.fillable)))
        _CRAWLS[who] = found
    return _CRAWLS[who]


def _best_form(html: str, page_url: str, action: str) -> Form | None:
    candidates = [f for f in forms_on(html, page_url) if f.action == action]
    return max(candidates, key=lambda f: len(f.fillable), default=None)


def discover(app, world: TwoOrganisations, endpoint: str) -> Found | None:
    """The form that posts to ``endpoint`` for organisation A, fetched fresh from the page that
    carries it, as the first person (see :func:`_people_to_try`) who sees it with fields."""
    url = world.url(endpoint, "POST")
    fallback = None
    for who in _people_to_try(endpoint):
        pages = crawl(app, world, who).get(endpoint)
        if not pages:
            continue
        get_endpoint, fields = max(pages, key=lambda page: page[1])
        if not fields and fallback:
            continue
        client = client_as(app, world, who)
        page_url = world.url(get_endpoint)
        form = _best_form(client.get(page_url).get_data(as_text=True), page_url, urlsplit(url).path)
        if form is None:
            continue
        if form.fillable:
            return Found(form, url, who, client)
        fallback = fallback or Found(form, url, who, client)
    return fallback


# Sending and checking -----------------------------------------------------------------------------


def valid_value(control: Control, world: TwoOrganisations) -> str | list[str]:
    """A value the form should accept: what the page filled in, else a plausible one."""
    if control.kind == "checkbox":
        return control.value.split("\n") if control.value else []
    if control.value:
        return control.value
    if control.kind in ("select", "radio"):
        return next((o for o in control.options if o), "")
    name, n = control.name.lower(), next(_serial)
    if control.kind == "password" or name in ("password", "confirm"):
        return PASSWORD
    if control.kind == "email" or "email" in name:
        return f"valid{n}@school.example"
    if "slug" in name:
        return f"valid-{n}"
    if name == "urn":
        return f"{700000 + n % 100000}"
    if "postcode" in name:
        return "NB1 2AB"
    if "url" in name or control.kind == "url":
        return "https://meet.example/abc"
    if name in ("start", "starts") or name.endswith("start_time"):
        return "13:30"
    if name in ("end", "ends") or name.endswith("end_time"):
        return "16:00"
    if control.id.endswith("-day"):
        return "12"
    if control.id.endswith("-month"):
        return "6"
    if control.id.endswith("-year"):
        return "2031"
    if name in ("capacity", "places", "minutes") or control.kind == "number":
        return "30"
    if "la_code" in name:
        return "938"
    return f"Valid text {n}"


def post(client, url: str, form: Form, pairs: list[tuple[str, object]]):
    """POST ``pairs`` as the browser would for ``form``; also return what the server will read."""
    if form.multipart:
        data = MultiDict()
        for name, value in pairs:
            if isinstance(value, tuple):
                data.add(name, (BytesIO(value[0]), value[1]))
            else:
                data.add(name, _transportable(value))
        received = MultiDict((n, _transportable(v)) for n, v in pairs if not isinstance(v, tuple))
        return client.post(url, data=data, content_type="multipart/form-data"), received
    body = urlencode([(n, v) for n, v in pairs], encoding="utf-8", errors="surrogatepass")
    received = MultiDict((n, _as_read(v)) for n, v in pairs)
    return client.post(url, data=body, content_type="application/x-www-form-urlencoded"), received


def _as_read(value: str) -> str:
    """``value`` as the server reads it from a URL-encoded body (invalid UTF-8, as from a lone
    surrogate, stays percent-encoded)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        body = urlencode([("v", value)], encoding="utf-8", errors="surrogatepass")
        environ = EnvironBuilder(
            method="POST", data=body, content_type="application/x-www-form-urlencoded"
        ).get_environ()
        return Request(environ).form["v"]
    return value


def _transportable(value: str) -> str:
    # A lone surrogate cannot be sent in a multipart body; a browser would send U+FFFD.
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _same_text(shown: str, typed: str) -> bool:
    """Shown as typed, give or take surrounding spaces and control characters (dropped, or
    shown as white space: Python counts some of them as line breaks)."""
    if shown == typed:
        return True
    squash = lambda s: re.sub(r"\s+", " ", s).strip()  # noqa: E731
    return any(
        squash(CONTROL_CHARACTERS.sub(replacement, typed))
        == squash(CONTROL_CHARACTERS.sub(replacement, shown))
        for replacement in ("", " ")
    )


def _is_error_page(html: str) -> bool:
    return "govuk-error-summary" in html


def changed_tables(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {t: (before[t], after.get(t)) for t in before if before[t] != after.get(t)}


class Audit(HTMLParser):
    """Markup that only an unescaped payload could have put in a page."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "xlink:href", "background"}

    def __init__(self, nonce: str | None):
        super().__init__()
        self.nonce = nonce
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag}> has an event handler attribute {name}={value!r}")
            if name in self.URL_ATTRIBUTES and value:
                squashed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if squashed.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.problems.append(f"<{tag}> has a script URL {name}={value!r}")
        if tag == "script":
            src = a.get("src") or ""
            own = (
                src.startswith("/static/")
                if src
                else (self.nonce is not None and a.get("nonce") == self.nonce)
            )
            if not own:
                self.problems.append(f"a <script> that is not the app's own: {a}")
        if tag in ("iframe", "object", "embed", "base", "frame", "frameset"):
            self.problems.append(f"an unexpected <{tag}> element: {a}")
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.problems.append(f"a <meta http-equiv=refresh>: {a}")


RAW_MARKERS = re.compile(
    r"<script>alert|<img src=x|<svg onload|</title><script|</textarea><script", re.IGNORECASE
)


def html_problems(response) -> list[str]:
    """Anything in an HTML response that shows user text was not escaped."""
    if response.mimetype != "text/html":
        return []
    html = response.get_data(as_text=True)
    csp = response.headers.get("Content-Security-Policy", "")
    nonce = re.search(r"'nonce-([^']+)'", csp)
    problems = [f"raw markup {m.group(0)!r} in the page" for m in RAW_MARKERS.finditer(html)][:3]
    audit = Audit(nonce.group(1) if nonce else None)
    audit.feed(html)
    audit.close()
    return problems + audit.problems


def check_answer(endpoint: str, found: Found, response, received, before, after) -> list[str]:
    """The rules every answer to a form must follow (see the module docstring)."""
    status, problems = response.status_code, []
    allowed = {200, 302, 400, 413} | ALSO_ALLOWED.get(endpoint, set())
    if status not in allowed:
        return [f"answered {status} (expected 200 with errors, 302, 400 or 413)"]
    problems += html_problems(response)
    if status == 302:
        location = response.headers.get("Location", "")
        if not location.startswith("/") or location.startswith("//"):
            problems.append(f"redirected off the site, to {location!r}")
        return problems
    html = response.get_data(as_text=True)
    answered = ANSWERS_ON_THE_PAGE.get(endpoint)
    if status == 200 and answered and answered(received, html):
        return problems
    helper = next(
        (
            c.name
            for c in found.form.controls
            if c.kind == "submit" and c.name not in ("", MAIN_BUTTON) and c.name in received
        ),
        None,
    )
    if status == 200 and not _is_error_page(html) and not helper:
        problems.append("answered 200 without a GOV.UK error summary (govuk-error-summary)")
    written = {
        t: n
        for t, n in changed_tables(before, after).items()
        if t not in WRITES_WHEN_REFUSED.get(endpoint, set())
    }
    if written:
        problems.append(f"a refused request wrote to the database: {written} (rows before, after)")
    if _is_error_page(html):
        shown = rendered_values(html, found.url, found.form.action)
        for control in found.form.controls:
            if not control.is_text or control.name not in received:
                continue
            typed = received.getlist(control.name)
            if control.name not in shown:
                problems.append(f"the error page lost the field {control.name!r}")
                continue
            for i, (s, t) in enumerate(zip(shown[control.name], typed)):
                if not _same_text(s, t):
                    problems.append(
                        f"field {control.name!r} (box {i + 1}) typed {_short(t)} but the error page shows {_short(s)}"
                    )
    return problems


def _short(value: str) -> str:
    return repr(value if len(value) <= 80 else f"{value[:60]}... ({len(value)} characters)")


# Strategies ---------------------------------------------------------------------------------------

any_text = st.text(st.characters(exclude_categories=()), max_size=40)


def nasty_values(control: Control, world: TwoOrganisations):
    choices = [st.sampled_from(NASTY), any_text]
    if (
        control.kind in ("select", "radio", "checkbox")
        or control.name.endswith("_id")
        or control.name.endswith("_ids")
    ):
        foreign = [
            str(v)
            for v in (
                world.b.school,
                world.b.network,
                world.b.membership,
                world.b.invitation,
                *world.foreign_user_ids.values(),
            )
        ]
        choices.append(st.sampled_from(foreign + ["0", "-1", str(2**31), str(2**63), "1.0", "1 OR 1=1"]))
        choices.append(st.integers(min_value=-(2**70), max_value=2**70).map(str))
    return st.one_of(*choices)


def draw_submission(data, control_list: list[Control], world: TwoOrganisations) -> list[tuple[str, object]]:
    """For each control: a valid value, a nasty one, several, or nothing; sometimes smuggled fields."""
    pairs: list[tuple[str, object]] = []
    buttons = [c for c in control_list if c.kind == "submit" and c.name]
    pressed = data.draw(st.sampled_from([None, *buttons]), label="button pressed") if buttons else None
    fillable = [c for c in control_list if c.fillable and c.kind != "file"]
    # One field in four examples gets a megabyte (more would only make the run slow).
    huge = (
        data.draw(st.sampled_from(fillable), label="huge field")
        if fillable and data.draw(st.integers(0, 3), label="huge?") == 0
        else None
    )
    for control in control_list:
        if not control.fillable:
            if control is pressed:
                pairs.append((control.name, control.value or ""))
            continue
        if control is huge:
            pairs.append(
                (control.name, data.draw(st.sampled_from(HUGE), label=f"{control.name}: huge value"))
            )
            continue
        how = data.draw(
            st.sampled_from(["valid", "valid", "nasty", "nasty", "nasty", "missing", "several"]),
            label=f"{control.name}: how",
        )
        if how == "missing":
            continue
        if control.kind == "file":
            content = data.draw(
                st.one_of(
                    st.binary(max_size=2000),
                    st.sampled_from(
                        [b"", b"URN,EstablishmentName\n" + "ü\x00<script>".encode() * 50, b"x" * MEGABYTE]
                    ),
                ),
                label=f"{control.name}: bytes",
            )
            filename = data.draw(
                st.sampled_from(["schools.csv", "", "../../etc/passwd", "<script>.csv", "ééé.csv\x00.exe"]),
                label=f"{control.name}: filename",
            )
            pairs.append((control.name, (content, filename)))
            continue
        if how == "valid":
            value = valid_value(control, world)
            values = value if isinstance(value, list) else [value]
            if control.kind == "checkbox" and control.options:
                values = data.draw(
                    st.lists(st.sampled_from(control.options), unique=True), label=f"{control.name}: ticked"
                )
        elif how == "nasty":
            values = [data.draw(nasty_values(control, world), label=f"{control.name}: value")]
        else:
            several = st.one_of(
                nasty_values(control, world),
                st.just(valid_value(control, world)).map(
                    lambda v: v[0] if isinstance(v, list) and v else str(v)
                ),
            )
            values = data.draw(st.lists(several, min_size=2, max_size=4), label=f"{control.name}: values")
        pairs.extend((control.name, v) for v in values)
    if data.draw(st.booleans(), label="smuggle fields"):
        for name in data.draw(st.lists(st.sampled_from(SMUGGLED), max_size=3, unique=True), label="smuggled"):
            pairs.append(
                (
                    name,
                    data.draw(
                        st.sampled_from(["1", "y", "true", "admin", "organiser", str(world.b.school)]),
                        label=f"{name} value",
                    ),
                )
            )
    return pairs


# The gates ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(app):
    world = TwoOrganisations(app)
    yield world
    world.destroy()


_WITHOUT_FIELDS: set[str] = set()  # POST endpoints whose form (if any) has nothing to fill in


def form_to_fill(app, world: TwoOrganisations, endpoint: str) -> Found | None:
    """The form as it is now. Earlier successes may have changed the world (more schools, a new
    organisation): that does no harm, so it is rebuilt only when the form is gone (a used
    invitation, a cancelled meeting)."""
    world.forget_logs()
    found = discover(app, world, endpoint)
    if found is None or not found.form.fillable:
        world.reset()
        found = discover(app, world, endpoint)
    return found


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
@FUZZ
@given(data=st.data())
def test_forms_answer_bad_input_with_a_message_never_a_crash(app, world, endpoint, data):
    if endpoint in _WITHOUT_FIELDS:
        return  # nothing to fill in (sign out, revoke, remove...): the generic fuzz below covers it
    found = form_to_fill(app, world, endpoint)
    if found is None or not found.form.fillable:
        _WITHOUT_FIELDS.add(endpoint)
        return
    pairs = draw_submission(data, found.form.controls, world)
    before = world.row_counts()
    response, received = post(found.client, found.url, found.form, pairs)
    after = world.row_counts()
    problems = check_answer(endpoint, found, response, received, before, after)
    assert not problems, (
        f"POST {found.url} ({endpoint}) as {found.who} answered {response.status_code}:\n"
        + "\n".join(problems)
    )


_generic_state: dict[str, str] = {}

generic_fields = st.dictionaries(
    st.one_of(
        st.sampled_from(
            ["name", "email", "password", "school_id", "role", "reason", "next", "csrf_token", *SMUGGLED]
        ),
        any_text,
    ),
    st.one_of(st.sampled_from(NASTY), any_text.filter(lambda s: "\x00" not in s)),
    max_size=6,
)


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
@settings(FUZZ, max_examples=GENERIC_EXAMPLES)
@given(fields=generic_fields)
def test_every_post_route_survives_random_fields(app, world, endpoint, fields):
    if _generic_state.get("endpoint") != endpoint:
        world.restore()  # each route starts from the matrix's world (its objects there)
        _generic_state["endpoint"] = endpoint
    else:
        world.forget_logs()
    who = visitor(ROUTES[endpoint])
    url = world.url(endpoint, "POST")
    body = urlencode(list(fields.items()), encoding="utf-8", errors="surrogatepass")
    response = client_as(app, world, who).post(
        url, data=body, content_type="application/x-www-form-urlencoded"
    )
    # A success may have removed the object in the URL (later examples of this route then get a
    # 404, which is fine here); the next route gets the world rebuilt.
    world.dirty = world.dirty or response.status_code == 302
    assert response.status_code < 500, (
        f"POST {url} ({endpoint}) as {who} with {fields!r} answered {response.status_code}"
    )
    problems = html_problems(response)
    assert not problems, f"POST {url} ({endpoint}) as {who}:\n" + "\n".join(problems)


@pytest.fixture()
def production_limits(app):
    """CSRF checks on (they read every POST body, as in production) and a small upload limit."""
    saved = app.config["WTF_CSRF_ENABLED"], app.config["MAX_CONTENT_LENGTH"]
    app.config["WTF_CSRF_ENABLED"], app.config["MAX_CONTENT_LENGTH"] = True, 64 * 1024
    yield
    app.config["WTF_CSRF_ENABLED"], app.config["MAX_CONTENT_LENGTH"] = saved


def _friendly_413(response) -> bool:
    html = response.get_data(as_text=True)
    return response.status_code == 413 and "That upload is too large" in html and 'id="main-content"' in html


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_requests_over_the_size_limit_get_the_friendly_413(app, world, production_limits, endpoint):
    world.restore()
    who = visitor(ROUTES[endpoint])
    url = world.url(endpoint, "POST")
    response = client_as(app, world, who).post(url, data={"name": "x" * (100 * 1024)})
    if ROUTES[endpoint].csrf_exempt:
        assert response.status_code < 500
    else:
        assert _friendly_413(response), (
            f"POST {url} ({endpoint}) with 100 KB over a 64 KB limit answered {response.status_code}"
        )


def test_the_configured_limit_refuses_a_larger_upload_kindly(app, world):
    """At the real MAX_CONTENT_LENGTH, on the page made for big files (the GIAS import)."""
    world.restore()
    limit = app.config["MAX_CONTENT_LENGTH"]
    url = world.url("org.schools.import_file", "POST")
    boundary = "cluster-boundary"
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="edubasealldata.csv"\r\nContent-Type: text/csv\r\n\r\n'.encode()
    body = head + b"x" * (limit + 1 - len(head))
    response = client_as(app, world, "admin").post(
        url, data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert _friendly_413(response), f"POST {url} with {limit + 1} bytes answered {response.status_code}"


# Stored XSS ---------------------------------------------------------------------------------------

#: One string that breaks out of every context a template can put text in (element text, <title>
#: and <textarea>, double-, single- and unquoted attributes) and makes a link if rendered as Markdown.
EVERY_CONTEXT = (
    "</title></textarea><script>alert(1)</script>\"><img src=x onerror=alert(1)>'><svg onload=alert(1)>"
    " onmouseover=alert(1) [x](javascript:alert(1))"
)
#: What each text field is offered, first to last, until it accepts one: links get script URLs
#: first; fields too short for the long string get shorter ones.
MARKUP_PAYLOADS = [
    EVERY_CONTEXT,
    "\"'><svg onload=alert(1)>",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
]
LINK_PAYLOADS = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "javascript://x.example/%0aalert(1)",
    *MARKUP_PAYLOADS,
]


def payloads_for(control: Control) -> list[str]:
    is_link = control.kind == "url" or any(
        word in control.name.lower() for word in ("url", "link", "website", "href")
    )
    return LINK_PAYLOADS if is_link else MARKUP_PAYLOADS


#: The places the platform shows user text, by the POST endpoint that stores each.
STORED_BY = {
    "user names": "auth.accept_invitation",
    "school names": "org.schools.edit",
    "network names and descriptions": "org.networks.edit",
    "organisation names": "platform.new_organisation",
    "job titles": "org.people.edit",
    "invitations": "org.people.invite",
}
_DESTRUCTIVE = ("cancel", "delete", "remove", "revoke", "sign_out", "held", "close", "decline", "withdraw")


def _error_ids(html: str) -> set[str]:
    summary = html.split("govuk-error-summary", 1)[-1].split("</ul>", 1)[0]
    return set(re.findall(r'href="#([^"]+)"', summary))


def store_payload(app, world: TwoOrganisations, endpoint: str, problems: list[str]) -> bool:
    """Post a payload into every text field of the form for ``endpoint``: the first of
    :func:`payloads_for` the field that it accepts (a field that refuses them all, like an email
    or a URN, gets a valid value). True if the form accepted a payload anywhere."""
    found = discover(app, world, endpoint)
    if found is None:
        return False
    texts = [c for c in found.form.fillable if c.is_text]
    choice = {i: 0 for i in range(len(texts))}  # text field -> which of its payloads
    while choice:
        pairs = []
        for control in found.form.controls:
            if not control.fillable:
                continue
            if control.is_text and texts.index(control) in choice:
                pairs.append((control.name, payloads_for(control)[choice[texts.index(control)]]))
                continue
            value = valid_value(control, world)
            pairs.extend((control.name, v) for v in (value if isinstance(value, list) else [value]))
        response, _ = post(found.client, found.url, found.form, pairs)
        problems.extend(f"POST {endpoint}: {p}" for p in html_problems(response))
        if response.status_code == 302:
            landing = found.client.get(response.headers["Location"])  # shows the flash message
            problems.extend(
                f"after POST {endpoint}, GET {response.headers['Location']}: {p}"
                for p in html_problems(landing)
            )
            return True
        html = response.get_data(as_text=True)
        if response.status_code not in (200, 400) or not _is_error_page(html):
            return False
        refused = _error_ids(html)
        blamed = {
            i
            for i in choice
            if texts[i].id in refused
            or texts[i].name in refused
            or any(r.startswith(f"{texts[i].name}-") for r in refused)
        } or {max(choice)}
        for i in blamed:
            choice[i] += 1
            if choice[i] == len(payloads_for(texts[i])):
                del choice[i]
    return False


def store_without_forms(app, world: TwoOrganisations, payload: str) -> None:
    """Where no form writes the text yet: the organisation's name, people's names, job titles."""
    from cluster.auth.models import User
    from cluster.tenancy.models import Membership, Organisation

    with app.app_context():
        db.session.execute(
            sa.update(Organisation).where(Organisation.slug == world.a.slug).values(name=payload)
        )
        db.session.execute(sa.update(User).where(User.id.in_(world.user_ids.values())).values(name=payload))
        org_id = sa.select(Organisation.id).where(Organisation.slug == world.a.slug).scalar_subquery()
        db.session.execute(
            sa.update(Membership)
            .where(Membership.organisation_id == org_id, Membership.school_id.is_(None))
            .values(job_title=payload)
        )
        db.session.commit()


def test_user_text_is_escaped_on_every_page(app, world):
    world.reset()
    problems: list[str] = []
    order = sorted(POST_ENDPOINTS, key=lambda e: (any(word in e for word in _DESTRUCTIVE), e))
    stored = {endpoint for endpoint in order if store_payload(app, world, endpoint, problems)}
    missing = {place: e for place, e in STORED_BY.items() if e in ROUTES and e not in stored}
    assert not missing, f"the payloads could not be stored through {missing}"
    store_without_forms(app, world, EVERY_CONTEXT)
    for page in get_pages(app, world, allowed_only=True):
        response = client_as(app, world, page.who).get(page.url)
        assert response.status_code != 500, f"{page} gave 500 with the payloads stored"
        problems.extend(f"{page}: {p}" for p in html_problems(response))
    world.dirty = True
    assert not problems, "stored payloads came out unescaped:\n" + "\n".join(problems)


def test_the_audit_catches_unescaped_markup():
    """The checks above would notice an unescaped payload."""
    page = SimpleNamespace(
        mimetype="text/html",
        headers={"Content-Security-Policy": "script-src 'self' 'nonce-abc'"},
        get_data=lambda as_text: (
            '<p><img src=x onerror=alert(1)></p><a href=" javascript:alert(1)">x</a>'
            '<script nonce="abc">ok()</script><script>alert(1)</script>'
        ),
    )
    problems = html_problems(page)
    assert any("onerror" in p for p in problems) and any("script URL" in p for p in problems)
    assert any("not the app's own" in p for p in problems) and any("raw markup" in p for p in problems)
