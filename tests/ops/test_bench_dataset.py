"""The benchmark's dataset generator (bench/generate.py) on the suite's database, at a tiny scale:
it must keep up with the models (its rows are valid, the pages it is measured on show them) and
derive calendar-feed addresses exactly as the app does."""

from __future__ import annotations

import sqlalchemy as sa

from bench.generate import DOMAINS, Scale, feed_token_for, generate
from cluster.extensions import db
from cluster.feeds.models import FeedSubscription
from cluster.feeds.subscriptions import feed_token
from cluster.meetings.models import Meeting
from cluster.networks.models import NetworkRole
from cluster.tenancy.models import Organisation
from tests.conftest import sign_in_as

TINY = Scale(organisations=2, schools=12, users=24, networks=3, years=2, resources=9, moderation_cases=4)


def test_the_generated_dataset_is_what_the_pages_show(app_context, client):
    logged = []
    world = generate(TINY, secret_key=app_context.config["SECRET_KEY"], log=logged.append)

    assert not [line for line in logged if "skipped (" in line], logged  # no domain failed to generate
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 2
    assert world.counts["schools"] == 12 and world.counts["users"] == 24 and world.counts["resources"] == 9
    assert world.counts["meetings"] == 3 * 2 * 6  # half-termly, for two school years
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == world.counts["meetings"]
    assert {name for name, _, _ in DOMAINS} >= {"core", "meetings", "polls", "resources", "feeds"}

    network_id, organiser_id = db.session.execute(
        sa.select(NetworkRole.network_id, NetworkRole.user_id).where(NetworkRole.role == "organiser").limit(1)
    ).one()
    slug = world.org_slugs[world.network_org[network_id]]
    sign_in_as(
        client, db.session.get(__import__("cluster.auth.models", fromlist=["User"]).User, organiser_id)
    )
    programme = client.get(f"/o/{slug}/networks/{network_id}/meetings")
    assert programme.status_code == 200 and b"meeting" in programme.data

    subscription = db.session.scalar(
        sa.select(FeedSubscription).where(FeedSubscription.user_id == organiser_id)
    )
    with app_context.test_request_context():
        assert feed_token_for(app_context.config["SECRET_KEY"], subscription.nonce) == feed_token(
            subscription
        )
    feed = client.get(f"/feeds/{feed_token(subscription)}.ics")
    assert feed.status_code == 200 and feed.data.count(b"BEGIN:VEVENT") >= 6
