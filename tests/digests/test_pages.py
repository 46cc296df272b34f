"""The digest pages: preferences, the preview, the undelivered list; and whose content a digest holds."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from cluster.digests.models import DigestPreference
from cluster.digests.services import preview
from cluster.extensions import db, utcnow
from tests.digests.helpers import northbrook, poll_needing_answers, utc


def test_preferences_start_at_the_defaults_and_are_saved(client, make, login):
    nb = northbrook(make)
    login(nb.member)
    page = client.get("/account/digest").get_data(as_text=True)
    assert 'value="weekly" checked' in page and "every Monday at 07:00" in page
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(DigestPreference)) == 0
    )  # reading writes nothing
    response = client.post(
        "/account/digest", data={"frequency": "daily", "weekday": "0", "hour": "18", "pause_in_holidays": "y"}
    )
    assert response.status_code == 302
    saved = db.session.scalar(sa.select(DigestPreference))
    assert (saved.frequency, saved.hour, saved.pause_in_holidays) == ("daily", 18, True)
    assert "every day at 18:00" in client.get("/account/digest").get_data(as_text=True)


def test_bad_preferences_are_refused_with_a_message_and_nothing_saved(client, make, login):
    nb = northbrook(make)
    login(nb.member)
    for data in (
        {"frequency": "hourly", "weekday": "0", "hour": "7"},
        {"frequency": "weekly", "weekday": "9", "hour": "7"},
        {"frequency": "weekly", "weekday": "0", "hour": "24"},
        {"frequency": "weekly"},
        {},
    ):
        response = client.post("/account/digest", data=data)
        assert response.status_code == 200 and "govuk-error-summary" in response.get_data(as_text=True), data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DigestPreference)) == 0


def test_the_preview_shows_the_digest_as_it_would_be_now(client, make, login):
    nb = northbrook(make)
    now = utcnow()
    make.open_poll(
        nb.network,
        title="Summer 1 dates",
        closes_at=now + timedelta(days=5),
        slots=[(now + timedelta(days=30), now + timedelta(days=30, hours=2))],
    )
    make.meeting(nb.network, title="Autumn 2 network meeting", days_ahead=3)
    login(nb.member)
    page = client.get("/account/digest/preview").get_data(as_text=True)
    assert (
        "Summer 1 dates" in page and "Autumn 2 network meeting" in page and "You have not replied yet" in page
    )
    assert page.index("Needs you") < page.index("Coming up")
    login(nb.observer)  # observers do not vote: the poll is not theirs to answer
    page = client.get("/account/digest/preview").get_data(as_text=True)
    assert "Summer 1 dates" not in page and "Autumn 2 network meeting" in page
    assert 'href="/account/digest"' in page  # the "Digest" link in the service navigation


def test_someone_with_nothing_to_hear_sees_that_nothing_would_be_sent(client, make, login):
    org = make.organisation(slug="nb")
    admin = make.user(org, is_admin=True)
    page = login(admin).get("/account/digest/preview").get_data(as_text=True)
    assert "nothing to tell you" in page


def test_a_digest_never_holds_another_organisation_s_networks(app_context, make):
    north = northbrook(make, "nb")
    south = northbrook(make, "sb")
    now = utc("2026-11-30T07:00")
    poll_needing_answers(make, south.network, opened=now - timedelta(days=1), title="South only poll")
    make.meeting(
        south.network,
        title="South only meeting",
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=2),
    )
    assert preview(north.member, now).is_empty
    assert [i.title for i in preview(south.member, now).items] == ["South only poll", "South only meeting"]


def test_someone_in_two_organisations_sees_both_each_labelled(app_context, make):
    north = northbrook(make, "nb")
    south = northbrook(make, "sb")
    now = utc("2026-11-30T07:00")
    make.join(north.member, south.org, school=south.primary)
    poll_needing_answers(make, north.network, opened=now - timedelta(days=1), title="North poll")
    poll_needing_answers(make, south.network, opened=now - timedelta(days=1), title="South poll")
    digest = preview(north.member, now)
    labels = [group.label for part in digest.parts for group in part.groups]
    assert sorted(labels) == ["North SENCOs (Nb Council)", "North SENCOs (Sb Council)"]
    # ...and a network role in an organisation they have left lets nothing through.
    db.session.execute(
        sa.text("DELETE FROM membership WHERE user_id = :u AND organisation_id = :o"),
        {"u": north.member.id, "o": south.org.id},
    )
    db.session.commit()
    assert [i.title for i in preview(north.member, now).items] == ["North poll"]


def test_the_undelivered_list_shows_only_the_admin_s_own_organisation(client, make, login):
    from cluster.digests.models import DigestDelivery

    north, south = northbrook(make, "nb"), northbrook(make, "sb")
    now = utc("2026-11-30T07:00")
    for person in (north.member, south.member):
        db.session.add(
            DigestDelivery(
                user_id=person.id,
                period="W2026-49",
                frequency="weekly",
                scheduled_for=now,
                covers_from=now - timedelta(days=7),
                covers_until=now,
                status="failed",
                attempts=5,
                created_at=now,
                last_error="The mail server answered 550 No such mailbox",
            )
        )
    db.session.commit()
    admin = make.user(north.org, email="admin@nb.example", is_admin=True)
    page = login(admin).get("/o/nb/digests/undelivered").get_data(as_text=True)
    assert "ben@nb.example" in page and "ben@sb.example" not in page and "550 No such mailbox" in page
    assert "/o/nb/digests/undelivered" in client.get("/account/digest").get_data(as_text=True)
