"""No page's number of SQL statements grows with the data (no N+1 queries).

Every GET page of the access matrix (``app.url_map`` + ``tests/access_registry.ROUTES``, see
tests/pages.py), as everyone who may ask for it, is fetched twice: on the matrix's small
dataset, then after organisation A has grown to hundreds of schools, users, people in roles,
pending invitations and dozens of meetings (``cluster.web.demo.builder.grow_organisation``, the generator behind
``flask --app cluster demo --scale large``). The number of statements must be the same.

Statements are counted with SQLAlchemy's ``before_cursor_execute`` event on the engine, for the
whole request (loading the user, the organisation, the layout, the page), each request in a
fresh app context and session as in production, on the second visit of the page (a first visit
may make what later ones read, such as a feed's secret).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cluster.extensions import db
from cluster.networks.models import NetworkRole, NetworkSchool
from cluster.tenancy.models import Organisation
from cluster.web.demo.builder import grow_organisation
from tests.factories import password_hash
from tests.helpers import StatementCounter
from tests.pages import TwoOrganisations, client_as, get_pages, page_cases

CASES = page_cases()
IDS = [f"GET {endpoint} as {who}" for endpoint, who in CASES]

#: How much organisation A grows for the large dataset.
GROWTH = {"schools": 300, "networks": 12, "users": 300, "invitations": 120, "meetings": 6}


def measure(app, world: TwoOrganisations) -> dict[tuple[str, str], tuple[int, int]]:
    """(statements, status) of every page, by (endpoint, who)."""
    with app.app_context():
        engine = db.engine
    found = {}
    for page in get_pages(app, world):
        client = client_as(app, world, page.who)
        # The first visit may write what later visits read (a feed's secret, made on first use):
        # count a later one.
        client.get(page.url)
        with StatementCounter(engine) as counter:
            response = client.get(page.url)
        found[(page.endpoint, page.who)] = (counter.count, response.status_code)
    return found


def grow(app, world: TwoOrganisations) -> dict[str, int]:
    """Make organisation A large, and tie the matrix's own people and objects into the growth, so
    that the very pages measured (its network, school, member...) show long lists."""
    with app.app_context():
        organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == world.a.slug))
        growth = grow_organisation(organisation, password_hash=password_hash(), **GROWTH)
        db.session.execute(
            sa.insert(NetworkSchool),
            [
                {"organisation_id": organisation.id, "network_id": network_id, "school_id": world.a.school}
                for network_id in growth.network_ids
            ],
        )
        db.session.execute(
            sa.insert(NetworkRole),
            [
                {
                    "organisation_id": organisation.id,
                    "network_id": network_id,
                    "user_id": world.user_ids[who],
                    "role": who,
                }
                for network_id in growth.network_ids
                for who in ("organiser", "observer")
            ],
        )
        db.session.commit()
    return world.row_counts()


@pytest.fixture(scope="module")
def counts(app):
    world = TwoOrganisations(app)
    try:
        small_rows = world.row_counts()
        small = measure(app, world)
        large_rows = grow(app, world)
        large = measure(app, world)
    finally:
        world.destroy()
    return small, large, small_rows, large_rows


def test_the_large_dataset_is_large(counts):
    _, _, small_rows, large_rows = counts
    for table in (
        "school",
        "user",
        "membership",
        "network",
        "network_school",
        "network_role",
        "invitation",
        "meeting",
    ):
        assert large_rows[table] >= small_rows[table] + 10, (
            f"{table}: {small_rows[table]} -> {large_rows[table]} rows"
        )


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_statements_per_page_do_not_grow_with_the_data(counts, case):
    small, large, _, _ = counts
    endpoint, who = case
    (small_count, small_status), (large_count, large_status) = small[case], large[case]
    assert small_status != 500 and large_status != 500, (
        f"GET {endpoint} as {who}: {small_status} small, {large_status} large"
    )
    assert small_count == large_count, (
        f"GET {endpoint} as {who}: {small_count} SQL statements on the small dataset, {large_count} on the large one "
        f"(status {small_status} / {large_status}). A query per row? Load related rows with selectinload/joinedload "
        "or one query, and paginate long lists."
    )
