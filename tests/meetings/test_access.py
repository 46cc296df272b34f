"""load_meeting: a meeting is loaded as its network is (404 for what a person may not even see, 403
for what they see but may not do), and a draft is only for those who can organise its network."""

from __future__ import annotations

import pytest

from cluster.meetings.access import load_meeting
from tests.networks.helpers import FORBIDDEN, NOT_FOUND, OK, answer, network_place

WHO = ("member", "observer", "organiser", "admin", "outsider")


@pytest.fixture()
def place(make):
    return network_place(make)


def _answers(app, place, meeting, need: str) -> tuple:
    return tuple(
        answer(app, getattr(place.people, who), place.org, load_meeting, meeting.id, need) for who in WHO
    )


@pytest.mark.parametrize(
    "need, expected",
    [
        ("view", (OK, OK, OK, OK, NOT_FOUND)),
        ("take_part", (OK, FORBIDDEN, OK, OK, NOT_FOUND)),
        ("organise", (FORBIDDEN, FORBIDDEN, OK, OK, NOT_FOUND)),
    ],
)
def test_a_scheduled_meeting_is_loaded_as_its_network_is(app, make, place, need, expected):
    meeting = make.meeting(place.network, status="scheduled")
    assert _answers(app, place, meeting, need) == expected


@pytest.mark.parametrize("need", ["view", "take_part", "organise"])
def test_a_draft_is_404_for_everyone_who_cannot_organise_its_network(app, make, place, need):
    draft = make.meeting(place.network, status="draft")
    assert _answers(app, place, draft, need) == (NOT_FOUND, NOT_FOUND, OK, OK, NOT_FOUND)


def test_another_organisations_meeting_and_a_missing_one_are_404_even_for_an_admin(app, make, place):
    foreign = make.meeting(place.foreign, status="scheduled")
    for meeting_id in (foreign.id, foreign.id + 1000, "x"):
        assert answer(app, place.people.admin, place.org, load_meeting, meeting_id) == NOT_FOUND


def test_every_page_of_a_draft_is_404_for_a_member(client, login, make, place):
    """The meeting page, its agenda, the register and booking a speaker answer alike."""
    draft = make.meeting(place.network, status="draft")
    base = f"/o/nb/meetings/{draft.id}"
    login(place.people.member)
    for url in (base, f"{base}/agenda", f"{base}/register", f"{base}/speakers/new", f"{base}/calendar.ics"):
        assert client.get(url).status_code == 404, url
    login(place.people.organiser)
    for url in (base, f"{base}/agenda", f"{base}/register", f"{base}/speakers/new"):
        assert client.get(url).status_code in (200, 302), url
