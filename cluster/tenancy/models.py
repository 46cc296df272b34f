"""The tenant (an organisation: a local authority or a trust) and who belongs to it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from cluster.extensions import UTCDateTime, db, utcnow

ORGANISATION_KINDS = {"local_authority": "Local authority", "trust": "Trust"}


class TenantOwned:
    """Columns every tenant-owned row carries: its organisation, indexed."""

    @declared_attr
    def organisation_id(cls) -> Mapped[int]:
        return mapped_column(sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True)


class Organisation(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The organisation's handle in URLs (``/o/<slug>/``); never changes once created.
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(20), default="local_authority")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def kind_label(self) -> str:
        return ORGANISATION_KINDS.get(self.kind, self.kind)


class Membership(TenantOwned, db.Model):
    """A user's place in one organisation: whether they administer it, and their school."""

    __table_args__ = (sa.UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    #: The school whose SENCO this person is; empty for observers and officers.
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id", ondelete="SET NULL"), index=True)
    #: A role in words for people without a school, e.g. "Educational psychology service".
    job_title: Mapped[str] = mapped_column(sa.String(200), default="")
    #: The school's deputy SENCO, when named: the member may answer date polls for them.
    deputy_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    user: Mapped[User] = relationship(back_populates="memberships")  # noqa: F821
    school: Mapped[School | None] = relationship()  # noqa: F821
