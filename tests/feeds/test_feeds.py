"""The personal calendar feed, checked with the icalendar package and with Mozilla's ical.js."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import icalendar
import pytest
import sqlalchemy as sa
from flask import url_for

from cluster.extensions import db, utcnow
from cluster.feeds.ical import FeedEvent, build_calendar
from cluster.feeds.models import FeedSubscription
from cluster.feeds.subscriptions import feed_token, subscription_for
from cluster.meetings.services import cancel_meeting, create_meeting, update_meeting
from cluster.timeutil import LONDON, local_to_utc

ROOT = Path(__file__).resolve().parents[2]
ICALJS = ROOT / "frontend" / "node_modules" / "ical.js"


def _setup(make):
    org = make.organisation(slug="nb", name="Northbrook Council")
    school = make.school(org, name="St Mary’s Café School", postcode="NB1 2AB")
    other_school = make.school(org, name="Elsewhere")
    organiser = make.user(org, name="Sophie Adeyemi", email="organiser@northbrook.example")
    member = make.user(org, name="Ben Clarke", school=school)
    outsider = make.user(org, name="Out Sider", school=other_school)
    network = make.network(org, name="North SENCOs", schools=[school], organisers=[organiser])
    other = make.network(org, name="Other network", schools=[other_school])
    return org, network, other, organiser, member, outsider


def _url_for_feed(app, user) -> str:
    with app.test_request_context():
        subscription = subscription_for(user)
        db.session.commit()
        return url_for("feeds.feed", token=feed_token(subscription))


def _meeting(network, day, start=(13, 30), end=(16, 0), **fields):
    meeting = create_meeting(
        network,
        status="scheduled",
        title=fields.pop("title", "Network meeting"),
        starts_at=local_to_utc(day, time(*start)),
        ends_at=local_to_utc(day, time(*end)),
        **fields,
    )
    db.session.commit()
    return meeting


def _parse(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def _icaljs(body: bytes) -> dict:
    node = shutil.which("node")
    if not node or not ICALJS.exists():
        if os.environ.get("CI"):
            pytest.fail("ical.js is required in CI: run `cd frontend && npm ci`")
        pytest.skip("node or ical.js is missing (run `cd frontend && npm ci`)")
    result = subprocess.run(
        [node, str(Path(__file__).with_name("icaljs_parse.mjs"))],
        input=body,
        capture_output=True,
        timeout=60,
        env={**os.environ, "ICALJS": str(ICALJS)},
    )
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def test_feed_has_only_the_users_meetings_in_london_time(client, make, app_context):
    _, network, other, organiser, member, _ = _setup(make)
    today = utcnow().astimezone(LONDON).date()
    mine = _meeting(
        network,
        today + timedelta(days=10),
        title="North meeting",
        host_school_id=network.schools[0].id,
        address="Room 4",
        online_url="https://meet.example/x",
        created_by=organiser,
    )
    _meeting(other, today + timedelta(days=10), title="Not for Ben")
    create_meeting(network, status="draft", title="Draft", starts_at=mine.starts_at, ends_at=mine.ends_at)
    _meeting(network, today - timedelta(days=400), title="Too old")
    db.session.commit()
    response = client.get(_url_for_feed(app_context, member))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    cal = _parse(response.data)
    events = [c for c in cal.walk("VEVENT")]
    assert [str(e["SUMMARY"]) for e in events] == ["North meeting"]
    event = events[0]
    assert event["UID"] == mine.uid and event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTSTART"].dt.strftime("%H:%M") == "13:30"
    assert "St Mary’s Café School" in str(event["LOCATION"]) and "NB1 2AB" in str(event["LOCATION"])
    assert "https://meet.example/x" in str(event["DESCRIPTION"]) and "/o/nb/meetings/" in str(
        event["DESCRIPTION"]
    )
    assert "organiser@northbrook.example" in str(event["ORGANIZER"])
    assert cal["METHOD"] == "PUBLISH" and cal["X-WR-CALNAME"] and cal["NAME"]
    assert (
        b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.data and b"X-PUBLISHED-TTL:PT1H" in response.data
    )
    assert [c["TZID"] for c in cal.walk("VTIMEZONE")] == ["Europe/London"]


def test_wrong_and_reset_tokens_are_404(client, make, app_context, login):
    _, network, _, _, member, _ = _setup(make)
    url = _url_for_feed(app_context, member)
    assert client.get(url).status_code == 200
    assert client.get(url[:-10] + "abcdef.ics").status_code == 404
    login(member)
    client.post("/account/calendar/reset")
    assert client.get(url).status_code == 404
    new_url = _url_for_feed(app_context, member)
    assert new_url != url and client.get(new_url).status_code == 200


def test_only_the_hash_of_the_token_is_stored(make, app_context):
    _, _, _, _, member, _ = _setup(make)
    url = _url_for_feed(app_context, member)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    row = db.session.scalar(sa.select(FeedSubscription))
    assert len(token) >= 43  # 256 bits, base64url
    assert token not in (row.token_hash, row.nonce)


def test_uid_is_stable_and_sequence_moves_with_time_place_and_status(client, make, app_context):
    _, network, _, _, member, _ = _setup(make)
    today = utcnow().astimezone(LONDON).date()
    meeting = _meeting(network, today + timedelta(days=5))
    url = _url_for_feed(app_context, member)
    first = _parse(client.get(url).data).walk("VEVENT")[0]
    update_meeting(
        meeting,
        starts_at=meeting.starts_at + timedelta(hours=1),
        ends_at=meeting.ends_at + timedelta(hours=1),
    )
    db.session.commit()
    moved = _parse(client.get(url).data).walk("VEVENT")[0]
    assert moved["UID"] == first["UID"] and moved["SEQUENCE"] == 1
    assert moved["LAST-MODIFIED"].dt > first["LAST-MODIFIED"].dt or moved["DTSTAMP"].dt >= first["DTSTAMP"].dt
    cancel_meeting(meeting, "Snow")
    db.session.commit()
    gone = _parse(client.get(url).data).walk("VEVENT")[0]
    assert (
        gone["STATUS"] == "CANCELLED"
        and str(gone["SUMMARY"]).startswith("Cancelled:")
        and gone["SEQUENCE"] == 2
    )


def test_cancelled_meetings_leave_the_feed_after_30_days(client, make, app_context):
    _, network, _, _, member, _ = _setup(make)
    meeting = _meeting(network, utcnow().astimezone(LONDON).date() + timedelta(days=5))
    cancel_meeting(meeting, "Snow", now=utcnow() - timedelta(days=31))
    db.session.commit()
    assert _parse(client.get(_url_for_feed(app_context, member)).data).walk("VEVENT") == []


def test_conditional_get_answers_304_only_while_nothing_changed(client, make, app_context):
    _, network, _, _, member, _ = _setup(make)
    meeting = _meeting(network, utcnow().astimezone(LONDON).date() + timedelta(days=5))
    url = _url_for_feed(app_context, member)
    first = client.get(url)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/") and first.headers["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": etag, "Accept": "application/json"}).status_code == 304
    update_meeting(meeting, title="Renamed meeting")
    db.session.commit()
    after = client.get(url, headers={"If-None-Match": etag})
    assert after.status_code == 200 and b"Renamed meeting" in after.data and after.headers["ETag"] != etag
    db.session.delete(meeting)
    db.session.commit()
    deleted = client.get(url, headers={"If-None-Match": after.headers["ETag"]})
    assert deleted.status_code == 200 and b"Renamed meeting" not in deleted.data


def test_output_is_deterministic(client, make, app_context):
    _, network, _, _, member, _ = _setup(make)
    for n in range(3):
        _meeting(network, utcnow().astimezone(LONDON).date() + timedelta(days=5 + n))
    url = _url_for_feed(app_context, member)
    assert client.get(url).data == client.get(url).data


def test_crlf_and_folding_never_split_a_character():
    long = "St Mary’s Café – " * 20
    body = build_calendar(
        "Café network",
        [
            FeedEvent(
                uid="x@cluster",
                sequence=0,
                summary=long,
                starts_at=datetime(2026, 11, 2, 13, 30, tzinfo=UTC),
                ends_at=datetime(2026, 11, 2, 16, tzinfo=UTC),
                stamp=datetime(2026, 10, 1, tzinfo=UTC),
                status="CONFIRMED",
                description=long,
                location=long,
            )
        ],
    )
    lines = body.split(b"\r\n")
    assert b"\n" not in b"".join(lines)
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # each folded line is whole UTF-8
    assert str(_parse(body).walk("VEVENT")[0]["SUMMARY"]) == long


def test_poll_closing_dates_are_all_day_items(client, make, app_context):
    org, network, _, organiser, member, _ = _setup(make)
    from cluster.polls.models import DatePoll

    closes = local_to_utc(utcnow().astimezone(LONDON).date() + timedelta(days=7), time(17, 0))
    db.session.add(
        DatePoll(
            organisation_id=org.id,
            network_id=network.id,
            title="Spring dates",
            closes_at=closes,
            status="open",
        )
    )
    db.session.commit()
    cal = _parse(client.get(_url_for_feed(app_context, member)).data)
    [day] = [e for e in cal.walk("VEVENT") if str(e["SUMMARY"]).startswith("Date poll closes")]
    assert day["DTSTART"].params.get("VALUE") == "DATE" or not hasattr(day["DTSTART"].dt, "hour")
    assert day["DTEND"].dt - day["DTSTART"].dt == timedelta(days=1)
    sub = db.session.scalar(sa.select(FeedSubscription))
    sub.include_polls = False
    db.session.commit()
    assert not [e for e in _parse(client.get(_url_for_feed(app_context, member)).data).walk("VEVENT")]


def test_single_meeting_ics_has_the_feed_uid(client, make, login):
    _, network, _, _, member, _ = _setup(make)
    meeting = _meeting(network, utcnow().astimezone(LONDON).date() + timedelta(days=5))
    login(member)
    response = client.get(f"/o/nb/meetings/{meeting.id}/calendar.ics")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert _parse(response.data).walk("VEVENT")[0]["UID"] == meeting.uid


def test_calendar_page_offers_the_links(client, make, login):
    _, _, _, _, member, _ = _setup(make)
    login(member)
    first = client.get("/account/calendar").get_data(as_text=True)
    assert "Get your calendar address" in first and "webcal://" not in first
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(FeedSubscription)) == 0
    )  # a GET writes nothing
    client.post("/account/calendar/reset")
    page = client.get("/account/calendar").get_data(as_text=True)
    assert "webcal://" in page and "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F" in page
    assert "No calendar app has fetched this feed yet" in page


SHAPES = ["normal", "cancelled", "moved", "dst", "long", "empty"]


@pytest.mark.parametrize("shape", SHAPES)
def test_icalendar_and_icaljs_agree_on_every_shape(client, make, app_context, shape):
    _, network, _, _, member, _ = _setup(make)
    # Two Mondays either side of the October 2030 clock change (27 October 2030).
    before, after = datetime(2030, 10, 21).date(), datetime(2030, 10, 28).date()
    if shape != "empty":
        a = _meeting(network, before, start=(16, 0), end=(17, 0), title="Before the change")
        b = _meeting(
            network,
            after,
            start=(16, 0),
            end=(17, 0),
            title=("St Mary’s Café " * 12) if shape == "long" else "After the change",
        )
        if shape == "cancelled":
            cancel_meeting(b, "Snow")
        if shape == "moved":
            update_meeting(
                a, starts_at=local_to_utc(before, time(14, 0)), ends_at=local_to_utc(before, time(15, 0))
            )
        db.session.commit()
    body = client.get(_url_for_feed(app_context, member)).data
    ours = sorted(
        (
            {
                "uid": str(e["UID"]),
                "summary": str(e["SUMMARY"]),
                "status": str(e.get("STATUS")),
                "sequence": int(e.get("SEQUENCE", 0)),
                "start": e["DTSTART"].dt.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M"),
            }
            for e in _parse(body).walk("VEVENT")
        ),
        key=lambda e: e["start"],
    )
    theirs = _icaljs(body)
    assert theirs["method"] == "PUBLISH"
    js = sorted(
        ({k: e[k] for k in ("uid", "summary", "status", "sequence", "start")} for e in theirs["events"]),
        key=lambda e: e["start"],
    )
    assert ours == js
    if shape in ("normal", "dst", "long"):
        assert [e["start"][-5:] for e in js] == ["16:00", "16:00"]
        assert all(e["tzid"] == "Europe/London" for e in theirs["events"])
    if shape == "cancelled":
        assert js[1]["status"] == "CANCELLED" and js[1]["summary"].startswith("Cancelled:")
    if shape == "moved":
        assert js[0]["start"].endswith("14:00") and js[0]["sequence"] == 1
    if shape == "empty":
        assert js == []
