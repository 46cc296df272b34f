"""Every page, as every role sees it, in a real Chromium: no axe-core violations of WCAG 2.2 AA,
no JavaScript or console errors (a Content-Security-Policy violation among them), and valid HTML
by the Nu HTML Checker.

The pages come from ``app.url_map`` and the access table (tests/access_registry.py), so a new
page is checked as soon as it is registered there: each role visits every GET page the access
matrix lets it use, on a dataset built by ``build_side``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import url_for

from cluster.extensions import db
from cluster.tenancy.models import Organisation
from tests.access_registry import ROUTES, Route, Side, build_side
from tests.conftest import _empty_tables
from tests.e2e.conftest import ROOT, _unavailable, new_context, sign_in
from tests.factories import Factory

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # the browser fixture skips (or fails) and says why
    PlaywrightError = Exception

pytestmark = pytest.mark.e2e

WHO = ("anonymous", "member", "observer", "organiser", "admin", "platform admin")
#: Endpoints that answer with something other than an HTML page.
NOT_HTML = frozenset({"static", "main.healthz"})

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
#: (axe rule id, target selector) -> why it is a documented false positive. Keep this empty
#: unless a rule is demonstrably wrong about markup we cannot change.
AXE_FALSE_POSITIVES: dict[tuple[str, str], str] = {}
AXE_RUN_JS = """
async (options) => {
  const results = await axe.run(document, options);
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.map((n) => n.target.map((t) => [].concat(t).join(" ")).join(" >> ")),
  }));
}
"""

VNU_JAR = ROOT / "frontend" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def reaches(route: Route, who: str) -> bool:
    """Whether the access matrix lets ``who`` use ``route`` (in their own organisation)."""
    if who == "anonymous":
        return route.public
    if route.public:
        return False  # the same page as for anonymous visitors, or a redirect away from it
    if who == "platform admin":  # belongs to no organisation
        return route.platform or not route.in_organisation
    return not route.platform and (not route.in_organisation or who in route.allowed)


@dataclass
class Visit:
    who: str
    name: str
    url: str
    expected_status: int = 200
    #: Submit the page's form empty with this button, to check the page showing the errors.
    submit: str = ""


@dataclass
class Result:
    visit: Visit
    status: int | None = None
    final_url: str = ""
    html: str = ""
    violations: list[dict] = field(default_factory=list)
    errors: list[str] = field(
        default_factory=list
    )  # what the browser reported: JavaScript errors, failed loads
    #: Why the page was not checked: already checked for this role (a redirect to it), or not HTML.
    skipped: str = ""


def _visits(app, who: str, side: Side) -> list[Visit]:
    visits = []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
            route = ROUTES.get(rule.endpoint)
            # A route missing from ROUTES fails tests/test_access_matrix.py, which says what to add.
            if (
                route is None
                or rule.endpoint in NOT_HTML
                or "GET" not in rule.methods
                or not reaches(route, who)
            ):
                continue
            values = dict(route.args(side))
            if "org_slug" in rule.arguments:
                values["org_slug"] = side.slug
            url = url_for(rule.endpoint, **values)
            query = route.query(side)
            visits.append(Visit(who, rule.endpoint, f"{url}?{query}" if query else url))
        # The error pages, and a form showing its errors (submitting them empty changes nothing).
        if who == "anonymous":
            visits.append(Visit(who, "404 page", "/no-such-page", 404))
            visits.append(Visit(who, "auth.sign_in with errors", url_for("auth.sign_in"), submit="Sign in"))
        if who == "admin":
            invite = url_for("org.people.invite", org_slug=side.slug)
            visits.append(Visit(who, "org.people.invite with errors", invite, submit="Send invitation"))
        if who == "member":
            visits.append(Visit(who, "403 page", url_for("org.people.index", org_slug=side.slug), 403))
            visits.append(Visit(who, "404 page (organisation)", f"/o/{side.slug}/no-such-page", 404))
    return visits


class Crawler:
    """Visits each role's pages once, in one signed-in browser context per role."""

    def __init__(
        self, browser, base_url: str, emails: dict[str, str], visits: dict[str, list[Visit]], html_dir: Path
    ):
        self.browser, self.base_url, self.emails, self.visits = browser, base_url, emails, visits
        self.html_dir = html_dir
        self.results: dict[str, list[Result]] = {}

    def crawl(self, who: str) -> list[Result]:
        if who not in self.results:
            self.results[who] = self._crawl(who)
        return self.results[who]

    def _crawl(self, who: str) -> list[Result]:
        # axe is given to every document the context opens, as the browser's own script (sent once,
        # and outside the page's Content-Security-Policy, which stays enforced: a violation is a
        # console error, reported like any other).
        context = new_context(self.browser, self.base_url)
        context.add_init_script(path=str(AXE))
        page = context.new_page()
        errors: list[tuple[str, str]] = []  # (message, the URL it is about)
        page.on("pageerror", lambda error: errors.append((f"JavaScript error: {error}", "")))
        page.on(
            "console",
            lambda m: m.type == "error" and errors.append((f"console: {m.text}", m.location["url"])),
        )
        try:
            if who != "anonymous":
                sign_in(page, self.emails[who])
            results, seen = [], set()
            for visit in self.visits[who]:
                errors.clear()
                try:
                    response = page.goto(visit.url)
                except PlaywrightError as error:
                    if "Download is starting" not in error.message:
                        raise
                    results.append(Result(visit, skipped="a download, not a page"))
                    continue
                if visit.submit:
                    with page.expect_navigation() as navigation:
                        page.get_by_role("button", name=visit.submit, exact=True).click()
                    response = navigation.value
                result = Result(visit, status=response.status if response else None, final_url=page.url)
                content_type = response.headers.get("content-type", "") if response else ""
                if (page.url, visit.submit) in seen:
                    result.skipped = "already checked"
                elif not content_type.startswith("text/html"):
                    result.skipped = f"not HTML ({content_type})"
                else:
                    seen.add((page.url, visit.submit))
                    result.html = response.text() if response else page.content()
                    result.violations = page.evaluate(AXE_RUN_JS, AXE_OPTIONS)
                    # An error page's own status is logged as a failed load: that one is expected.
                    result.errors = [
                        message
                        for message, about in errors
                        if not (visit.expected_status >= 400 and about == page.url)
                    ]
                    if visit.submit and not page.locator(".govuk-error-summary").count():
                        result.errors.append(
                            f"submitting the form empty with {visit.submit!r} showed no errors"
                        )
                results.append(result)
            return results
        finally:
            context.close()

    def html_files(self) -> dict[Path, Result]:
        files = {}
        for who in WHO:
            for n, result in enumerate(self.crawl(who)):
                if result.skipped:
                    continue
                name = re.sub(r"[^a-z0-9.]+", "-", f"{who} {n:02d} {result.visit.name}".lower())
                path = self.html_dir / f"{name}.html"
                path.write_text(result.html, encoding="utf-8")
                files[path] = result
        return files


@pytest.fixture(scope="module")
def site(app, browser, live_server, tmp_path_factory):
    with app.app_context():
        make = Factory()
        alpha = build_side(make, "alpha")
        build_side(make, "beta")
        # Alpha's admin also belongs to Beta, so their pages carry the organisation switcher.
        beta = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "beta"))
        make.join(alpha.users["admin"], beta)
        platform_admin = make.user(
            email="platform@cluster.example", name="Platform Admin", platform_admin=True
        )
        emails = {who: user.email for who, user in alpha.users.items()}
        emails["platform admin"] = platform_admin.email
        visits = {who: _visits(app, who, alpha) for who in WHO}
    try:
        yield Crawler(browser, live_server, emails, visits, tmp_path_factory.mktemp("html"))
    finally:
        with app.app_context():
            _empty_tables()


def _describe(result: Result) -> str:
    url = result.visit.url
    where = url if not result.final_url or result.final_url.endswith(url) else f"{url} (→ {result.final_url})"
    return f"{result.visit.name} {where} as {result.visit.who}"


@pytest.mark.parametrize("who", WHO)
def test_every_page_passes_axe(site, who):
    results = site.crawl(who)
    assert results, f"no pages to check as {who}"
    problems = []
    for result in results:
        if result.skipped.startswith("a download"):
            continue
        if result.status != result.visit.expected_status:
            expected = result.visit.expected_status
            problems.append(f"{_describe(result)}: answered {result.status}, expected {expected}")
        for error in result.errors:
            problems.append(f"{_describe(result)}: {error}")
        for violation in result.violations:
            targets = [t for t in violation["targets"] if (violation["id"], t) not in AXE_FALSE_POSITIVES]
            if targets:
                problems.append(
                    f"{_describe(result)}: [{violation['impact']}] {violation['id']}: {violation['help']} "
                    f"({violation['helpUrl']})\n      at " + "\n      at ".join(targets)
                )
    assert not problems, f"{len(problems)} problem(s) as {who}:\n  " + "\n  ".join(problems)


@pytest.fixture(scope="module")
def vnu() -> list[str]:
    """The command that runs the Nu HTML Checker, from frontend/node_modules (npm's vnu-jar)."""
    if not VNU_JAR.exists():
        _unavailable(f"the Nu HTML Checker is missing ({VNU_JAR}): run `cd frontend && npm install`")
    java = shutil.which("java")
    if java is None:
        _unavailable("no java on PATH: the Nu HTML Checker (vnu.jar) needs a Java runtime")
    return [java, "-jar", str(VNU_JAR)]


def test_every_page_is_valid_html(vnu, site):
    files = site.html_files()
    assert files, "no pages collected"
    per_role = {who: sum(1 for r in files.values() if r.visit.who == who) for who in WHO}
    print(f"checking {len(files)} pages with the Nu HTML Checker: {per_role}")
    # One run over every page: the JVM takes seconds to start.
    run = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = run.stderr.strip() or run.stdout.strip()
    try:
        messages = json.loads(output)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the Nu HTML Checker failed (exit {run.returncode}): {output[:2000]}")
    by_name = {path.name: result for path, result in files.items()}
    problems = []
    for message in messages:
        name = message.get("url", "").rsplit("/", 1)[-1]
        result = by_name.get(name)
        where = f"{_describe(result)} [{name}]" if result else name or "(no file)"
        line = f" line {message['lastLine']}" if "lastLine" in message else ""
        extract = f"\n      {message['extract'].strip()!r}" if message.get("extract") else ""
        problems.append(f"{where}{line}: {message.get('type')}: {message.get('message')}{extract}")
    assert not problems, f"{len(problems)} HTML error(s) in {len(files)} pages:\n  " + "\n  ".join(problems)
