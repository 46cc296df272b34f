"""What other domains may hear about a meeting (blinker signals, as Flask's own are).

- :data:`meeting_rescheduled` is sent by ``services.update_meeting`` inside the transaction when a
  meeting's start moves, with ``old_starts_at``: receivers adjust their own rows (flush, never commit).
- :data:`meeting_announced` is sent after the commit, once members have been emailed, with
  ``change`` "changed" or "cancelled": receivers tell the people only they know of (guest speakers).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

meeting_rescheduled = _signals.signal("meeting-rescheduled")
meeting_announced = _signals.signal("meeting-announced")
