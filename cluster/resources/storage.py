"""Where uploaded files live: behind a small interface, content-addressed.

A file is stored under the SHA-256 of its content (never the uploader's name), so identical
uploads share one file and no user input reaches a path. :class:`LocalStorage` keeps files in a
folder (``CLUSTER_UPLOADS``, default ``instance/uploads``), outside ``static/``.

Moving to object storage (S3, Azure Blob, GCS): write a class with the same four methods
(``save``, ``open``, ``exists``, ``delete``) over the bucket, using the hash as the object key and
keeping the bucket private, and return it from :func:`storage`. Downloads still go through the
app (which checks access); for large files the view could instead redirect to a short-lived
pre-signed URL with ``response-content-disposition=attachment``.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

_HASH = re.compile(r"^[0-9a-f]{64}$")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FileStorage(Protocol):
    def save(self, data: bytes) -> str: ...
    def open(self, digest: str) -> BinaryIO: ...
    def exists(self, digest: str) -> bool: ...
    def delete(self, digest: str) -> None: ...


class LocalStorage:
    """Files in a folder, fanned out by the hash's first two characters."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, digest: str) -> Path:
        if not _HASH.match(digest):  # the only way in is a hash we computed; refuse anything else
            raise ValueError("not a content hash")
        return self.root / digest[:2] / digest

    def save(self, data: bytes) -> str:
        digest = content_hash(data)
        path = self._path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)  # atomic: a reader never sees half a file
        return digest

    def open(self, digest: str) -> BinaryIO:
        return self._path(digest).open("rb")

    def exists(self, digest: str) -> bool:
        return self._path(digest).is_file()

    def delete(self, digest: str) -> None:
        self._path(digest).unlink(missing_ok=True)


def uploads_folder() -> str:
    return current_app.config.get("CLUSTER_UPLOADS") or os.path.join(current_app.instance_path, "uploads")


def storage() -> FileStorage:
    return LocalStorage(uploads_folder())
