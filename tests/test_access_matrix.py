"""The access matrix: every route × every role, from one table (tests/access_registry.py).

For each rule in ``app.url_map`` and each method it accepts, as anonymous, each role of
organisation A, A's admin asking for organisation B's objects, and a member of B asking for
A's: the outcome must be the one the table implies, and never a 500.

The two organisations are built once for the module (tests/pages.py's TwoOrganisations). Each
case starts from them exactly as built: a case that changed any row (a POST that succeeded, a
page that makes something on first use) has them rebuilt before the next one.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.access_registry import FORBIDDEN, LOGIN, NOT_FOUND, OK, ROLES, ROUTES, Route, outcome
from tests.conftest import sign_in_as
from tests.pages import TwoOrganisations, find_rule, route_url, rule_ids
from tests.pages import rules as _rules

# Outcomes


RULES = rule_ids()


@pytest.fixture(scope="module")
def world(app):
    world = TwoOrganisations(app)
    yield world
    world.destroy()


@pytest.fixture()
def fresh_world(world):
    """The world as built, whatever the case before it wrote."""
    world.restore_exactly()
    return world


def test_every_route_is_registered(app):
    missing = sorted({rule.endpoint for rule, _ in _rules(app)} - set(ROUTES))
    assert not missing, (
        f"Routes missing from tests/access_registry.py ROUTES: {missing}. Add an entry with the URL "
        "arguments and the roles allowed (see the module docstring)."
    )


def _expected(route: Route, who: str) -> object:
    if route.public:
        return OK
    if who == "anonymous":
        return LOGIN
    if route.platform:
        return FORBIDDEN
    if who in ("foreign_member", "foreign_objects"):
        return NOT_FOUND if route.in_organisation else OK
    if not route.in_organisation:
        return OK
    if route.platform:
        return FORBIDDEN
    return OK if who in route.allowed else FORBIDDEN


def _signed_in(client, user_id: int) -> None:
    sign_in_as(client, SimpleNamespace(id=user_id))


@pytest.mark.parametrize("case", RULES)
def test_route_answers_each_role_as_the_table_says(app, fresh_world, case):
    world = fresh_world
    method, endpoint = case.split(" ", 1)
    rule = find_rule(app, endpoint, method)
    route = ROUTES[endpoint]
    a, b = world.a, world.b
    # Allowed roles last, so that a successful POST (which may delete the object) comes after the refusals.
    order = ["anonymous", "foreign_member", "foreign_objects"] + sorted(
        ROLES, key=lambda r: r in route.allowed
    )
    failures = []
    for who in order:
        client = app.test_client()
        side = a
        if who == "foreign_member":
            _signed_in(client, world.foreign_user_ids["member"])
        elif who == "foreign_objects":
            if not (rule.arguments - {"org_slug"}) or route.public:
                continue  # no object in the URL to swap
            _signed_in(client, world.user_ids["admin"])
            side = b
        elif who != "anonymous":
            _signed_in(client, world.user_ids[who])
        url = route_url(app, rule, route, side, a.slug)
        response = client.open(url, method=method)
        assert response.status_code != 500, f"{method} {url} as {who} gave 500"
        got, expected = outcome(response), _expected(route, who)
        if who == "foreign_objects" and not route.in_organisation:
            expected = got  # a public token route with another organisation's token is simply valid
        if got != expected:
            failures.append(
                f"{method} {url} as {who}: expected {expected}, got {got} ({response.status_code})"
            )
    assert not failures, "\n".join(failures)


@pytest.fixture()
def csrf_checked(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.mark.parametrize("case", [c for c in RULES if c.startswith("POST ")])
def test_state_changing_routes_refuse_requests_without_a_csrf_token(app, fresh_world, csrf_checked, case):
    world = fresh_world
    _, endpoint = case.split(" ", 1)
    route = ROUTES[endpoint]
    client = app.test_client()
    if not route.public:
        _signed_in(client, world.user_ids["admin"])
    response = client.post(world.url(endpoint, "POST"), data={"email": "x@school.example"})
    if route.csrf_exempt:
        assert response.status_code != 400
    else:
        assert response.status_code == 400, (
            f"POST {endpoint} without a CSRF token answered {response.status_code}"
        )
