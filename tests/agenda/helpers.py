"""A small network for the agenda tests: a mixed primary, secondary and special group."""

from __future__ import annotations

from dataclasses import dataclass

from cluster.agenda.planning import slots_of
from cluster.auth.models import User
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
from cluster.schools.models import School
from cluster.tenancy.models import Organisation


@dataclass
class TwoOrganisations:
    org: Organisation
    network: Network
    organiser: User
    primary: User  # SENCO of a primary school
    secondary: User
    special: User
    observer: User
    schools: dict[str, School]
    meeting: Meeting  # scheduled, in two weeks, 13:30-16:00 UK time

    @property
    def base(self) -> str:
        return f"/o/{self.org.slug}"


def build_world(make) -> TwoOrganisations:
    org = make.organisation(slug="nb", name="Northbrook Council")
    schools = {
        "fernhill": make.school(org, name="Fernhill Primary"),
        "kingsmead": make.school(org, name="Kingsmead Primary"),
        "ashcombe": make.school(org, name="Ashcombe High", phase="Secondary"),
        "oakfield": make.school(
            org,
            name="Oakfield Special",
            phase="Not applicable",
            establishment_type="Community special school",
        ),
    }
    organiser = make.user(org, name="Sophie Adeyemi", email="organiser@nb.example")
    primary = make.user(org, name="Ben Clarke", email="ben@nb.example", school=schools["fernhill"])
    secondary = make.user(org, name="Priya Sharma", email="priya@nb.example", school=schools["ashcombe"])
    special = make.user(org, name="Rachel Green", email="rachel@nb.example", school=schools["oakfield"])
    observer = make.user(org, name="Dr Ruth Okonjo", email="ep@nb.example", job_title="EP service")
    network = make.network(
        org, name="North SENCOs", schools=list(schools.values()), organisers=[organiser], observers=[observer]
    )
    meeting = make.meeting(network, title="Spring 1 network meeting", days_ahead=14)
    return TwoOrganisations(org, network, organiser, primary, secondary, special, observer, schools, meeting)


def plan_form(agenda, **overrides) -> dict:
    """The builder's plan form as the page fills it in, with ``overrides`` (name -> value)."""
    data = {"version": str(agenda.plan_version)}
    for n, slot in enumerate(slots_of(agenda)):
        data[f"position-{slot.id}"] = str(n)
        data[f"minutes-{slot.id}"] = str(slot.minutes)
        data[f"presenter-{slot.id}"] = slot.presenter
        if slot.kind != "item":
            data[f"title-{slot.id}"] = slot.title
    data.update(overrides)
    return data
