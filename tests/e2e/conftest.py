"""Browser tests: the real app served from a thread on 127.0.0.1, driven by Debian's Chromium.

Nothing here downloads a browser: Playwright drives the Chromium at ``CLUSTER_CHROMIUM``
(default ``/usr/bin/chromium``). Without it (or without the ``playwright`` package) every test
here skips and says why, unless ``CLUSTER_REQUIRE_BROWSER=1`` (CI), in which case it fails.

One browser per session; the server answers from the same app (and so the same test
database and SMTP server) as the ``app`` fixture.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CLUSTER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Playwright waits this long (ms) for anything before failing: the app answers in milliseconds.
TIMEOUT_MS = 10_000

#: GOV.UK Frontend's focus colour ($govuk-focus-colour, #fd0) as computed styles report it.
FOCUS_COLOUR = "rgb(255, 221, 0)"

#: Describes the focused element and whether it shows GOV.UK Frontend's focus indicator: the
#: yellow outline, box-shadow or background (for checkboxes and radios, on the label's ::before,
#: since the input itself is invisible). A box-shadow alone proves nothing (buttons always have one).
FOCUS_STATE_JS = """
([target]) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return {visible: false, what: "nothing (the page itself)", isTarget: false};
  }
  const focus = "FOCUS_COLOUR";
  const styles = [getComputedStyle(el)];
  if (el.matches(".govuk-checkboxes__input, .govuk-radios__input") && el.labels && el.labels[0]) {
    styles.push(getComputedStyle(el.labels[0], "::before"), getComputedStyle(el.labels[0], "::after"));
  }
  const shown = styles.some((s) =>
    (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 && s.outlineColor === focus)
    || s.boxShadow.includes(focus) || s.backgroundColor === focus);
  const box = el.getBoundingClientRect();
  const label = (el.getAttribute("aria-label") || el.innerText || el.value || el.name || "").trim().slice(0, 40);
  const id = el.id ? " id=" + el.id : "", classes = el.className ? " class=" + el.className : "";
  const what = `<${el.tagName.toLowerCase()}${id}${classes}> "${label}"`;
  return {visible: shown && box.width > 0 && box.height > 0, what, isTarget: target ? el === target : false};
}
""".replace("FOCUS_COLOUR", FOCUS_COLOUR)


def _unavailable(reason: str):
    if os.environ.get("CLUSTER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (CLUSTER_REQUIRE_BROWSER=1, so the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(
            f"no Chromium at {CHROMIUM}: install Debian's chromium package (or set CLUSTER_CHROMIUM)"
        )
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _unavailable("the playwright package is missing: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Error as error:
            _unavailable(f"Chromium at {CHROMIUM} did not start: {error.message.splitlines()[0]}")
        yield chromium
        chromium.close()


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):  # a line per request would bury the failures
        pass


@pytest.fixture(scope="session")
def live_server(app):
    """The app on a free port of 127.0.0.1, served from a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _csrf_protection_on(app):
    """The browser fills real forms, so the server checks CSRF tokens as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def new_context(browser, base_url: str, **options):
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    """Sign in by filling the real sign-in form (with the mouse; see ``sign_in_by_keyboard``)."""
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert "/sign-in" not in page.url, (
        f"signing in as {email} failed: {page.locator('main').inner_text()[:300]}"
    )


def focus_state(page, target=None) -> dict:
    handle = target.element_handle() if target is not None else None
    return page.evaluate(FOCUS_STATE_JS, [handle])


def assert_focus_visible(page) -> None:
    state = focus_state(page)
    assert state["visible"], f"no visible focus indicator on {state['what']} at {page.url}"


def tab_to(page, target, *, backwards: bool = False, check_focus: bool = True, limit: int = 60) -> None:
    """Press Tab (or Shift+Tab) until ``target`` (a locator) has the focus.

    With ``check_focus``, every element the focus lands on on the way must show a visible focus
    indicator, as a keyboard user would need to see where they are.
    """
    key = "Shift+Tab" if backwards else "Tab"
    handle = target.element_handle()
    trail = []
    for _ in range(limit):
        page.keyboard.press(key)
        state = page.evaluate(FOCUS_STATE_JS, [handle])
        trail.append(state["what"])
        if check_focus:
            assert state["visible"], f"no visible focus indicator on {state['what']} at {page.url}"
        if state["isTarget"]:
            return
    raise AssertionError(f"{key} never reached {target} at {page.url}; focus went: " + " → ".join(trail))


def press_and_wait(page, key: str, url_part: str) -> None:
    """Press ``key`` (Enter or Space on a link or button) and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)
    assert url_part in page.url, (
        f"expected to reach …{url_part}, got {page.url}: {page.locator('main').inner_text()[:300]}"
    )


def sign_in_by_keyboard(page, email: str, password: str = PASSWORD, *, check_focus: bool = True) -> None:
    """Sign in with the keyboard alone: Tab to each field, type, Enter on the button."""
    page.goto("/sign-in")
    tab_to(page, page.get_by_label("Email address"), check_focus=check_focus)
    page.keyboard.type(email)
    tab_to(page, page.get_by_label("Password", exact=True), check_focus=check_focus)
    page.keyboard.type(password)
    tab_to(page, page.get_by_role("button", name="Sign in"), check_focus=check_focus)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/sign-in" not in page.url, (
        f"signing in as {email} failed: {page.locator('main').inner_text()[:300]}"
    )
