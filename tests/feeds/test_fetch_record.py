"""A feed fetch records when it happened (at most every few minutes) without reading its rows
twice: the subscription is read once, with everything the ETag is made of."""

from __future__ import annotations

import sqlalchemy as sa

from cluster.extensions import db
from cluster.feeds.models import FeedSubscription
from cluster.feeds.subscriptions import feed_token, subscription_for
from tests.helpers import StatementCounter


def test_a_fetch_is_recorded_and_reads_the_subscription_once(app_context, client, make):
    org = make.organisation(slug="northbrook")
    school = make.school(org)
    user = make.user(org, email="senco@northbrook.example", school=school)
    network = make.network(org, schools=[school])
    make.meeting(network, title="Spring meeting")
    with app_context.test_request_context():
        token = feed_token(subscription_for(user))
    db.session.commit()
    user_id = user.id
    db.session.remove()

    with StatementCounter() as counter:
        response = client.get(f"/feeds/{token}.ics")

    assert response.status_code == 200 and b"Spring meeting" in response.data
    reads = [
        s
        for s in counter.statements
        if s.lstrip().upper().startswith("SELECT") and "FROM feed_subscription" in s
    ]
    assert len(reads) == 1, reads
    assert any(s.lstrip().upper().startswith("UPDATE FEED_SUBSCRIPTION") for s in counter.statements)
    db.session.remove()
    assert db.session.get(FeedSubscription, existing_id(user_id)).last_fetched_at is not None

    again = client.get(f"/feeds/{token}.ics", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def existing_id(user_id: int) -> int:
    return db.session.scalar(sa.select(FeedSubscription.id).where(FeedSubscription.user_id == user_id))
