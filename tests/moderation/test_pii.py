"""The personal-data checker: every example in the table is caught, realistic evidence stays clean."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cluster.moderation import pii
from cluster.moderation.pii import Finding, check, check_fields, highlight

TODAY = date(2026, 11, 23)


def kinds(text: str, severity: str | None = None) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in check(text, today=TODAY) if severity in (None, f.severity)]


def blocks(text: str) -> list[tuple[str, str]]:
    return kinds(text, "block")


# --- identifiers ---------------------------------------------------------------------

VALID_UPNS = [
    "R201100018042",  # DOMAIN.md's worked example: 201100018042 -> R
    "M826123450017",
    "C930000123457",
    "Z331012345677",
]
TEMPORARY_UPNS = ["N82612345001A", "Q82612345001K", "D93000012345A", "F93000012345K"]
INVALID_UPNS = [
    "A201100018042",  # right shape, wrong check letter
    "S201100018042",  # a letter that is never a check letter
    "M826123450018",
    "N82612345001B",
    "I82612345001A",
    "R20110001804",  # 12 characters
    "R2011000180421",  # 14 characters
]


@pytest.mark.parametrize("upn", VALID_UPNS + TEMPORARY_UPNS)
def test_valid_upns_block(upn):
    assert pii.valid_upn(upn)
    assert pii.valid_upn(upn.lower())
    assert blocks(f"Pupil A (UPN {upn}) joined in Year 3.") == [("upn", upn)]


@pytest.mark.parametrize("value", INVALID_UPNS)
def test_upns_with_a_wrong_check_letter_are_clean(value):
    assert not pii.valid_upn(value)
    assert blocks(f"Reference {value} on the provision map.") == []


@pytest.mark.parametrize(
    "text, found",
    [
        ("NHS no. 943 476 5919", "943 476 5919"),
        ("NHS number 9434765919.", "9434765919"),
        ("nhs: 943-476-5919", "943-476-5919"),
        ("Paediatric letter ref 4010232137", "4010232137"),
        ("4857773457 on the referral", "4857773457"),
        ("6000000006", "6000000006"),
    ],
)
def test_valid_nhs_numbers_block(text, found):
    assert pii.valid_nhs_number(found)
    assert blocks(text) == [("nhs_number", found)]


@pytest.mark.parametrize("value", ["943 476 5910", "9434765911", "4010232130", "1234567890", "0000000001"])
def test_invalid_nhs_numbers_are_clean(value):
    assert not pii.valid_nhs_number(value)
    if not pii.valid_uln(value):
        assert blocks(f"Reference {value}") == []


def test_a_check_digit_of_ten_is_never_valid():
    # The first nine digits 123456789 give 11 - (210 mod 11) = 10: no NHS number starts so.
    assert not any(pii.valid_nhs_number(f"123456789{d}") for d in range(10))


@pytest.mark.parametrize("value", ["9276308686", "1234567899", "5000000004", "4010232136"])
def test_valid_ulns_block(value):
    assert pii.valid_uln(value)
    assert blocks(f"ULN {value} from the college.") == [("uln", value)]


@pytest.mark.parametrize("value", ["9276308687", "1234567890", "5000000005", "0276308686"])
def test_invalid_ulns_are_clean(value):
    assert not pii.valid_uln(value)
    if not pii.valid_nhs_number(value):
        assert blocks(f"ULN {value}") == []


@given(st.from_regex(r"\d{10}", fullmatch=True))
def test_a_ten_digit_number_is_never_both_an_nhs_number_and_a_uln(digits):
    # The ULN check digit is always the NHS one minus 1 (mod 11), so one kind is reported.
    assert not (pii.valid_nhs_number(digits) and pii.valid_uln(digits))


@settings(max_examples=300)
@given(st.from_regex(r"[1-9]\d{9}", fullmatch=True))
def test_random_ten_digit_numbers_block_only_with_a_valid_check_digit(digits):
    found = blocks(f"Score sheet {digits} end")
    expected = pii.valid_nhs_number(digits) or pii.valid_uln(digits)
    assert bool(found) == expected


# --- dates of birth ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, found",
    [
        ("Born 3/4/2015 at 32 weeks.", "3/4/2015"),
        ("DOB: 03-04-2015", "03-04-2015"),
        ("D.O.B. 03.04.2015", "03.04.2015"),
        ("d.o.b 3/4/15", "3/4/15"),
        ("Date of birth 3 April 2015", "3 April 2015"),
        ("She was born on the 3rd April 2015 in hospital.", "3rd April 2015"),
        ("born on 3rd of April, 2015", "3rd of April, 2015"),
        ("Birthday: April 3rd, 2015", "April 3rd, 2015"),
        ("Date of birth (2015-04-03)", "2015-04-03"),
        ("3 Apr 2015 (DOB)", "3 Apr 2015"),
        ("was born prematurely on 3 April 2015", "3 April 2015"),
    ],
)
def test_dates_of_birth_block(text, found):
    assert blocks(text) == [("date_of_birth", found)]


@pytest.mark.parametrize(
    "text",
    [
        "Assessed on 12 March 2025 by the EP.",
        "Born in April 2015.",  # month and year only
        "born prematurely. Annual review 14/07/2025",  # the birth word is in another sentence
        "APDR cycle 3 reviewed 01/10/2025; next review 9 January 2026.",
        "Meeting with parents on 2025-09-18.",
        "Birthday party invitations are a source of anxiety; seen 4/11/2025.",
    ],
)
def test_other_dates_do_not_block(text):
    assert blocks(text) == []


def test_an_old_full_date_without_context_is_a_warning_only():
    assert kinds("Diagnosis letter 3 April 2015 attached.") == []  # an event word before it
    found = kinds("Early history: 14/02/2016, 3 April 2015.")
    assert found == [("date", "14/02/2016"), ("date", "3 April 2015")]
    assert kinds("Early history: 14/02/2016.", "block") == []


@pytest.mark.parametrize("text", ["31/02/2015 born", "born 45/13/2015", "born 0/0/2015"])
def test_impossible_dates_are_not_dates(text):
    assert kinds(text) == []


# --- postcodes, email, phone ---------------------------------------------------------


@pytest.mark.parametrize(
    "text, found",
    [
        ("Lives at SW1A 1AA with Mum.", "SW1A 1AA"),
        ("Family moved to M1 1AE.", "M1 1AE"),
        ("postcode b33 8th", "b33 8th"),
        ("NE16 4QT", "NE16 4QT"),
        ("EC1V9HX", "EC1V9HX"),
        ("(Address: DH1 3LE)", "DH1 3LE"),
    ],
)
def test_postcodes_block(text, found):
    assert blocks(text) == [("postcode", found)]


@pytest.mark.parametrize("text", ["Lives in NE1.", "KS2 3rd percentile", "Y4 5th attempt", "SS 78", "AB 12"])
def test_outward_codes_and_key_stages_are_not_postcodes(text):
    assert blocks(text) == []


@pytest.mark.parametrize(
    "text, found",
    [
        ("Email mum at jo.bloggs@example.org please", "jo.bloggs@example.org"),
        ("contact: A.Smith+send@school.sch.uk.", "A.Smith+send@school.sch.uk"),
    ],
)
def test_email_addresses_block(text, found):
    assert blocks(text) == [("email", found)]


@pytest.mark.parametrize(
    "text, found",
    [
        ("Dad's mobile 07700 900123.", "07700 900123"),
        ("Call 0113 496 0000 after 3", "0113 496 0000"),
        ("+44 20 7946 0000", "+44 20 7946 0000"),
        ("+44 (0)20 7946 0000", "+44 (0)20 7946 0000"),
        ("(0113) 496 0000", "(0113) 496 0000"),
        ("07700-900-123", "07700-900-123"),
        ("07700900123", "07700900123"),
        ("01632 960001", "01632 960001"),
        ("0300 123 4567", "0300 123 4567"),
    ],
)
def test_phone_numbers_block(text, found):
    assert blocks(text) == [("phone", found)]


def test_freephone_numbers_are_a_warning():
    assert kinds("SENDIASS helpline 0808 800 4444.") == [("phone", "0808 800 4444")]
    assert blocks("SENDIASS helpline 0808 800 4444.") == []


@pytest.mark.parametrize(
    "text",
    [
        "SS 78, SS 82 and SS 69 (standardised scores).",
        "Attendance 87.5%, 92% last year.",
        "Years 2019 2020 2021 2022 2023.",
        "Scores: 0 1 2 3 4 5 6 7 8 9 10.",
        "Reading age 6y 4m at chronological age 9y 2m.",
        "Ratio 1:1 for 20 minutes, 3 x weekly.",
        "Percentile rank 7; confidence band 71-85.",
    ],
)
def test_numbers_of_the_field_are_not_phones(text):
    assert kinds(text) == []


# --- names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, found",
    [
        ("Oliver struggles with phonics.", ["Oliver"]),
        ("Teacher reports that Amelia and Muhammad play together.", ["Amelia", "Muhammad"]),
        ("Support from Mrs Patel for Freya's reading.", ["Freya"]),
        ("Grace finds transitions hard.", ["Grace"]),  # a name even at the start of a sentence
        ("Mum says Will gets upset at bedtime.", ["Will"]),  # a name in mid-sentence
        ("Kacper (EAL) and Zoë joined in Year 2.", ["Kacper", "Zoë"]),
        ("Mary-Jane reads well.", ["Mary", "Jane"]),
        ("Oliver's class teacher says he is settled.", ["Oliver"]),
        ("Oliver Smith has a diagnosis.", ["Oliver"]),
    ],
)
def test_forenames_warn(text, found):
    findings = check(text, today=TODAY)
    assert [f.text for f in findings] == found
    assert {f.kind for f in findings} == {"name"} and {f.severity for f in findings} == {"warn"}
    assert "use initials or a role, e.g. Pupil A" in findings[0].message
    assert f"“{found[0]}”" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Will need a review in May.",
        "May benefit from a sensory diet.",
        "Mark scheme adapted. Hope is that this continues.",
        "Pupil A and Pupil B; J. and JS; Child C.",
        "Mum and Dad attended; Nan collects on Fridays.",
        "Diagnosed with Down syndrome; Asperger profile considered; Tourette ruled out.",
        "Piaget and Vygotsky informed the approach; Boxall profile completed.",
        "Sally-Anne task passed. Enjoys Harry Potter and Peppa Pig.",
        "Moved from St Mary's in the Summer term.",
        "Rated Amber on the RAG tracker.",
        "Don't know; won't engage.",
        "OLIVER in capitals is an acronym here",
        "Moved to Willow Class in September; lunch in the Rowan Room; Grace Academy outreach.",
        "Diagnoses: Pierre Robin sequence, Lennox-Gastaut syndrome, Bell's palsy, Hunter syndrome.",
        "Elsa sessions weekly; loves Super Mario.",
    ],
)
def test_words_that_are_not_names_are_clean(text):
    assert kinds(text) == []


def test_the_forename_list_is_shipped_and_large():
    names = pii.forenames()
    assert len(names) > 2000
    assert {"oliver", "amelia", "muhammad", "kacper", "priya", "chidi"} <= names
    assert "may" not in names and "pupil" not in names and "ed" not in names


# --- clean evidence ----------------------------------------------------------------------

CLEAN_EVIDENCE = [
    "SS 78 on the BPVS (standard score 82 in July). Reading age 6y 4m.",
    "Year 4 pupil; Boxall profile completed twice, developmental strand 64%.",
    "EHCP not yet requested. APDR cycle 3 (Sept 2025) targets partly met.",
    "Pupil A joined in Year 2. Mum says mornings are hard; Dad works shifts.",
    "Reviews: 14 October 2025, 3 February 2026. Next review after Easter.",
    # Ten summaries of the kind SENCOs bring to moderation, written for these tests.
    """**Assess-plan-do-review:** Four cycles since September 2024. Cycle 1 (Sept 2024):
phonics catch-up 3 x 20 minutes weekly, 12 new graphemes secured. Cycle 2: precision
teaching for HFWs, 40 of 100 read at sight. Cycle 3 (Sept 2025): Toe by Toe, slow progress.
Cycle 4 reviewed on 12 March 2026 with parents and class teacher.
**Standardised assessments:** YARC reading accuracy SS 71, comprehension SS 74 (Jan 2026).
WRAT-5 spelling SS 69. BPVS standard score 82. Reading age 6y 4m at CA 9y 2m.""",
    """Pupil voice: "I don't like the hall because it is loud." Uses a now/next board and ear
defenders at lunch. Parent voice: Mum says meltdowns after school most days; Dad reports
sleep is better since the bedtime routine. Outside agencies: SALT assessed 4 November 2025
(CELF-5 core language SS 68); EP consultation in Autumn 2 recommended Attention Autism.""",
    """Year 9, SEMH primary need, SLCN secondary. Suspensions: 2 this year (5 days in total).
Boxall profile: diagnostic strand concerns in 'insecure sense of self'. Pastoral support
plan since Sept 2025, mentoring 1:1 weekly, Zones of Regulation in tutor time. CAMHS
referral declined (threshold not met); Early Help assessment open. Attendance 78.4%.""",
    """Current band: Range 4 (cognition and learning). Proposed: Range 5. Provision map costs
£6,200 per year above notional SEN budget. TA support 15 hours a week, small-group maths
(Numicon) daily, Nessy 4 x 15 minutes. KS2 SATs not attempted; teacher assessment WTS in
reading, writing and maths. Pre-key stage standard 3 in writing.""",
    """Hearing impairment (HI): moderate bilateral loss, hearing aids worn consistently since
Reception. Teacher of the Deaf visits half-termly (last visit 20 January 2026); radio aid in
all lessons. Pupil voice: "The radio aid helps when Miss talks." Parents feel the school
communicates well. Proposed: Band 2 (no change).""",
    """ASD diagnosis (ADOS-2) in 2022. Masking at school; exhausted at home, per parent voice.
Part-time timetable agreed for 6 weeks, reviewed weekly. Sensory circuits each morning,
Lego therapy with two peers. Speech and language therapy: social communication group
(Talk About). OT report recommends movement breaks and a wobble cushion.""",
    """MLD; working at Year 1 expectations in Year 5. EHC needs assessment requested by the
school in June 2025, refused by the LA; school proposes re-application with 2 further APDR
cycles of evidence. Educational Psychologist report (Dec 2025) shows verbal comprehension
index 72 and processing speed 68 on the WISC-V. Parents support the request.""",
    """Physical disability (PD): cerebral palsy (spastic diplegia), uses a walker indoors and a
wheelchair for longer distances. Physiotherapy programme delivered by TA 3 x weekly.
Evacuation plan (PEEP) updated November 2025. Fine motor: Write from the Start, laptop for
extended writing. Pupil voice: wants to join the after-school football club.""",
    """Year 11. Exam access arrangements: 25% extra time and a reader (JCQ Form 8, processing
speed SS 76). Post-16 transition: college link visits in Spring term, careers adviser met
pupil and parent. Anxiety-based school avoidance: attendance up from 61% to 83% after a
graded return plan. Agreed outcome sought: Band 3 for transition support.""",
    """Reception child, SLCN. WellComm screening: red (band 2) in September, amber in January.
Elklan-trained TA delivers daily language group; Makaton signing used across EYFS.
Parent voice: Dad says he is starting to use 2-word phrases at home. Talk Boost to start
after half term. Outside agency: SALT block of 6 sessions (review 11 February 2026).""",
]


@pytest.mark.parametrize("text", CLEAN_EVIDENCE)
def test_realistic_evidence_is_clean(text):
    assert check(text, today=TODAY) == []


# --- fields and highlighting ------------------------------------------------------------


def test_check_fields_reports_only_fields_with_findings():
    results = check_fields(
        {"pupil_voice": "Oliver says he likes maths.", "assessments": "SS 78", "parent_voice": ""},
        today=TODAY,
    )
    assert list(results) == ["pupil_voice"]
    assert results["pupil_voice"][0].text == "Oliver"


def test_findings_are_sorted_and_never_overlap():
    text = (
        "Oliver (DOB 03/04/2015) lives at NE16 4QT, tel 0191 496 0000, oliver@example.org, UPN R201100018042."
    )
    findings = check(text, today=TODAY)
    assert [f.kind for f in findings] == ["name", "date_of_birth", "postcode", "phone", "email", "upn"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(findings))
    assert all(text[f.start : f.end] == f.text for f in findings)


def test_highlight_escapes_the_text_and_marks_each_finding():
    text = '<script>alert("x")</script> Oliver & <b>mum</b>\nphone 07700 900123'
    findings = check(text, today=TODAY)
    html = str(highlight(text, findings))
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;mum&lt;/b&gt;" in html
    assert "&amp;" in html
    assert '<mark class="cluster-pii cluster-pii--warn" title="“Oliver” looks like a name' in html
    assert html.count("<mark ") == 2 and "07700 900123</mark>" in html
    assert "<br>\n" in html


def test_highlight_escapes_hostile_text_inside_a_finding():
    finding = Finding("name", "warn", 0, 9, '<b>x</b>"', 'message with "quotes" & <tags>')
    html = str(highlight('<b>x</b>" rest', [finding]))
    title = "message with &#34;quotes&#34; &amp; &lt;tags&gt;"
    assert html.startswith(f'<mark class="cluster-pii cluster-pii--warn" title="{title}">')
    assert "&lt;b&gt;x&lt;/b&gt;&#34;</mark> rest" in html


def test_highlight_without_findings_is_the_escaped_text():
    assert str(highlight("a < b", [])) == "a &lt; b"
    assert check("") == [] and str(highlight("", [])) == ""


@settings(max_examples=200)
@given(st.text())
def test_any_text_gives_sorted_non_overlapping_findings_that_match_the_text(text):
    findings = check(text, today=TODAY)
    assert all(text[f.start : f.end] == f.text for f in findings)
    assert all(a.end <= b.start for a, b in itertools.pairwise(findings))
    assert all(f.severity in ("block", "warn") for f in findings)
    highlight(text, findings)
