"""The small-cohort rule: could school + year group + need identify the pupil?"""

from __future__ import annotations

import pytest

from cluster.moderation.cohort import SchoolFacts, identification_risks

MAINSTREAM = SchoolFacts(phase_group="primary", is_special=False, number_on_roll=420, others_in_phase=5)


def test_a_large_mainstream_school_with_a_common_need_is_fine():
    assert identification_risks(MAINSTREAM, "4", ["SLCN", "SEMH"]) == []


def test_no_school_no_risk():
    assert identification_risks(None, "4", ["PMLD"]) == []


@pytest.mark.parametrize(
    "facts, needs, words",
    [
        (SchoolFacts("special", True, 90, 5), ["ASD"], "special school"),
        (SchoolFacts("primary", False, 84, 5), ["MLD"], "84 pupils"),
        (MAINSTREAM, ["PMLD"], "PMLD"),
        (MAINSTREAM, ["SLCN", "HI"], "HI"),
        (MAINSTREAM, ["MSI"], "rare"),
        (SchoolFacts("secondary", False, 1100, 0), ["SEMH"], "No other school of your phase"),
    ],
)
def test_each_identifying_combination_is_warned(facts, needs, words):
    risks = identification_risks(facts, "9", needs)
    assert risks and any(words in risk for risk in risks)


def test_a_low_incidence_need_in_a_special_school_is_not_called_rare():
    risks = identification_risks(SchoolFacts("special", True, None, 3), "9", ["PMLD"])
    assert len(risks) == 1 and "special school" in risks[0]


def test_unknown_roll_is_not_a_small_school():
    assert identification_risks(SchoolFacts("primary", False, None, 3), "2", ["MLD"]) == []


def test_gias_number_on_roll_is_read_when_present():
    import io

    from cluster.schools.gias import GiasRow, read_gias

    header = '"URN","LA (code)","LA (name)","EstablishmentName","TypeOfEstablishment (name)","EstablishmentStatus (name)","PhaseOfEducation (name)","Town","Postcode","NumberOfPupils"\r\n'
    rows = (
        '"100001","990","Northbrook","Tiny Primary","Community school","Open","Primary","Hollins","NB1 1AA","84"\r\n'
        '"100002","990","Northbrook","Big Primary","Community school","Open","Primary","Hollins","NB1 1AB",""\r\n'
    )
    found = list(read_gias(io.BytesIO((header + rows).encode("cp1252"))))
    assert [r.number_on_roll for r in found if isinstance(r, GiasRow)] == [84, None]
    without = header.replace(',"NumberOfPupils"', "") + rows.replace(',"84"', "").replace(',""', "")
    assert [r.number_on_roll for r in read_gias(io.BytesIO(without.encode("cp1252")))] == [None, None]


def test_the_case_uses_the_schools_roll_and_the_networks_phases(make):
    from cluster.moderation.services import cohort_risks

    org = make.organisation()
    tiny = make.school(org, name="Tiny Primary", number_on_roll=84)
    high = make.school(org, name="Only High", phase="Secondary", number_on_roll=1200)
    other_primary = make.school(org, name="Other Primary", number_on_roll=400)
    senco = make.user(org, school=tiny)
    network = make.network(org, schools=[tiny, high, other_primary])
    case = make.moderation_case(network, senco, school=tiny, primary_need="MLD")
    assert [r for r in cohort_risks(case) if "84 pupils" in r]
    senco2 = make.user(org, school=high)
    case2 = make.moderation_case(network, senco2, school=high, primary_need="SEMH")
    assert any("No other school of your phase" in r for r in cohort_risks(case2))
