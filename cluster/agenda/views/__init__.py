"""The agenda's pages, one blueprint over three modules: proposals (and standing items), each
meeting's agenda, and minutes. Each module adds its routes to :data:`bp`."""

from __future__ import annotations

from flask import Blueprint

from cluster.ui.panels import Panels

bp = Blueprint("agenda", __name__)

#: Blocks other domains add to an agenda item's page (its resources), called with the item and
#: the viewer's standing.
AGENDA_ITEM_PANELS = Panels("agenda item panels")
#: Blocks other domains add beside the agenda builder (the meeting's speakers), called with the meeting.
AGENDA_BUILDER_PANELS = Panels("agenda builder panels")

from cluster.agenda.views import minutes, plan, proposals  # noqa: E402, F401
