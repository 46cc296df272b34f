"""Meetings' pages, one blueprint over three modules: a network's meetings and each meeting's page
(:mod:`.meetings`), the register and the attendance report (:mod:`.attendance`), and planning a
year's programme at once (:mod:`.programme`). Each module adds its routes to :data:`bp`."""

from __future__ import annotations

from flask import Blueprint

from cluster.ui.panels import Panels

bp = Blueprint("meetings", __name__)

#: Blocks other domains add to a meeting's page (its agenda, feedback, speakers, resources),
#: called with the meeting and the viewer's access to its network.
MEETING_PANELS = Panels("meeting page panels")

from cluster.meetings.views import attendance, meetings, programme  # noqa: E402, F401
