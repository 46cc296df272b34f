"""Objects the access matrix needs for the resource library."""

from __future__ import annotations

import itertools

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.extensions import db
from cluster.networks.models import Network

_fresh = itertools.count(1)


def disposable_resource(side) -> int:
    """A new resource of ``side``'s network owned by its member, for each caller of a route that
    deletes (so that every allowed role has something to delete)."""
    from tests.factories import Factory

    network = db.session.get(Network, side.network)
    member = db.session.scalar(sa.select(User).where(User.email == side.users["member"].email))
    number = next(_fresh)
    return (
        Factory()
        .resource(
            network,
            member,
            title=f"Disposable {number}",
            file_name="old.txt",
            data=f"disposable handout {number}".encode(),
        )
        .id
    )
