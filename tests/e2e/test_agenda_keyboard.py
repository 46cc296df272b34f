"""An organiser builds and publishes a meeting's agenda by keyboard alone (Tab, Shift+Tab,
Enter, Space and typing), with JavaScript and without, in a real Chromium with the app's
Content-Security-Policy enforced; every element the focus lands on shows the focus indicator."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from cluster.agenda.models import Agenda
from cluster.agenda.planning import slots_of
from cluster.agenda.services import add_standing_item
from cluster.extensions import db
from tests.e2e.conftest import new_context, press_and_wait, sign_in_by_keyboard, tab_to

pytestmark = pytest.mark.e2e


def _wait_for_mail(mailbox, to: str, timeout: float = 5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in list(mailbox):
            if to in str(message["To"]) and str(message["Subject"]).startswith("Agenda:"):
                return message
        time.sleep(0.05)
    raise AssertionError(
        f"no agenda email to {to} arrived; got {[(str(m['To']), str(m['Subject'])) for m in mailbox]}"
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_organiser_builds_and_publishes_an_agenda_by_keyboard(
    app, make, browser, live_server, mailbox, javascript
):
    org = make.organisation(slug="north", name="North Council")
    primary = make.school(org, name="Fernhill Primary")
    secondary = make.school(org, name="Ashcombe High", phase="Secondary")
    organiser = make.user(org, email="organiser@north.example", name="Sophie Adeyemi")
    member = make.user(org, email="senco@north.example", name="Priya Sharma", school=secondary)
    network = make.network(org, name="North SENCOs", schools=[primary, secondary], organisers=[organiser])
    meeting = make.meeting(network, title="Spring 1 network meeting", days_ahead=14)
    add_standing_item(network, "LA update", 15, "LA SEND team")
    db.session.commit()
    make.agenda_item(network, member, school=secondary, title="GCSE access arrangements", minutes=20)
    meeting_id = meeting.id

    context = new_context(browser, live_server, java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    try:
        sign_in_by_keyboard(page, organiser.email)
        page.goto(f"/o/north/meetings/{meeting_id}")
        tab_to(page, page.get_by_role("link", name="Build the agenda"))
        press_and_wait(page, "Enter", f"/meetings/{meeting_id}/agenda/build")
        tab_to(page, page.get_by_role("button", name="Start the agenda"))
        press_and_wait(page, "Enter", "/agenda/build")
        assert page.get_by_label("Minutes for LA update").input_value() == "15"
        if javascript:
            assert page.locator(".cluster-agenda-handle").count() == 1  # the drag handle, for mice

        # Place the proposal; the page comes back at the plan.
        tab_to(page, page.get_by_role("button", name="Add GCSE access arrangements to agenda"), limit=120)
        press_and_wait(page, "Enter", "/agenda/build")
        minutes = page.get_by_label("Minutes for GCSE access arrangements")
        tab_to(page, minutes, limit=120)
        page.keyboard.press("Control+A")
        page.keyboard.type("30")
        presenter = page.get_by_label("Presenter of GCSE access arrangements")
        tab_to(page, presenter, limit=5)
        page.keyboard.type("Priya Sharma")
        # Move it above the LA update: the same button also saves what was typed.
        tab_to(page, page.get_by_role("button", name="Move GCSE access arrangements up"), limit=5)
        press_and_wait(page, "Space", "/agenda/build")
        rows = page.locator("[data-agenda-plan] tbody tr")
        assert (
            "GCSE access arrangements" in rows.nth(0).inner_text()
            and "13:30–14:00" in rows.nth(0).inner_text()
        )
        assert "LA update" in rows.nth(1).inner_text() and "14:00–14:15" in rows.nth(1).inner_text()
        assert page.get_by_label("Presenter of GCSE access arrangements").input_value() == "Priya Sharma"

        tab_to(page, page.get_by_role("button", name="Publish the agenda"), limit=120)
        press_and_wait(page, "Enter", f"/meetings/{meeting_id}/agenda")
        assert "published and emailed" in page.locator(".govuk-notification-banner").inner_text()
        assert "13:30–14:00" in page.get_by_role("table", name="Agenda").inner_text()
    finally:
        context.close()

    message = _wait_for_mail(mailbox, member.email)
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "13:30-14:00  GCSE access arrangements (Priya Sharma)" in text and "14:00-14:15  LA update" in text
    with app.app_context():
        agenda = db.session.scalar(sa.select(Agenda).where(Agenda.meeting_id == meeting_id))
        assert agenda.status == "published" and [s.title for s in slots_of(agenda)] == [
            "GCSE access arrangements",
            "LA update",
        ]
    assert not errors, "the browser reported errors:\n" + "\n".join(errors)


def test_organiser_reorders_the_plan_by_dragging(app, make, browser, live_server):
    """With JavaScript, rows can also be dragged by their handle; saving keeps the new order."""
    org = make.organisation(slug="north", name="North Council")
    school = make.school(org, name="Fernhill Primary")
    organiser = make.user(org, email="organiser@north.example")
    member = make.user(org, email="senco@north.example", school=school)
    network = make.network(org, schools=[school], organisers=[organiser])
    meeting = make.meeting(network, days_ahead=14)
    add_standing_item(network, "LA update", 15)
    db.session.commit()
    item = make.agenda_item(network, member, school=school, title="Phonics catch-up", minutes=20)
    make.agenda(meeting, items=[item])
    meeting_id = meeting.id

    context = new_context(browser, live_server)
    page = context.new_page()
    try:
        sign_in_by_keyboard(page, organiser.email, check_focus=False)
        page.goto(f"/o/north/meetings/{meeting_id}/agenda/build")
        rows = page.locator("[data-agenda-plan] tbody tr")
        rows.nth(1).locator(".cluster-agenda-handle").drag_to(rows.nth(0), target_position={"x": 5, "y": 2})
        assert "Phonics catch-up" in rows.nth(0).inner_text()
        assert "Save the plan to keep it" in page.locator("#plan-status").inner_text()
        with page.expect_navigation():
            page.get_by_role("button", name="Save the plan").first.click()
        assert "13:30–13:50" in page.locator("[data-agenda-plan] tbody tr").nth(0).inner_text()
    finally:
        context.close()
    with app.app_context():
        agenda = db.session.scalar(sa.select(Agenda).where(Agenda.meeting_id == meeting_id))
        assert [s.title for s in slots_of(agenda)] == ["Phonics catch-up", "LA update"]
