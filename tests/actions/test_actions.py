"""Actions: recorded by organisers, closed by their owners, flagged when overdue, carried to the next
agenda as matters arising, on owners' home pages and in their digests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from cluster.actions.models import Action
from cluster.actions.services import ActionRuleError, record_action
from cluster.digests.services import preview
from cluster.extensions import db, utcnow
from cluster.timeutil import local_date


def _action(held, description="Send the transition template", owner=None, due=10, meeting=True):
    action = record_action(
        held.network,
        held.organiser,
        description=description,
        owner=owner or f"school-{held.schools[0].id}",
        due_on=local_date(utcnow()) + timedelta(days=due),
        meeting_id=held.meeting.id if meeting else None,
    )
    db.session.commit()
    return action


def test_an_organiser_records_an_action_through_the_form(login, held):
    client = login(held.organiser)
    base = f"/o/{held.org.slug}/networks/{held.network.id}/actions"
    form = client.get(f"{base}/new?meeting={held.meeting.id}").get_data(as_text=True)
    assert held.schools[0].name in form and held.sencos[0].name in form
    due = date.today() + timedelta(days=20)
    response = client.post(
        f"{base}/new",
        data={
            "description": "Ask the LA for the panel dates",
            "owner": f"user-{held.sencos[1].id}",
            "due_on": [str(due.day), str(due.month), str(due.year)],
            "meeting_id": str(held.meeting.id),
            "theme_id": "",
        },
    )
    assert response.status_code == 302
    action = db.session.scalar(sa.select(Action))
    assert (action.owner_user_id, action.meeting_id, action.status, action.due_on) == (
        held.sencos[1].id,
        held.meeting.id,
        "open",
        due,
    )
    refused = client.post(
        f"{base}/new",
        data={
            "description": "Typed text stays",
            "owner": f"user-{held.outsider.id}",
            "due_on": ["1", "1", "2027"],
        },
    )
    assert refused.status_code == 200 and "govuk-error-summary" in refused.get_data(as_text=True)
    assert "Typed text stays" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Action.id))) == 1


def test_owners_are_people_or_schools_of_the_network(held, make):
    other_school = make.school(held.org)
    with pytest.raises(ActionRuleError):
        _action(held, owner=f"school-{other_school.id}")
    with pytest.raises(ActionRuleError):
        _action(held, owner=f"user-{held.outsider.id}")


def test_the_owner_school_marks_it_done_but_others_cannot(login, held):
    action = _action(held)
    url = f"/o/{held.org.slug}/actions/{action.id}/close"
    assert login(held.sencos[1]).post(url, data={"status": "done", "outcome": "x"}).status_code == 403
    client = login(held.sencos[0])
    empty = client.post(url, data={"status": "done", "outcome": ""})
    assert empty.status_code == 400 and "govuk-error-summary" in empty.get_data(as_text=True)
    assert (
        client.post(url, data={"status": "done", "outcome": "Template sent to all schools"}).status_code
        == 302
    )
    db.session.refresh(action)
    assert (action.status, action.outcome) == (
        "done",
        "Template sent to all schools",
    ) and action.closed_at is not None


def test_overdue_actions_are_flagged_wherever_they_appear(login, held):
    overdue = _action(held, description="Overdue one", due=-3)
    _action(held, description="Not yet due", due=5)
    page = (
        login(held.sencos[0])
        .get(f"/o/{held.org.slug}/networks/{held.network.id}/actions")
        .get_data(as_text=True)
    )
    assert page.count("Overdue</strong>") == 1
    assert "Overdue</strong>" in login(held.sencos[0]).get(
        f"/o/{held.org.slug}/actions/{overdue.id}"
    ).get_data(as_text=True)
    home = login(held.sencos[0]).get(f"/o/{held.org.slug}/").get_data(as_text=True)
    assert "Your actions" in home and "Overdue one" in home and home.count("Overdue</strong>") == 1
    assert "Overdue one" not in login(held.sencos[2]).get(f"/o/{held.org.slug}/").get_data(as_text=True)


def test_open_actions_are_matters_arising_on_the_next_agenda(make, login, held):
    _action(held, description="Overdue one", due=-3)
    _action(held, description="Circulate the minutes", due=4)
    done = _action(held, description="Already done", due=1)
    done.status = "done"
    later = _action(held, description="Recorded at the next meeting")
    coming = make.meeting(held.network, status="scheduled", days_ahead=7)
    later.meeting_id = coming.id
    db.session.commit()
    make.agenda(coming, publish_as=held.organiser)
    page = login(held.sencos[0]).get(f"/o/{held.org.slug}/meetings/{coming.id}/agenda").get_data(as_text=True)
    matters = page.split("Matters arising", 1)[1]
    assert "Circulate the minutes" in matters and "Overdue one" in matters
    assert "Overdue action" in matters and "Feedback School 0" in matters
    assert "Already done" not in page and "Recorded at the next meeting" not in page
    assert matters.index("Overdue one") < matters.index("Circulate the minutes")


def test_the_digest_reminds_owners_of_actions_due_within_a_week_or_overdue(held):
    soon = _action(held, due=3)
    overdue = _action(held, due=-1)
    far = _action(held, due=30)
    person = _action(held, owner=f"user-{held.sencos[2].id}", due=2)

    def items(user):
        return {
            i.key: i for p in preview(user).parts if p.key == "needs_you" for g in p.groups for i in g.items
        }

    mine = items(held.sencos[0])
    assert {f"action:{soon.id}", f"action:{overdue.id}"} <= set(mine) and f"action:{far.id}" not in mine
    assert mine[f"action:{overdue.id}"].kind == "Overdue action"
    assert f"action:{person.id}" in items(held.sencos[2]) and f"action:{soon.id}" not in items(held.sencos[2])


def test_you_said_we_did_is_shared_with_the_organisation_on_request(login, held, make):
    other_network_person = make.user(held.org, school=make.school(held.org), name="Elsewhere")
    url = f"/o/{held.org.slug}/networks/{held.network.id}/you-said-we-did"
    # Not theirs to see until it is shared: the same 404 as for any network they are not in.
    assert login(other_network_person).get(url).status_code == 404
    assert login(held.organiser).post(f"{url}/share").status_code == 302
    assert login(other_network_person).get(url).status_code == 200
    assert login(held.organiser).post(f"{url}/share").status_code == 302
    assert login(other_network_person).get(url).status_code == 404


def test_a_theme_pairs_what_members_said_with_the_actions_taken(login, held):
    action = _action(held, description="Secondary item first on every agenda")
    action.status, action.outcome = "done", "Done since the spring meeting"
    db.session.commit()
    client = login(held.organiser)
    url = f"/o/{held.org.slug}/networks/{held.network.id}/you-said-we-did"
    assert (
        client.post(
            f"{url}/themes/new", data={"summary": "Too primary-focused", "action_ids": [str(action.id)]}
        ).status_code
        == 302
    )
    page = login(held.sencos[2]).get(url).get_data(as_text=True)
    assert "Too primary-focused" in page and "Secondary item first on every agenda" in page
    assert "Done since the spring meeting" in page
