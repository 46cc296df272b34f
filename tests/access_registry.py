"""Every route of the app, with how to get real arguments for it and who may use it.

The access matrix (tests/test_access_matrix.py) fails for a route that is missing here. To
register a new route, add an entry to ROUTES keyed by its endpoint name:

    "org.things.show": Route(args=lambda d: {"thing_id": d.thing}, allowed=MEMBERS),

``args`` receives a :class:`Side` (the objects of one organisation) and returns the URL
arguments; ``allowed`` names the roles that may use the route in their own organisation;
everyone else signed in gets 403 there, anonymous visitors are sent to sign in (unless the
route is ``public``), and a member of another organisation always gets 404.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from flask import current_app

from cluster.auth.services import create_invitation, request_password_reset
from cluster.extensions import db
from tests.factories import Factory

ROLES = ("member", "observer", "organiser", "admin")
EVERYONE = frozenset(ROLES)
ADMIN = frozenset({"admin"})
ORGANISERS = frozenset({"organiser", "admin"})


@dataclass
class Side:
    """The objects of one organisation in the matrix's dataset."""

    slug: str
    school: int
    network: int
    role: int  # a NetworkRole id (the observer's) in ``network``
    membership: int
    invitation: int
    users: dict = field(default_factory=dict)  # role name -> User
    invitation_token: str = ""
    reset_token: str = ""
    meeting: int = 0  # a scheduled meeting of ``network``
    feed_token: str = ""  # the member's calendar feed token


@dataclass(frozen=True)
class Route:
    args: Callable[[Side], dict] = lambda side: {}
    allowed: frozenset = EVERYONE
    #: Reachable without signing in; the outcome is the same for everyone.
    public: bool = False
    #: In an organisation (``/o/<slug>/``): a foreign organisation's member gets 404.
    in_organisation: bool = True
    #: Only a platform admin may use it (every role here gets 403).
    platform: bool = False
    query: Callable[[Side], str] = lambda side: ""
    #: POST routes that must work without a session or CSRF token, by design.
    csrf_exempt: bool = False


ROUTES: dict[str, Route] = {
    "static": Route(args=lambda s: {"filename": "css/cluster.css"}, public=True, in_organisation=False),
    "main.healthz": Route(public=True, in_organisation=False),
    "auth.sign_in": Route(public=True, in_organisation=False),
    "auth.reset_request": Route(public=True, in_organisation=False),
    "auth.reset_password": Route(args=lambda s: {"token": s.reset_token}, public=True, in_organisation=False),
    "auth.accept_invitation": Route(args=lambda s: {"token": s.invitation_token}, public=True, in_organisation=False),
    "auth.sign_out": Route(public=True, in_organisation=False),
    "auth.no_organisation": Route(in_organisation=False),
    "main.index": Route(in_organisation=False),
    "main.switch": Route(query=lambda s: f"organisation={s.slug}"),
    "platform.organisations": Route(in_organisation=False, platform=True),
    "platform.new_organisation": Route(in_organisation=False, platform=True),
    "org.tenancy.home": Route(),
    "org.schools.index": Route(),
    "org.schools.show": Route(args=lambda s: {"school_id": s.school}),
    "org.schools.new": Route(allowed=ADMIN),
    "org.schools.edit": Route(args=lambda s: {"school_id": s.school}, allowed=ADMIN),
    "org.schools.import_file": Route(allowed=ADMIN),
    "org.networks.index": Route(),
    "org.networks.show": Route(args=lambda s: {"network_id": s.network}),
    "org.networks.new": Route(allowed=ADMIN),
    "org.networks.edit": Route(args=lambda s: {"network_id": s.network}, allowed=ADMIN),
    "org.networks.appoint": Route(args=lambda s: {"network_id": s.network}, allowed=ADMIN),
    "org.networks.remove_role": Route(args=lambda s: {"network_id": s.network, "role_id": s.role}, allowed=ADMIN),
    "org.networks.invite": Route(args=lambda s: {"network_id": s.network}, allowed=ORGANISERS),
    "org.people.index": Route(allowed=ADMIN),
    "org.people.invite": Route(allowed=ADMIN),
    "org.people.edit": Route(args=lambda s: {"membership_id": s.membership}, allowed=ADMIN),
    "org.people.revoke": Route(args=lambda s: {"invitation_id": s.invitation}, allowed=ADMIN),
    "org.calendar.index": Route(),
    "org.calendar.add": Route(allowed=ADMIN),
    "org.calendar.delete": Route(args=lambda s: {"entry_id": __import__("tests.calendar.helpers", fromlist=["_"]).calendar_entry_id(s)}, allowed=ADMIN),
    "org.calendar.import_file": Route(allowed=ADMIN),
    "org.meetings.programme": Route(args=lambda s: {"network_id": s.network}),
    "org.meetings.new": Route(args=lambda s: {"network_id": s.network}, allowed=ORGANISERS),
    "org.meetings.show": Route(args=lambda s: {"meeting_id": s.meeting}),
    "org.meetings.edit": Route(args=lambda s: {"meeting_id": s.meeting}, allowed=ORGANISERS),
    "org.meetings.reply": Route(args=lambda s: {"meeting_id": s.meeting}),
    "org.meetings.schedule": Route(args=lambda s: {"meeting_id": s.meeting}, allowed=ORGANISERS),
    "org.meetings.held": Route(args=lambda s: {"meeting_id": s.meeting}, allowed=ORGANISERS),
    "org.meetings.cancel": Route(args=lambda s: {"meeting_id": s.meeting}, allowed=ORGANISERS),
    "org.meetings.ics": Route(args=lambda s: {"meeting_id": s.meeting}),
    "feeds.page": Route(in_organisation=False),
    "feeds.options": Route(in_organisation=False),
    "feeds.reset": Route(in_organisation=False),
    "feeds.feed": Route(args=lambda s: {"token": s.feed_token}, public=True, in_organisation=False),
    "org.attendance.register": Route(args=lambda s: {"meeting_id": s.meeting}, allowed=ORGANISERS),
    "org.attendance.report": Route(args=lambda s: {"network_id": s.network}, allowed=ORGANISERS),
    "org.attendance.report_csv": Route(args=lambda s: {"network_id": s.network}, allowed=ORGANISERS),
}


def build_side(make: Factory, slug: str) -> Side:
    """One organisation with a school in a network, and a person in each role."""
    org = make.organisation(slug=slug, name=f"{slug.title()} Council")
    school = make.school(org, name=f"{slug.title()} Primary")
    other_school = make.school(org, name=f"{slug.title()} High", phase="Secondary")
    users = {
        "admin": make.user(org, email=f"admin@{slug}.example", is_admin=True),
        "organiser": make.user(org, email=f"organiser@{slug}.example"),
        "observer": make.user(org, email=f"observer@{slug}.example", job_title="EP service"),
        "member": make.user(org, email=f"member@{slug}.example", school=school),
    }
    network = make.network(org, schools=[school, other_school], organisers=[users["organiser"]], observers=[users["observer"]])
    from cluster.networks.models import NetworkRole
    from cluster.tenancy.models import Membership
    import sqlalchemy as sa

    role = db.session.scalar(sa.select(NetworkRole).where(NetworkRole.user_id == users["observer"].id))
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == users["member"].id))
    invitation, invitation_token = create_invitation(org, f"invited@{slug}.example", users["admin"])
    _, reset_token = request_password_reset(f"member@{slug}.example")
    meeting = make.meeting(network, status="scheduled")
    from cluster.feeds.services import feed_token, subscription_for

    with current_app.test_request_context():
        token = feed_token(subscription_for(users["member"]))
    db.session.commit()
    return Side(
        slug=slug, school=school.id, network=network.id, role=role.id, membership=membership.id,
        invitation=invitation.id, users=users, invitation_token=invitation_token, reset_token=reset_token,
        meeting=meeting.id, feed_token=token,
    )
