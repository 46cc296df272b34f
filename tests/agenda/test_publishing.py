"""Publishing: everyone in the network is emailed the timed agenda (text and HTML, through the
real SMTP test server), proposers of placed items are told once, the meeting page shows it, and
there is a printable view and a plain Markdown export."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from cluster.agenda.models import Agenda
from cluster.agenda.planning import slots_of
from cluster.agenda.services import add_standing_item
from cluster.extensions import db
from tests.agenda.helpers import build_world, plan_form
from tests.helpers import link_in, parts


def _ready(make):
    w = build_world(make)
    add_standing_item(w.network, "LA update", 15, "LA SEND team")
    add_standing_item(w.network, "School updates", 20, at_end=True)
    db.session.commit()
    gcse = make.agenda_item(
        w.network, w.secondary, school=w.schools["ashcombe"], title="GCSE access arrangements", minutes=25
    )
    phonics = make.agenda_item(
        w.network, w.primary, school=w.schools["fernhill"], title="Phonics catch-up", minutes=20
    )
    agenda = make.agenda(w.meeting, items=[gcse, phonics])
    return w, agenda, gcse, phonics


def test_publishing_emails_the_timed_agenda_and_tells_proposers(client, make, login, mailbox):
    w, agenda, *_ = _ready(make)
    login(w.organiser)
    response = client.post(f"{w.base}/meetings/{w.meeting.id}/agenda/publish")
    assert response.headers["Location"] == f"{w.base}/meetings/{w.meeting.id}/agenda"
    db.session.refresh(agenda)
    assert (
        agenda.status == "published"
        and agenda.published_at is not None
        and agenda.published_version == agenda.plan_version
    )

    agendas = [m for m in mailbox if m["Subject"].startswith("Agenda: Spring 1 network meeting")]
    assert sorted(m["To"] for m in agendas) == sorted(
        u.email for u in (w.organiser, w.primary, w.secondary, w.special, w.observer)
    )
    text, html = parts(agendas[0])
    assert "13:30-13:45  LA update (LA SEND team)" in text
    assert "13:45-14:10  GCSE access arrangements" in text and "14:10-14:30  Phonics catch-up" in text
    assert "14:30-14:50  School updates" in text
    assert "<strong>GCSE access arrangements</strong>" in html and "13:45–14:10" in html
    assert link_in(agendas[0], "/o/nb/meetings/") == f"/o/nb/meetings/{w.meeting.id}/agenda"

    told = {m["To"]: m for m in mailbox if m["Subject"].startswith("Your item is on the agenda")}
    assert set(told) == {w.secondary.email, w.primary.email}
    assert "from 13:45 to 14:10" in parts(told[w.secondary.email])[0]

    # The meeting page shows the agenda to members.
    login(w.special)
    page = client.get(f"{w.base}/meetings/{w.meeting.id}").get_data(as_text=True)
    assert "Timed agenda" in page and "GCSE access arrangements" in page and "14:10–14:30" in page

    # Publishing again after a change is an update; proposers already told are not told twice.
    mailbox.clear()
    login(w.organiser)
    slot = next(s for s in slots_of(agenda) if s.title == "Phonics catch-up")
    client.post(
        f"{w.base}/meetings/{w.meeting.id}/agenda/plan",
        data=plan_form(agenda, **{f"minutes-{slot.id}": "30"}),
    )
    assert "It has changed since" in client.get(f"{w.base}/meetings/{w.meeting.id}/agenda").get_data(
        as_text=True
    )
    client.post(f"{w.base}/meetings/{w.meeting.id}/agenda/publish")
    assert {m["Subject"] for m in mailbox} == {
        "Updated agenda: Spring 1 network meeting, "
        + w.meeting.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/London")).strftime("%-d %B")
    }
    assert "14:10-14:40  Phonics catch-up" in parts(mailbox[0])[0]


def test_drafts_are_for_organisers_and_draft_meetings_cannot_publish(client, make, login, mailbox):
    w, *_ = _ready(make)
    login(w.primary)
    page = client.get(f"{w.base}/meetings/{w.meeting.id}").get_data(as_text=True)
    assert "The agenda has not been published yet" in page and "GCSE access arrangements" not in page
    assert client.get(f"{w.base}/meetings/{w.meeting.id}/agenda/agenda.md").status_code == 404
    draft = make.meeting(w.network, status="draft", title="Summer 2")
    make.agenda(draft)
    login(w.organiser)
    client.post(f"{w.base}/meetings/{draft.id}/agenda/publish")
    assert db.session.scalar(sa.select(Agenda.status).where(Agenda.meeting_id == draft.id)) == "draft"
    assert mailbox == []


def test_printable_view_and_markdown_export(client, make, login):
    w, *_ = _ready(make)
    login(w.organiser)
    client.post(f"{w.base}/meetings/{w.meeting.id}/agenda/publish")
    login(w.primary)
    printable = client.get(f"{w.base}/meetings/{w.meeting.id}/agenda/print").get_data(as_text=True)
    assert (
        'class="cluster-print"' in printable
        and "cluster-agenda-page" in printable
        and "13:45–14:10" in printable
    )
    css = client.get("/static/css/cluster.css").get_data(as_text=True)
    assert "@media print" in css and ".cluster-agenda-page .govuk-footer" in css
    export = client.get(f"{w.base}/meetings/{w.meeting.id}/agenda/agenda.md")
    assert export.mimetype == "text/markdown" and "attachment" in export.headers["Content-Disposition"]
    text = export.get_data(as_text=True)
    assert text.startswith("# Spring 1 network meeting\n")
    assert "## 2. 13:45–14:10 GCSE access arrangements" in text and "### Minutes" in text
    assert "_25 minutes; discussion; phases: all phases_" in text


def test_each_person_reads_the_agenda_on_their_own_clock_not_the_publishers(client, make, login, mailbox):
    w, agenda, *_ = _ready(make)
    w.organiser.time_zone = "America/New_York"  # publishing from abroad
    w.secondary.time_zone = "Asia/Kolkata"  # proposed the GCSE item
    db.session.commit()
    login(w.organiser)
    client.post(f"{w.base}/meetings/{w.meeting.id}/agenda/publish")

    def clock(zone: str, minutes: int = 0) -> str:
        """The meeting's start plus ``minutes`` on the clock of ``zone``."""
        return (w.meeting.starts_at + timedelta(minutes=minutes)).astimezone(ZoneInfo(zone)).strftime("%H:%M")

    agendas = {m["To"]: parts(m)[0] for m in mailbox if m["Subject"].startswith("Agenda:")}
    assert "13:30-13:45  LA update" in agendas[w.primary.email]  # Europe/London, like the meeting
    new_york = agendas[w.organiser.email]
    assert f"{clock('America/New_York')}-{clock('America/New_York', 15)}  LA update" in new_york
    kolkata = agendas[w.secondary.email]
    assert f"{clock('Asia/Kolkata', 15)}-{clock('Asia/Kolkata', 40)}  GCSE access arrangements" in kolkata
    assert "13:30" not in new_york and "13:30" not in kolkata
    [told] = [m for m in mailbox if m["To"] == w.secondary.email and m["Subject"].startswith("Your item")]
    assert f"from {clock('Asia/Kolkata', 15)} to {clock('Asia/Kolkata', 40)}" in parts(told)[0]
