"""Every response carries the security headers; in production mode HSTS too.

The headers come from one ``after_request`` hook (cluster/web/security.py), which fills in what a
view has not set itself, so what can differ from one response to another is what a view or a
template does:

- every GET page of the access matrix, once, as the person it is meant for (tests/pages.py), so a
  new page is held to this as soon as it is registered: its headers (file downloads set their
  own policy) and its HTML (an inline script must carry this response's nonce);
- every template, read as text: no inline script without the nonce, whatever branch a role takes;
- each other kind of response, in development and in production mode: refusals (403, 404, the
  redirect to sign in), error pages (an unknown address, a refused form, a server error), a
  redirect, JSON, a static file, a calendar feed, a CSV, a file download.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cluster import create_app
from cluster.extensions import db
from tests.access_registry import ROUTES
from tests.pages import (
    ANONYMOUS,
    PLATFORM,
    TwoOrganisations,
    client_as,
    endpoints,
    find_rule,
    route_url,
    visitor,
)

ONE_YEAR = 365 * 24 * 3600
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PAGES = endpoints("GET")


@pytest.fixture(scope="module")
def world(app):
    world = TwoOrganisations(app)
    yield world
    world.destroy()


@pytest.fixture(scope="module")
def production_app(app):
    """A second app on the same database, in production mode (secure cookies, HSTS, CSRF)."""
    production = create_app(
        {
            "DATABASE_URL": app.config["DATABASE_URL"],
            "SECRET_KEY": "a-real-production-secret-for-tests",
            "CLUSTER_PRODUCTION": True,
            "CLUSTER_BASE_URL": "https://cluster.test",
            "MAIL_BACKEND": "file",
            "CLUSTER_OUTBOX": app.config["CLUSTER_OUTBOX"],
            "CLUSTER_UPLOADS": app.config["CLUSTER_UPLOADS"],
        }
    )
    yield production
    with production.app_context():
        db.engine.dispose()  # let the other tests empty (or TRUNCATE) the tables


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and not dict(attrs).get("src"):
            self.inline.append(dict(attrs))


def header_problems(response) -> list[str]:
    problems = []
    csp = response.headers.get("Content-Security-Policy")
    if not csp:
        return ["no Content-Security-Policy"]
    directives = csp_directives(csp)
    script_src = directives.get("script-src", directives.get("default-src"))
    if script_src is None:
        problems.append(f"CSP has neither script-src nor default-src: {csp}")
    elif "'unsafe-inline'" in script_src or "'unsafe-eval'" in script_src:
        problems.append(f"CSP script-src allows inline or eval: {' '.join(script_src)}")
    if directives.get("frame-ancestors") != ["'none'"]:
        problems.append(f"CSP frame-ancestors is {directives.get('frame-ancestors')}, not 'none'")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"X-Content-Type-Options is {response.headers.get('X-Content-Type-Options')!r}")
    if response.headers.get("Referrer-Policy") != "same-origin":
        problems.append(f"Referrer-Policy is {response.headers.get('Referrer-Policy')!r}")
    if response.mimetype == "text/html" and script_src:
        # An inline script the policy does not allow would be dead code: each needs this response's nonce.
        nonces = {word[len("'nonce-") : -1] for word in script_src if word.startswith("'nonce-")}
        scripts = _Scripts()
        scripts.feed(response.get_data(as_text=True))
        for attrs in scripts.inline:
            if attrs.get("nonce") not in nonces:
                problems.append(f"inline <script> without the response's CSP nonce: {attrs}")
    return problems


def hsts_problems(response) -> list[str]:
    hsts = response.headers.get("Strict-Transport-Security", "")
    max_age = next(
        (int(p.split("=", 1)[1]) for p in hsts.replace(" ", "").split(";") if p.startswith("max-age=")), 0
    )
    if max_age < ONE_YEAR:
        return [f"Strict-Transport-Security is {hsts!r}: want max-age of at least a year"]
    return []


@pytest.mark.parametrize("endpoint", PAGES, ids=[f"GET {e} as {visitor(ROUTES[e])}" for e in PAGES])
def test_every_page_sends_the_security_headers(app, world, endpoint):
    who = visitor(ROUTES[endpoint])
    url = world.url(endpoint)
    response = client_as(app, world, who).get(url)
    assert response.status_code != 500, f"GET {url} ({endpoint}) as {who} gave 500"
    problems = header_problems(response)
    assert not problems, f"GET {url} ({endpoint}) as {who} ({response.status_code}):\n" + "\n".join(problems)
    assert "Strict-Transport-Security" not in response.headers  # only in production, over HTTPS


_SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


def test_no_template_has_an_inline_script_without_the_nonce():
    """Every branch of every template, including those only some roles reach: a <script> loads a
    file, or carries the response's nonce."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for tag in _SCRIPT_TAG.findall(path.read_text(encoding="utf-8")):
            if "src=" not in tag and "nonce=" not in tag:
                found.append(f"{path.relative_to(TEMPLATES)}: {tag}")
    assert not found, "inline <script> without the CSP nonce:\n" + "\n".join(found)


@dataclass(frozen=True)
class Kind:
    """One kind of response: ``endpoint`` of organisation A asked for by ``who`` (the URL of
    another organisation's objects if ``foreign``), or simply ``path``."""

    who: str
    endpoint: str = ""
    method: str = "GET"
    foreign: bool = False
    path: str = ""
    status: int = 200


KINDS = {
    "page": Kind("member", "org.home.index"),
    "page outside organisations": Kind(PLATFORM, "platform.organisations"),
    "print layout": Kind("member", "org.agenda.print_view"),
    "refusal (403)": Kind("member", "org.people.index", status=403),
    "another organisation's object (404)": Kind("admin", "org.schools.show", foreign=True, status=404),
    "redirect to sign in": Kind(ANONYMOUS, "org.home.index", status=302),
    "redirect": Kind("member", "main.index", status=302),
    "unknown address (404)": Kind(ANONYMOUS, path="/no-such-page", status=404),
    "method not allowed (405)": Kind(ANONYMOUS, path="/sign-out", status=405),
    "JSON": Kind(ANONYMOUS, "main.healthz"),
    "static file": Kind(ANONYMOUS, "static"),
    "calendar feed": Kind(ANONYMOUS, "feeds.feed"),
    "CSV": Kind("organiser", "org.meetings.report_csv"),
    "file download": Kind("member", "org.resources.download"),
    "moderation file download": Kind("member", "org.moderation.download"),
}


def _answer(app, world: TwoOrganisations, kind: Kind, https: bool = False):
    client = client_as(app, world, kind.who)
    if https:
        client.environ_base["wsgi.url_scheme"] = "https"
    if kind.path:
        url = kind.path
    elif kind.foreign:
        rule = find_rule(app, kind.endpoint, kind.method)
        url = route_url(app, rule, ROUTES[kind.endpoint], world.b, world.a.slug)
    else:
        url = world.url(kind.endpoint, kind.method, app=app)
    return url, client.open(url, method=kind.method)


@pytest.mark.parametrize("name", KINDS)
def test_every_kind_of_response_sends_the_security_headers(app, world, name):
    kind = KINDS[name]
    url, response = _answer(app, world, kind)
    assert response.status_code == kind.status, f"{name}: {kind.method} {url} gave {response.status_code}"
    problems = header_problems(response)
    assert not problems, f"{name}: {kind.method} {url} ({response.status_code}):\n" + "\n".join(problems)
    assert "Strict-Transport-Security" not in response.headers


#: With a response that only production mode gives (tests turn CSRF protection off): a form
#: sent without its CSRF token.
PRODUCTION_KINDS = {
    **KINDS,
    "form without a CSRF token (400)": Kind("member", "digests.preferences", "POST", status=400),
}


@pytest.mark.parametrize("name", PRODUCTION_KINDS)
def test_production_responses_also_send_hsts(production_app, world, name):
    kind = PRODUCTION_KINDS[name]
    url, response = _answer(production_app, world, kind, https=True)
    assert response.status_code == kind.status, f"{name}: {kind.method} {url} gave {response.status_code}"
    problems = header_problems(response) + hsts_problems(response)
    assert not problems, (
        f"{name}: {kind.method} {url} ({response.status_code}) in production mode:\n" + "\n".join(problems)
    )


def _broken_view():
    raise RuntimeError("a bug in a view")


@pytest.mark.parametrize("production", [False, True], ids=["development", "production"])
def test_the_server_error_page_sends_the_security_headers(app, production_app, monkeypatch, production):
    mode = production_app if production else app
    monkeypatch.setitem(mode.view_functions, "main.healthz", _broken_view)
    client = mode.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    response = client.get("/healthz")
    assert response.status_code == 500 and "Sorry, there is a problem" in response.get_data(as_text=True)
    problems = header_problems(response) + (hsts_problems(response) if production else [])
    assert not problems, "\n".join(problems)
