"""An organisation's home page: what needs the person, their next meetings, and their networks.

The home page is composed here, above the domains, from each domain's own queries."""

from __future__ import annotations

from flask import Blueprint, g, render_template
from flask_login import current_user

from cluster.actions.queries import my_open_actions
from cluster.extensions import utcnow
from cluster.feedback.queries import feedback_wanted
from cluster.meetings.services import next_meetings
from cluster.moderation.queries import awaiting_judgment
from cluster.networks.services import visible_networks
from cluster.timeutil import local_date

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    now = utcnow()
    networks = visible_networks(g.membership)
    mine = [network.id for network, role in networks if role]
    return render_template(
        "home/index.html",
        networks=networks,
        next_meetings=next_meetings(mine),
        moderation_awaiting=awaiting_judgment(g.membership),
        feedback_wanted=feedback_wanted(g.organisation.id, current_user.id, now),
        my_actions=my_open_actions(g.membership),
        today=local_date(now),
    )
