"""Importing schools from the GIAS edubasealldata CSV: the parser, the upsert and the CLI."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from cluster.extensions import db
from cluster.schools.gias import GiasFormatError, GiasRow, RowProblem, import_gias, read_gias
from cluster.schools.models import School

SAMPLE = Path(__file__).parent.parent / "data" / "gias-sample.csv"
HEADER = next(csv.reader(io.StringIO(SAMPLE.read_bytes().decode("cp1252"), newline="")))
SAMPLE_LA_999 = {"103873", "136717", "131070", "126322"}


def row(urn="100001", name="Test School", la="999", phase="Primary", status="Open", **extra) -> dict:
    """One establishment, by GIAS column name; columns not given are empty, as in GIAS."""
    return {
        "URN": urn,
        "EstablishmentName": name,
        "LA (code)": la,
        "LA (name)": f"LA {la}",
        "PhaseOfEducation (name)": phase,
        "EstablishmentStatus (name)": status,
        "TypeOfEstablishment (name)": "Community school",
        "Town": "Northbrook",
        "Postcode": "nb1 1aa",
        "OpenDate": "01-09-1999",
        **extra,
    }


def gias_bytes(rows: list[dict], encoding: str = "cp1252", header: list[str] = HEADER) -> bytes:
    """A file as GIAS writes it: every field quoted, CRLF line ends, cp1252."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([values.get(column, "") for column in header] for values in rows)
    return out.getvalue().encode(encoding)


def read(data: bytes) -> list[GiasRow | RowProblem]:
    return list(read_gias(io.BytesIO(data)))


def schools_of(organisation) -> dict[str, School]:
    found = db.session.scalars(sa.select(School).where(School.organisation_id == organisation.id))
    return {school.urn: school for school in found}


# The parser ---------------------------------------------------------------------------------


def test_sample_file_reads_every_record_with_its_line():
    items = list(read_gias(SAMPLE.open("rb")))
    assert all(isinstance(item, GiasRow) for item in items)
    assert [item.line for item in items] == list(range(2, 14))
    first = items[0]
    assert (first.urn, first.name, first.la_code, first.la_name) == (
        "121222",
        "Beechwood Infant School",
        "938",
        "West Sussex",
    )
    assert (first.phase, first.establishment_type, first.status) == (
        "Not applicable",
        "Community special school",
        "Open, but proposed to close",
    )
    assert (first.town, first.postcode) == ("Northbrook", "NB3 4BT")
    assert items[8].name == "St John\u2019s CofE High School"


def test_names_with_cp1252_characters_come_through():
    data = gias_bytes([row("100001", "St Mary\u2019s Caf\u00e9 School")])
    assert b"St Mary\x92s Caf\xe9 School" in data
    assert read(data)[0].name == "St Mary\u2019s Caf\u00e9 School"


def test_utf8_file_with_bom_is_read_as_utf8():
    data = b"\xef\xbb\xbf" + gias_bytes([row("100001", "St Mary\u2019s Caf\u00e9 School")], encoding="utf-8")
    assert read(data)[0].name == "St Mary\u2019s Caf\u00e9 School"


def test_bad_rows_are_reported_at_their_physical_line():
    data = gias_bytes(
        [
            row("100001", Street="1 High Street\r\nBack Lane"),  # lines 2-3
            row(""),  # line 4
            row("ABC", Street="Unit 2\r\nThe Old Mill\r\nMill Lane"),  # lines 5-7
            row("100004", phase="Foo"),  # line 8
            row("1234567"),  # line 9
            row("100006", name="", phase=""),  # line 10
            row("100007", Postcode="NB1 1AA EXTRA LONG"),  # line 11
            row("100008", phase="secondary"),  # line 12
        ]
    )
    items = read(data)
    assert [(item.line, getattr(item, "reason", None)) for item in items] == [
        (2, None),
        (4, "URN is missing"),
        (5, "URN 'ABC' is not a number"),
        (8, "unknown phase 'Foo'"),
        (9, "URN '1234567' is longer than 6 digits"),
        (10, "name is missing; phase is missing"),
        (11, "postcode is longer than 10 characters"),
        (12, None),
    ]
    assert items[-1].phase == "Secondary"


@pytest.mark.parametrize("urn", ["12 34", "-12345", "1e5", "12\u00b3"])
def test_urn_must_be_ascii_digits(urn):
    [problem] = read(gias_bytes([row(urn)]))
    assert problem.reason == f"URN '{urn}' is not a number"


def test_blank_lines_are_ignored_but_counted():
    data = gias_bytes([row("100001"), row("100002")]).replace(b'\r\n"100002', b'\r\n\r\n"100002')
    assert [item.line for item in read(data)] == [2, 4]


def test_header_without_required_columns_is_refused():
    header = [column for column in HEADER if column not in ("URN", "PhaseOfEducation (name)")]
    with pytest.raises(GiasFormatError, match=r"no 'URN', 'PhaseOfEducation \(name\)' columns"):
        read(gias_bytes([row()], header=header))


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"Name,Town\r\nA,B\r\n", "not a GIAS establishment file"),
        (gias_bytes([row()]) + b'"100002","\x81"\r\n', "encoding"),
    ],
)
def test_unreadable_files_are_refused(data, message):
    with pytest.raises(GiasFormatError, match=message):
        read(data)


@pytest.mark.parametrize("kind", ["bytesio", "spooled", "file"])
def test_reads_the_streams_uploads_and_files_give(kind, tmp_path):
    data = b"\xef\xbb\xbf" + gias_bytes([row(name="Caf\u00e9")], encoding="utf-8")
    if kind == "bytesio":
        stream = io.BytesIO(data)
    elif kind == "spooled":
        stream = tempfile.SpooledTemporaryFile(max_size=10)
        stream.write(data)
        stream.seek(0)
    else:
        (tmp_path / "f.csv").write_bytes(data)
        stream = (tmp_path / "f.csv").open("rb")
    with stream:
        assert [item.name for item in read_gias(stream)] == ["Caf\u00e9"]
        assert not stream.closed


# The import ---------------------------------------------------------------------------------


def test_import_sample_file(make):
    org = make.organisation()
    with SAMPLE.open("rb") as stream:
        report = import_gias(org, stream)
    assert (report.rows, report.added, report.updated, report.unchanged) == (12, 9, 0, 0)
    assert (report.skipped_closed, report.skipped_other_la, report.skipped, report.rejected) == (3, 0, 3, [])
    schools = schools_of(org)
    assert len(schools) == 9
    assert not {"130257", "100790", "140221"} & schools.keys()  # closed twice, proposed to open
    pru = schools["131070"]
    assert (
        pru.name,
        pru.phase,
        pru.establishment_type,
        pru.la_code,
        pru.la_name,
        pru.status,
        pru.town,
        pru.postcode,
    ) == (
        "Our Lady of Lourdes Learning Centre",
        "Not applicable",
        "Pupil referral unit",
        "999",
        "Northbrook",
        "Open",
        "Eastfield",
        "",
    )
    assert schools["121222"].status == "Open, but proposed to close"
    assert pru.created_at.tzinfo is not None and pru.updated_at == pru.created_at


def test_reimport_updates_by_urn_and_never_duplicates(make):
    org = make.organisation()
    import_gias(org, io.BytesIO(gias_bytes([row("100001", "Old Name"), row("100002"), row("100003")])))
    db.session.commit()
    loaded = schools_of(org)["100001"]
    before = loaded.updated_at
    data = gias_bytes(
        [
            row(
                "100001",
                "New Name",
                la="938",
                phase="Secondary",
                status="Open, but proposed to close",
                Town="Eastfield",
                Postcode="NB9 9ZZ",
                **{"TypeOfEstablishment (name)": "Academy converter"},
            ),
            row("100002"),
            row("100003"),
            row("100004"),
        ]
    )
    report = import_gias(org, io.BytesIO(data))
    assert (report.added, report.updated, report.unchanged) == (1, 1, 2)
    assert loaded.name == "New Name"  # an object already in the session sees the update
    db.session.commit()
    schools = schools_of(org)
    assert sorted(schools) == ["100001", "100002", "100003", "100004"]
    updated = schools["100001"]
    assert (updated.phase, updated.la_code, updated.la_name, updated.establishment_type) == (
        "Secondary",
        "938",
        "LA 938",
        "Academy converter",
    )
    assert (updated.status, updated.town, updated.postcode) == (
        "Open, but proposed to close",
        "Eastfield",
        "NB9 9ZZ",
    )
    assert updated.updated_at > before and updated.created_at == before
    again = import_gias(org, io.BytesIO(data))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)


def test_same_urn_twice_in_a_file_last_row_wins(make):
    org = make.organisation()
    report = import_gias(org, io.BytesIO(gias_bytes([row("100001", "First"), row("100001", "Second")])))
    assert (report.rows, report.added) == (2, 1)
    assert [s.name for s in schools_of(org).values()] == ["Second"]


def test_la_filter_imports_only_those_authorities(make):
    org = make.organisation()
    with SAMPLE.open("rb") as stream:
        report = import_gias(org, stream, la_codes={"999"})
    assert (report.added, report.skipped_other_la, report.skipped_closed, report.skipped) == (4, 8, 0, 8)
    assert schools_of(org).keys() == SAMPLE_LA_999


def test_skipped_rows_are_not_reported_as_rejected(make):
    org = make.organisation()
    data = gias_bytes(
        [
            row("100001", status="Closed"),
            row("100002", status="Proposed to open"),
            row("BAD", status="Closed"),
            row("100004", phase="Foo", la="938"),
            row("BAD", la="999"),
            row("100006", status="Open, but proposed to close"),
        ]
    )
    report = import_gias(org, io.BytesIO(data), la_codes={"999"})
    assert (report.skipped_closed, report.skipped_other_la, report.added) == (3, 1, 1)
    assert [(p.line, p.reason) for p in report.rejected] == [(6, "URN 'BAD' is not a number")]
    assert schools_of(org).keys() == {"100006"}


def test_other_organisations_schools_are_untouched(make):
    ours, theirs = make.organisation(), make.organisation()
    make.school(theirs, name="Theirs", urn="103873", phase="Secondary")
    make.school(ours, name="Added by hand")
    with SAMPLE.open("rb") as stream:
        report = import_gias(ours, stream)
    db.session.commit()
    assert (report.added, report.updated) == (9, 0)
    [kept] = schools_of(theirs).values()
    assert (kept.name, kept.phase) == ("Theirs", "Secondary")
    assert schools_of(ours)["103873"].name == "Greenacre Primary School"
    assert len(schools_of(ours)) == 10


def test_a_refused_file_writes_nothing(make):
    org = make.organisation()
    with pytest.raises(GiasFormatError):
        import_gias(org, io.BytesIO(gias_bytes([row("100001")]) + b'"100002","\x81"\r\n'))
    assert schools_of(org) == {}


def test_large_file_one_authority_in_a_few_bulk_statements(make):
    org = make.organisation()
    rows = [
        row(f"{100000 + i}", f"School {i}", la=f"{201 + i % 5}", status="Closed" if i % 97 == 0 else "Open")
        for i in range(20_000)
    ]
    ours = [r for r in rows if r["LA (code)"] == "201"]
    open_ours = [r for r in ours if r["EstablishmentStatus (name)"] == "Open"]
    renamed = [{**r, "EstablishmentName": "Old name"} for r in open_ours[:1000]]
    import_gias(org, io.BytesIO(gias_bytes(renamed)))
    db.session.commit()

    statements, progress = [], []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        report = import_gias(org, io.BytesIO(gias_bytes(rows)), la_codes={"201"}, progress=progress.append)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    db.session.commit()

    assert (report.rows, report.skipped_other_la) == (20_000, 16_000)
    assert (report.added, report.updated, report.skipped_closed) == (
        len(open_ours) - 1000,
        1000,
        len(ours) - len(open_ours),
    )
    assert sum(progress) == 20_000 and max(progress) <= 1000
    assert len(statements) <= 12, statements
    assert db.session.scalar(
        sa.select(sa.func.count()).select_from(School).where(School.organisation_id == org.id)
    ) == len(open_ours)
    assert schools_of(org)[open_ours[0]["URN"]].name == open_ours[0]["EstablishmentName"]


# The command line ---------------------------------------------------------------------------


def run_import(app, *args):
    return app.test_cli_runner().invoke(args=["schools", "import-gias", *map(str, args)])


def test_cli_imports_the_sample_file(app_context, make):
    org = make.organisation(slug="northbrook", name="Northbrook")
    result = run_import(app_context, SAMPLE, "--organisation", "northbrook")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Imported gias-sample.csv into Northbrook (northbrook): 12 rows read.",
        "  added:     9",
        "  updated:   0",
        "  unchanged: 0",
        "  skipped:   3 (3 closed or proposed to open, 0 in other local authorities)",
        "  rejected:  0",
    ]
    assert len(schools_of(org)) == 9
    again = run_import(app_context, SAMPLE, "--organisation", "northbrook")
    assert "  unchanged: 9" in again.output and len(schools_of(org)) == 9


def test_cli_filters_by_la_and_lists_rejected_rows(app_context, make, tmp_path):
    org = make.organisation(slug="eastwick")
    rows = [row("100001", la="312"), row("100002", la="938"), row("100003", la="999")]
    rows += [row(f"X{i}", la="312") for i in range(55)]
    path = tmp_path / "edubasealldata.csv"
    path.write_bytes(gias_bytes(rows))
    result = run_import(app_context, path, "--organisation", "eastwick", "--la", "312", "--la", "999")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "  added:     2" in lines
    assert "  skipped:   1 (0 closed or proposed to open, 1 in other local authorities)" in lines
    assert "  rejected:  55" in lines
    assert lines[lines.index("Rejected rows:") + 1] == "  line 5: URN 'X0' is not a number"
    assert lines[-2] == "  line 54: URN 'X49' is not a number"
    assert lines[-1] == "  ... and 5 more"
    assert schools_of(org).keys() == {"100001", "100003"}


def test_cli_refuses_unknown_organisation_and_bad_files(app_context, make, tmp_path):
    make.organisation(slug="northbrook")
    result = run_import(app_context, SAMPLE, "--organisation", "nowhere")
    assert result.exit_code == 1
    assert "No organisation has the slug 'nowhere'." in result.output
    path = tmp_path / "schools.csv"
    path.write_bytes(b"Name,Town\r\nA,B\r\n")
    result = run_import(app_context, path, "--organisation", "northbrook")
    assert result.exit_code == 1
    assert "not a GIAS establishment file" in result.output
    result = run_import(app_context, SAMPLE, "--organisation", "northbrook", "--la", "Northbrook")
    assert result.exit_code == 2
    assert "LA codes are 3 digits" in result.output
