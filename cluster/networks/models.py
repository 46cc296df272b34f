"""Networks (clusters) of schools inside an organisation, and who runs or observes them."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cluster.extensions import UTCDateTime, db, utcnow
from cluster.schools.models import School
from cluster.tenancy.models import Organisation, TenantOwned

NETWORK_ROLES = {"organiser": "Organiser", "observer": "Observer"}


def new_feed_version() -> int:
    return secrets.randbits(62)


class Network(TenantOwned, db.Model):
    __table_args__ = (sa.UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: A new random number whenever anything the network's calendar feeds show changes (random, not
    #: counted, so that no two states of a network share one, even across a restore from backup):
    #: see :mod:`cluster.feeds.versions`.
    feed_version: Mapped[int] = mapped_column(sa.BigInteger, default=new_feed_version, server_default="0")

    organisation = relationship(Organisation)
    schools: Mapped[list[School]] = relationship(
        secondary="network_school", order_by="School.name", viewonly=True
    )


class NetworkSchool(TenantOwned, db.Model):
    """A member school of a network; its SENCOs are the network's members."""

    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id", ondelete="CASCADE"), primary_key=True)
    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class NetworkRole(TenantOwned, db.Model):
    """An appointed organiser or observer of a network."""

    __table_args__ = (sa.UniqueConstraint("network_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    network: Mapped[Network] = relationship()
    user: Mapped[User] = relationship()  # noqa: F821

    @property
    def role_label(self) -> str:
        return NETWORK_ROLES[self.role]
