"""Resources, their versions (every uploaded file is kept) and the record of deletions."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cluster.agenda.models import AgendaItem
from cluster.auth.models import User
from cluster.extensions import UTCDateTime, db, utcnow
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
from cluster.tenancy.models import TenantOwned

#: The four broad areas of need of the SEND Code of Practice (6.28-6.35).
AREAS_OF_NEED = {
    "communication": "Communication and interaction",
    "cognition": "Cognition and learning",
    "semh": "Social, emotional and mental health",
    "sensory": "Sensory and/or physical needs",
}
PHASES = {
    "early_years": "Early years",
    "primary": "Primary",
    "secondary": "Secondary",
    "post_16": "Post-16",
    "all": "All phases",
}
VISIBILITIES = {"network": "The network", "organisation": "The whole organisation"}
KINDS = {"pdf": "PDF", "document": "Office document", "image": "Image", "text": "Text", "link": "Link"}


class Resource(TenantOwned, db.Model):
    __table_args__ = (sa.Index("ix_resource_org_created", "organisation_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The network it was shared from; ``visibility`` says whether only that network sees it.
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(sa.String(200))
    #: Markdown; rendered through the sanitiser.
    description: Mapped[str] = mapped_column(sa.Text, default="")
    area_of_need: Mapped[str] = mapped_column(sa.String(20))
    phase: Mapped[str] = mapped_column(sa.String(20))
    #: Comma-separated, lower case.
    tags: Mapped[str] = mapped_column(sa.String(500), default="")
    kind: Mapped[str] = mapped_column(sa.String(12))
    url: Mapped[str] = mapped_column(sa.String(1000), default="")
    visibility: Mapped[str] = mapped_column(sa.String(12), default="network")
    #: Optionally the meeting it belongs to (slides from a talk) or the agenda item it informs.
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting.id", ondelete="SET NULL"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_item.id", ondelete="SET NULL"), index=True
    )
    #: The words of the title, description, tags and the current file's text, as
    #: ``queries.search_document`` writes them: what search reads.
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    download_count: Mapped[int] = mapped_column(default=0)
    recommended: Mapped[bool] = mapped_column(default=False)
    review_on: Mapped[date] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    network = relationship(Network, lazy="joined")
    owner = relationship(User, lazy="joined")
    meeting = relationship(Meeting)
    agenda_item = relationship(AgendaItem)

    @property
    def area_label(self) -> str:
        return AREAS_OF_NEED.get(self.area_of_need, self.area_of_need)

    @property
    def phase_label(self) -> str:
        return PHASES.get(self.phase, self.phase)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]

    def out_of_date(self, today: date) -> bool:
        return self.review_on < today


class ResourceVersion(TenantOwned, db.Model):
    __table_args__ = (sa.UniqueConstraint("resource_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(sa.ForeignKey("resource.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    #: SHA-256 of the content: the file's name in storage.
    content_hash: Mapped[str] = mapped_column(sa.String(64), index=True)
    #: The uploader's file name, cleaned; shown and offered on download, never used in storage.
    file_name: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by = relationship(User)


class ResourceDeletion(TenantOwned, db.Model):
    """Who deleted which resource, and when (the resource itself is gone)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    network_id: Mapped[int | None] = mapped_column(sa.ForeignKey("network.id", ondelete="SET NULL"))
    deleted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    network = relationship(Network)
    deleted_by = relationship(User)
