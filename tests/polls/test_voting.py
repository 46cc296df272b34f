"""Members answer each slot yes / if need be / no, change their answers until the poll closes,
comment, and answer for their named deputy; observers look but do not vote. The page is a list
of GOV.UK radios fieldsets that works without JavaScript; poll.mjs saves in place through JSON."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from cluster.extensions import db
from cluster.polls.models import PollAnswer, PollComment
from tests.polls.conftest import membership_of
from tests.polls.helpers import make_poll


def answers_of(user) -> dict[tuple[int, bool], str]:
    rows = db.session.execute(
        sa.select(PollAnswer.slot_id, PollAnswer.for_deputy, PollAnswer.answer).where(
            PollAnswer.user_id == user.id
        )
    )
    return {(slot_id, for_deputy): answer for slot_id, for_deputy, answer in rows}


def test_the_answer_form_is_a_list_of_radios_fieldsets_that_works_without_javascript(client, login, net):
    poll = make_poll(net.network, "2027-06-08", "2027-06-15")
    login(net.people.fern1)
    page = client.get(f"{net.base}/{poll.id}").get_data(as_text=True)
    first = poll.slots[0]
    assert page.count('<fieldset class="govuk-fieldset"') == 2
    assert "Tuesday 8 June 2027, 13:30 to 16:00" in page and "Tuesday 15 June 2027, 13:30 to 16:00" in page
    for value in ("yes", "maybe", "no"):
        assert f'name="slot-{first.id}" type="radio" value="{value}"' in page
    assert page.count("If need be") == 2
    assert f'action="{net.base}/{poll.id}/answers"' in page and 'name="comment"' in page
    assert 'aria-live="polite"' in page and "<script>" not in page
    assert '<script type="module" src="/static/js/poll.mjs"></script>' in page
    assert "You can see everyone's answers once you have given yours." in page


def test_members_answer_and_change_their_answers(client, login, net):
    poll = make_poll(net.network)
    first, second = poll.slots
    login(net.people.fern1)
    url = f"{net.base}/{poll.id}/answers"
    response = client.post(
        url, data={f"slot-{first.id}": "yes", f"slot-{second.id}": "no", "comment": "  Mornings are hard  "}
    )
    assert response.status_code == 302 and response.headers["Location"] == f"{net.base}/{poll.id}"
    assert answers_of(net.people.fern1) == {(first.id, False): "yes", (second.id, False): "no"}
    client.post(url, data={f"slot-{first.id}": "maybe", "comment": "Afternoons only"})
    db.session.expire_all()
    assert answers_of(net.people.fern1) == {
        (first.id, False): "maybe",
        (second.id, False): "no",
    }  # the other is kept
    assert db.session.scalar(sa.select(PollComment.body)) == "Afternoons only"
    page = client.get(f"{net.base}/{poll.id}").get_data(as_text=True)
    assert f'name="slot-{first.id}" type="radio" value="maybe" checked' in page and "Afternoons only" in page
    client.post(url, data={f"slot-{first.id}": "maybe", "comment": ""})
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(PollComment)) == 0
    )  # an empty comment removes it


def test_answers_save_in_place_as_json_when_asked(client, login, net):
    poll = make_poll(net.network)
    first, _ = poll.slots
    login(net.people.oak)
    url = f"{net.base}/{poll.id}/answers"
    saved = client.post(url, data={f"slot-{first.id}": "yes"}, headers={"Accept": "application/json"})
    assert saved.status_code == 200 and saved.json == {"saved": True, "message": "Saved"}
    refused = client.post(url, data={f"slot-{first.id}": "perhaps"}, headers={"Accept": "application/json"})
    assert refused.status_code == 400 and refused.json["saved"] is False
    assert answers_of(net.people.oak) == {(first.id, False): "yes"}


def test_an_empty_or_bad_answer_is_a_message_not_a_crash(client, login, net):
    poll = make_poll(net.network)
    login(net.people.oak)
    response = client.post(f"{net.base}/{poll.id}/answers", data={"comment": "No idea yet"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in page
    assert "Choose yes, if need be or no for at least one date" in page and "No idea yet" in page
    assert answers_of(net.people.oak) == {}


def test_a_member_answers_for_their_named_deputy(client, login, net):
    membership_of(net.people.ash).deputy_name = "Dev Deputy"
    db.session.commit()
    poll = make_poll(net.network)
    first, second = poll.slots
    login(net.people.ash)
    page = client.get(f"{net.base}/{poll.id}").get_data(as_text=True)
    assert "Can Dev Deputy come?" in page and f'name="deputy-{first.id}"' in page
    client.post(
        f"{net.base}/{poll.id}/answers",
        data={f"slot-{first.id}": "no", f"deputy-{first.id}": "yes", f"slot-{second.id}": "no"},
    )
    assert answers_of(net.people.ash) == {
        (first.id, False): "no",
        (first.id, True): "yes",
        (second.id, False): "no",
    }
    results = client.get(f"{net.base}/{poll.id}/results").get_data(as_text=True)
    assert "Dev Deputy, Ashcombe High (deputy; answered by Asha Ashcombe)" in results
    assert "1 of 4 (1 yes, 0 if need be)" in results  # the deputy's yes brings Ashcombe High


def test_without_a_named_deputy_deputy_answers_are_ignored(client, login, net):
    poll = make_poll(net.network)
    first, _ = poll.slots
    login(net.people.oak)
    assert "deputy-" not in client.get(f"{net.base}/{poll.id}").get_data(as_text=True)
    client.post(
        f"{net.base}/{poll.id}/answers", data={f"slot-{first.id}": "yes", f"deputy-{first.id}": "yes"}
    )
    assert answers_of(net.people.oak) == {(first.id, False): "yes"}


def test_observers_see_results_but_cannot_vote(client, login, net):
    poll = make_poll(net.network)
    first, _ = poll.slots
    login(net.people.observer)
    page = client.get(f"{net.base}/{poll.id}").get_data(as_text=True)
    assert "Dates offered" in page and 'name="slot-' not in page and "poll.mjs" not in page
    assert client.get(f"{net.base}/{poll.id}/results").status_code == 200
    assert client.post(f"{net.base}/{poll.id}/answers", data={f"slot-{first.id}": "yes"}).status_code == 403
    assert answers_of(net.people.observer) == {}


def test_people_outside_the_network_get_404(client, login, net):
    poll = make_poll(net.network)
    login(net.people.outsider)
    for url in (net.base, f"{net.base}/{poll.id}", f"{net.base}/{poll.id}/results"):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"{net.base}/{poll.id}/answers", data={f"slot-{poll.slots[0].id}": "yes"}).status_code
        == 404
    )


def test_members_see_the_results_once_they_have_answered(client, login, net):
    poll = make_poll(net.network)
    login(net.people.oak)
    before = client.get(f"{net.base}/{poll.id}/results")
    assert before.status_code == 302 and before.headers["Location"] == f"{net.base}/{poll.id}"
    client.post(f"{net.base}/{poll.id}/answers", data={f"slot-{poll.slots[0].id}": "yes"})
    after = client.get(f"{net.base}/{poll.id}/results").get_data(as_text=True)
    assert "Dates, best first" in after and "Omar Oakwood, Oakwood Primary" in after
    assert "Not answered yet" not in after  # who has not answered is for organisers


def test_no_answers_after_the_poll_closes(client, login, net, now):
    poll = make_poll(net.network)
    first, _ = poll.slots
    login(net.people.oak)
    client.post(f"{net.base}/{poll.id}/answers", data={f"slot-{first.id}": "yes"})
    poll.closes_at = now - timedelta(minutes=1)  # past its closing time, before close-due has run
    db.session.commit()
    refused = client.post(
        f"{net.base}/{poll.id}/answers",
        data={f"slot-{first.id}": "no"},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 409 and "closed" in refused.json["message"]
    page = client.get(f"{net.base}/{poll.id}").get_data(as_text=True)
    assert "Your answers" in page and 'type="radio"' not in page and "See the results" in page
    assert answers_of(net.people.oak) == {(first.id, False): "yes"}


def test_the_poll_list_shows_open_polls_first(client, login, net):
    closed = make_poll(net.network, title="Spring meeting")
    closed.status = "closed"
    db.session.commit()
    make_poll(net.network, title="Summer meeting")
    login(net.people.fern1)
    page = client.get(net.base).get_data(as_text=True)
    assert page.index("Summer meeting") < page.index("Spring meeting")
    assert "You have not answered yet." in page and "Open a date poll" not in page
    network_page = client.get(f"/o/nb/networks/{net.network.id}").get_data(as_text=True)
    assert f'href="{net.base}"' in network_page


def test_saving_in_place_keeps_csrf_protection(client, login, net, csrf_on):
    import re

    poll = make_poll(net.network)
    first, _ = poll.slots
    login(net.people.oak)
    page = client.get(f"{net.base}/{poll.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    url, json = f"{net.base}/{poll.id}/answers", {"Accept": "application/json"}
    assert client.post(url, data={f"slot-{first.id}": "yes"}, headers=json).status_code == 400
    assert answers_of(net.people.oak) == {}
    saved = client.post(
        url, data={"csrf_token": token, f"slot-{first.id}": "yes"}, headers=json
    )  # what poll.mjs sends
    assert saved.status_code == 200 and saved.json["saved"] is True
    assert answers_of(net.people.oak) == {(first.id, False): "yes"}


def test_an_organiser_who_is_a_member_schools_senco_votes_too(client, login, make, net):
    from cluster.networks.services import appoint

    lead = make.user(net.org, email="lead@nb.example", name="Lena Lead", school=net.schools.oakwood)
    appoint(net.network, lead, "organiser")
    db.session.commit()
    poll = make_poll(net.network)
    login(lead)
    assert f'name="slot-{poll.slots[0].id}"' in client.get(f"{net.base}/{poll.id}").get_data(as_text=True)
    assert (
        client.post(f"{net.base}/{poll.id}/answers", data={f"slot-{poll.slots[0].id}": "yes"}).status_code
        == 302
    )
    assert "Not answered yet (5)" in client.get(f"{net.base}/{poll.id}/results").get_data(as_text=True)
