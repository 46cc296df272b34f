"""Importing an organisation's school calendar from a CSV file (``kind,name,start,end``)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from cluster.calendar.models import CALENDAR_KINDS, CalendarEntry
from cluster.calendar.services import clean_text, entries_between, entry_problems
from cluster.extensions import db
from cluster.tenancy.models import Organisation

#: A school calendar is a few dozen lines a year; more than this is the wrong file.
MAX_IMPORT_ROWS = 2000
#: Words people write for a kind, beyond term, holiday and inset.
KIND_ALIASES = {
    "half term": None,
    "half-term": None,
    "halfterm": None,  # the half term itself, or its holiday? Ask.
    "term time": "term",
    "school term": "term",
    "school holiday": "holiday",
    "holidays": "holiday",
    "half term holiday": "holiday",
    "half-term holiday": "holiday",
    "inset day": "inset",
    "training day": "inset",
    "staff training day": "inset",
    "insetday": "inset",
}
COLUMN_ALIASES = {
    "type": "kind",
    "start date": "start",
    "starts": "start",
    "from": "start",
    "end date": "end",
    "ends": "end",
    "to": "end",
    "title": "name",
}
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%A %d %B %Y",
    "%a %d %b %Y",
)


class CalendarFormatError(ValueError):
    """The file is not a calendar CSV at all; ``str()`` says what to do."""


@dataclass(frozen=True)
class ImportProblem:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.reason}"


@dataclass
class CalendarImport:
    added: int = 0
    #: Rows already in the calendar (or repeated in the file): skipped.
    duplicates: int = 0
    problems: list[ImportProblem] = field(default_factory=list)


def decode_csv(data: bytes) -> str:
    """The text of an uploaded CSV: UTF-8 (with or without Excel's byte order mark), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def import_calendar_csv(organisation: Organisation, text: str) -> CalendarImport:
    """Add entries from a CSV whose first line names the columns ``kind,name,start,end``.

    Kind is term (a half term, like "Autumn 1"), holiday or inset (some everyday words are
    understood, see ``KIND_ALIASES``); dates are 2026-10-26, 26/10/2026 or 26 October 2026; an
    empty end means a single day. A file without those columns raises :class:`CalendarFormatError`
    and adds nothing. Each row must pass :func:`entry_problems`. Rows with problems
    are skipped and reported by their line in the file; rows already in the calendar (same kind,
    name in any case, and dates) or repeated in the file are skipped and counted, so importing a
    corrected file again adds only what is missing. Blank lines are ignored. Flushes; one query
    to find the existing entries, whatever the size of the file.
    """
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
    except csv.Error:
        header = None
    columns = [COLUMN_ALIASES.get(clean_text(c).lower(), clean_text(c).lower()) for c in header or []]
    if not {"kind", "name", "start", "end"} <= set(columns):
        raise CalendarFormatError(
            "The first line of the file must name the columns kind,name,start,end. "
            "Save a spreadsheet as CSV first."
        )
    result, parsed = CalendarImport(), []
    while True:
        line = reader.line_num + 1  # the row's first physical line: blank lines and quoted line breaks count
        try:
            values = next(reader, None)
        except csv.Error as problem:  # a stray quote or NUL byte: nothing after it can be trusted
            result.problems.append(ImportProblem(line, f"the file cannot be read from here ({problem})"))
            break
        if values is None:
            break
        if not any(v.strip() for v in values):
            continue
        if len(parsed) + len(result.problems) >= MAX_IMPORT_ROWS:
            result.problems.append(
                ImportProblem(line, f"stopped here: a file may have at most {MAX_IMPORT_ROWS} rows")
            )
            break
        row = {
            column: " ".join(clean_text(values[i]).split()) if i < len(values) else ""
            for i, column in enumerate(columns)
        }
        entry_or_problem = _parse_row(row)
        if isinstance(entry_or_problem, str):
            result.problems.append(ImportProblem(line, entry_or_problem))
        else:
            parsed.append(entry_or_problem)
    if not parsed:
        return result
    seen = {
        _key(e.kind, e.name, e.starts_on, e.ends_on)
        for e in entries_between(organisation, min(p[2] for p in parsed), max(p[3] for p in parsed))
    }
    for kind, name, starts_on, ends_on in parsed:
        key = _key(kind, name, starts_on, ends_on)
        if key in seen:
            result.duplicates += 1
            continue
        seen.add(key)
        db.session.add(
            CalendarEntry(
                organisation_id=organisation.id, kind=kind, name=name, starts_on=starts_on, ends_on=ends_on
            )
        )
        result.added += 1
    db.session.flush()
    return result


def _parse_row(row: dict[str, str]) -> tuple[str, str, date, date] | str:
    """(kind, name, start, end) from one row, or the problem with it in words."""
    written = row.get("kind", "").lower()
    kind = KIND_ALIASES.get(written, written)
    name = row.get("name", "")
    if kind is None:
        return f"“{row['kind']}” could be the half term itself (write term) or its holiday (write holiday)"
    if kind not in CALENDAR_KINDS:
        return (
            f"the kind must be term, holiday or inset, not “{row.get('kind', '')}”"
            if written
            else "the kind is missing"
        )
    try:
        starts_on = parse_date(row.get("start", ""))
    except ValueError:
        return (
            f"the start date “{row['start']}” is not a date like 2026-10-26 or 26/10/2026"
            if row.get("start")
            else "the start date is missing"
        )
    try:
        ends_on = parse_date(row["end"]) if row.get("end") else starts_on
    except ValueError:
        return f"the end date “{row['end']}” is not a date like 2026-10-30 or 30/10/2026"
    problems = entry_problems(kind, name, starts_on, ends_on)
    if problems:
        return "; ".join(p[0].lower() + p[1:] for p in problems.values())
    return kind, name, starts_on, ends_on


def _key(kind: str, name: str, starts_on: date, ends_on: date) -> tuple:
    return kind, " ".join(name.split()).casefold(), starts_on, ends_on


def parse_date(value: str) -> date:
    """A date written as in ``DATE_FORMATS``; ValueError otherwise."""
    value = " ".join(value.split())
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)
