"""Members propose, support (once each, schools shown), comment and change their own items;
organisers decline with a reason only the proposer (and organisers) see."""

from __future__ import annotations

import sqlalchemy as sa

from cluster.agenda.models import AgendaComment, AgendaItem, AgendaSupport
from cluster.extensions import db
from tests.agenda.helpers import build_world
from tests.helpers import parts

PROPOSAL = {
    "title": "Exam access arrangements 2031",
    "description": "Who has the **new** JCQ forms?\n\n<script>alert(1)</script>",
    "kind": "discussion",
    "phases": ["secondary"],
    "minutes_needed": "20",
    "target_meeting_id": "any",
}


def test_a_member_proposes_and_supports_their_item(client, make, login):
    w = build_world(make)
    login(w.secondary)
    response = client.post(
        f"{w.base}/networks/{w.network.id}/agenda-items/new",
        data={**PROPOSAL, "target_meeting_id": str(w.meeting.id)},
    )
    item = db.session.scalar(sa.select(AgendaItem))
    assert response.headers["Location"] == f"{w.base}/networks/{w.network.id}/agenda-items/{item.id}"
    assert (item.for_primary, item.for_secondary, item.for_special) == (False, True, False)
    assert (
        item.target_meeting_id == w.meeting.id
        and item.support_count == 1
        and item.proposer_school_id == w.schools["ashcombe"].id
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>new</strong>" in page and "<script>alert(1)</script>" not in page
    assert "Withdraw your support" in page and "Ashcombe High" in page


def test_proposal_form_explains_its_errors_and_keeps_what_was_typed(client, make, login):
    w = build_world(make)
    login(w.primary)
    page = client.post(
        f"{w.base}/networks/{w.network.id}/agenda-items/new",
        data={
            **PROPOSAL,
            "kind": "gossip",
            "phases": [],
            "minutes_needed": "999",
            "target_meeting_id": "12345",
        },
    ).get_data(as_text=True)
    for message in (
        "Choose what kind of item this is",
        "Choose the phases it concerns",
        "Minutes needed must be a whole number",
        "Choose one of the network&#39;s coming meetings",
    ):
        assert message in page, message
    assert 'value="Exam access arrangements 2031"' in page and 'value="999"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaItem)) == 0


def test_one_support_per_member_with_their_school_shown(client, make, login):
    w = build_world(make)
    item = make.agenda_item(w.network, w.secondary, school=w.schools["ashcombe"], title="GCSE access")
    url = f"{w.base}/networks/{w.network.id}/agenda-items/{item.id}"
    login(w.primary)
    client.post(url + "/support", data={"want": "yes"})
    client.post(url + "/support", data={"want": "yes"})  # a double click changes nothing
    db.session.refresh(item)
    assert item.support_count == 2
    page = client.get(url).get_data(as_text=True)
    supporters = page.split("Supported by 2")[1]
    assert "Fernhill Primary" in supporters and "Ashcombe High" in supporters
    client.post(url + "/support", data={"want": "no"})
    db.session.refresh(item)
    assert item.support_count == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaSupport)) == 1


def test_comments_are_plain_text_and_need_words(client, make, login):
    w = build_world(make)
    item = make.agenda_item(w.network, w.secondary, school=w.schools["ashcombe"], title="GCSE access")
    url = f"{w.base}/networks/{w.network.id}/agenda-items/{item.id}"
    login(w.special)
    response = client.post(url + "/comments", data={"body": "   "})
    assert response.status_code == 400 and "Enter your comment" in response.get_data(as_text=True)
    client.post(url + "/comments", data={"body": "We use the <b>same</b> forms.\nHappy to share."})
    page = client.get(url).get_data(as_text=True)
    assert (
        "We use the &lt;b&gt;same&lt;/b&gt; forms." in page
        and "Rachel Green" in page
        and "Oakfield Special" in page
    )
    db.session.refresh(item)
    assert (
        item.comment_count == 1
        and db.session.scalar(sa.select(sa.func.count()).select_from(AgendaComment)) == 1
    )


def test_only_the_proposer_and_organisers_change_an_open_item(client, make, login):
    w = build_world(make)
    item = make.agenda_item(
        w.network, w.secondary, school=w.schools["ashcombe"], title="GCSE access", phases=("secondary",)
    )
    url = f"{w.base}/networks/{w.network.id}/agenda-items/{item.id}/edit"
    login(w.primary)
    assert client.get(url).status_code == 403
    login(w.secondary)
    assert 'value="GCSE access"' in client.get(url).get_data(as_text=True)
    client.post(
        url, data={**PROPOSAL, "title": "GCSE and A level access", "phases": ["secondary", "special"]}
    )
    db.session.refresh(item)
    assert item.title == "GCSE and A level access" and item.for_special and item.support_count == 1
    item.status = "placed"
    db.session.commit()
    assert client.post(url, data=PROPOSAL).status_code == 302
    db.session.refresh(item)
    assert item.title == "GCSE and A level access"


def test_declined_items_are_closed_with_a_reason_the_proposer_sees(client, make, login, mailbox):
    w = build_world(make)
    item = make.agenda_item(w.network, w.secondary, school=w.schools["ashcombe"], title="Named pupil case")
    url = f"{w.base}/networks/{w.network.id}/agenda-items/{item.id}"
    login(w.organiser)
    assert "Say why" in client.post(url + "/decline", data={"reason": ""}).get_data(as_text=True)
    client.post(
        url + "/decline", data={"reason": "Individual pupils go to the moderation panel, not the network."}
    )
    db.session.refresh(item)
    assert item.status == "declined" and item.declined_at is not None
    assert [m["To"] for m in mailbox] == [w.secondary.email]
    text, html = parts(mailbox[0])
    assert "moderation panel" in text and "moderation panel" in html and url in text
    login(w.secondary)
    assert "moderation panel" in client.get(url).get_data(as_text=True)
    login(w.primary)
    page = client.get(url).get_data(as_text=True)
    assert "Declined on" in page and "moderation panel" not in page
    assert "Named pupil case" not in client.get(f"{w.base}/networks/{w.network.id}/agenda-items").get_data(
        as_text=True
    )
    assert "Named pupil case" in client.get(
        f"{w.base}/networks/{w.network.id}/agenda-items?status=declined"
    ).get_data(as_text=True)
    # Declined is closed: no more support, no second decline.
    client.post(url + "/support", data={"want": "yes"})
    db.session.refresh(item)
    assert item.support_count == 1


def test_standing_items_are_defined_per_network(client, make, login):
    w = build_world(make)
    login(w.organiser)
    url = f"{w.base}/networks/{w.network.id}/standing-items"
    assert "Enter a title" in client.post(
        url, data={"title": "", "minutes": "10", "placement": "start"}
    ).get_data(as_text=True)
    client.post(
        url, data={"title": "LA update", "minutes": "15", "presenter": "LA SEND team", "placement": "start"}
    )
    client.post(url, data={"title": "School updates", "minutes": "20", "placement": "end"})
    page = client.get(url).get_data(as_text=True)
    assert page.index("LA update") < page.index("School updates") and "At the end" in page
    from cluster.agenda.models import StandingItem

    first = db.session.scalar(sa.select(StandingItem).where(StandingItem.title == "LA update"))
    client.post(f"{url}/{first.id}/remove")
    agenda = make.agenda(w.meeting)
    from cluster.agenda.planning import slots_of

    assert [s.title for s in slots_of(agenda)] == ["School updates"]
    login(w.primary)
    assert client.get(url).status_code == 403
