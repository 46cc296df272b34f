"""The library's rules: sharing, new versions, deletion, recommending. Flush, never commit."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.networks.models import Network
from cluster.resources.files import UploadProblem, check_file, extract_text
from cluster.resources.models import Resource, ResourceDeletion, ResourceVersion
from cluster.resources.queries import search_document
from cluster.resources.storage import FileStorage, content_hash

REVIEW_AFTER = timedelta(days=365)


def normalise_tags(raw: str) -> str:
    tags = []
    for tag in (raw or "").split(","):
        tag = " ".join(tag.split()).lower()[:50]
        if tag and tag not in tags:
            tags.append(tag)
    return ",".join(tags)[:500]


def _search_text(resource: Resource, extracted: str) -> str:
    return search_document(
        " ".join([resource.title, resource.description, resource.tags.replace(",", " "), extracted])
    )


def duplicate_of(network: Network, digest: str) -> Resource | None:
    """A resource of the same organisation whose current file has this content."""
    return db.session.scalar(
        sa.select(Resource)
        .join(ResourceVersion, ResourceVersion.resource_id == Resource.id)
        .where(Resource.organisation_id == network.organisation_id, ResourceVersion.content_hash == digest)
        .limit(1)
    )


def share(
    network: Network,
    owner: User,
    store: FileStorage,
    *,
    title: str,
    description: str,
    area_of_need: str,
    phase: str,
    tags: str,
    visibility: str,
    url: str = "",
    file_name: str = "",
    data: bytes = b"",
    max_bytes: int = 20 * 1024 * 1024,
    meeting_id: int | None = None,
    agenda_item_id: int | None = None,
    today: date | None = None,
) -> Resource:
    """Share a file (``data``) or a link (``url``) from ``network``, reviewed in 12 months.

    The file is checked by content (raises :class:`UploadProblem`); the same content already
    shared in the organisation is refused as a duplicate."""
    resource = Resource(
        organisation_id=network.organisation_id,
        network_id=network.id,
        owner_id=owner.id,
        title=title.strip(),
        description=description.strip(),
        area_of_need=area_of_need,
        phase=phase,
        tags=normalise_tags(tags),
        visibility=visibility,
        meeting_id=meeting_id,
        agenda_item_id=agenda_item_id,
        kind="link",
        url=url.strip(),
        review_on=(today or date.today()) + REVIEW_AFTER,
    )
    extracted = ""
    if data or file_name:
        checked = check_file(file_name, data, max_bytes)
        existing = duplicate_of(network, content_hash(data))
        if existing is not None:
            raise UploadProblem(f"This file has already been shared as “{existing.title}”")
        resource.kind, resource.url = checked.kind, ""
        extracted = extract_text(checked.content_type, data)
    db.session.add(resource)
    db.session.flush()
    if resource.kind != "link":
        _add_version(resource, owner, store, checked, data)
    resource.search_text = _search_text(resource, extracted)
    db.session.flush()
    return resource


def _add_version(resource: Resource, user: User, store: FileStorage, checked, data: bytes) -> ResourceVersion:
    number = (
        db.session.scalar(
            sa.select(sa.func.max(ResourceVersion.number)).where(ResourceVersion.resource_id == resource.id)
        )
        or 0
    ) + 1
    digest = store.save(data)
    version = ResourceVersion(
        organisation_id=resource.organisation_id,
        resource_id=resource.id,
        number=number,
        content_hash=digest,
        file_name=checked.file_name,
        content_type=checked.content_type,
        size=len(data),
        uploaded_by_id=user.id,
    )
    db.session.add(version)
    db.session.flush()
    return version


def add_version(
    resource: Resource,
    user: User,
    store: FileStorage,
    file_name: str,
    data: bytes,
    max_bytes: int,
    today: date | None = None,
) -> ResourceVersion:
    """Upload a new version of a file resource: older versions stay downloadable, the search text
    follows the new file, and the review date starts again."""
    checked = check_file(file_name, data, max_bytes)
    version = _add_version(resource, user, store, checked, data)
    resource.kind = checked.kind
    resource.search_text = _search_text(resource, extract_text(checked.content_type, data))
    resource.review_on = (today or date.today()) + REVIEW_AFTER
    resource.updated_at = utcnow()
    db.session.flush()
    return version


def update_details(
    resource: Resource,
    store: FileStorage,
    *,
    title: str,
    description: str,
    area_of_need: str,
    phase: str,
    tags: str,
    visibility: str,
    url: str | None = None,
    meeting_id: int | None = None,
    agenda_item_id: int | None = None,
) -> None:
    """Change what is said about a resource (not its file: that is a new version); search follows."""
    resource.title, resource.description = title.strip(), description.strip()
    resource.area_of_need, resource.phase, resource.tags = area_of_need, phase, normalise_tags(tags)
    resource.visibility, resource.meeting_id, resource.agenda_item_id = visibility, meeting_id, agenda_item_id
    if resource.kind == "link" and url is not None:
        resource.url = url.strip()
    extracted = ""
    current = db.session.scalar(
        sa.select(ResourceVersion)
        .where(ResourceVersion.resource_id == resource.id)
        .order_by(ResourceVersion.number.desc())
        .limit(1)
    )
    if current is not None and store.exists(current.content_hash):
        with store.open(current.content_hash) as handle:
            extracted = extract_text(current.content_type, handle.read())
    resource.search_text = _search_text(resource, extracted)
    resource.updated_at = utcnow()
    db.session.flush()


def mark_reviewed(resource: Resource, today: date | None = None) -> None:
    """The owner confirms the resource is current: reviewed again in 12 months."""
    resource.review_on = (today or date.today()) + REVIEW_AFTER
    db.session.flush()


def set_recommended(resource: Resource, recommended: bool) -> None:
    resource.recommended = recommended
    db.session.flush()


def count_download(resource: Resource) -> None:
    db.session.execute(
        sa.update(Resource)
        .where(Resource.id == resource.id)
        .values(download_count=Resource.download_count + 1)
    )


def delete(resource: Resource, user: User, store: FileStorage) -> list[str]:
    """Delete ``resource``, record who did it, and return the hashes no version refers to any more
    (the caller removes those files after the commit)."""
    hashes = set(
        db.session.scalars(
            sa.select(ResourceVersion.content_hash).where(ResourceVersion.resource_id == resource.id)
        )
    )
    db.session.add(
        ResourceDeletion(
            organisation_id=resource.organisation_id,
            resource_id=resource.id,
            title=resource.title,
            network_id=resource.network_id,
            deleted_by_id=user.id,
        )
    )
    db.session.execute(sa.delete(ResourceVersion).where(ResourceVersion.resource_id == resource.id))
    db.session.delete(resource)
    db.session.flush()
    still_used = (
        set(
            db.session.scalars(
                sa.select(ResourceVersion.content_hash).where(ResourceVersion.content_hash.in_(hashes))
            )
        )
        if hashes
        else set()
    )
    return sorted(hashes - still_used)


def remove_files(store: FileStorage, hashes: list[str]) -> None:
    for digest in hashes:
        store.delete(digest)
