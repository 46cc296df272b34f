"""What other domains may hear about accounts (blinker signals, as Flask's own are).

- :data:`invitation_accepted` is sent by ``services.accept_invitation`` inside the transaction,
  with the ``user`` who joined: receivers add what the invitation promised (a role in a network)
  and flush, never commit.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

invitation_accepted = _signals.signal("invitation-accepted")
