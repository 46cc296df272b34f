"""The access matrix for a draft meeting: every page of one meeting, asked for with the draft meeting
of the matrix's dataset (tests/access_registry.DRAFT_ROUTES), as anonymous, each role of
organisation A, A's admin asking for B's draft, and a member of B asking for A's.

A draft is its network's organisers' until it is scheduled (cluster.meetings.access): members,
observers and other organisations get 404, as for a meeting that does not exist; organisers and
the org admin get what the table says; and never a 500.
"""

from __future__ import annotations

import pytest

from tests.access_registry import (
    DRAFT_ROUTES,
    FORBIDDEN,
    HELD_ONLY,
    LOGIN,
    NOT_FOUND,
    OK,
    ROLES,
    SEE_DRAFTS,
    Route,
    build_side,
    outcome,
)
from tests.conftest import sign_in_as
from tests.pages import route_url, rule_ids, rules

CASES = [case for case in rule_ids() if case.split(" ", 1)[1] in DRAFT_ROUTES]


def test_every_page_of_a_meeting_is_asked_for_with_a_draft(app):
    meeting_pages = {
        rule.endpoint for rule, _ in rules(app) if {"meeting_id", "booking_id"} & set(rule.arguments)
    }
    assert meeting_pages - HELD_ONLY == set(DRAFT_ROUTES)


def _expected(route: Route, who: str) -> object:
    if who == "anonymous":
        return LOGIN
    if who not in SEE_DRAFTS:  # another organisation's people too
        return NOT_FOUND
    return OK if who in route.allowed else FORBIDDEN


@pytest.mark.parametrize("case", CASES)
def test_a_draft_meeting_is_404_for_all_who_cannot_organise_its_network(app, make, case):
    method, endpoint = case.split(" ", 1)
    rule = next(r for r, m in rules(app) if r.endpoint == endpoint and m == method)
    route = DRAFT_ROUTES[endpoint]
    a, b = build_side(make, "alpha"), build_side(make, "beta")
    # Those who see drafts last, so that a successful POST (which may schedule the draft) comes
    # after the refusals.
    order = ["anonymous", "foreign_member", "foreign_objects"] + sorted(ROLES, key=lambda r: r in SEE_DRAFTS)
    failures = []
    for who in order:
        client = app.test_client()
        side = a
        if who == "foreign_member":
            sign_in_as(client, b.users["member"])
        elif who == "foreign_objects":
            sign_in_as(client, a.users["admin"])
            side = b
        elif who != "anonymous":
            sign_in_as(client, a.users[who])
        url = route_url(app, rule, route, side, a.slug)
        response = client.open(url, method=method)
        assert response.status_code != 500, f"{method} {url} as {who} gave 500"
        got, expected = outcome(response), _expected(route, who)
        if got != expected:
            failures.append(
                f"{method} {url} as {who}: expected {expected}, got {got} ({response.status_code})"
            )
    assert not failures, "\n".join(failures)
