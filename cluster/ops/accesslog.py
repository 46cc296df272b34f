"""Gunicorn's access log as JSON lines (one object a request), with secrets taken out of paths.

Feed, unsubscribe, invitation and password-reset URLs carry their secret in the path; an access
log is read by more people than the database, so those segments (and any other that looks like a
token) are written as ``…``. Configured by ``gunicorn.conf.py``.
"""

from __future__ import annotations

import json
import re
import traceback
from datetime import UTC, datetime

from gunicorn.glogging import Logger

#: Path segments that are followed by a secret (feeds, password resets, invitations, unsubscribe
#: links, speakers' answers); any other segment of 32 or more URL-safe characters is taken for one too.
_SECRET_AFTER = {"feeds", "reset", "invitations", "unsubscribe", "speaker-invitations"}
_LONG_TOKEN = re.compile(r"^[A-Za-z0-9_\-]{32,}$")


def redact(path: str) -> str:
    """``path`` with every secret segment replaced by ``…`` (a ``.ics`` extension is kept)."""
    parts = path.split("/")
    for i, part in enumerate(parts):
        stem, ext = (part[:-4], ".ics") if part.endswith(".ics") else (part, "")
        if stem and ((i > 0 and parts[i - 1] in _SECRET_AFTER) or _LONG_TOKEN.match(stem)):
            parts[i] = "…" + ext
    return "/".join(parts)


def access_record(atoms: dict, when: datetime | None = None) -> dict:
    """What one line says: time, client, method, path (redacted, no query string), status, bytes,
    duration in milliseconds, referrer and user agent."""
    size = atoms.get("B")
    return {
        "time": (when or datetime.now(UTC)).isoformat(timespec="milliseconds"),
        "remote": atoms.get("h", "-"),
        "method": atoms.get("m", "-"),
        "path": redact(atoms.get("U", "-")),
        "status": int(atoms["s"]) if str(atoms.get("s", "")).isdigit() else atoms.get("s"),
        "bytes": size if isinstance(size, int) else None,
        "duration_ms": round(int(atoms.get("D", 0)) / 1000, 1),
        "referrer": redact(atoms.get("f", "-")),
        "user_agent": atoms.get("a", "-"),
        "pid": atoms.get("p", "-"),
    }


class JsonAccessLogger(Logger):
    """Gunicorn's logger, whose access lines are JSON (errors stay as gunicorn writes them)."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        try:
            atoms = self.atoms(resp, req, environ, request_time)
            self.access_log.info(json.dumps(access_record(atoms), ensure_ascii=False))
        except Exception:
            self.error(traceback.format_exc())
