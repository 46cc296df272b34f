"""A small organisation for the speakers tests: an organiser, a member SENCO, an observer, an admin."""

from __future__ import annotations

from types import SimpleNamespace


def setup(make) -> SimpleNamespace:
    org = make.organisation(slug="nb", name="Northbrook Council")
    school = make.school(org, name="Oak Primary", postcode="NB1 2AB")
    organiser = make.user(org, name="Sophie Adeyemi", email="organiser@nb.example")
    member = make.user(org, name="Ben Clarke", email="ben@nb.example", school=school)
    observer = make.user(org, name="Olu Observer", email="obs@nb.example", job_title="EP service")
    admin = make.user(org, name="Ada Admin", email="admin@nb.example", is_admin=True)
    network = make.network(
        org, name="North SENCOs", schools=[school], organisers=[organiser], observers=[observer]
    )
    return SimpleNamespace(
        org=org,
        school=school,
        organiser=organiser,
        member=member,
        observer=observer,
        admin=admin,
        network=network,
    )
