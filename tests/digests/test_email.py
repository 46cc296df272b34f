"""The digest as mail providers and readers see it: headers, both parts, links, one-click unsubscribe."""

from __future__ import annotations

import re
from datetime import timedelta
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

from cluster.digests.delivery import send_due_digests
from cluster.digests.models import DigestPreference
from cluster.extensions import db
from tests.digests.helpers import deliveries, northbrook, poll_needing_answers, utc
from tests.helpers import parts

MONDAY = utc("2026-11-30T07:00")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.headings: list[str] = []
        self._href, self._text, self._heading = None, "", None
        self.lang = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "a":
            self._href, self._text = a.get("href"), ""
        if tag in ("h1", "h2", "h3"):
            self._heading = ""

    def handle_data(self, data):
        if self._href is not None:
            self._text += data
        if self._heading is not None:
            self._heading += data

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join(self._text.split())))
            self._href = None
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append(" ".join(self._heading.split()))
            self._heading = None


def _digest_for_ben(make, mailbox):
    nb = northbrook(make)
    poll_needing_answers(make, nb.network, opened=MONDAY - timedelta(days=3))
    meeting = make.meeting(
        nb.network,
        title="Autumn 2 network meeting",
        host_school_id=nb.primary.id,
        address="Community room",
        online_url="https://meet.example/north",
        starts_at=utc("2026-12-03T13:30"),
        ends_at=utc("2026-12-03T16:00"),
    )
    make.rsvp(meeting, nb.member, "maybe", mode="online")
    send_due_digests(MONDAY)
    message = next(m for m in mailbox if m["To"].addresses[0].addr_spec == "ben@nb.example")
    return nb, meeting, message


def test_the_digest_is_multipart_alternative_text_first_with_proper_headers(make, mailbox):
    nb, _, message = _digest_for_ben(make, mailbox)
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    (row,) = deliveries(nb.member)
    assert message["Message-ID"] == row.message_id and re.fullmatch(
        r"<[^<>@\s]+@cluster\.example>", row.message_id
    )
    assert parsedate_to_datetime(message["Date"]) == MONDAY
    sender = message["From"].addresses[0]
    assert sender.display_name == "cluster" and sender.addr_spec == "no-reply@cluster.example"
    assert message["To"].addresses[0].display_name == "Ben Clarke"
    assert message["Subject"] == "Your weekly digest: 1 needs you, 1 coming up"
    assert message["Auto-Submitted"] == "auto-generated"


def test_one_click_unsubscribe_headers_and_a_post_without_session_or_csrf_token(app, make, mailbox, csrf_on):
    nb, _, message = _digest_for_ben(make, mailbox)
    header = message["List-Unsubscribe"]
    assert re.fullmatch(r"<http://cluster\.test/unsubscribe/[\w.-]+>", header), header
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = urlsplit(header.strip("<>")).path
    client = app.test_client()  # no session, no cookie, no CSRF token: as a mail provider
    # A link scanner's GET changes nothing; it shows a button.
    page = client.get(path)
    assert (
        page.status_code == 200
        and "<button" in page.get_data(as_text=True)
        and "b•••@nb.example" in page.get_data(as_text=True)
    )
    assert (
        db.session.scalar(db.select(DigestPreference).where(DigestPreference.user_id == nb.member.id)) is None
    )
    response = client.post(
        path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    preference = db.session.scalar(
        db.select(DigestPreference).where(DigestPreference.user_id == nb.member.id)
    )
    assert preference.frequency == "off" and preference.unsubscribed_at is not None
    assert client.post(path).status_code == 200  # again: still fine, nothing changes
    make.open_poll(
        nb.network,
        title="Summer term dates",
        closes_at=utc("2026-12-20T17:00"),
        slots=[(utc("2027-05-04T13:30"), utc("2027-05-04T16:00"))],
    )
    mailbox.clear()
    send_due_digests(MONDAY + timedelta(days=7))
    assert [m["To"].addresses[0].addr_spec for m in mailbox] == ["priya@nb.example"]


def test_a_wrong_unsubscribe_token_is_not_found(client, make):
    nb = northbrook(make)
    for token in (f"{nb.member.id}.forged", "x", f"{nb.other.id}.{'A' * 43}", "99999999999999999999.x"):
        assert client.get(f"/unsubscribe/{token}").status_code == 404
        assert client.post(f"/unsubscribe/{token}").status_code == 404


def test_both_parts_say_the_same_with_absolute_links_that_work(app, make, mailbox, login):
    nb, meeting, message = _digest_for_ben(make, mailbox)
    text, html = parts(message)
    for body in (text, html):
        assert "Spring 2 meeting dates" in body and "Tuesday 1 December 2026, 17:00" in body
        assert "Autumn 2 network meeting" in body and "Thursday 3 December 2026, 13:30 to 16:00" in body
        assert "Fernhill Primary School, NB3 1AB, Community room, or online" in body
        assert "Your reply: maybe, online" in body
        assert "http://cluster.test/account/digest" in body and "http://cluster.test/unsubscribe/" in body
    assert text.index("NEEDS YOU") < text.index("COMING UP")
    parser = Links()
    parser.feed(html)
    assert parser.lang == "en-GB"
    assert parser.headings[:4] == ["Your weekly digest", "Needs you", "North SENCOs", "Coming up"]
    texts = {label for _, label in parser.links}
    assert {
        "Spring 2 meeting dates",
        "Autumn 2 network meeting",
        "Join Autumn 2 network meeting online",
        "Change your digest preferences",
        "unsubscribe from the digest",
    } <= texts
    assert not texts & {"here", "click here", "link", "more"}
    client = login(nb.member)
    for href, label in parser.links:
        assert href.startswith(("http://cluster.test/", "https://meet.example/")), href
        if href.startswith("http://cluster.test/") and "/unsubscribe/" not in href:
            assert client.get(urlsplit(href).path).status_code == 200, (label, href)
    assert set(re.findall(r"http://cluster\.test/\S+", text)) == {
        h for h, _ in parser.links if h.startswith("http://cluster.test/")
    }


def test_times_are_on_the_reader_s_clock(make, mailbox):
    nb = northbrook(make)
    nb.member.time_zone = "Europe/Paris"
    db.session.commit()
    poll_needing_answers(make, nb.network, opened=MONDAY - timedelta(days=3))
    send_due_digests(utc("2026-11-30T06:00"))  # 07:00 in Paris
    text, _ = parts(mailbox[0])
    assert mailbox[0]["To"].addresses[0].addr_spec == "ben@nb.example"
    assert "Tuesday 1 December 2026, 18:00" in text and "Europe/Paris time" in text
