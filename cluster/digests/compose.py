"""Composing digests: load what a batch of readers needs (a fixed number of queries), ask every
section, and arrange the answers into digests. Reads only; the job and the preview page share it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from cluster.digests.sections import HEADINGS, DigestBatch, DigestItem, NetworkInfo, Reader, sections_in
from cluster.extensions import db
from cluster.mail import url_context
from cluster.networks import queries
from cluster.networks.models import Network
from cluster.tenancy.models import Membership, Organisation


@dataclass(frozen=True)
class DigestGroup:
    """A network's items in one part of a digest."""

    network: NetworkInfo
    label: str
    items: list[DigestItem]


@dataclass(frozen=True)
class DigestPart:
    key: str
    heading: str
    groups: list[DigestGroup]

    @property
    def count(self) -> int:
        return sum(len(group.items) for group in self.groups)


@dataclass(frozen=True)
class Digest:
    """One reader's digest: the parts that have something in them, in order."""

    reader: Reader
    parts: list[DigestPart]

    @property
    def item_count(self) -> int:
        return sum(part.count for part in self.parts)

    @property
    def is_empty(self) -> bool:
        return not self.parts

    def count(self, key: str) -> int:
        return next((part.count for part in self.parts if part.key == key), 0)

    @property
    def summary(self) -> str:
        """ "2 need you, 3 coming up, 1 new" (the parts that have something)."""
        words = {
            "needs_you": lambda n: f"{n} need{'s' if n == 1 else ''} you",
            "coming_up": lambda n: f"{n} coming up",
            "new": lambda n: f"{n} new",
        }
        return ", ".join(words[part.key](part.count) for part in self.parts if part.key in words)

    @property
    def items(self) -> list[DigestItem]:
        return [item for part in self.parts for group in part.groups for item in group.items]


def new_heading(reader: Reader) -> str:
    if reader.had_digest:
        return HEADINGS["new"]
    return "New in the last day" if reader.frequency == "daily" else "New in the last week"


# Loading a batch -----------------------------------------------------------------------------


def load_batch(readers: Sequence[Reader], now: datetime) -> DigestBatch:
    """What every section needs to know about ``readers``: three queries, whatever the number
    of readers, networks or organisations.

    A reader's networks and roles, and where they vote in date polls, are those of
    :func:`cluster.networks.queries.roles`.
    """
    batch = DigestBatch(now=now, readers={reader.user_id: reader for reader in readers})
    user_ids = batch.user_ids
    for user_id, organisation_id, school_id in db.session.execute(
        sa.select(Membership.user_id, Membership.organisation_id, Membership.school_id).where(
            Membership.user_id.in_(user_ids)
        )
    ):
        batch.schools.setdefault(user_id, {})[organisation_id] = school_id
    roles: dict[int, dict[int, str]] = defaultdict(dict)
    voters: dict[int, set[int]] = defaultdict(set)
    for user_id, network_id, role, votes in db.session.execute(queries.roles(user_ids)):
        roles[user_id][network_id] = role
        if votes:
            voters[user_id].add(network_id)
    batch.roles = dict(roles)
    batch.voters = dict(voters)
    network_ids = sorted({n for networks in roles.values() for n in networks})
    for row in db.session.execute(
        sa.select(Network.id, Network.name, Network.organisation_id, Organisation.slug, Organisation.name)
        .join(Organisation, Organisation.id == Network.organisation_id)
        .where(Network.id.in_(network_ids))
    ):
        batch.networks[row[0]] = NetworkInfo(*row)
    # A role in a network that is gone (or a membership of an organisation the person has left)
    # must not let anything through.
    for user_id, networks in batch.roles.items():
        organisations = batch.schools.get(user_id, {})
        for network_id in [
            n
            for n in networks
            if n not in batch.networks or batch.networks[n].organisation_id not in organisations
        ]:
            del networks[network_id]
        batch.voters.get(user_id, set()).intersection_update(networks)
    return batch


# Composing -------------------------------------------------------------------------------------


def compose(batch: DigestBatch) -> dict[int, Digest]:
    """Every reader's digest: each section asked once for the whole batch, items kept only for
    the reader's own networks, grouped by network, most urgent first."""
    found: dict[int, dict[str, list[tuple[int, DigestItem]]]] = {
        uid: defaultdict(list) for uid in batch.readers
    }
    with url_context():  # sections build links with url_for, in a job as in a request
        for part in HEADINGS:
            for section in sections_in(part):
                for user_id, items in section.fn(batch).items():
                    allowed = batch.roles.get(user_id, {})
                    if user_id in found:
                        found[user_id][part] += [
                            (section.order, item) for item in items if item.network_id in allowed
                        ]
    return {uid: _arrange(batch, batch.readers[uid], found[uid]) for uid in batch.user_ids}


def _arrange(batch: DigestBatch, reader: Reader, found: dict[str, list[tuple[int, DigestItem]]]) -> Digest:
    several_organisations = len(batch.schools.get(reader.user_id, {})) > 1
    parts = []
    for key, heading in HEADINGS.items():
        if not found.get(key):
            continue
        by_network: dict[int, list[tuple[int, DigestItem]]] = defaultdict(list)
        for order, item in found[key]:
            by_network[item.network_id].append((order, item))
        groups = []
        for network_id, entries in by_network.items():
            entries.sort(key=lambda e: (e[1].sort_at, e[0], e[1].title, e[1].key))
            network = batch.networks[network_id]
            label = f"{network.name} ({network.organisation_name})" if several_organisations else network.name
            groups.append(
                (entries[0][1].sort_at, network.name, DigestGroup(network, label, [e[1] for e in entries]))
            )
        groups.sort(key=lambda g: (g[0], g[1]))
        parts.append(
            DigestPart(key, new_heading(reader) if key == "new" else heading, [g[2] for g in groups])
        )
    return Digest(reader, parts)
