"""The digest's sections: each domain contributes what it has to say, the core composes.

A digest has three parts, in this order: **Needs you** (things waiting for the reader:
unanswered date polls, agenda proposals to support, moderation cases to judge, actions due),
**Coming up** (meetings in the next 14 days) and **New since your last digest** (new agenda
items, published agendas and minutes, new resources, changes to the programme). Inside each
part, items are grouped by network, the network with the most urgent item first.

Adding a section
----------------
Write ``cluster/<domain>/digest.py`` with a function of the batch, and add it with
:func:`add_section` in the domain's ``register(app)``, so the digest core is not touched::

    from cluster.digests.sections import DigestBatch, DigestItem

    def actions_due(batch: DigestBatch) -> dict[int, list[DigestItem]]:
        rows = db.session.execute(select(...).where(Action.network_id.in_(batch.network_ids), ...))
        ...
        return {user_id: [DigestItem(...), ...], ...}

The contract:

- A section works on a **batch** of readers, not one: the job composes thousands of digests,
  so a section runs a fixed number of queries per batch, whatever the number of readers or
  rows (run them even when a list is empty: the statement count must not depend on the data).
  Use what the batch already knows: each reader's networks and role in them
  (:meth:`DigestBatch.networks_of`), who votes where (:attr:`DigestBatch.voters`), their
  schools by organisation (:attr:`DigestBatch.schools`), their window for "new since"
  (``Reader.since``/``Reader.until``, compare with ``since < t <= until`` so that nothing is
  reported twice or missed), and ``batch.now``.
- It returns items only for readers and networks of the batch; anything else is dropped by the
  core (a second line of defence for the organisation boundary).
- It reads and never writes. It is a pure function of the database and the batch: the preview
  page calls it too.
- Items say what they are in the field's words, carry an absolute link (:meth:`DigestBatch.link`)
  and format times in the reader's own zone (:meth:`DigestBatch.when`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, url_for

from cluster.mail import absolute_url
from cluster.plugins import Registry

#: The parts of a digest, in order, and their headings.
HEADINGS = {
    "needs_you": "Needs you",
    "coming_up": "Coming up",
    "new": "New since your last digest",
}


@dataclass(frozen=True)
class DigestItem:
    """One thing the digest tells a reader about."""

    network_id: int
    #: What it is, in a word or two: "Date poll", "Meeting", "Cancelled".
    kind: str
    #: Its name, which is also the text of its link (so the link makes sense on its own).
    title: str
    url: str
    #: Orders items: the most urgent (closing soonest, starting soonest) first.
    sort_at: datetime
    #: Facts in plain words, one per line: "Answer by Friday 7 November 2026, 17:00".
    facts: tuple[str, ...] = ()
    #: Further links, as (link text, absolute URL): ("Join the meeting online", "https://...").
    links: tuple[tuple[str, str], ...] = ()
    #: A stable identity ("poll:12"), for tests and for telling items apart.
    key: str = ""


@dataclass(frozen=True)
class NetworkInfo:
    id: int
    name: str
    organisation_id: int
    organisation_slug: str
    organisation_name: str


@dataclass(frozen=True)
class Reader:
    """A person a digest is composed for, and the window its "new since" part covers."""

    user_id: int
    email: str
    name: str
    zone: ZoneInfo
    frequency: str
    weekday: int
    hour: int
    #: "New since" covers (since, until]; ``until`` is when the digest was composed.
    since: datetime
    until: datetime
    #: Whether a digest has been sent to them before (the heading says so).
    had_digest: bool = False


@dataclass
class DigestBatch:
    """Readers composed together, and what the core has already loaded about them."""

    now: datetime
    readers: dict[int, Reader]
    networks: dict[int, NetworkInfo] = field(default_factory=dict)
    #: user_id -> {network_id: "organiser" | "observer" | "member"}.
    roles: dict[int, dict[int, str]] = field(default_factory=dict)
    #: user_id -> network ids where they answer date polls (SENCOs of member schools, not observers).
    voters: dict[int, set[int]] = field(default_factory=dict)
    #: user_id -> {organisation_id: school_id or None}: their organisations, and their school in each.
    schools: dict[int, dict[int, int | None]] = field(default_factory=dict)
    _by_network: dict[int, list[Reader]] | None = field(default=None, repr=False)

    @property
    def user_ids(self) -> list[int]:
        return sorted(self.readers)

    @property
    def network_ids(self) -> list[int]:
        return sorted(self.networks)

    def networks_of(self, user_id: int) -> dict[int, str]:
        """The reader's networks, with their role in each."""
        return self.roles.get(user_id, {})

    def readers_in(self, network_id: int) -> list[Reader]:
        """The batch's readers in ``network_id`` (whatever their role), by user id."""
        if self._by_network is None:
            self._by_network = {}
            for uid in self.user_ids:
                for network in self.roles.get(uid, {}):
                    self._by_network.setdefault(network, []).append(self.readers[uid])
        return self._by_network.get(network_id, [])

    def link(self, endpoint: str, **values) -> str:
        """An absolute link for an email (``CLUSTER_BASE_URL``), for a tenant page give ``org_slug``."""
        return absolute_url(url_for(endpoint, **values))

    def network_link(self, endpoint: str, network_id: int, /, **values) -> str:
        """An absolute link to a page in ``network_id``'s organisation (``values`` may name the
        network again, as the page's own argument)."""
        return self.link(endpoint, org_slug=self.networks[network_id].organisation_slug, **values)

    def when(self, user_id: int, moment: datetime, fmt: str = "%A %-d %B %Y, %H:%M") -> str:
        """``moment`` on the reader's clock: "Friday 7 November 2026, 17:00"."""
        return moment.astimezone(self.readers[user_id].zone).strftime(fmt)

    def span(self, user_id: int, starts: datetime, ends: datetime) -> str:
        """ "Tuesday 4 November 2026, 13:30 to 16:00" on the reader's clock."""
        zone = self.readers[user_id].zone
        start, end = starts.astimezone(zone), ends.astimezone(zone)
        until = end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%A %-d %B %Y, %H:%M")
        return f"{start.strftime('%A %-d %B %Y, %H:%M')} to {until}"


SectionFunction = Callable[[DigestBatch], Mapping[int, list[DigestItem]]]


@dataclass(frozen=True)
class Section:
    part: str
    name: str
    order: int
    fn: SectionFunction


#: Every section, by name, in the order the domains registered them.
SECTIONS: Registry[Section] = Registry("digest sections")


def add_section(
    app: Flask, part: str, fn: SectionFunction, *, order: int = 100, name: str | None = None
) -> None:
    """Add ``fn(batch) -> {user_id: [DigestItem, ...]}`` to the digest part ``part``
    ("needs_you", "coming_up" or "new"); lower ``order`` comes first when items are equally urgent."""
    if part not in HEADINGS:
        raise ValueError(f"unknown digest part {part!r}: one of {', '.join(HEADINGS)}")
    key = name or f"{fn.__module__}.{fn.__name__}"
    SECTIONS.add(app, key, Section(part, key, order, fn))


def sections_in(part: str) -> list[Section]:
    return sorted((s for s in SECTIONS.entries().values() if s.part == part), key=lambda s: (s.order, s.name))
