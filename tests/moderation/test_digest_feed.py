"""Cases reach people only as "a case awaits your judgment" in the digest; never in the feed."""

from __future__ import annotations

import icalendar
from flask import url_for

from cluster.digests.services import preview
from cluster.extensions import db
from cluster.feeds.subscriptions import feed_token, subscription_for

CONTENT = "Pupil A finds phonics very hard"


def _items(digest, part="needs_you"):
    return [item for p in digest.parts if p.key == part for group in p.groups for item in group.items]


def test_the_digest_says_only_that_a_case_awaits(place, make, app_context):
    case = make.moderation_case(
        place.network, place.submitter, school=place.school, year_group="3", primary_need="PMLD", apdr=CONTENT
    )
    items = [i for i in _items(preview(place.judge)) if i.key.startswith("moderation:")]
    assert len(items) == 1
    item = items[0]
    assert item.title == "A moderation case awaits your judgment" and item.facts == ("In North SENCOs",)
    shown = " ".join([item.title, item.url, *item.facts, *(t for link in item.links for t in link)])
    for secret in (CONTENT, "PMLD", "Profound", "Year 3", "Hill Primary", case.reference):
        assert secret not in shown
    # Nothing for the submitter, the organiser, an uninvited observer; nothing once judged.
    for who in (place.submitter, place.organiser, place.observer):
        assert not [i for i in _items(preview(who)) if i.key.startswith("moderation:")]
    from cluster.moderation.services import record_judgment

    record_judgment(case, place.judge, place.levels[0].id, "fine")
    db.session.commit()
    assert not [i for i in _items(preview(place.judge)) if i.key.startswith("moderation:")]


def test_cases_are_never_in_the_calendar_feed(client, place, make, app_context):
    case = make.moderation_case(place.network, place.submitter, school=place.school, apdr=CONTENT)
    meeting = make.meeting(place.network, days_ahead=5, title="Autumn network meeting")
    case.meeting_id = meeting.id
    db.session.commit()
    with app_context.test_request_context():
        token = feed_token(subscription_for(place.judge))
        db.session.commit()
        path = url_for("feeds.feed", token=token)
    body = client.get(path).data
    calendar = icalendar.Calendar.from_ical(body)
    events = [component for component in calendar.walk("VEVENT")]
    assert [str(e.get("SUMMARY")) for e in events] == ["Autumn network meeting"]
    text = body.decode()
    for secret in (CONTENT, "moderation case", case.reference, "SLCN"):
        assert secret.lower() not in text.lower()
