"""Real small documents for the tests: a PDF with a text layer and a DOCX (made by the app's own
cluster.resources.samples, which the demo uses too) and a PNG."""

from __future__ import annotations

import zlib

from cluster.resources.samples import docx_with_text, pdf_with_text  # noqa: F401  (re-exported for the tests)


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )
