"""Key journeys by keyboard alone (Tab, Shift+Tab, Enter, Space and typing; never the mouse), in
a real Chromium with the app's Content-Security-Policy enforced.

Every element the focus lands on along the way must show GOV.UK Frontend's focus indicator, and
no page may log a JavaScript or CSP error. Signing in and inviting someone also run with
JavaScript turned off, as the app must work without it.
"""

from __future__ import annotations

import csv
import re
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from cluster.extensions import db
from cluster.schools.models import School
from tests.e2e.conftest import assert_focus_visible, new_context, press_and_wait, sign_in_by_keyboard, tab_to
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

GIAS_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "gias-sample.csv"
JAVASCRIPT = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])


class Browsing:
    """A fresh browser context (its own cookies) and page, recording what the console reports."""

    def __init__(self, browser, base_url: str, javascript: bool):
        self.context = new_context(browser, base_url, java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on(
            "console", lambda m: m.type == "error" and self.errors.append(f"{self.page.url}: {m.text}")
        )
        self.page.on("pageerror", lambda error: self.errors.append(f"{self.page.url}: {error}"))

    def assert_no_errors(self) -> None:
        assert not self.errors, "the browser reported errors:\n" + "\n".join(self.errors)


@pytest.fixture()
def browse(browser, live_server):
    opened: list[Browsing] = []

    def _open(javascript: bool = True):
        opened.append(Browsing(browser, live_server, javascript))
        return opened[-1].page, opened[-1]

    yield _open
    for browsing in opened:
        browsing.context.close()


def _main_nav(page, name: str):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


@JAVASCRIPT
def test_sign_in_by_keyboard_with_visible_focus(make, browse, javascript):
    org = make.organisation(slug="north", name="North Council")
    school = make.school(org, name="North Primary")
    user = make.user(org, email="senco@north.example", name="Sam Senco", school=school)
    page, browsing = browse(javascript)
    page.goto("/sign-in")

    # The first Tab reaches the skip link, which shows itself; Enter skips to the form.
    tab_to(page, page.get_by_role("link", name="Skip to main content"), limit=1)
    page.keyboard.press("Enter")
    email = page.get_by_label("Email address")
    tab_to(page, email, limit=1)
    page.keyboard.type(user.email)
    password = page.get_by_label("Password", exact=True)
    tab_to(page, password, limit=1)
    page.keyboard.type(PASSWORD)
    if javascript:
        # GOV.UK Frontend's password input adds a Show button; Space shows the password.
        show = page.get_by_role("button", name="Show password")
        tab_to(page, show, limit=1)
        page.keyboard.press("Space")
        assert password.get_attribute("type") == "text"
        assert_focus_visible(page)
        # Back to the password with Shift+Tab, then forward to the button.
        tab_to(page, password, backwards=True, limit=1)
    tab_to(page, page.get_by_role("button", name="Sign in", exact=True))
    press_and_wait(page, "Enter", "/o/north/")

    assert "Signed in as Sam Senco" in page.locator(".cluster-where").inner_text()
    browsing.assert_no_errors()


@JAVASCRIPT
def test_switch_organisation_by_keyboard(make, browse, javascript):
    alpha = make.organisation(slug="alpha", name="Alpha Council")
    beta = make.organisation(slug="beta", name="Beta Council")
    user = make.user(alpha, email="officer@both.example", job_title="EP service")
    make.join(user, beta, job_title="EP service")
    page, browsing = browse(javascript)
    sign_in_by_keyboard(page, user.email)
    assert "/o/alpha/" in page.url

    switcher = page.get_by_label("Organisation", exact=True)
    tab_to(page, switcher)
    page.keyboard.type("Beta")  # a closed select picks the option whose text starts with what is typed
    assert switcher.input_value() == "beta"
    tab_to(page, page.get_by_role("button", name="Switch"), limit=1)
    press_and_wait(page, "Space", "/o/beta/")

    assert "You are in Beta Council" in page.locator(".cluster-where").inner_text()
    assert page.get_by_label("Organisation", exact=True).input_value() == "beta"
    browsing.assert_no_errors()


@JAVASCRIPT
def test_org_admin_invites_someone_by_keyboard(make, browse, mailbox, javascript):
    org = make.organisation(slug="alpha", name="Alpha Council")
    make.school(org, name="Alpha Primary")
    admin = make.user(org, email="admin@alpha.example", is_admin=True)
    page, browsing = browse(javascript)
    sign_in_by_keyboard(page, admin.email)

    tab_to(page, _main_nav(page, "People"))
    press_and_wait(page, "Enter", "/o/alpha/people")
    tab_to(page, page.get_by_role("link", name="Invite someone"))
    press_and_wait(page, "Enter", "/o/alpha/people/invite")
    tab_to(page, page.get_by_label("Email address"))
    page.keyboard.type("new.senco@alpha.example")
    submit = page.get_by_role("button", name="Send invitation")
    tab_to(page, submit)
    # Back up with Shift+Tab to choose their school, then on to the button again.
    school = page.get_by_label("School", exact=True)
    tab_to(page, school, backwards=True)
    page.keyboard.type("Alpha Primary")
    assert school.locator("option:checked").inner_text().startswith("Alpha Primary")
    tab_to(page, submit)
    press_and_wait(page, "Enter", "/o/alpha/people")

    assert (
        "Invitation sent to new.senco@alpha.example"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    assert (
        "new.senco@alpha.example"
        in page.get_by_role("table", name="Invitations not yet accepted").inner_text()
    )
    message = _wait_for_mail(mailbox, "new.senco@alpha.example")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert re.search(r"/invitations/\S+", body), body
    browsing.assert_no_errors()


def test_org_admin_imports_schools_from_gias_by_keyboard(app, make, browse, tmp_path):
    org = make.organisation(slug="alpha", name="Alpha Council")
    admin = make.user(org, email="admin@alpha.example", is_admin=True)
    upload = GIAS_SAMPLE if GIAS_SAMPLE.exists() else _small_gias_file(tmp_path)
    page, browsing = browse()
    sign_in_by_keyboard(page, admin.email)

    tab_to(page, _main_nav(page, "Schools"))
    press_and_wait(page, "Enter", "/o/alpha/schools")
    tab_to(page, page.get_by_role("link", name="Import from GIAS"))
    press_and_wait(page, "Enter", "/o/alpha/schools/import")
    tab_to(page, page.get_by_label("GIAS extract (edubasealldata CSV)"))
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")  # opens the file chooser, as Enter or Space would for a person
    chooser.value.set_files(str(upload))
    tab_to(page, page.get_by_role("button", name="Import schools"))
    press_and_wait(page, "Enter", "/o/alpha/schools/import")

    assert page.get_by_role("heading", name="Import finished").is_visible()
    added = int(page.locator(".govuk-summary-list__row", has_text="Added").locator("dd").first.inner_text())
    with app.app_context():
        names = db.session.scalars(sa.select(School.name).where(School.organisation_id == org.id)).all()
    assert added == len(names) > 0
    tab_to(page, page.get_by_role("link", name="See the schools"))
    press_and_wait(page, "Enter", "/o/alpha/schools")
    listed = page.locator("main").inner_text()
    assert all(name in listed for name in names), (names, listed)
    browsing.assert_no_errors()


def _wait_for_mail(mailbox, to: str, timeout: float = 5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in list(mailbox):
            if to in str(message["To"]):
                return message
        time.sleep(0.05)
    raise AssertionError(f"no email to {to} arrived; got {[str(m['To']) for m in mailbox]}")


def _small_gias_file(tmp_path: Path) -> Path:
    """A cp1252 GIAS extract of three schools, for when tests/data/gias-sample.csv is absent."""
    from cluster.schools.gias import COLUMNS

    shared = Path("/work/shared/data/gias-sample.csv")
    if shared.exists():
        with shared.open(encoding="cp1252", newline="") as f:
            header = next(csv.reader(f))
    else:
        header = list(COLUMNS.values())
    rows = [
        {
            "URN": "100001",
            "EstablishmentName": "St Mary’s Primary School",
            "PhaseOfEducation (name)": "Primary",
        },
        {"URN": "100002", "EstablishmentName": "Hillside Academy", "PhaseOfEducation (name)": "Secondary"},
        {"URN": "100003", "EstablishmentName": "Brook Infant School", "PhaseOfEducation (name)": "Primary"},
    ]
    path = tmp_path / "gias.csv"
    with path.open("w", encoding="cp1252", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, restval="", quoting=csv.QUOTE_ALL)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    "LA (code)": "938",
                    "LA (name)": "West Sussex",
                    "TypeOfEstablishment (name)": "Community school",
                    "EstablishmentStatus (name)": "Open",
                    "Postcode": "RH1 1AA",
                    "Town": "Crawley",
                    **row,
                }
            )
    return path
