"""The one way a page loads a meeting: :func:`load_meeting`.

The rule is its network's (:mod:`cluster.networks.access`), with drafts kept to those who run it:

- **404**: another organisation's meeting, a missing one, or one the person may not even see: a
  meeting of a network they have no standing in, or a draft meeting when they cannot organise its
  network (a draft is the organisers' until it is scheduled: members, observers and everyone else
  get 404 from every page of it, as if it did not exist).
- **403**: a meeting the person sees, for something their standing in its network does not allow
  (``need``, one of :data:`cluster.networks.access.NEEDS`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import abort

from cluster.meetings.models import Meeting
from cluster.networks.access import NEEDS, NetworkAccess, load_network
from cluster.tenancy.access import get_for_organisation


def load_meeting(
    meeting_id: Any, need: str = "view", options: Sequence = ()
) -> tuple[Meeting, NetworkAccess]:
    """The meeting with ``meeting_id`` and the current user's standing in its network, if they may
    ``need`` it: 404 if it is another organisation's, missing, of a network they do not see, or a
    draft they may not organise; 403 if visible but ``need`` is not theirs. ``options`` are loader
    options for the meeting."""
    if need not in NEEDS:
        raise ValueError(f"unknown need {need!r}")
    meeting = get_for_organisation(Meeting, meeting_id, *options)
    _, access = load_network(meeting.network_id)
    if meeting.status == "draft" and not access.can_organise:
        abort(404)
    if not access.allows(need):
        abort(403)
    return meeting, access
