"""The school calendar: everyone reads it, org admins add, delete and import entries; flags."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa

from cluster.calendar import importing, services
from cluster.calendar.models import CalendarEntry
from cluster.extensions import db
from tests.calendar.helpers import add_entries, school_year
from tests.helpers import StatementCounter


@pytest.fixture()
def summer_2026(monkeypatch):
    """Today is 1 July 2026: the current academic year is 2025 to 2026, the next 2026 to 2027."""
    monkeypatch.setattr(services, "london_today", lambda: date(2026, 7, 1))


def _entries() -> list[tuple]:
    return [
        (e.kind, e.name, e.starts_on, e.ends_on)
        for e in db.session.scalars(
            sa.select(CalendarEntry).order_by(CalendarEntry.starts_on, CalendarEntry.name)
        )
    ]


# Flags -------------------------------------------------------------------------------------------


def test_a_real_bank_holiday_and_the_organisations_own_days_are_flagged(app_context, make):
    org, other = make.organisation(), make.organisation()
    school_year(org)
    add_entries(other, ("inset", "Their INSET day", "2026-11-10", "2026-11-10"))
    spring_bank, inset, autumn_tuesday, saturday = (
        date(2027, 5, 31),
        date(2027, 1, 4),
        date(2026, 11, 10),
        date(2026, 11, 14),
    )
    flags = services.day_flags(org, [spring_bank, inset, autumn_tuesday, saturday])
    assert {(f.kind, f.text) for f in flags[spring_bank]} == {
        ("bank_holiday", "Bank holiday: Spring bank holiday"),
        ("holiday", "School holiday: May half term"),
    }
    assert [(f.kind, f.text) for f in flags[inset]] == [("inset", "INSET day: INSET day")]
    assert flags[autumn_tuesday] == []  # another organisation's INSET day is not ours
    assert [f.kind for f in flags[saturday]] == ["weekend"]


def test_academic_years_run_from_september_to_august():
    assert services.academic_year_of(date(2027, 5, 31)) == 2026
    assert services.academic_year_of(date(2026, 9, 1)) == 2026
    assert services.academic_year_of(date(2026, 8, 31)) == 2025
    assert services.academic_year_span(2026) == (date(2026, 9, 1), date(2027, 8, 31))


# The page ----------------------------------------------------------------------------------------


def test_everyone_reads_this_year_and_next_with_bank_holidays_but_only_admins_see_the_forms(
    client, make, login, summer_2026
):
    org = make.organisation(slug="nb")
    school_year(org)
    add_entries(
        org,
        ("term", "Summer 2", "2026-06-08", "2026-07-22"),
        ("term", "Autumn 1", "2027-09-02", "2027-10-22"),
        ("term", "Autumn 1", "2025-09-03", "2025-10-24"),
    )
    login(make.user(org, school=make.school(org)))
    page = client.get("/o/nb/calendar").get_data(as_text=True)
    assert "2025 to 2026" in page and "2026 to 2027" in page
    assert "3 September to 23 October 2026" in page and "Autumn 2" in page and "Summer 2" in page
    assert "Monday 31 May 2027" in page and "Spring bank holiday" in page
    assert "Thursday 25 December 2025" in page  # this year's bank holidays too
    assert (
        "2027-09-02" not in page and "2 September to 22 October 2027" not in page
    )  # the year after next is not listed
    assert "Add a date" not in page and "Delete" not in page and 'type="file"' not in page
    login(make.user(org, is_admin=True))
    page = client.get("/o/nb/calendar").get_data(as_text=True)
    assert "Add a date" in page and "Delete<span" in page and 'type="file"' in page


def test_the_page_says_when_a_year_has_no_dates_yet(client, make, login, summer_2026):
    org = make.organisation(slug="nb")
    login(make.user(org))
    page = client.get("/o/nb/calendar").get_data(as_text=True)
    assert "no term dates, holidays or INSET days for 2026 to 2027 yet" in page
    assert (
        "Your organisation's admin enters them" in page or "Your organisation&#39;s admin enters them" in page
    )


def test_the_calendar_page_issues_the_same_queries_whatever_the_size(client, make, login, summer_2026):
    org = make.organisation(slug="nb")
    admin = make.user(org, is_admin=True)
    login(admin)
    add_entries(org, ("term", "Autumn 1", "2026-09-03", "2026-10-23"))
    with StatementCounter() as small:
        assert client.get("/o/nb/calendar").status_code == 200
    school_year(org)
    add_entries(
        org, *[("inset", f"Closure {n}", f"2027-06-{n:02d}", f"2027-06-{n:02d}") for n in range(1, 29)]
    )
    with StatementCounter() as large:
        assert client.get("/o/nb/calendar").status_code == 200
    assert small.count == large.count


# Adding and deleting -------------------------------------------------------------------------------


def _form(kind="term", name="Autumn 1", start=("3", "9", "2026"), end=("23", "10", "2026")):
    return {"kind": kind, "name": name, "starts_on": list(start), "ends_on": list(end)}


def test_an_admin_adds_an_entry_with_day_month_year_boxes(client, make, login, summer_2026):
    org = make.organisation(slug="nb")
    login(make.user(org, is_admin=True))
    response = client.post("/o/nb/calendar/entries", data=_form())
    assert response.status_code == 302 and response.headers["Location"] == "/o/nb/calendar"
    assert _entries() == [("term", "Autumn 1", date(2026, 9, 3), date(2026, 10, 23))]
    assert "Added Autumn 1: 3 September to 23 October 2026." in client.get("/o/nb/calendar").get_data(
        as_text=True
    )
    client.post(
        "/o/nb/calendar/entries",
        data=_form(kind="inset", name="INSET day", start=("2", "9", "2026"), end=("", "", "")),
    )
    assert ("inset", "INSET day", date(2026, 9, 2), date(2026, 9, 2)) in _entries()  # no end: a single day


@pytest.mark.parametrize(
    "data, message",
    [
        (_form(end=("1", "9", "2026")), "The end date must be the same as or after the start date"),
        (_form(start=("31", "2", "2027")), "Start date must be a real date"),
        (_form(start=("", "", "")), "Enter the start date"),
        (_form(name="  "), "Enter a name"),
        (_form(kind=""), "Choose term, school holiday or INSET day"),
        (_form(end=("23", "10", "2027")), "An entry cannot last more than a year"),
        (_form(start=("9" * 30, "9", "2026")), "Start date must be a real date"),
    ],
)
def test_errors_are_explained_and_what_was_typed_is_kept(client, make, login, summer_2026, data, message):
    org = make.organisation(slug="nb")
    login(make.user(org, is_admin=True))
    response = client.post("/o/nb/calendar/entries", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and "There is a problem" in page
    assert page.count(message) >= 2  # in the summary and by the field
    for typed in [v for v in data["starts_on"] + data["ends_on"] if v] + (
        [data["name"]] if data["name"].strip() else []
    ):
        assert f'value="{typed}"' in page
    assert _entries() == []


def test_control_characters_never_reach_the_database(client, make, login):
    org = make.organisation(slug="nb")
    login(make.user(org, is_admin=True))
    assert (
        client.post("/o/nb/calendar/entries", data=_form(name=" INSET\x00 day\x1b\x85 ")).status_code == 302
    )
    assert _entries() == [("term", "INSET day", date(2026, 9, 3), date(2026, 10, 23))]


def test_a_next_line_control_typed_in_a_date_box_comes_back_as_typed_without_it(client, make, login):
    """U+0085 (a C1 control) is dropped like the others: templates that indent values treat it as a
    line break, so it would come back as a new line."""
    org = make.organisation(slug="nb")
    login(make.user(org, is_admin=True))
    page = client.post("/o/nb/calendar/entries", data=_form(start=("3", "9", "20\x8526x"))).get_data(
        as_text=True
    )
    assert 'value="2026x"' in page


def test_the_same_entry_is_not_added_twice(client, make, login):
    org = make.organisation(slug="nb")
    add_entries(org, ("term", "Autumn 1", "2026-09-03", "2026-10-23"))
    login(make.user(org, is_admin=True))
    page = client.post("/o/nb/calendar/entries", data=_form(name="autumn 1")).get_data(as_text=True)
    assert "is already in the calendar" in page and len(_entries()) == 1


def test_an_admin_deletes_an_entry_and_a_foreign_one_is_404(client, make, login):
    org, other = make.organisation(slug="nb"), make.organisation(slug="ew")
    (mine,) = add_entries(org, ("inset", "INSET day", "2026-09-02", "2026-09-02"))
    (theirs,) = add_entries(other, ("inset", "Their INSET day", "2026-09-02", "2026-09-02"))
    login(make.user(org, is_admin=True))
    assert client.post(f"/o/nb/calendar/{theirs.id}/delete").status_code == 404
    response = client.post(f"/o/nb/calendar/{mine.id}/delete")
    assert response.status_code == 302
    assert _entries() == [("inset", "Their INSET day", date(2026, 9, 2), date(2026, 9, 2))]


@pytest.mark.parametrize("who", ["member", "organiser", "observer"])
def test_only_admins_change_the_calendar(client, make, login, who):
    org = make.organisation(slug="nb")
    school = make.school(org)
    user = make.user(
        org, school=school if who == "member" else None, job_title="EP" if who == "observer" else ""
    )
    make.network(
        org,
        schools=[school],
        organisers=[user] if who == "organiser" else [],
        observers=[user] if who == "observer" else [],
    )
    (entry,) = add_entries(org, ("inset", "INSET day", "2026-09-02", "2026-09-02"))
    login(user)
    assert client.get("/o/nb/calendar").status_code == 200
    assert client.post("/o/nb/calendar/entries", data=_form()).status_code == 403
    assert client.post(f"/o/nb/calendar/{entry.id}/delete").status_code == 403
    upload = {
        "file": (io.BytesIO(b"kind,name,start,end\nterm,Autumn 1,2026-09-03,2026-10-23\n"), "dates.csv")
    }
    assert (
        client.post("/o/nb/calendar/import", data=upload, content_type="multipart/form-data").status_code
        == 403
    )
    assert len(_entries()) == 1


# Import ------------------------------------------------------------------------------------------

CSV = """kind,name,start,end
term,Autumn 1,2026-09-03,2026-10-23
Holiday,October half term,26/10/2026,30/10/2026

inset,INSET day,02/09/2026,
term,Autumn 2,2026-11-02,2026-10-01
closure,Strike day,2026-11-05,2026-11-05
term,,2026-11-02,2026-12-18
term,"Autumn 2,
second half",31/02/2027,2027-03-01
training day,Staff training,4 January 2027,,extra,columns
half term,Half term,2026-10-26,2026-10-30
term,autumn 1,3/9/2026,23/10/2026
term,Autumn 1,2026-09-03,2026-10-23
"""


def test_import_adds_good_rows_reports_bad_ones_by_line_and_skips_duplicates(app_context, make):
    org = make.organisation()
    add_entries(org, ("holiday", "October half term", "2026-10-26", "2026-10-30"))
    result = importing.import_calendar_csv(org, CSV)
    db.session.commit()
    assert result.added == 3 and result.duplicates == 3
    assert [str(p) for p in result.problems] == [
        "Line 6: the end date must be the same as or after the start date",
        "Line 7: the kind must be term, holiday or inset, not “closure”",
        "Line 8: enter a name, like Autumn 1 or October half term",
        "Line 9: the start date “31/02/2027” is not a date like 2026-10-26 or 26/10/2026",
        "Line 12: “half term” could be the half term itself (write term) or its holiday (write holiday)",
    ]
    assert _entries() == [
        ("inset", "INSET day", date(2026, 9, 2), date(2026, 9, 2)),
        ("term", "Autumn 1", date(2026, 9, 3), date(2026, 10, 23)),
        ("holiday", "October half term", date(2026, 10, 26), date(2026, 10, 30)),
        ("inset", "Staff training", date(2027, 1, 4), date(2027, 1, 4)),
    ]
    again = importing.import_calendar_csv(org, CSV)
    assert (again.added, again.duplicates, len(again.problems)) == (0, 6, 5)


def test_import_needs_the_columns_and_reads_excel_files(app_context, make):
    org = make.organisation()
    for not_a_calendar in ("a,b\n1,2\n", "", "\x00\x01binary"):
        with pytest.raises(importing.CalendarFormatError, match="must name the columns kind,name,start,end"):
            importing.import_calendar_csv(org, not_a_calendar)
    excel = "\ufeffKind,Name,Start date,End date\r\nterm,Autumn 1 – Café,03/09/2026,23/10/2026\r\n".encode(
        "utf-8"
    )
    assert importing.import_calendar_csv(org, importing.decode_csv(excel)).added == 1
    windows = "kind,name,start,end\r\nholiday,Half term – Café,26/10/2026,30/10/2026\r\n".encode("cp1252")
    assert importing.import_calendar_csv(org, importing.decode_csv(windows)).added == 1
    assert {name for _, name, _, _ in _entries()} == {"Autumn 1 – Café", "Half term – Café"}


def test_the_import_page_reports_problems_by_line(client, make, login, summer_2026):
    org = make.organisation(slug="nb")
    login(make.user(org, is_admin=True))
    upload = {"file": (io.BytesIO(CSV.encode()), "dates.csv")}
    response = client.post("/o/nb/calendar/import", data=upload, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Import finished" in page
    assert "Line 7: the kind must be term, holiday or inset, not “closure”" in page
    assert "Line 9: the start date “31/02/2027” is not a date" in page
    assert len(_entries()) == 4
    response = client.post("/o/nb/calendar/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Choose a CSV file to import" in response.get_data(as_text=True)
    wrong = {"file": (io.BytesIO(b"URN,EstablishmentName\n100000,School\n"), "schools.csv")}
    response = client.post("/o/nb/calendar/import", data=wrong, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "govuk-error-summary" in page and "must name the columns" in page
    assert len(_entries()) == 4
