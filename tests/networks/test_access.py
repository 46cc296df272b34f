"""load_network: 404 for a network a person may not even see, 403 for one they see but may not use
as the page needs; and the standing each person has (cluster.networks.queries states the rule)."""

from __future__ import annotations

import pytest

from cluster.networks.access import NEEDS, load_network, network_access
from tests.networks.helpers import FORBIDDEN, NOT_FOUND, OK, answer, membership, network_place


@pytest.fixture()
def place(make):
    return network_place(make)


#: What each need answers the member, the observer, the organiser, the org admin and an outsider (a
#: SENCO of a school outside the network) of the network's organisation.
EXPECTED = {
    "view": (OK, OK, OK, OK, NOT_FOUND),
    "take_part": (OK, FORBIDDEN, OK, OK, NOT_FOUND),
    "vote": (OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND),
    "role": (OK, OK, OK, FORBIDDEN, NOT_FOUND),
    "member": (OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND),
    "organise": (FORBIDDEN, FORBIDDEN, OK, OK, NOT_FOUND),
    "administer": (FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND),
    "organisation": (OK, OK, OK, OK, OK),
}


def test_every_need_is_in_the_table():
    assert set(EXPECTED) == set(NEEDS)


@pytest.mark.parametrize("need", sorted(EXPECTED))
def test_invisible_is_404_and_visible_but_not_allowed_is_403(app, place, need):
    people = place.people
    who = (people.member, people.observer, people.organiser, people.admin, people.outsider)
    got = tuple(answer(app, user, place.org, load_network, place.network.id, need) for user in who)
    assert got == EXPECTED[need]


@pytest.mark.parametrize("need", sorted(EXPECTED))
def test_another_organisations_network_and_a_missing_one_are_404_even_for_an_admin(app, place, need):
    admin = place.people.admin
    for network_id in (place.foreign.id, place.foreign.id + 1000, "x", 2**63):
        assert answer(app, admin, place.org, load_network, network_id, need) == NOT_FOUND


def test_an_unknown_need_is_a_mistake_in_the_code(app, place):
    with pytest.raises(ValueError):
        answer(app, place.people.admin, place.org, load_network, place.network.id, "edit")


def test_an_appointment_wins_over_the_school_and_observers_do_not_vote(app_context, place):
    people = place.people
    standing = {
        name: network_access(membership(user, place.org), place.network)
        for name, user in vars(people).items()
    }
    assert (standing["member"].role, standing["member"].votes) == ("member", True)
    assert (standing["organising_senco"].role, standing["organising_senco"].votes) == ("organiser", True)
    assert (standing["organiser"].role, standing["organiser"].votes) == ("organiser", False)
    assert (standing["observing_senco"].role, standing["observing_senco"].votes) == ("observer", False)
    assert (standing["admin"].role, standing["admin"].is_org_admin) == (None, True)
    assert standing["admin"].can_view and not standing["admin"].has_role
    assert (standing["outsider"].role, standing["outsider"].can_view) == (None, False)


def test_the_organisers_own_school_lets_them_vote_on_the_page(app, place):
    people = place.people
    assert answer(app, people.organising_senco, place.org, load_network, place.network.id, "vote") == OK
    assert answer(app, people.observing_senco, place.org, load_network, place.network.id, "vote") == FORBIDDEN
