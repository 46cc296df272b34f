"""Ranking proposals for a meeting (support and phase reach), and the members' list: sorted by
support or newest, filtered by phase and kind."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

from cluster.agenda.queries import candidates_page, network_phase_groups
from cluster.agenda.ranking import REACH_WEIGHT, concerns, reach
from cluster.agenda.services import set_support
from cluster.extensions import db, utcnow
from tests.agenda.helpers import build_world


def test_reach_counts_the_schools_an_item_concerns():
    mixed = Counter({"primary": 6, "secondary": 2, "all-through": 1, "special": 1})
    assert reach(mixed, True, True, True) == 1.0
    assert reach(mixed, True, False, False) == 7 / 10  # the all-through school counts for primary
    assert reach(mixed, False, True, False) == 3 / 10
    assert reach(mixed, False, False, True) == 1 / 10
    assert reach(Counter(), True, True, True) == 0.0
    assert concerns("all-through", False, True, False) and not concerns("special", True, True, False)


def test_candidates_rank_by_support_and_phase_reach(make):
    w = build_world(make)  # two primary schools, one secondary, one special
    secondary_only = make.agenda_item(
        w.network,
        w.secondary,
        school=w.schools["ashcombe"],
        title="GCSE access arrangements",
        phases=("secondary",),
    )
    for_everyone = make.agenda_item(
        w.network, w.primary, school=w.schools["fernhill"], title="EHCP annual reviews", phases=("all",)
    )
    primary_only = make.agenda_item(
        w.network, w.primary, school=w.schools["fernhill"], title="Phonics interventions", phases=("primary",)
    )
    # Two more supporters for the secondary item: 3 supporters, reach 1/4 -> 3.75; everyone: 1 + 3 = 4.0; primary 1 + 1.5.
    set_support(secondary_only, w.special, w.schools["oakfield"], True)
    set_support(secondary_only, w.organiser, None, True)
    db.session.commit()
    groups = network_phase_groups(w.network)
    assert groups == Counter({"primary": 2, "secondary": 1, "special": 1})
    _, ranked = candidates_page(w.network, w.meeting, groups, 1)
    assert [c.item.title for c in ranked] == [
        "EHCP annual reviews",
        "GCSE access arrangements",
        "Phonics interventions",
    ]
    assert ranked[0].score == 1 + REACH_WEIGHT and ranked[0].schools_concerned == 4
    assert ranked[1].schools_concerned == 1 and ranked[2].schools_concerned == 2

    # One more supporter and the secondary item overtakes; an item aimed at this meeting comes first whatever its score.
    set_support(secondary_only, w.primary, w.schools["fernhill"], True)
    aimed = make.agenda_item(
        w.network,
        w.special,
        school=w.schools["oakfield"],
        title="Outreach offer",
        phases=("special",),
        target_meeting=w.meeting,
    )
    db.session.commit()
    _, ranked = candidates_page(w.network, w.meeting, groups, 1)
    assert [c.item.title for c in ranked] == [
        "Outreach offer",
        "GCSE access arrangements",
        "EHCP annual reviews",
        "Phonics interventions",
    ]
    assert ranked[0].for_this_meeting and aimed.support_count == 1 and for_everyone.support_count == 1
    assert primary_only.support_count == 1


def test_builder_shows_the_ranking(client, make, login):
    w = build_world(make)
    make.agenda_item(
        w.network,
        w.secondary,
        school=w.schools["ashcombe"],
        title="Post-16 transition",
        phases=("secondary",),
    )
    make.agenda_item(
        w.network,
        w.primary,
        school=w.schools["fernhill"],
        title="Speech and language referrals",
        phases=("all",),
    )
    make.agenda(w.meeting)
    login(w.organiser)
    page = client.get(f"{w.base}/meetings/{w.meeting.id}/agenda/build").get_data(as_text=True)
    assert page.index("Speech and language referrals") < page.index("Post-16 transition")
    assert "4 of 4" in page and "1 of 4" in page


def _titles(page: str) -> list[str]:
    listed = page.split('id="items"', 1)[1].split("</ul>", 1)[0] if 'id="items"' in page else ""
    return re.findall(r'govuk-!-font-weight-bold" href="[^"]+">([^<]+)</a>', listed)


def test_members_sort_and_filter_the_proposals(client, make, login):
    w = build_world(make)
    now = utcnow()
    make.agenda_item(
        w.network,
        w.primary,
        school=w.schools["fernhill"],
        title="Phonics",
        phases=("primary",),
        kind="training",
        created_at=now - timedelta(days=3),
    )
    gcse = make.agenda_item(
        w.network,
        w.secondary,
        school=w.schools["ashcombe"],
        title="GCSE access",
        phases=("secondary",),
        kind="discussion",
        created_at=now - timedelta(days=2),
    )
    make.agenda_item(
        w.network,
        w.special,
        school=w.schools["oakfield"],
        title="EP consultation model",
        phases=("all",),
        kind="guest_speaker",
        created_at=now - timedelta(days=1),
    )
    set_support(gcse, w.primary, w.schools["fernhill"], True)
    db.session.commit()
    login(w.secondary)
    url = f"{w.base}/networks/{w.network.id}/agenda-items"
    page = client.get(url).get_data(as_text=True)
    assert _titles(page)[0] == "GCSE access" and "2 supporters</strong> including you" in page
    assert _titles(client.get(url + "?sort=newest").get_data(as_text=True)) == [
        "EP consultation model",
        "GCSE access",
        "Phonics",
    ]
    # A secondary SENCO sees what matters to secondary: the secondary items and those for every phase.
    secondary = client.get(url + "?phase=secondary").get_data(as_text=True)
    assert sorted(_titles(secondary)) == ["EP consultation model", "GCSE access"]
    assert "Secondary (your school)" in secondary and "Your phase" in secondary
    assert _titles(client.get(url + "?kind=guest_speaker").get_data(as_text=True)) == [
        "EP consultation model"
    ]
    assert _titles(client.get(url + "?phase=special&kind=training").get_data(as_text=True)) == []
    # Nonsense in the query string falls back to the defaults rather than failing.
    odd = client.get(url + "?phase=%00&kind=<x>&sort=1;drop&status=zzz&page=99999999999999999999")
    assert odd.status_code == 200


def test_the_proposals_list_pages_through_long_histories(client, make, login):
    w = build_world(make)
    for n in range(30):
        make.agenda_item(w.network, w.primary, school=w.schools["fernhill"], title=f"Topic {n:02d}")
    login(w.primary)
    url = f"{w.base}/networks/{w.network.id}/agenda-items?sort=newest"
    first, second = client.get(url).get_data(as_text=True), client.get(url + "&page=2").get_data(as_text=True)
    assert len(_titles(first)) == 25 and len(_titles(second)) == 5
    assert (
        "Open proposals (30)" in first
        and 'rel="next"' in first
        and "sort=newest" in first.split('rel="next"')[0].rsplit("href=", 1)[1]
    )
