"""How letters put facts into sentences, in British English: one place for every phrasing rule.

Drafted letters quote the store, but a list of data is not a letter. These rules turn grades,
counts, figures and findings into sentences an office would sign: numbers below ten in words
("two recommendations"), the right verb for each kind of finding ("raises a cause of concern,
makes two recommendations and identifies three areas for improvement"), grades as predicates
("graded the force as requiring improvement overall"), PEEL areas in one sentence and graded
questions in a short table, figures compared with the previous inspection and the national
average ("84.1%, up from 78.5% in 2017 and just below the national average of 87.7%"), the
inspectorate named as it was on the letter's date, and subjects that do not repeat themselves.

The rules are grouped by what they phrase (words, inspectorate, grading, measures, findings,
letter_parts) and gathered here, so a template's context and the tests use them as one vocabulary:
``phrasing.counted(2, "recommendation")``. Everything here is a pure function of plain values, so tests can run every grade, count and
combination through it (tests/test_phrasing.py); context.py feeds it from the store.
"""

from __future__ import annotations

from correspondence.drafting.phrasing.findings import (
    AWAITING_FORCE,
    NO_ACTION,
    annex_pointer,
    answer_cell,
    finding_label,
    findings_list,
    findings_summary,
    for_cell,
    group_title,
    possessive,
    response_to_finding,
)
from correspondence.drafting.phrasing.grading import (
    NOT_GRADED,
    GradeProse,
    grade_change,
    grade_label,
    graded_as,
    grades,
    is_question,
    needs_a_table,
    previous_inspection,
    quoted_grade,
)
from correspondence.drafting.phrasing.inspectorate import (
    ACCESSION_OF_CHARLES_III,
    FIRE_AND_RESCUE_ADDED,
    Inspectorate,
    inspectorate_on,
)
from correspondence.drafting.phrasing.letter_parts import (
    actions_note,
    followup_closing,
    followup_purpose,
    inspection_subject,
    meeting_subject,
    meeting_thanks,
    report_in_sentence,
    response_closing,
    response_opening,
    themes_lead,
    update_request_title,
)
from correspondence.drafting.phrasing.measures import (
    JUST,
    Figure,
    against_average,
    against_before,
    figures,
    preview,
    sentence_for,
    with_article,
)
from correspondence.drafting.phrasing.words import (
    balanced_lines,
    counted,
    force_name,
    is_thematic,
    join,
    lower_first,
    number,
    office_name,
    plural,
    programme_name,
    sentence,
)

__all__ = [
    "ACCESSION_OF_CHARLES_III",
    "AWAITING_FORCE",
    "FIRE_AND_RESCUE_ADDED",
    "Figure",
    "GradeProse",
    "Inspectorate",
    "JUST",
    "NOT_GRADED",
    "NO_ACTION",
    "actions_note",
    "against_average",
    "against_before",
    "annex_pointer",
    "answer_cell",
    "balanced_lines",
    "counted",
    "figures",
    "preview",
    "sentence_for",
    "with_article",
    "finding_label",
    "findings_list",
    "findings_summary",
    "followup_closing",
    "followup_purpose",
    "for_cell",
    "force_name",
    "grade_change",
    "grade_label",
    "graded_as",
    "grades",
    "group_title",
    "inspection_subject",
    "inspectorate_on",
    "is_question",
    "is_thematic",
    "join",
    "lower_first",
    "meeting_subject",
    "meeting_thanks",
    "needs_a_table",
    "number",
    "office_name",
    "plural",
    "possessive",
    "previous_inspection",
    "programme_name",
    "quoted_grade",
    "report_in_sentence",
    "response_closing",
    "response_opening",
    "response_to_finding",
    "sentence",
    "themes_lead",
    "update_request_title",
]
