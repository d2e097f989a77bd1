"""The phrasing rules, table by table: every grade, count and combination the store allows."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from correspondence.drafting import phrasing
from correspondence.drafting.phrasing import Figure
from correspondence.records.vocabulary import AreaKind, Grade, UpdateStatus


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "no"), (1, "one"), (2, "two"), (3, "three"), (4, "four"), (5, "five"), (6, "six"), (7, "seven"),
     (8, "eight"), (9, "nine"), (10, "10"), (11, "11"), (99, "99"), (1250, "1,250")],
)
def test_numbers_below_ten_are_words(n, expected):
    assert phrasing.number(n) == expected


@pytest.mark.parametrize(
    ("n", "noun", "expected"),
    [
        (1, "recommendation", "one recommendation"),
        (2, "recommendation", "two recommendations"),
        (0, "recommendation", "no recommendations"),
        (1, "cause of concern", "one cause of concern"),
        (3, "cause of concern", "three causes of concern"),
        (1, "area for improvement", "one area for improvement"),
        (12, "area for improvement", "12 areas for improvement"),
        (2, "action", "two actions"),
        (2, "theme", "two themes"),
        (2, "inquiry", "two inquiries"),
        (2, "day", "two days"),
        (2, "process", "two processes"),
        (2, "question", "two questions"),
    ],
)
def test_counts_and_plurals(n, noun, expected):
    assert phrasing.counted(n, noun) == expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c"), (["a", "", "c"], "a and c"),
     (["preventing and deterring crime", "investigating crime"], "preventing and deterring crime, and investigating crime")],
)
def test_lists_join_without_an_oxford_comma(items, expected):
    assert phrasing.join(items) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Investigating crime", "investigating crime"),
        ("Trust and confidence in the MPS", "trust and confidence in the MPS"),
        ("MPS culture", "MPS culture"),
        ("Violence Against Women and Girls", "Violence Against Women and Girls"),
        ("Kent Police's use of force", "Kent Police's use of force"),
        ("N100 classification", "N100 classification"),
        ("Incidents correctly given classification N100", "incidents correctly given classification N100"),
        ("", ""),
    ],
)
def test_heading_phrases_read_mid_sentence(phrase, expected):
    assert phrasing.lower_first(phrase) == expected


@pytest.mark.parametrize(
    ("day", "name", "short"),
    [
        (dt.date(2014, 11, 27), "Her Majesty's Inspectorate of Constabulary", "HMIC"),
        (dt.date(2017, 7, 18), "Her Majesty's Inspectorate of Constabulary", "HMIC"),
        (dt.date(2017, 7, 19), "Her Majesty's Inspectorate of Constabulary and Fire & Rescue Services", "HMICFRS"),
        (dt.date(2018, 9, 7), "Her Majesty's Inspectorate of Constabulary and Fire & Rescue Services", "HMICFRS"),
        (dt.date(2022, 9, 7), "Her Majesty's Inspectorate of Constabulary and Fire & Rescue Services", "HMICFRS"),
        (dt.date(2022, 9, 8), "His Majesty's Inspectorate of Constabulary and Fire & Rescue Services", "HMICFRS"),
        (dt.date(2026, 3, 1), "His Majesty's Inspectorate of Constabulary and Fire & Rescue Services", "HMICFRS"),
    ],
)
def test_the_inspectorate_is_named_as_it_was_on_the_letters_date(day, name, short):
    assert phrasing.inspectorate_on(day) == phrasing.Inspectorate(name, short)


GRADE_WORDS = {
    Grade.OUTSTANDING: ("outstanding", "Outstanding"),
    Grade.GOOD: ("good", "Good"),
    Grade.ADEQUATE: ("adequate", "Adequate"),
    Grade.REQUIRES_IMPROVEMENT: ("requiring improvement", "Requires improvement"),
    Grade.INADEQUATE: ("inadequate", "Inadequate"),
}


@pytest.mark.parametrize("grade", list(Grade))
def test_every_grade_reads_as_a_predicate_and_as_a_label(grade):
    predicate, label = GRADE_WORDS[grade]
    assert phrasing.graded_as(grade) == predicate
    assert phrasing.grade_label(grade) == label
    assert phrasing.grades("HMICFRS", "Kent Police", grade, []).sentence == f"HMICFRS graded Kent Police as {predicate} overall."


def test_not_graded_is_said_plainly():
    assert phrasing.grade_label(None) == "Not graded"
    assert phrasing.grades("HMICFRS", "Kent Police", None, []).sentence == ""


AREAS = ["Investigating crime", "Protecting vulnerable people", "Responding to the public"]


@pytest.mark.parametrize("overall", [None, *Grade])
@pytest.mark.parametrize("area_grades", list(itertools.product([Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, None], repeat=3)))
def test_peel_areas_are_one_sentence_for_every_combination(overall, area_grades):
    prose = phrasing.grades("HMICFRS", "Kent Police", overall, list(zip(AREAS, area_grades)))
    text = prose.sentence
    assert prose.table == []  # areas are short enough for a sentence, never a list of "Area Grade."
    assert "Good." not in text and "Requires improvement." not in text
    if overall is not None:
        assert text.startswith(f"HMICFRS graded Kent Police as {GRADE_WORDS[overall][0]} overall.")
    assert " 1 " not in text and " 2 " not in text and " 3 " not in text
    for area, _grade in zip(AREAS, area_grades):
        assert phrasing.lower_first(area) in text
    graded = [g for g in area_grades if g is not None]
    if Grade.GOOD in graded:
        assert "as good in" in text
    if Grade.REQUIRES_IMPROVEMENT in graded:
        assert "as requiring improvement in" in text
    if None in area_grades:
        assert "did not grade" in text
    if not graded and overall is None:
        assert text.startswith("HMICFRS did not grade")
    assert text.count("..") == 0 and text.endswith(".")


@pytest.mark.parametrize(
    ("judgments", "expected"),
    [
        ([("Investigating crime", Grade.GOOD)], "HMICFRS graded Kent Police as good in one area (investigating crime)."),
        (
            [("Investigating crime", Grade.GOOD), ("Managing offenders", Grade.GOOD)],
            "HMICFRS graded Kent Police as good in both areas it graded (investigating crime and managing offenders).",
        ),
        (
            [("Investigating crime", Grade.GOOD), ("Managing offenders", Grade.GOOD), ("Preventing crime", Grade.GOOD)],
            "HMICFRS graded Kent Police as good in all three areas it graded (investigating crime, managing offenders "
            "and preventing crime).",
        ),
        (
            [("Investigating crime", Grade.GOOD), ("Protecting vulnerable people", Grade.GOOD),
             ("Responding to the public", Grade.INADEQUATE), ("Preventing crime", None)],
            "HMICFRS graded Kent Police as good in two areas (investigating crime and protecting vulnerable people), and "
            "as inadequate in one (responding to the public). It did not grade preventing crime.",
        ),
    ],
)
def test_peel_area_sentences(judgments, expected):
    assert phrasing.grades("HMICFRS", "Kent Police", None, judgments).sentence == expected


QUESTIONS = [
    "How effective is the force at recording reported crime?",
    "How efficiently do the systems and processes in the force support accurate crime-recording?",
]


@pytest.mark.parametrize("overall", [None, *Grade])
@pytest.mark.parametrize("question_grades", [(Grade.GOOD, Grade.OUTSTANDING), (None, Grade.INADEQUATE), (None, None)])
def test_graded_questions_are_a_short_table_under_a_lead_in(overall, question_grades):
    prose = phrasing.grades("HMICFRS", "the Metropolitan Police Service", overall, list(zip(QUESTIONS, question_grades)))
    assert prose.column == "Question"
    assert prose.table == [{"item": q, "grade": phrasing.grade_label(g)} for q, g in zip(QUESTIONS, question_grades)]
    # the lead-in counts only the questions graded: never "the two questions ... as follows:" above "Not graded"
    graded = {2: "the two questions it examined", 1: "one of the two questions it examined"}.get(
        sum(1 for g in question_grades if g is not None))
    if overall is not None:
        assert prose.sentence == (f"HMICFRS graded the Metropolitan Police Service as {GRADE_WORDS[overall][0]} overall, "
                                  + (f"and graded {graded} as follows:" if graded else "and did not grade the two questions it examined:"))
    elif graded is None:
        assert prose.sentence == "HMICFRS did not grade the two questions it examined:"
    else:
        assert prose.sentence == f"HMICFRS graded {graded} as follows:"


def test_long_area_descriptions_go_in_a_table_headed_area():
    judgments = [("The extent to which the force is effective at keeping people safe and reducing crime", Grade.GOOD)]
    prose = phrasing.grades("HMIC", "Dorset Police", None, judgments)
    assert (prose.column, prose.sentence) == ("Area", "HMIC graded the area it examined as follows:")


@pytest.mark.parametrize(
    ("rate", "average", "ci", "expected"),
    [
        ("84.1", "87.7", "1.9", "just below the national average of 87.7%"),
        ("84.1", "87.7", None, "just below the national average of 87.7%"),
        ("80", "87.7", None, "below the national average of 87.7%"),
        ("93", "87.7", None, "above the national average of 87.7%"),
        ("89", "87.7", None, "just above the national average of 87.7%"),
        ("87.7", "87.7", None, "in line with the national average of 87.7%"),
        ("89", "87.7", "1.5", "in line with the national average of 87.7%"),
    ],
)
def test_rates_against_the_national_average(rate, average, ci, expected):
    assert phrasing.against_average(Decimal(rate), Decimal(average), Decimal(ci) if ci else None) == expected


@pytest.mark.parametrize(
    ("rate", "before", "expected"),
    [("84.1", "78.5", "up from 78.5% in 2017"), ("70", "78.5", "down from 78.5% in 2017"), ("78.5", "78.5", "unchanged from 78.5% in 2017")],
)
def test_rates_against_the_previous_inspection(rate, before, expected):
    assert phrasing.against_before(Decimal(rate), Decimal(before), "in 2017") == expected


def test_figures_are_sentences_with_their_comparisons():
    measures = [
        Figure("Overall crime-recording rate", Decimal("84.1"), Decimal("1.9"), national_average=Decimal("87.7"),
               phrase="the overall crime-recording rate"),
        Figure("Sexual offences recording rate", Decimal("91"), Decimal("2.89"), estimate_per_year=1890,
               estimate_label="reports of sexual offences a year not recorded", phrase="the recording rate for sexual offences"),
        Figure("Audited rape reports accurately recorded", numerator=98, denominator=118, phrase="audited rape reports accurately recorded"),
        Figure("Vulnerable victim crimes recorded", numerator=36, denominator=39, phrase="vulnerable victim crimes recorded"),
    ]
    rates, counts = phrasing.figures(measures, "HMICFRS", {"overall crime-recording rate": Decimal("78.5")}, "in 2017")
    assert rates == (
        "HMICFRS estimated that the overall crime-recording rate was 84.1% (±1.9%), up from 78.5% in 2017 and just below the "
        "national average of 87.7%. HMICFRS estimated that the recording rate for sexual offences was 91% (±2.89%), leaving "
        "over 1,890 reports of sexual offences a year not recorded."
    )
    assert counts == "HMICFRS also found 98 of 118 audited rape reports accurately recorded and 36 of 39 vulnerable victim crimes recorded."
    only_counts = phrasing.figures(measures[2:3], "HMICFRS")
    assert only_counts == ["HMICFRS found 98 of 118 audited rape reports accurately recorded."]
    assert phrasing.figures([], "HMICFRS") == []


COUNTS = [0, 1, 2, 10]


@pytest.mark.parametrize(("concerns", "recommendations", "improvements"), list(itertools.product(COUNTS, repeat=3)))
def test_findings_summary_for_every_combination_of_counts(concerns, recommendations, improvements):
    counts = {AreaKind.CAUSE_OF_CONCERN: concerns, AreaKind.RECOMMENDATION: recommendations,
              AreaKind.AREA_FOR_IMPROVEMENT: improvements}
    text = phrasing.findings_summary(counts)
    assert text.startswith("The report ") and text.endswith(".")
    expected_parts = []
    if concerns:
        expected_parts.append(f"raises {phrasing.counted(concerns, 'cause of concern')}")
    if recommendations:
        expected_parts.append(f"makes {phrasing.counted(recommendations, 'recommendation')}")
    if improvements:
        expected_parts.append(f"identifies {phrasing.counted(improvements, 'area for improvement')}")
    if expected_parts:
        assert text == f"The report {phrasing.join(expected_parts)}."
        assert "makes one area" not in text and "makes two areas" not in text
    else:
        assert "no recommendations" in text
    for digit in "123456789":
        assert f" {digit} " not in text


def test_the_issues_example_sentence():
    counts = {AreaKind.CAUSE_OF_CONCERN: 1, AreaKind.RECOMMENDATION: 2, AreaKind.AREA_FOR_IMPROVEMENT: 3}
    assert phrasing.findings_summary(counts) == (
        "The report raises one cause of concern, makes two recommendations and identifies three areas for improvement."
    )
    assert phrasing.findings_list(counts) == "one cause of concern, two recommendations and three areas for improvement"


@pytest.mark.parametrize(
    ("kind", "number", "of_kind", "expected"),
    [(AreaKind.CAUSE_OF_CONCERN, 1, 1, "Cause of concern"), (AreaKind.CAUSE_OF_CONCERN, 2, 2, "Cause of concern 2"),
     (AreaKind.RECOMMENDATION, 1, 1, "Recommendation 1"), (AreaKind.AREA_FOR_IMPROVEMENT, 3, 7, "Area for improvement 3")],
)
def test_finding_labels(kind, number, of_kind, expected):
    assert phrasing.finding_label(kind, number, of_kind) == expected


@pytest.mark.parametrize(
    ("answer", "no_action", "why", "status", "expected"),
    [
        ("We have funded two more auditors", False, None, None, "We have funded two more auditors."),
        ("We have funded two more auditors.", False, None, UpdateStatus.COMPLETE, "We have funded two more auditors."),
        (None, True, "The force already meets it", None, "I do not propose to take any action on this. The force already meets it."),
        (None, False, None, UpdateStatus.COMPLETE, "The force reports that its work on this is complete (see Annex A)."),
        (None, False, None, UpdateStatus.IN_PROGRESS, "The force reports that its work on this is in progress (see Annex A)."),
        (None, False, None, UpdateStatus.NOT_STARTED, "The force reports that it has not yet started work on this (see Annex A)."),
        (None, False, None, None, "I am awaiting the force's update on this, and will publish it when it arrives."),
    ],
)
def test_response_to_each_recommendation(answer, no_action, why, status, expected):
    assert phrasing.response_to_finding(answer, no_action, why, status) == expected


@pytest.mark.parametrize(
    ("force", "programme", "year", "expected"),
    [
        ("Kent Police", "PEEL 2025-27", 2026, "Kent Police: PEEL 2025-27 inspection"),
        ("Kent Police", "PEEL 2021/22", 2022, "Kent Police: PEEL 2021/22 inspection"),
        ("Metropolitan Police Service", "Crime Data Integrity", 2018, "Metropolitan Police Service: Crime Data Integrity inspection 2018"),
        ("Essex Police", "Crime Data Integrity inspection", 2019, "Essex Police: Crime Data Integrity inspection 2019"),
        ("Essex Police", "Crime Data Integrity Inspection 2019", 2019, "Essex Police: Crime Data Integrity Inspection 2019"),
        ("Kent Police", "Kent Police PEEL 2023-25", 2024, "Kent Police PEEL 2023-25 inspection"),
    ],
)
def test_subjects_never_repeat_themselves(force, programme, year, expected):
    subject = phrasing.inspection_subject(force, programme, year)
    assert subject == expected
    words = subject.casefold().replace(":", "").split()
    assert words.count("inspection") <= 1 and words.count("police") <= 1


@pytest.mark.parametrize(
    ("before", "now", "expected"),
    [
        (Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT, "has improved from ‘inadequate’ to ‘requires improvement’"),
        (Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, "has fallen from ‘good’ to ‘requires improvement’"),
        (Grade.GOOD, Grade.GOOD, "is unchanged at ‘good’"),
    ],
)
def test_grade_changes(before, now, expected):
    assert phrasing.grade_change(before, now) == expected


def test_previous_inspection_sentence():
    assert phrasing.previous_inspection("HMIC", "Crime Data Integrity", "27 November 2014", None, Grade.GOOD) == (
        "HMIC's previous Crime Data Integrity inspection of the force was published on 27 November 2014."
    )
    assert phrasing.previous_inspection("HMICFRS", "Crime Data Integrity inspection", "12 September 2017",
                                        Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT) == (
        "HMICFRS's previous Crime Data Integrity inspection of the force was published on 12 September 2017 and graded "
        "it as inadequate overall. The force's overall grade has improved from ‘inadequate’ to ‘requires improvement’."
    )


@pytest.mark.parametrize(
    ("themes", "expected"),
    [
        ([], ""),
        (["Trust and confidence in the MPS"], "The key strategic theme running through the items on the agenda was trust and confidence in the MPS."),
        (["A", "B", "C"], "The three key strategic themes running through the items on the agenda were:"),
    ],
)
def test_themes_lead(themes, expected):
    assert phrasing.themes_lead(themes) == expected


@pytest.mark.parametrize(("correspondence", "other", "actions"), list(itertools.product([0, 1, 3], repeat=3)))
def test_followup_purpose_never_mentions_what_is_not_there(correspondence, other, actions):
    text = phrasing.followup_purpose(correspondence, other, actions)
    if not (correspondence or other or actions):
        assert text == ""
        return
    assert ("issues we were not able to cover" in text) == bool(correspondence or other)
    assert ("action arising" in text) == (actions == 1)
    assert ("actions arising" in text) == (actions > 1)
    assert ("by correspondence" in text) == bool(correspondence)
    assert ("other meeting" in text) == bool(other)


@pytest.mark.parametrize(
    ("actions", "carried", "expected"),
    [
        (0, 0, ""),
        (1, 0, "The action arising from the meeting is set out in the annex. I would be grateful if it could be completed "
               "in the timescale indicated."),
        (4, 2, "The actions arising from the meeting are set out in the annex. I would be grateful if they could be "
               "completed in the timescales indicated. The annex also lists two actions from earlier meetings that remain open."),
        (0, 1, "The annex lists one action from earlier meetings that remains open; I would be grateful for an update on it."),
    ],
)
def test_actions_note(actions, carried, expected):
    assert phrasing.actions_note(actions, carried) == expected


def test_meeting_wording():
    assert phrasing.meeting_thanks("MPS Oversight Board", "21 April 2022") == (
        "Thank you, and your team, for the MPS Oversight Board meeting on 21 April 2022."
    )
    assert phrasing.meeting_thanks("Performance and Accountability Board meeting", "1 May 2024").count("meeting") == 1
    assert phrasing.meeting_subject("MPS Oversight Board", "21 April 2022") == "MPS Oversight Board: 21 April 2022"


def test_estimates_are_said_once_in_full_then_briefly():
    measures = [
        Figure("Overall crime-recording rate", Decimal("89.5"), Decimal("1.64"), estimate_per_year=94500,
               estimate_label="reports of crime a year not recorded", phrase="the overall crime-recording rate"),
        Figure("Violence against the person recording rate", Decimal("87.6"), Decimal("2.82"), estimate_per_year=28100,
               estimate_label="reports of violent crime a year not recorded", phrase="the violence against the person recording rate"),
        Figure("Incidents correctly given classification N100", numerator=34, denominator=48,
               phrase="incidents correctly given classification N100"),
    ]
    rates, counts = phrasing.figures(measures, "HMICFRS")
    assert rates == (
        "HMICFRS estimated that the overall crime-recording rate was 89.5% (±1.64%), leaving over 94,500 reports of crime "
        "a year not recorded. HMICFRS estimated that the violence against the person recording rate was 87.6% (±2.82%), "
        "leaving over 28,100 reports of violent crime a year not recorded."
    )
    assert counts == "HMICFRS also found 34 of 48 incidents correctly given classification N100."
    with_comparison = phrasing.figures(measures[:1], "HMICFRS", {"overall crime-recording rate": Decimal("88")}, "in 2014")
    assert with_comparison == [
        "HMICFRS estimated that the overall crime-recording rate was 89.5% (±1.64%), up from 88% in 2014. HMICFRS "
        "estimated that this leaves over 94,500 reports of crime a year not recorded."
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Metropolitan Police Service", "the Metropolitan Police Service"),
        ("Police Service of Northern Ireland", "the Police Service of Northern Ireland"),
        ("British Transport Police", "the British Transport Police"),
        ("City of London Police", "the City of London Police"),
        ("Kent Police", "Kent Police"),
        ("Durham Constabulary", "Durham Constabulary"),
        ("Devon and Cornwall Police", "Devon and Cornwall Police"),
        ("the Metropolitan Police Service", "the Metropolitan Police Service"),
    ],
)
def test_force_names_take_the_article_they_need(name, expected):
    assert phrasing.force_name(name) == expected


def test_a_measure_not_named_as_a_rate_is_measured_at_its_figure():
    measure = Figure("Emergency calls answered within ten seconds", Decimal("71.3"), national_average=Decimal("83.5"),
                     phrase="emergency calls answered within ten seconds")
    assert phrasing.figures([measure], "HMICFRS") == [
        "HMICFRS found 71.3% of emergency calls answered within ten seconds, below the national average of 83.5%."
    ]
    compliance = Figure("Crime recording compliance", Decimal("90"), phrase="crime recording compliance")
    assert phrasing.figures([compliance], "HMICFRS") == ["HMICFRS found that the crime recording compliance was 90%."]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Mayor's Office for Policing and Crime", "the Mayor's Office for Policing and Crime"),
        ("Office of the Kent Police and Crime Commissioner", "the Office of the Kent Police and Crime Commissioner"),
        ("City of London Police Authority Board", "the City of London Police Authority Board"),
        ("West Mercia PCC", "West Mercia PCC"),
    ],
)
def test_office_names_take_the_article_they_need(name, expected):
    assert phrasing.office_name(name) == expected


# --- issue 23: grades, subjects and titles as a person writes them ---------------------------------

PEEL_TEN = [("Preventing crime", Grade.GOOD), ("Treatment of the public", Grade.ADEQUATE),
            ("Building, supporting and protecting the workforce", Grade.ADEQUATE), ("Investigating crime", None)]


@pytest.mark.parametrize(
    ("judgments", "why"),
    [(PEEL_TEN, "an area's name holds a comma"),
     ([(f"Area {n}", Grade.GOOD) for n in range(1, 6)], "more than four areas")],
)
def test_areas_go_in_a_table_when_a_sentence_could_not_list_them(judgments, why):
    prose = phrasing.grades("HMICFRS", "Wiltshire Police", None, judgments)
    assert prose.table, why
    assert [row["item"] for row in prose.table] == [item for item, _ in judgments]  # their own capitals
    graded = sum(1 for _, grade in judgments if grade is not None)
    if graded < len(judgments):
        assert prose.sentence == f"HMICFRS graded {phrasing.number(graded)} of the {phrasing.number(len(judgments))} areas it examined as follows:"
    else:
        assert prose.sentence == f"HMICFRS graded the {phrasing.number(len(judgments))} areas it examined as follows:"


def test_four_short_areas_are_still_a_sentence_and_a_commad_name_is_lower_cased_in_one():
    four = [("Investigating crime", Grade.GOOD), ("Treatment of the public", Grade.GOOD),
            ("Preventing crime", Grade.ADEQUATE), ("Responding to the public", None)]
    assert phrasing.grades("HMICFRS", "Kent Police", None, four).table == []
    assert phrasing.lower_first("Building, supporting and protecting the workforce") == \
        "building, supporting and protecting the workforce"


@pytest.mark.parametrize(
    ("force", "programme", "year", "title", "expected"),
    [
        ("Wiltshire Police", "Crime Data Integrity", 2019, "Wiltshire Police: Crime Data Integrity re-inspection 2018",
         "Wiltshire Police: Crime Data Integrity re-inspection 2018"),
        ("Leicestershire Police", "Crime Data Integrity", 2019, "Leicestershire Police: Crime Data Integrity re-inspection 2018/19",
         "Leicestershire Police: Crime Data Integrity re-inspection 2018/19"),
        ("Metropolitan Police Service", "Crime Data Integrity", 2018,
         "The Metropolitan Police Service: Crime Data Integrity inspection 2018",
         "Metropolitan Police Service: Crime Data Integrity inspection 2018"),
        ("Kent Police", "PEEL 2025-27", 2026, "PEEL 2025-27: An inspection of Kent Police", "Kent Police: PEEL 2025-27 inspection"),
        ("Kent Police", "Thematic", 2024, "An inspection of how well the police tackle serious youth violence",
         "An inspection of how well the police tackle serious youth violence"),
        ("", "Thematic: vetting, misconduct and misogyny (review of progress)", 2024,
         "Vetting, misconduct and misogyny in the police service: A review of progress: final report",
         "Vetting, misconduct and misogyny in the police service: A review of progress"),
        ("North Wales Police", "Police custody inspection (joint HMICFRS and HMIP)", 2019,
         "Report on an unannounced inspection visit to police custody suites in North Wales",
         "North Wales Police: Police custody inspection 2019"),
    ],
)
def test_subjects_come_from_the_reports_own_title_and_programme(force, programme, year, title, expected):
    subject = phrasing.inspection_subject(force or title, programme, year, title)
    assert subject == expected
    assert subject.count(":") <= 1 and len(subject.split()) <= 12
    assert "Thematic" not in subject


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("PEEL 2021/22: An inspection of Wiltshire Police", "the PEEL 2021/22 inspection of Wiltshire Police"),
        ("An inspection of how well the police tackle serious youth violence",
         "an inspection of how well the police tackle serious youth violence"),
        ("The Metropolitan Police Service: Crime Data Integrity inspection 2018",
         "the report “The Metropolitan Police Service: Crime Data Integrity inspection 2018”"),
    ],
)
def test_a_reports_title_inside_a_sentence(title, expected):
    assert phrasing.report_in_sentence(title) == expected
    assert phrasing.update_request_title("Wiltshire Police", title).count(" An ") == 0


def test_thematic_programmes_are_not_named_as_programmes():
    hmicfrs = phrasing.inspectorate_on(dt.date(2024, 5, 10))
    opening = phrasing.response_opening(hmicfrs, "An inspection of serious youth violence", "10 May 2024", "Thematic")
    assert "as one of its thematic inspections." in opening and "Thematic programme" not in opening
    assert phrasing.programme_name("Thematic: vetting, misconduct and misogyny") == "thematic"
    assert phrasing.programme_name("Crime Data Integrity inspection") == "Crime Data Integrity"


def test_an_opening_without_an_annex_does_not_mention_one():
    hmic = phrasing.inspectorate_on(dt.date(2016, 7, 1))
    opening = phrasing.response_opening(hmic, "Kent Police: Crime Data Integrity inspection 2016", "1 July 2016",
                                        "Crime Data Integrity", annex=False)
    assert "annex" not in opening and opening.endswith("This letter sets out my comments on the report under section 55 "
                                                       "of the Police Act 1996.")
    assert "published by Her Majesty's Inspectorate of Constabulary (HMIC) on 1 July 2016" in opening


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("Mayor's Office for Policing and Crime", ["Mayor's Office for Policing and Crime"]),
        ("Office of the Kent Police and Crime Commissioner", ["Office of the Kent Police and Crime Commissioner"]),
        ("Office of the Police and Crime Commissioner for Wiltshire and Swindon",
         ["Office of the Police and Crime", "Commissioner for Wiltshire and Swindon"]),
        ("Office of the Police & Crime Commissioner for Leicester, Leicestershire & Rutland",
         ["Office of the Police & Crime Commissioner", "for Leicester, Leicestershire & Rutland"]),
    ],
)
def test_a_long_office_name_breaks_into_balanced_letterhead_lines(name, lines):
    assert phrasing.balanced_lines(name) == lines
    if len(lines) > 1:
        assert min(len(line.split()) for line in lines) > 1  # never one word alone
        assert max(map(len, lines)) - min(map(len, lines)) < 15


@pytest.mark.parametrize(
    ("carried", "overdue", "said"),
    [(1, 1, "one action from earlier meetings that remains open and is overdue"),
     (3, 1, "three actions from earlier meetings that remain open, one of them overdue"),
     (2, 2, "two actions from earlier meetings that remain open and are overdue")],
)
def test_carried_actions_past_their_due_date_are_said_to_be_overdue(carried, overdue, said):
    assert said in phrasing.actions_note(2, carried, overdue)
    assert said in phrasing.actions_note(0, carried, overdue)
    assert "overdue" not in phrasing.actions_note(2, carried, 0)


@pytest.mark.parametrize(("phrase", "said"), [
    ("crimes a year not recorded", "HMICFRS estimated that there were over 38,000 crimes a year not recorded."),
    ("the number of crimes the force fails to record",
     "HMICFRS estimated the number of crimes the force fails to record at over 38,000 a year."),
    ("the number of crimes not recorded each year", "HMICFRS estimated the number of crimes not recorded each year at over 38,000."),
])
def test_an_estimate_alone_reads_as_a_sentence_whatever_its_phrase(phrase: str, said: str) -> None:
    """A phrase naming the quantity ("the number of ...") is estimated "at" the figure; one naming
    what was counted follows it. Never "there were over 38,000 the number of crimes" (issue 23)."""
    figure = Figure("Crimes not recorded", estimate_per_year=38_000, phrase=phrase)
    assert phrasing.figures([figure], "HMICFRS") == [said]
