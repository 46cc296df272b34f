"""A member shares a PDF and finds it again with the keyboard alone, in a real Chromium (skips,
saying why, where there is no browser: see tests/e2e/conftest.py)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import new_context, press_and_wait, sign_in_by_keyboard, tab_to
from tests.resources.documents import pdf_with_text

pytestmark = pytest.mark.e2e


def test_member_uploads_and_finds_a_file_by_keyboard(app, make, browser, live_server, tmp_path):
    org = make.organisation(slug="north", name="North Council")
    school = make.school(org, name="Fernhill Primary")
    member = make.user(org, email="senco@north.example", school=school)
    make.network(org, name="North SENCOs", schools=[school])
    pdf = tmp_path / "circuits.pdf"
    pdf.write_bytes(pdf_with_text("Proprioceptive activities before lessons"))

    context = new_context(browser, live_server)
    page = context.new_page()
    try:
        sign_in_by_keyboard(page, member.email)
        page.goto("/o/north/resources")
        tab_to(page, page.get_by_role("link", name="Share a resource"))
        press_and_wait(page, "Enter", "/resources/new")
        page.get_by_label("File", exact=True).set_input_files(str(pdf))  # stands in for the OS file dialog
        page.evaluate("document.activeElement && document.activeElement.blur()")
        tab_to(page, page.get_by_label("Network sharing it"))
        page.keyboard.press("ArrowDown")
        tab_to(page, page.get_by_label("Title", exact=True))
        page.keyboard.type("Sensory circuits")
        tab_to(page, page.get_by_label("File", exact=True))  # reachable; the OS file dialog cannot be driven
        tab_to(page, page.get_by_label("Communication and interaction"))  # a radio group is one Tab stop
        for _ in range(3):
            page.keyboard.press("ArrowDown")
        assert page.get_by_label("Sensory and/or physical needs").is_checked()
        tab_to(page, page.get_by_label("Phase", exact=True))
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        tab_to(page, page.get_by_label("Tags (optional)"))
        page.keyboard.type("sensory, OT")
        tab_to(page, page.get_by_role("button", name="Share resource"))
        press_and_wait(page, "Enter", "/resources/")
        assert page.get_by_role("heading", name="Sensory circuits").is_visible()

        page.goto("/o/north/resources")
        tab_to(page, page.get_by_label("Search resources"))
        page.keyboard.type("proprioceptive")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_role("link", name="Sensory circuits").is_visible()
    finally:
        context.close()
