"""Every GET page of the access matrix, as everyone who may ask for it, carries the security
headers; in production mode HSTS too.

The pages come from ``app.url_map`` and ``tests/access_registry.ROUTES`` (tests/pages.py), so a
new page is held to this as soon as it is registered. Refusals (403), redirects to sign in and
404s are responses too and are checked the same way.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from cluster import create_app
from cluster.extensions import db
from tests.pages import TwoOrganisations, client_as, get_page, page_cases

CASES = page_cases()
IDS = [f"GET {endpoint} as {who}" for endpoint, who in CASES]
ONE_YEAR = 365 * 24 * 3600


@pytest.fixture(scope="module")
def world(app):
    world = TwoOrganisations(app)
    yield world
    world.destroy()


@pytest.fixture(scope="module")
def production_app(app):
    """A second app on the same database, in production mode (secure cookies, HSTS)."""
    production = create_app(
        {
            "DATABASE_URL": app.config["DATABASE_URL"],
            "SECRET_KEY": "a-real-production-secret-for-tests",
            "CLUSTER_PRODUCTION": True,
            "CLUSTER_BASE_URL": "https://cluster.test",
            "MAIL_BACKEND": "file",
            "CLUSTER_OUTBOX": app.config["CLUSTER_OUTBOX"],
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


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_page_sends_the_security_headers(app, world, case):
    page = get_page(app, world, *case)
    response = client_as(app, world, page.who).get(page.url)
    assert response.status_code != 500, f"{page} gave 500"
    problems = header_problems(response)
    assert not problems, f"{page} ({response.status_code}):\n" + "\n".join(problems)
    assert "Strict-Transport-Security" not in response.headers  # only in production, over HTTPS


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_production_pages_also_send_hsts(production_app, world, case):
    page = get_page(production_app, world, *case)
    client = client_as(production_app, world, page.who)
    client.environ_base["wsgi.url_scheme"] = "https"
    response = client.get(page.url)
    assert response.status_code != 500, f"{page} gave 500 in production mode"
    problems = header_problems(response)
    hsts = response.headers.get("Strict-Transport-Security", "")
    max_age = next(
        (int(p.split("=", 1)[1]) for p in hsts.replace(" ", "").split(";") if p.startswith("max-age=")), 0
    )
    if max_age < ONE_YEAR:
        problems.append(f"Strict-Transport-Security is {hsts!r}: want max-age of at least a year")
    assert not problems, f"{page} ({response.status_code}) in production mode:\n" + "\n".join(problems)
