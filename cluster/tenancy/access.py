"""The organisation in the URL, and the checks that know no domain.

Objects are fetched through :func:`get_for_organisation`, which scopes every look-up to the
organisation in the URL: a foreign or missing object is the same 404. The organisation's admins
and the platform's admins are checked here; a person's standing in a network, and the loaders
of networks and meetings built on it, are in :mod:`cluster.networks.access` and
:mod:`cluster.meetings.access`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import abort, g
from flask_login import current_user

from cluster.extensions import db, login_manager
from cluster.tenancy.models import Membership, Organisation

M = TypeVar("M")


def current_organisation() -> Organisation:
    return g.organisation


def current_membership() -> Membership:
    return g.membership


def scoped(model: type[M]) -> sa.Select:
    """``select(model)`` limited to the current organisation."""
    return sa.select(model).where(model.organisation_id == g.organisation.id)


def get_for_organisation(model: type[M], object_id: Any, *options: Any) -> M:
    """Return ``model`` with ``object_id`` in the current organisation, or answer 404."""
    try:
        object_id = int(object_id)
    except (TypeError, ValueError):
        abort(404)
    if not 0 < object_id < 2**63:  # beyond any id, and beyond what SQLite can bind
        abort(404)
    stmt = scoped(model).where(model.id == object_id)
    if options:
        stmt = stmt.options(*options)
    found = db.session.scalar(stmt)
    if found is None:
        abort(404)
    return found


def org_admin_required(view: Callable) -> Callable:
    """Only the organisation's admins may use ``view`` (403 for other members)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not g.membership.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def platform_admin_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_platform_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
