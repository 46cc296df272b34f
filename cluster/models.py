"""Every model, imported in one place so that the metadata (and Alembic) sees them all."""
from cluster.auth.models import Invitation, LoginAttempt, PasswordReset, User  # noqa: F401
from cluster.networks.models import Network, NetworkRole, NetworkSchool  # noqa: F401
from cluster.schools.models import School  # noqa: F401
from cluster.tenancy.models import Membership, Organisation  # noqa: F401
from cluster.calendar.models import CalendarEntry  # noqa: F401
from cluster.meetings.models import Attendance, Meeting, MeetingSeries, Rsvp  # noqa: F401
from cluster.polls.models import DatePoll, PollAnswer, PollComment, PollReminder, PollSlot  # noqa: F401
from cluster.feeds.models import FeedSubscription  # noqa: F401
from cluster.agenda.models import Agenda, AgendaComment, AgendaItem, AgendaSlot, AgendaSupport, MinutesRevision, StandingItem  # noqa: F401
import cluster.digests.models, cluster.jobs.models  # noqa: F401, E401  (digests, reminders, scheduler heartbeat)
import cluster.resources.models  # noqa: F401, E402  (resource library)
import cluster.speakers.models, cluster.speakers.hooks  # noqa: F401, E401, E402  (guest speakers, who follow their meetings)
import cluster.feedback.models, cluster.actions.models  # noqa: F401, E401, E402  (feedback, actions)
import cluster.actions.matters  # noqa: F401, E402  (open actions as matters arising)
import cluster.moderation.models  # noqa: F401, E402  (moderation cases)
