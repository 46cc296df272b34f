"""Checking an uploaded file by its content, and reading the text inside PDFs and Word files."""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype

log = logging.getLogger(__name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

#: Extension -> (content type, kind). The content must agree with the extension.
ALLOWED = {
    "pdf": ("application/pdf", "pdf"),
    "docx": (DOCX, "document"),
    "xlsx": (XLSX, "document"),
    "pptx": (PPTX, "document"),
    "doc": ("application/msword", "document"),
    "xls": ("application/vnd.ms-excel", "document"),
    "ppt": ("application/vnd.ms-powerpoint", "document"),
    "odt": ("application/vnd.oasis.opendocument.text", "document"),
    "png": ("image/png", "image"),
    "jpg": ("image/jpeg", "image"),
    "jpeg": ("image/jpeg", "image"),
    "gif": ("image/gif", "image"),
    "webp": ("image/webp", "image"),
    "txt": ("text/plain", "text"),
    "csv": ("text/csv", "text"),
    "md": ("text/markdown", "text"),
}
#: Shown inline on request (the browser renders them safely); everything else is an attachment.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office (doc, xls, ppt)
_OOXML_PART = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


class UploadProblem(ValueError):
    """An upload we refuse, with a message for the user."""


@dataclass(frozen=True)
class CheckedFile:
    file_name: str
    content_type: str
    kind: str


def clean_file_name(name: str) -> str:
    """The uploader's name reduced to its last part and safe characters (for display and download)."""
    name = unicodedata.normalize("NFKC", name or "").replace("\\", "/").split("/")[-1]
    name = re.sub(r"[^\w.\- ()]+", "_", name).strip(" .")
    return name[-150:] or "file"


def check_file(name: str, data: bytes, max_bytes: int) -> CheckedFile:
    """Accept ``data`` only if it is not empty, not too large, of an allowed extension, and its
    content is what the extension says. Raises :class:`UploadProblem`."""
    if not data:
        raise UploadProblem("The selected file is empty")
    if len(data) > max_bytes:
        raise UploadProblem(f"The selected file must be smaller than {max_bytes // (1024 * 1024)} MB")
    file_name = clean_file_name(name)
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension not in ALLOWED:
        raise UploadProblem("The selected file must be a PDF, an Office document, an image or a text file")
    content_type, kind = ALLOWED[extension]
    if not _content_matches(extension, content_type, data):
        raise UploadProblem(f"The selected file's content is not a {extension.upper()} file")
    return CheckedFile(file_name=file_name, content_type=content_type, kind=kind)


def _content_matches(extension: str, content_type: str, data: bytes) -> bool:
    if extension in _OOXML_PART:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return any(n.startswith(_OOXML_PART[extension]) for n in archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return False
    if extension in ("doc", "xls", "ppt"):
        return data.startswith(_OLE)
    if extension == "odt":
        return data[:2] == b"PK" and b"application/vnd.oasis.opendocument.text" in data[:200]
    if content_type.startswith("text/"):
        if b"\x00" in data[:8192]:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return filetype.guess(data) is None
    guessed = filetype.guess(data)
    return guessed is not None and guessed.mime == content_type


def extract_text(content_type: str, data: bytes, limit: int = 200_000) -> str:
    """The text inside a PDF, Word document or text file ('' for anything else or on failure:
    a file we cannot read is still shared, only not searchable by its content)."""
    try:
        if content_type == "application/pdf":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            text = "\n".join((page.extract_text() or "") for page in reader.pages[:200])
        elif content_type == DOCX:
            import docx

            document = docx.Document(io.BytesIO(data))
            text = "\n".join(p.text for p in document.paragraphs)
        elif content_type.startswith("text/"):
            text = data.decode("utf-8", errors="replace")
        else:
            return ""
    except Exception:  # a malformed file must not stop the upload
        log.warning("could not extract text from a %s upload", content_type, exc_info=True)
        return ""
    return text.replace("\x00", "")[:limit]
