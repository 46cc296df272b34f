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

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from flask import current_app

from cluster.auth.services import create_invitation, request_password_reset
from cluster.extensions import db
from tests.factories import Factory

ROLES = ("member", "observer", "organiser", "admin")
EVERYONE = frozenset(ROLES)
ADMIN = frozenset({"admin"})
ORGANISERS = frozenset({"organiser", "admin"})
#: Those who shape a network's agenda (propose, support, comment): not observers.
PARTICIPANTS = frozenset({"member", "organiser", "admin"})


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
    draft_meeting: int = 0  # a draft meeting of ``network``, with a draft agenda
    draft_booking: int = 0  # ``speaker`` asked to speak at ``draft_meeting``
    feed_token: str = ""  # the member's calendar feed token
    digest_token: str = ""  # the member's digest unsubscribe token
    agenda_item: int = 0  # an open proposal of ``network`` by the member
    standing_item: int = 0  # a standing item of ``network``
    held_meeting: int = 0  # a held meeting of ``network`` last week, with a published agenda
    agenda_slot: int = 0  # the proposed item on the held meeting's agenda (for its minutes)
    resource: int = 0  # a file shared with ``network`` by the member (the same content in every organisation)
    action: int = (
        0  # an open action of ``network`` owned by the member's school, recorded at the held meeting
    )
    theme: int = 0  # a "you said" theme of ``network``, answered by ``action``
    speaker: int = 0  # a speaker of the directory, with contact details and recorded agreement
    speaker_booking: int = 0  # ``speaker`` asked to speak at ``meeting``
    speaker_token: str = ""  # the answer link's token of ``speaker_booking``
    #: Moderation ids (tests/moderation/helpers.py): "draft" (the member's, with "draft_attachment"),
    #: "case" (open, of the other school, the observer invited; with "attachment").
    moderation: dict = field(default_factory=dict)


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
    "auth.accept_invitation": Route(
        args=lambda s: {"token": s.invitation_token}, public=True, in_organisation=False
    ),
    "auth.sign_out": Route(public=True, in_organisation=False),
    "auth.no_organisation": Route(in_organisation=False),
    "main.index": Route(in_organisation=False),
    "main.switch": Route(query=lambda s: f"organisation={s.slug}"),
    "platform.organisations": Route(in_organisation=False, platform=True),
    "platform.new_organisation": Route(in_organisation=False, platform=True),
    "org.home.index": Route(),
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
    "org.networks.remove_role": Route(
        args=lambda s: {"network_id": s.network, "role_id": s.role}, allowed=ADMIN
    ),
    "org.networks.invite": Route(args=lambda s: {"network_id": s.network}, allowed=ORGANISERS),
    "org.people.index": Route(allowed=ADMIN),
    "org.people.invite": Route(allowed=ADMIN),
    "org.people.edit": Route(args=lambda s: {"membership_id": s.membership}, allowed=ADMIN),
    "org.people.revoke": Route(args=lambda s: {"invitation_id": s.invitation}, allowed=ADMIN),
    "org.calendar.index": Route(),
    "org.calendar.add": Route(allowed=ADMIN),
    "org.calendar.delete": Route(
        args=lambda s: {
            "entry_id": __import__("tests.calendar.helpers", fromlist=["_"]).calendar_entry_id(s)
        },
        allowed=ADMIN,
    ),
    "org.calendar.import_file": Route(allowed=ADMIN),
    "org.meetings.plan": Route(args=lambda s: {"network_id": s.network}, allowed=ORGANISERS),
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
    "digests.preferences": Route(in_organisation=False),
    "digests.preview": Route(in_organisation=False),
    "digests.unsubscribe": Route(
        args=lambda s: {"token": s.digest_token}, public=True, in_organisation=False, csrf_exempt=True
    ),
    "org.deliveries.undelivered": Route(allowed=ADMIN),
    "org.meetings.register": Route(args=lambda s: {"meeting_id": s.meeting}, allowed=ORGANISERS),
    "org.meetings.report": Route(args=lambda s: {"network_id": s.network}, allowed=ORGANISERS),
    "org.meetings.report_csv": Route(args=lambda s: {"network_id": s.network}, allowed=ORGANISERS),
    # Date polls: the poll is made on first use by tests/polls/helpers.py (Side has no poll of its own).
    "org.polls.index": Route(args=lambda s: {"network_id": s.network}),
    "org.polls.new": Route(args=lambda s: {"network_id": s.network}, allowed=ORGANISERS),
    "org.polls.show": Route(args=lambda s: __import__("tests.polls.helpers", fromlist=["_"]).poll_args(s)),
    "org.polls.answer": Route(
        args=lambda s: __import__("tests.polls.helpers", fromlist=["_"]).poll_args(s),
        allowed=frozenset({"member"}),
    ),
    "org.polls.results": Route(args=lambda s: __import__("tests.polls.helpers", fromlist=["_"]).poll_args(s)),
    "org.polls.remind": Route(
        args=lambda s: __import__("tests.polls.helpers", fromlist=["_"]).poll_args(s), allowed=ORGANISERS
    ),
    "org.polls.close": Route(
        args=lambda s: __import__("tests.polls.helpers", fromlist=["_"]).poll_args(s), allowed=ORGANISERS
    ),
    "org.polls.finalise": Route(
        args=lambda s: __import__("tests.polls.helpers", fromlist=["_"]).poll_args(s), allowed=ORGANISERS
    ),
    # Agendas: a proposal, a standing item and two meetings with published agendas are made by build_side.
    "org.agenda.proposals": Route(args=lambda s: {"network_id": s.network}),
    "org.agenda.propose": Route(args=lambda s: {"network_id": s.network}, allowed=PARTICIPANTS),
    "org.agenda.item": Route(args=lambda s: {"network_id": s.network, "item_id": s.agenda_item}),
    "org.agenda.edit_item": Route(
        args=lambda s: {"network_id": s.network, "item_id": s.agenda_item}, allowed=PARTICIPANTS
    ),
    "org.agenda.support": Route(
        args=lambda s: {"network_id": s.network, "item_id": s.agenda_item}, allowed=PARTICIPANTS
    ),
    "org.agenda.comment": Route(
        args=lambda s: {"network_id": s.network, "item_id": s.agenda_item}, allowed=PARTICIPANTS
    ),
    "org.agenda.decline": Route(
        args=lambda s: {"network_id": s.network, "item_id": s.agenda_item}, allowed=ORGANISERS
    ),
    "org.agenda.standing": Route(args=lambda s: {"network_id": s.network}, allowed=ORGANISERS),
    "org.agenda.remove_standing": Route(
        args=lambda s: {"network_id": s.network, "standing_id": s.standing_item}, allowed=ORGANISERS
    ),
    "org.agenda.show": Route(args=lambda s: {"meeting_id": s.meeting}),
    "org.agenda.build": Route(args=lambda s: {"meeting_id": s.meeting}, allowed=ORGANISERS),
    "org.agenda.start": Route(args=lambda s: {"meeting_id": s.meeting}, allowed=ORGANISERS),
    "org.agenda.save_plan": Route(args=lambda s: {"meeting_id": s.meeting}, allowed=ORGANISERS),
    "org.agenda.publish": Route(args=lambda s: {"meeting_id": s.meeting}, allowed=ORGANISERS),
    "org.agenda.minute_taker": Route(args=lambda s: {"meeting_id": s.meeting}, allowed=ORGANISERS),
    "org.agenda.print_view": Route(args=lambda s: {"meeting_id": s.meeting}),
    "org.agenda.export": Route(args=lambda s: {"meeting_id": s.meeting}),
    "org.agenda.close": Route(args=lambda s: {"meeting_id": s.held_meeting}, allowed=ORGANISERS),
    "org.agenda.minutes": Route(
        args=lambda s: {"meeting_id": s.held_meeting, "slot_id": s.agenda_slot}, allowed=ORGANISERS
    ),
    # The resource library: the member owns the Side's resource; owners and organisers manage it.
    "org.resources.index": Route(),
    "org.resources.new": Route(allowed=PARTICIPANTS),
    "org.resources.show": Route(args=lambda s: {"resource_id": s.resource}),
    "org.resources.download": Route(args=lambda s: {"resource_id": s.resource}),
    "org.resources.new_version": Route(args=lambda s: {"resource_id": s.resource}, allowed=PARTICIPANTS),
    "org.resources.delete": Route(
        args=lambda s: {
            "resource_id": __import__("tests.resources.helpers", fromlist=["_"]).disposable_resource(s)
        },
        allowed=PARTICIPANTS,
    ),
    "org.resources.reviewed": Route(args=lambda s: {"resource_id": s.resource}, allowed=PARTICIPANTS),
    "org.resources.recommend": Route(args=lambda s: {"resource_id": s.resource}, allowed=ORGANISERS),
    # Moderation: only people with a role in the network see cases (org admins do not: special
    # category data); members judge, invited observers judge, organisers close; admins keep the scale.
    "org.moderation.index": Route(
        args=lambda s: {"network_id": s.network}, allowed=frozenset({"member", "observer", "organiser"})
    ),
    "org.moderation.new": Route(args=lambda s: {"network_id": s.network}, allowed=frozenset({"member"})),
    "org.moderation.edit": Route(
        args=lambda s: {"case_id": s.moderation["draft"]}, allowed=frozenset({"member"})
    ),
    "org.moderation.upload": Route(
        args=lambda s: {"case_id": s.moderation["draft"]}, allowed=frozenset({"member"})
    ),
    "org.moderation.remove_attachment": Route(
        args=lambda s: __import__("tests.moderation.helpers", fromlist=["_"]).disposable_attachment(s),
        allowed=frozenset({"member"}),
    ),
    "org.moderation.withdraw": Route(
        args=lambda s: {
            "case_id": __import__("tests.moderation.helpers", fromlist=["_"]).disposable_draft(s)
        },
        allowed=frozenset({"member"}),
    ),
    "org.moderation.show": Route(
        args=lambda s: {"case_id": s.moderation["case"]},
        allowed=frozenset({"member", "observer", "organiser"}),
    ),
    "org.moderation.judge": Route(
        args=lambda s: {"case_id": s.moderation["case"]}, allowed=frozenset({"member", "observer"})
    ),
    "org.moderation.download": Route(
        args=lambda s: {"case_id": s.moderation["case"], "attachment_id": s.moderation["attachment"]},
        allowed=frozenset({"member", "observer", "organiser"}),
    ),
    "org.moderation.close": Route(
        args=lambda s: {"case_id": s.moderation["case"]}, allowed=frozenset({"organiser"})
    ),
    "org.moderation.outcome": Route(
        args=lambda s: {"case_id": s.moderation["case"]}, allowed=frozenset({"organiser"})
    ),
    "org.moderation.arrangements": Route(
        args=lambda s: {"case_id": s.moderation["case"]}, allowed=frozenset({"organiser"})
    ),
    "org.moderation.views": Route(
        args=lambda s: {"case_id": s.moderation["case"]}, allowed=frozenset({"organiser"})
    ),
    "org.moderation.scale": Route(allowed=ADMIN),
    "org.moderation.add_level": Route(allowed=ADMIN),
    "org.moderation.edit_level": Route(
        args=lambda s: {"level_id": __import__("tests.moderation.helpers", fromlist=["_"]).first_level(s)},
        allowed=ADMIN,
    ),
    "org.moderation.move_level": Route(
        args=lambda s: {"level_id": __import__("tests.moderation.helpers", fromlist=["_"]).first_level(s)},
        allowed=ADMIN,
    ),
    "org.moderation.delete_level": Route(
        args=lambda s: {
            "level_id": __import__("tests.moderation.helpers", fromlist=["_"]).disposable_level(s)
        },
        allowed=ADMIN,
    ),
    # Feedback and actions: the member attended the held meeting (replied "coming"); the Side's action is
    # owned by the member's school (its owner may close it, as may organisers).
    "org.feedback.give": Route(args=lambda s: {"meeting_id": s.held_meeting}, allowed=frozenset({"member"})),
    "org.feedback.results": Route(args=lambda s: {"meeting_id": s.held_meeting}, allowed=ORGANISERS),
    "org.feedback.insights_page": Route(args=lambda s: {"network_id": s.network}),
    "org.feedback.reports_page": Route(args=lambda s: {"network_id": s.network}, allowed=ORGANISERS),
    "org.feedback.report_csv": Route(
        args=lambda s: {"network_id": s.network, "kind": "feedback"}, allowed=ORGANISERS
    ),
    "org.actions.index": Route(args=lambda s: {"network_id": s.network}),
    "org.actions.new": Route(args=lambda s: {"network_id": s.network}, allowed=ORGANISERS),
    "org.actions.show": Route(args=lambda s: {"action_id": s.action}),
    "org.actions.edit": Route(args=lambda s: {"action_id": s.action}, allowed=ORGANISERS),
    "org.actions.close": Route(args=lambda s: {"action_id": s.action}, allowed=PARTICIPANTS),
    "org.actions.you_said": Route(args=lambda s: {"network_id": s.network}),
    "org.actions.share": Route(args=lambda s: {"network_id": s.network}, allowed=ORGANISERS),
    "org.actions.new_theme": Route(args=lambda s: {"network_id": s.network}, allowed=ORGANISERS),
    "org.actions.edit_theme": Route(args=lambda s: {"theme_id": s.theme}, allowed=ORGANISERS),
    "org.resources.edit": Route(args=lambda s: {"resource_id": s.resource}, allowed=PARTICIPANTS),
    "org.resources.mine": Route(),
    "org.resources.deletions": Route(allowed=ORGANISERS),
    # Guest speakers: organisers of any network and admins keep the directory; the meeting's organisers book.
    "org.speakers.index": Route(),
    "org.speakers.new": Route(allowed=ORGANISERS),
    "org.speakers.show": Route(args=lambda s: {"speaker_id": s.speaker}),
    "org.speakers.edit": Route(args=lambda s: {"speaker_id": s.speaker}, allowed=ORGANISERS),
    "org.speakers.erase_contact": Route(args=lambda s: {"speaker_id": s.speaker}, allowed=ORGANISERS),
    "org.speakers.book": Route(args=lambda s: {"meeting_id": s.meeting}, allowed=ORGANISERS),
    "org.speakers.booking": Route(args=lambda s: {"booking_id": s.speaker_booking}, allowed=ORGANISERS),
    "org.speakers.booking_status": Route(
        args=lambda s: {"booking_id": s.speaker_booking}, allowed=ORGANISERS
    ),
    "speaker_answer.answer": Route(
        args=lambda s: {"token": s.speaker_token}, public=True, in_organisation=False
    ),
}

#: Who sees a draft meeting: those who can organise its network (cluster.meetings.access).
SEE_DRAFTS = ORGANISERS
#: Every page of one meeting, asked for with the Side's draft meeting (tests/test_draft_meetings.py):
#: the roles in SEE_DRAFTS get what ROUTES says, everyone else 404, as for a meeting that does not
#: exist.
DRAFT_ROUTES: dict[str, Route] = {
    **{
        endpoint: replace(ROUTES[endpoint], args=lambda s: {"meeting_id": s.draft_meeting})
        for endpoint in (
            "org.meetings.show",
            "org.meetings.edit",
            "org.meetings.reply",
            "org.meetings.schedule",
            "org.meetings.held",
            "org.meetings.cancel",
            "org.meetings.ics",
            "org.meetings.register",
            "org.agenda.show",
            "org.agenda.build",
            "org.agenda.start",
            "org.agenda.save_plan",
            "org.agenda.publish",
            "org.agenda.minute_taker",
            "org.agenda.print_view",
            "org.agenda.export",
            "org.agenda.close",
            "org.speakers.book",
        )
    },
    **{
        endpoint: replace(ROUTES[endpoint], args=lambda s: {"booking_id": s.draft_booking})
        for endpoint in ("org.speakers.booking", "org.speakers.booking_status")
    },
}
#: The pages of a meeting that only a held meeting has (its minutes and feedback): never a draft's.
HELD_ONLY = frozenset({"org.agenda.minutes", "org.feedback.give", "org.feedback.results"})


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
    network = make.network(
        org, schools=[school, other_school], organisers=[users["organiser"]], observers=[users["observer"]]
    )
    import sqlalchemy as sa

    from cluster.networks.models import NetworkRole
    from cluster.tenancy.models import Membership

    role = db.session.scalar(sa.select(NetworkRole).where(NetworkRole.user_id == users["observer"].id))
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == users["member"].id))
    invitation, invitation_token = create_invitation(org, f"invited@{slug}.example", users["admin"])
    _, reset_token = request_password_reset(f"member@{slug}.example")
    meeting = make.meeting(network, status="scheduled")
    draft = make.meeting(network, status="draft", days_ahead=28, title="Summer term planning")
    make.agenda(draft)
    from cluster.feeds.subscriptions import feed_token, subscription_for

    with current_app.test_request_context():
        token = feed_token(subscription_for(users["member"]))
    from cluster.digests.services import unsubscribe_token

    digest_token = unsubscribe_token(users["member"].id)
    db.session.commit()
    agenda = _agenda_objects(make, network, school, meeting, users)
    agenda.update(
        __import__("tests.feedback.helpers", fromlist=["_"]).side_objects(
            make, network, school, agenda["held_meeting"], users
        )
    )
    resource = make.resource(
        network,
        users["member"],
        title="Provision map template",
        file_name="provision.txt",
        data=b"A provision map template shared by every organisation.",
    )
    return Side(
        slug=slug,
        school=school.id,
        network=network.id,
        role=role.id,
        membership=membership.id,
        invitation=invitation.id,
        users=users,
        invitation_token=invitation_token,
        reset_token=reset_token,
        meeting=meeting.id,
        draft_meeting=draft.id,
        feed_token=token,
        digest_token=digest_token,
        resource=resource.id,
        **agenda,
        **_speaker_objects(make, org, meeting, draft, users),
        moderation=__import__("tests.moderation.helpers", fromlist=["_"]).moderation_objects(
            make, org, network, school, other_school, users
        ),
    )


def _speaker_objects(make: Factory, org, meeting, draft, users) -> dict:
    """A speaker with contact details (agreed) and their invitations to the Side's meeting and to its
    draft meeting."""
    speaker = make.speaker(
        org,
        name="Dr Asha Patel",
        topics="sensory processing,autism",
        email="asha.patel@ep.example",
        by=users["organiser"],
    )
    booking, token = make.speaker_booking(
        speaker, meeting, users["organiser"], topic="Sensory processing in class"
    )
    draft_booking, _ = make.speaker_booking(speaker, draft, users["organiser"], topic="Sensory circuits")
    return {
        "speaker": speaker.id,
        "speaker_booking": booking.id,
        "speaker_token": token,
        "draft_booking": draft_booking.id,
    }


def _agenda_objects(make: Factory, network, school, meeting, users) -> dict:
    """A standing item, an open proposal, the meeting's published agenda, and a held meeting whose
    published agenda has a proposed item on it."""
    from cluster.agenda.services import add_standing_item

    standing = add_standing_item(network, "LA update", 10, "LA SEND team")
    item = make.agenda_item(
        network, users["member"], school=school, title="Exam access arrangements", phases=("secondary",)
    )
    make.agenda(meeting, publish_as=users["organiser"])
    held = make.meeting(network, status="scheduled", days_ahead=-7)
    placed = make.agenda_item(network, users["member"], school=school, title="Transition to secondary")
    held_agenda = make.agenda(held, items=[placed], publish_as=users["organiser"])
    held.status = "held"
    db.session.commit()
    from cluster.agenda.planning import slots_of

    slot = next(s for s in slots_of(held_agenda) if s.item_id == placed.id)
    return {
        "agenda_item": item.id,
        "standing_item": standing.id,
        "held_meeting": held.id,
        "agenda_slot": slot.id,
    }


#: What a request came to, as the matrix compares it: a page, the sign-in page, 403 or 404.
OK, LOGIN, FORBIDDEN, NOT_FOUND = "ok", "login", 403, 404


def outcome(response) -> object:
    if response.status_code == 302 and "/sign-in?next=" in response.headers.get("Location", ""):
        return LOGIN
    if response.status_code in (403, 404):
        return response.status_code
    return OK
