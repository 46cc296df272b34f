"""The demo: Northbrook's organiser and SENCOs see a realistic digest in the preview at once, and
running the job once writes their digests into the outbox."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.digests.delivery import send_due_digests
from cluster.digests.models import DigestPreference
from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting
from cluster.timeutil import LONDON, local_to_utc
from cluster.web.demo.builder import build_demo
from cluster.web.demo.digests import build_digest_demo
from tests.helpers import parts


def _monday_afternoon() -> datetime:
    """This Monday (today, if it is one) or next, at 12:40 in London: the weekly digests are due,
    and the preview, which reads the real clock, sees the same polls still open and meetings ahead."""
    today = utcnow().astimezone(LONDON).date()
    return local_to_utc(today + timedelta(days=-today.weekday() % 7), time(12, 40))


NOW = _monday_afternoon()


def _outbox(path: Path) -> dict[str, object]:
    messages = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in sorted(path.glob("*.eml"))]
    return {m["To"].addresses[0].addr_spec: m for m in messages}


def test_the_demo_digests_are_ready_and_written_to_the_outbox(app, make, tmp_path, monkeypatch, login):
    build_demo()
    assert build_digest_demo(NOW) is True
    db.session.commit()
    counts = (
        db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)),
        db.session.scalar(sa.select(sa.func.count()).select_from(DigestPreference)),
    )
    assert build_digest_demo(NOW) is False  # once only
    db.session.commit()
    assert counts == (
        db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)),
        db.session.scalar(sa.select(sa.func.count()).select_from(DigestPreference)),
    )

    monkeypatch.setitem(app.config, "MAIL_BACKEND", "file")
    monkeypatch.setitem(app.config, "CLUSTER_OUTBOX", str(tmp_path))
    report = send_due_digests(NOW)
    outbox = _outbox(tmp_path)
    assert report.sent == len(outbox) >= 20
    senco1, _ = parts(outbox["senco1@northbrook.example"])
    for words in (
        "NEEDS YOU",
        "Spring 2 meeting: which dates suit you?",
        "COMING UP",
        "Autumn 2 network meeting",
        "You have not replied yet",
        "NEW IN THE LAST WEEK",
        "Spring 1 network meeting",
    ):
        assert words in senco1, words
    organiser, _ = parts(outbox["organiser@northbrook.example"])
    assert (
        "Exam access arrangements briefing" in organiser
        and "Cancelled: Moderation of top-up requests" in organiser
    )
    assert "daily" in outbox["senco2@northbrook.example"]["Subject"]
    assert send_due_digests(NOW).sent == 0  # and only once

    senco1_user = db.session.scalar(sa.select(User).where(User.email == "senco1@northbrook.example"))
    page = login(senco1_user).get("/account/digest/preview").get_data(as_text=True)
    assert "Spring 2 meeting: which dates suit you?" in page and "Autumn 2 network meeting" in page
