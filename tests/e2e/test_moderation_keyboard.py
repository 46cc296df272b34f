"""A SENCO judges a moderation case with the keyboard alone, in a real Chromium, and only then
sees how colleagues judged it (skips, saying why, where there is no browser)."""

from __future__ import annotations

import pytest

from cluster.moderation.scale import levels_of
from cluster.moderation.services import record_judgment
from tests.e2e.conftest import new_context, press_and_wait, sign_in_by_keyboard, tab_to

pytestmark = pytest.mark.e2e

SECRET = "Three APDR cycles and the EP's advice point to an assessment"


def test_a_senco_judges_blind_by_keyboard_then_sees_the_distribution(app, make, browser, live_server):
    org = make.organisation(slug="north", name="North Council")
    hill, dale = make.school(org, name="Hill Primary"), make.school(org, name="Dale Primary")
    submitter = make.user(org, email="senco@hill.example", school=hill)
    judge = make.user(org, email="senco@dale.example", school=dale)
    colleague = make.user(org, email="deputy@dale.example", school=dale)
    network = make.network(org, name="North SENCOs", schools=[hill, dale])
    make.moderation_scale(org)
    case = make.moderation_case(network, submitter, school=hill)
    levels = levels_of(org.id)
    record_judgment(case, colleague, levels[2].id, SECRET)
    from cluster.extensions import db

    db.session.commit()

    context = new_context(browser, live_server)
    page = context.new_page()
    try:
        sign_in_by_keyboard(page, judge.email)
        page.goto(f"/o/north/moderation/cases/{case.id}")
        assert SECRET not in page.content()  # blind: nothing of the colleague's judgment yet
        first = page.get_by_label(levels[0].label, exact=True)
        tab_to(page, first)  # a radio group is one Tab stop
        page.keyboard.press("ArrowDown")
        assert page.get_by_label(levels[1].label, exact=True).is_checked()
        tab_to(page, page.get_by_label("Why (a sentence or two)"))
        page.keyboard.type("Needs are met at SEN support with the current provision")
        tab_to(page, page.get_by_role("button", name="Save my judgment"))
        press_and_wait(page, "Enter", f"/cases/{case.id}")
        assert SECRET in page.content()  # judged: now the rationales and the distribution show
        assert page.locator("#distribution, figure.cluster-chart").first.is_visible()
    finally:
        context.close()
