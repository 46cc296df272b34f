"""A feed's events and all-day items come from the sources the domains register in their
``register(app)``, kept on each application: nothing is found by importing a module, and what one
app is given no other app sees."""

from __future__ import annotations

from cluster import create_app
from cluster.actions.feed import actions_due
from cluster.feeds.sources import DAY_SOURCES, EVENT_SOURCES, add_day_source, add_event_source
from cluster.meetings.feed import feed_events
from cluster.polls.feed import poll_closing_dates


def _new_app():
    return create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "test-secret"})


def test_an_apps_sources_are_those_its_domains_registered():
    app = _new_app()
    assert dict(EVENT_SOURCES.entries(app)) == {"meetings": feed_events}
    assert dict(DAY_SOURCES.entries(app)) == {"polls": poll_closing_dates, "actions": actions_due}


def test_a_source_added_to_one_app_is_not_in_another(app):
    one, other = _new_app(), _new_app()

    def school_trips(connection, network_ids, since):
        return []

    add_event_source(one, "school trips", school_trips)
    add_day_source(one, "trips", school_trips)
    assert EVENT_SOURCES.entries(one)["school trips"] is school_trips
    assert DAY_SOURCES.entries(one)["trips"] is school_trips
    for unchanged in (other, app):
        assert "school trips" not in EVENT_SOURCES.entries(unchanged)
        assert "trips" not in DAY_SOURCES.entries(unchanged)
    assert dict(EVENT_SOURCES.entries(other)) == {"meetings": feed_events}
