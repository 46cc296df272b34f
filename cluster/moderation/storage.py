"""Moderation attachments live in their own folder under the uploads root, by content hash, so
purging a case never touches a resource library file (and the reverse)."""

from __future__ import annotations

import os

from cluster.resources.storage import FileStorage, LocalStorage, uploads_folder


def moderation_storage() -> FileStorage:
    return LocalStorage(os.path.join(uploads_folder(), "moderation"))
