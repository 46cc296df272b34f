"""Import schools from the DfE "Get Information About Schools" (GIAS) ``edubasealldata`` CSV.

The national extract is cp1252-encoded, quotes every field, has ~135 columns and ~50,000
rows, and may hold newlines inside quoted fields (addresses). ``read_gias`` turns it into
validated rows without touching the database; ``import_gias`` upserts one organisation's
schools from it in a handful of bulk statements.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import sqlalchemy as sa

from cluster.extensions import db, utcnow
from cluster.schools.models import PHASES, School
from cluster.tenancy.models import Organisation

#: GIAS column for each GiasRow field.
COLUMNS = {
    "urn": "URN",
    "name": "EstablishmentName",
    "la_code": "LA (code)",
    "la_name": "LA (name)",
    "establishment_type": "TypeOfEstablishment (name)",
    "status": "EstablishmentStatus (name)",
    "phase": "PhaseOfEducation (name)",
    "postcode": "Postcode",
    "town": "Town",
}

#: Optional GIAS columns (older or trimmed extracts may lack them), for each GiasRow field.
OPTIONAL_COLUMNS = {"number_on_roll": "NumberOfPupils"}

#: Establishments in these states are not schools a network can work with (yet, or any more).
SKIPPED_STATUSES = frozenset({"Closed", "Proposed to open"})

#: The fields an import copies onto a School; a school whose values all match is left alone.
SCHOOL_FIELDS = (
    "name",
    "phase",
    "establishment_type",
    "la_code",
    "la_name",
    "status",
    "town",
    "postcode",
    "number_on_roll",
)

#: How often (in rows read) ``import_gias`` reports progress.
PROGRESS_EVERY = 1000

_URN = re.compile(r"[0-9]+")
_PHASES_BY_LOWER = {phase.lower(): phase for phase in PHASES}
_LABELS = {
    "name": "name",
    "establishment_type": "type of establishment",
    "la_code": "LA code",
    "la_name": "LA name",
    "status": "status",
    "town": "town",
    "postcode": "postcode",
}
#: Longest value each School column holds; a longer value is a problem, not silently cut.
_LIMITS = {attr: School.__table__.c[attr].type.length for attr in _LABELS}


class GiasFormatError(ValueError):
    """The file as a whole is not a GIAS extract we can read; nothing should be imported."""


@dataclass(frozen=True, slots=True)
class GiasRow:
    """One valid establishment. ``line`` is the physical line where its record starts."""

    line: int
    urn: str
    name: str
    phase: str
    establishment_type: str
    la_code: str
    la_name: str
    status: str
    town: str
    postcode: str
    number_on_roll: int | None = None


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A record that cannot be imported, and why, in words for the person importing.

    ``line`` counts physical lines with the header as line 1. ``urn``, ``la_code`` and
    ``status`` are kept as read so that callers can skip a problem row for the same
    reasons they would skip a good one (another LA, a closed school).
    """

    line: int
    reason: str
    urn: str = ""
    la_code: str = ""
    status: str = ""


def read_gias(stream: BinaryIO) -> Iterator[GiasRow | RowProblem]:
    """Yield one GiasRow or RowProblem per record of a GIAS CSV, in file order.

    The bytes are decoded as cp1252 (GIAS's encoding), or as UTF-8 when the file starts
    with a UTF-8 byte-order mark. A URN must be 1-6 ASCII digits; the phase must be one of
    ``PHASES`` (case aside); the name must be present; no value may be longer than its
    column in ``School``. Blank lines are ignored. Raises GiasFormatError when the header
    lacks a required column or the file cannot be decoded or parsed as CSV. The caller's
    stream is left open.
    """
    text = io.TextIOWrapper(stream, encoding=_encoding_of(stream), newline="")
    reader = csv.reader(text)
    try:
        header = _read_header(reader)
        indexes = {attr: header.index(column) for attr, column in COLUMNS.items()}
        indexes.update(
            {attr: header.index(column) for attr, column in OPTIONAL_COLUMNS.items() if column in header}
        )
        width = max(indexes.values()) + 1
        started = reader.line_num + 1
        for record in _records(reader):
            if record:
                if len(record) < width:
                    record = record + [""] * (width - len(record))
                yield _parse(started, {attr: record[i].strip() for attr, i in indexes.items()})
            started = reader.line_num + 1
    finally:
        # Closing or collecting the wrapper would close the caller's stream with it.
        text.detach()


def _encoding_of(stream: BinaryIO) -> str:
    head = b""
    if hasattr(stream, "peek"):
        head = stream.peek(3)[:3]
    elif getattr(stream, "seekable", lambda: False)():
        start = stream.tell()
        head = stream.read(3)
        stream.seek(start)
    return "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "cp1252"


def _records(reader) -> Iterator[list[str]]:
    """The reader's records, with decoding and CSV errors turned into GiasFormatError."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as error:
            byte = error.object[error.start]
            raise GiasFormatError(
                f"The file is not in the GIAS encoding (Windows-1252): byte 0x{byte:02X} near line "
                f"{reader.line_num + 1} cannot be read. Upload the CSV exactly as downloaded from GIAS."
            ) from error
        except csv.Error as error:
            raise GiasFormatError(
                f"The file is not a CSV file we can read (line {reader.line_num}: {error})."
            ) from error


def _read_header(reader) -> list[str]:
    for record in _records(reader):
        if any(cell.strip() for cell in record):
            header = [cell.strip() for cell in record]
            missing = [column for column in COLUMNS.values() if column not in header]
            if missing:
                names = ", ".join(f"'{column}'" for column in missing)
                raise GiasFormatError(
                    f"This is not a GIAS establishment file: its first line has no {names} "
                    f"column{'s' if len(missing) > 1 else ''}. Download 'all establishment data' "
                    "(edubasealldata CSV) from Get Information About Schools."
                )
            return header
    raise GiasFormatError("The file is empty.")


def _parse(line: int, values: dict[str, str]) -> GiasRow | RowProblem:
    problems = []
    urn = values["urn"]
    if not urn:
        problems.append("URN is missing")
    elif not _URN.fullmatch(urn):
        problems.append(f"URN '{urn}' is not a number")
    elif len(urn) > 6:
        problems.append(f"URN '{urn}' is longer than 6 digits")
    if not values["name"]:
        problems.append("name is missing")
    phase = values["phase"]
    if not phase:
        problems.append("phase is missing")
    elif phase.lower() not in _PHASES_BY_LOWER:
        problems.append(f"unknown phase '{phase}'")
    for attr, label in _LABELS.items():
        limit = _LIMITS[attr]
        if len(values[attr]) > limit:
            problems.append(f"{label} is longer than {limit} characters")
    if problems:
        return RowProblem(line, "; ".join(problems), urn, values["la_code"], values["status"])
    values["phase"] = _PHASES_BY_LOWER[phase.lower()]
    values["postcode"] = values["postcode"].upper()
    pupils = values.pop("number_on_roll", "")
    values["number_on_roll"] = (
        int(pupils) if pupils.isdigit() and len(pupils) < 7 else None
    )  # optional: never a problem
    return GiasRow(line=line, **values)


@dataclass
class ImportReport:
    """What an import did. Every row read is counted once, except a repeated URN's earlier rows."""

    rows: int = 0
    added: int = 0
    #: Existing schools (same URN) whose details changed.
    updated: int = 0
    #: Existing schools (same URN) whose details were already up to date.
    unchanged: int = 0
    skipped_closed: int = 0
    skipped_other_la: int = 0
    rejected: list[RowProblem] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return self.skipped_closed + self.skipped_other_la


def import_gias(
    organisation: Organisation,
    stream: BinaryIO,
    la_codes: set[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Add or update ``organisation``'s schools from a GIAS CSV; flush, but do not commit.

    Rules: a school is matched by URN within the organisation only, so re-importing
    updates it and never duplicates it, and other organisations' schools are never
    touched. Rows of LAs outside ``la_codes`` (when given and not empty) are skipped first,
    then closed and proposed-to-open establishments; problems in skipped rows are not
    reported. When a URN appears more than once, its last valid row wins. A GiasFormatError
    is raised before anything is written. ``progress(n)`` receives the rows read since its
    last call, at most every PROGRESS_EVERY rows, and once at the end.
    """
    wanted = {code.strip() for code in la_codes} if la_codes else None
    report = ImportReport()
    latest: dict[str, GiasRow] = {}
    unreported = 0
    for item in read_gias(stream):
        report.rows += 1
        unreported += 1
        if progress is not None and unreported >= PROGRESS_EVERY:
            progress(unreported)
            unreported = 0
        if wanted is not None and item.la_code not in wanted:
            report.skipped_other_la += 1
        elif item.status in SKIPPED_STATUSES:
            report.skipped_closed += 1
        elif isinstance(item, RowProblem):
            report.rejected.append(item)
        else:
            latest[item.urn] = item
    if progress is not None and unreported:
        progress(unreported)
    _write(organisation, latest.values(), report)
    return report


def _write(organisation: Organisation, rows, report: ImportReport) -> None:
    # One query for everything the organisation already has, so that matching costs
    # nothing per row; then one bulk INSERT and one bulk UPDATE.
    existing = {
        found.urn: found
        for found in db.session.execute(
            sa.select(School.id, School.urn, *(getattr(School, attr) for attr in SCHOOL_FIELDS)).where(
                School.organisation_id == organisation.id, School.urn.is_not(None)
            )
        )
    }
    now = utcnow()
    inserts, updates = [], []
    for row in rows:
        values = {attr: getattr(row, attr) for attr in SCHOOL_FIELDS}
        found = existing.get(row.urn)
        if found is None:
            inserts.append(
                {
                    **values,
                    "organisation_id": organisation.id,
                    "urn": row.urn,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        elif any(getattr(found, attr) != value for attr, value in values.items()):
            updates.append({**values, "id": found.id, "updated_at": now})
        else:
            report.unchanged += 1
    if inserts:
        db.session.execute(sa.insert(School), inserts)
    if updates:
        db.session.execute(sa.update(School), updates)
        # Bulk UPDATE bypasses loaded objects; make any School already in the session re-read.
        for obj in list(db.session.identity_map.values()):
            if isinstance(obj, School):
                db.session.expire(obj)
    db.session.flush()
    report.added, report.updated = len(inserts), len(updates)
