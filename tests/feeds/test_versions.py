"""A feed's ETag moves whenever anything the feed shows changes, and only then.

Calendar clients trust a 304: a change that leaves the ETag alone stays out of their calendars
until the next day. So each input of a feed is changed here, through the services the app uses
(bulk statements included), and the client's conditional GET must then fetch the new feed.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import url_for
from sqlalchemy.sql import visitors

from cluster.actions.services import close_action, record_action
from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.feeds import rendering
from cluster.feeds.models import FeedSubscription
from cluster.feeds.sources import day_start
from cluster.feeds.state import feed_connection, feed_state
from cluster.feeds.subscriptions import feed_token, subscription_for
from cluster.feeds.versions import WATCHED
from cluster.meetings.models import Meeting
from cluster.meetings.services import cancel_meeting, create_meeting, update_meeting
from cluster.networks.models import Network, NetworkRole, NetworkSchool
from cluster.polls.services import close_due_polls
from cluster.schools.gias import import_gias
from cluster.tenancy.models import Membership, Organisation
from cluster.timeutil import LONDON, local_to_utc
from tests.helpers import StatementCounter
from tests.schools.test_gias import gias_bytes, row

TODAY = utcnow().astimezone(LONDON).date()


class Calendar:
    """A calendar client: remembers the ETag and asks with it, as clients do."""

    def __init__(self, client, url):
        self.client, self.url = client, url
        self.etag, self.body = None, b""

    def refresh(self) -> bool:
        """Ask again; True when the feed had changed (a 200), False on a 304."""
        db.session.remove()  # the request sees only what was committed
        headers = {"If-None-Match": self.etag} if self.etag else {}
        response = self.client.get(self.url, headers=headers)
        assert response.status_code in (200, 304), response.status_code
        self.etag = response.headers["ETag"]
        if response.status_code == 200:
            self.body = response.data
        return response.status_code == 200


@pytest.fixture
def place(make, app_context, client):
    org = make.organisation(slug="nb", name="Northbrook Council")
    host = make.school(org, name="Hill Primary", postcode="NB1 2AB")
    school = make.school(org, name="Brook Primary")
    organiser = make.user(org, name="Sophie Adeyemi", email="sophie@northbrook.example")
    member = make.user(org, name="Ben Clarke", school=school)
    network = make.network(org, name="North SENCOs", schools=[host, school], organisers=[organiser])
    other = make.network(org, name="South SENCOs", schools=[make.school(org, name="South School")])
    meeting = create_meeting(
        network,
        status="scheduled",
        title="Spring meeting",
        host_school_id=host.id,
        created_by=organiser,
        starts_at=local_to_utc(TODAY + timedelta(days=9), time(13, 30)),
        ends_at=local_to_utc(TODAY + timedelta(days=9), time(16)),
    )
    with app_context.test_request_context():
        url = url_for("feeds.feed", token=feed_token(subscription_for(member)))
    db.session.commit()
    # Ids only: each request ends the session, so loaded rows are read again where needed.
    ids = {
        name: SimpleNamespace(id=obj.id)
        for name, obj in dict(
            org=org,
            host=host,
            school=school,
            organiser=organiser,
            member=member,
            network=network,
            other=other,
            meeting=meeting,
        ).items()
    }
    calendar = Calendar(client, url)
    assert calendar.refresh() and b"Spring meeting" in calendar.body
    assert not calendar.refresh(), "nothing changed: a 304"
    return SimpleNamespace(calendar=calendar, **ids)


def _reload(model, id_):
    return db.session.get(model, id_)


#: Models a feed reads whose changes need no new feed version, and why.
NOT_WATCHED = {
    FeedSubscription: "the feed's own subscription: the reader and the options it holds are in the ETag",
    NetworkRole: "who is appointed to which network: the reader's networks are in the ETag",
    NetworkSchool: "which schools are in which network: the reader's networks are in the ETag",
    Organisation: "only its slug, in links, and an organisation's slug never changes",
}


def _tables_of(statement) -> set[str]:
    """The tables a statement reads or writes: named in its FROM, joins and subqueries, or owning
    one of its columns (aliases count as the table they alias)."""
    tables = set()
    for element in visitors.iterate(statement):
        if isinstance(element, sa.Table):
            tables.add(element.name)
        elif isinstance(element, sa.Column) and isinstance(element.table, sa.Table):
            tables.add(element.table.name)
    return tables


def _name(model: type) -> str:
    """The name a model is watched under (:func:`cluster.feeds.versions.watch`)."""
    return f"{model.__module__}.{model.__qualname__}"


def test_every_model_a_feed_reads_is_watched(place, make, app):
    """Render a feed with every kind of item, cold, and record what its statements read: a model
    read there and not watched would leave its changes out of calendars until something else moves
    the ETag (at the latest, the next day)."""
    network, organiser = _reload(Network, place.network.id), _reload(User, place.organiser.id)
    make.open_poll(
        network,
        closes_at=utcnow() + timedelta(days=3),
        slots=[(utcnow() + timedelta(days=20), utcnow() + timedelta(days=20, hours=2))],
        title="Summer dates",
    )
    for owner, description in [(f"user-{place.member.id}", "Mine"), (f"school-{place.school.id}", "Ours")]:
        record_action(
            network, organiser, description=description, owner=owner, due_on=TODAY + timedelta(days=5)
        )
    db.session.commit()
    db.session.remove()
    rendering.rendered_feeds.clear()
    rendering.network_items.clear()
    read: set[str] = set()

    def record(connection, statement, *args):
        read.update(_tables_of(statement))

    sa.event.listen(db.engine, "before_execute", record)
    try:
        response = place.calendar.client.get(place.calendar.url)
    finally:
        sa.event.remove(db.engine, "before_execute", record)

    body = response.data.decode()
    assert response.status_code == 200
    assert all(
        text in body for text in ["Spring meeting", "Summer dates", "Action due: Mine", "Action due: Ours"]
    )
    models = {mapper.local_table.name: mapper.class_ for mapper in db.Model.registry.mappers}
    assert read <= set(models), f"tables with no model: {read - set(models)}"
    watched = WATCHED.entries(app)
    unwatched = [
        _name(model)
        for model in (models[table] for table in sorted(read))
        if _name(model) not in watched and model not in NOT_WATCHED
    ]
    assert not unwatched, f"a feed reads these, and a change to them leaves the ETag alone: {unwatched}"
    assert {model.__table__.name for model in NOT_WATCHED} <= read, "an exemption for a model no feed reads"


def test_a_conditional_get_is_one_query_and_builds_nothing(place, monkeypatch):
    def must_not_build(*args, **kwargs):
        raise AssertionError("a 304 needs no feed built")

    monkeypatch.setattr(rendering, "_items_of_networks", must_not_build)
    db.session.remove()
    with StatementCounter() as counter:
        response = place.calendar.client.get(
            place.calendar.url, headers={"If-None-Match": place.calendar.etag}
        )
    assert response.status_code == 304 and response.headers["ETag"] == place.calendar.etag
    assert len(counter.statements) == 1, counter.statements


def test_meeting_changes_move_the_etag(place):
    meeting = _reload(Meeting, place.meeting.id)
    update_meeting(meeting, title="Spring meeting (moved)")
    db.session.commit()
    assert place.calendar.refresh() and b"Spring meeting (moved)" in place.calendar.body
    cancel_meeting(_reload(Meeting, place.meeting.id), "Snow")
    db.session.commit()
    assert place.calendar.refresh() and b"STATUS:CANCELLED" in place.calendar.body
    db.session.delete(_reload(Meeting, place.meeting.id))
    db.session.commit()
    assert place.calendar.refresh() and b"Spring meeting" not in place.calendar.body


def test_another_networks_meeting_leaves_the_etag_alone(place, make):
    make.meeting(_reload(Network, place.other.id), title="Southern meeting")
    db.session.commit()
    assert not place.calendar.refresh()


def test_the_network_the_host_school_and_the_organiser_are_in_the_feed(place):
    from cluster.schools.models import School

    _reload(Network, place.network.id).name = "North Cluster"
    db.session.commit()
    assert place.calendar.refresh() and b"North Cluster." in place.calendar.body
    _reload(School, place.host.id).postcode = "NB9 9ZZ"
    db.session.commit()
    assert place.calendar.refresh() and b"NB9 9ZZ" in place.calendar.body
    _reload(User, place.organiser.id).email = "s.adeyemi@northbrook.example"
    db.session.commit()
    assert place.calendar.refresh() and b"s.adeyemi@northbrook.example" in place.calendar.body
    _reload(User, place.organiser.id).time_zone = "Europe/Paris"
    db.session.commit()
    assert not place.calendar.refresh(), "a change the feed does not show"


def test_a_gias_import_renaming_the_host_school_moves_the_etag(place):
    from cluster.schools.models import School

    host = _reload(School, place.host.id)
    host.urn = "100001"
    db.session.commit()
    import_gias(place.org, io.BytesIO(gias_bytes([row("100001", "Hill Primary Academy")])))
    db.session.commit()
    assert place.calendar.refresh() and b"Hill Primary Academy" in place.calendar.body


def test_the_readers_name_options_and_networks_are_in_the_etag(place, make):
    _reload(User, place.member.id).name = "Benjamin Clarke"
    db.session.commit()
    assert place.calendar.refresh() and b"cluster: Benjamin Clarke" in place.calendar.body
    db.session.scalar(sa.select(FeedSubscription)).include_polls = False
    db.session.commit()
    assert place.calendar.refresh()
    db.session.add(
        NetworkRole(
            organisation_id=place.org.id, network_id=place.other.id, user_id=place.member.id, role="observer"
        )
    )
    db.session.commit()
    assert place.calendar.refresh(), "appointed to another network"
    db.session.execute(
        sa.delete(NetworkSchool).where(
            NetworkSchool.school_id == place.school.id, NetworkSchool.network_id == place.network.id
        )
    )
    db.session.commit()
    assert place.calendar.refresh() and b"Spring meeting" not in place.calendar.body


def test_poll_closing_days_follow_the_poll_even_when_closed_in_bulk(place, make):
    make.open_poll(
        _reload(Network, place.network.id),
        closes_at=utcnow() + timedelta(days=3),
        slots=[(utcnow() + timedelta(days=20), utcnow() + timedelta(days=20, hours=2))],
        title="Summer dates",
    )
    db.session.commit()
    assert place.calendar.refresh() and b"Date poll closes: Summer dates" in place.calendar.body
    close_due_polls(now=utcnow() + timedelta(days=4))  # a conditional bulk UPDATE per poll
    db.session.commit()
    assert place.calendar.refresh() and b"Summer dates" not in place.calendar.body


def test_actions_due_are_all_day_items_for_their_owners(place, make):
    from cluster.actions.models import Action

    mine = record_action(
        _reload(Network, place.network.id),
        _reload(User, place.organiser.id),
        description="Share the EP referral form",
        owner=f"user-{place.member.id}",
        due_on=TODAY + timedelta(days=10),
    )
    record_action(
        _reload(Network, place.network.id),
        _reload(User, place.organiser.id),
        description="Audit the provision map",
        owner=f"school-{place.school.id}",
        due_on=TODAY + timedelta(days=12),
    )
    record_action(
        _reload(Network, place.network.id),
        _reload(User, place.organiser.id),
        description="Book the hall",
        owner=f"school-{place.host.id}",
        due_on=TODAY + timedelta(days=5),
    )
    db.session.commit()
    mine_id = mine.id
    assert place.calendar.refresh()
    body = place.calendar.body.decode()
    assert "Action due: Share the EP referral form" in body and "Action due: Audit the provision map" in body
    assert "Book the hall" not in body, "another school's action"
    assert (
        f"action-{mine_id}-due@cluster" in body
        and f"DTSTART;VALUE=DATE:{(TODAY + timedelta(days=10)):%Y%m%d}" in body
    )
    close_action(_reload(Action, mine_id), "done", "Sent to everyone")
    db.session.commit()
    assert place.calendar.refresh() and "Share the EP referral form" not in place.calendar.body.decode()
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == place.member.id))
    membership.school_id = place.host.id  # moves to the host school, in the same network
    db.session.commit()
    assert place.calendar.refresh()
    body = place.calendar.body.decode()
    assert "Book the hall" in body and "Audit the provision map" not in body
    db.session.scalar(sa.select(FeedSubscription)).include_actions = False
    db.session.commit()
    assert place.calendar.refresh() and "Action due" not in place.calendar.body.decode()


def test_a_new_day_gives_a_new_etag_and_the_window_is_the_days(place, app_context):
    token = place.calendar.url.rsplit("/", 1)[1].removesuffix(".ics")
    with app_context.test_request_context(), feed_connection() as connection:
        state = feed_state(connection, token)
        tomorrow = feed_state(connection, token, now=utcnow() + timedelta(days=1))
    assert state.etag == place.calendar.etag.strip('"') and tomorrow.etag != state.etag
    assert day_start(date(2026, 7, 1)) == datetime(
        2026, 6, 30, 23, 0, tzinfo=day_start(date(2026, 1, 1)).tzinfo
    )
