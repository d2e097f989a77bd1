"""Findings in sentences: the right verb for each kind ("raises a cause of concern, makes two
recommendations"), labels and group titles, and what the letter says about each."""

from __future__ import annotations

from correspondence.drafting.phrasing.words import counted, join, plural, sentence
from correspondence.records.vocabulary import AreaKind, UpdateStatus

_VERBS = {AreaKind.CAUSE_OF_CONCERN: "raises", AreaKind.RECOMMENDATION: "makes", AreaKind.AREA_FOR_IMPROVEMENT: "identifies"}


def findings_list(counts: dict[AreaKind, int]) -> str:
    """'one cause of concern, two recommendations and three areas for improvement'."""
    return join(counted(counts[kind], kind.value) for kind in AreaKind if counts.get(kind))


def findings_summary(counts: dict[AreaKind, int]) -> str:
    """'The report raises one cause of concern, makes two recommendations and identifies three
    areas for improvement.' Each kind of finding takes its own verb."""
    parts = [f"{_VERBS[kind]} {counted(counts[kind], kind.value)}" for kind in AreaKind if counts.get(kind)]
    if not parts:
        return "The report makes no recommendations and identifies no causes of concern or areas for improvement."
    return f"The report {join(parts)}."


def finding_label(kind: AreaKind, number_within_kind: int, how_many_of_kind: int) -> str:
    """'Recommendation 2'; a lone cause of concern is just 'Cause of concern'."""
    title = kind.value[:1].upper() + kind.value[1:]
    if kind is AreaKind.CAUSE_OF_CONCERN and how_many_of_kind == 1:
        return title
    return f"{title} {number_within_kind}"


def group_title(kind: AreaKind, n: int) -> str:
    """An annex group's heading: 'Recommendations', 'Area for improvement'."""
    name = kind.value if n == 1 else plural(kind.value)
    return name[:1].upper() + name[1:]


def annex_pointer(any_answers: bool, n_findings: int, any_updates: bool = True) -> str:
    """The sentence pointing to Annex A; where the force has given no update by the letter's date,
    it says the updates are awaited rather than promise updates the annex does not hold."""
    each = "each of them" if n_findings > 1 else "it"
    if not any_updates:
        them = "them" if n_findings > 1 else "it"
        awaited = "the force's update on each is awaited" if n_findings > 1 else "the force's update on it is awaited"
        return f"Annex A lists {them}{' with my response' if any_answers else ''}; {awaited}."
    if any_answers:
        return f"Annex A sets out the force's latest update on {each}, with my response."
    return f"Annex A sets out the force's latest update on {each}."


_STATUS_SENTENCES = {
    UpdateStatus.COMPLETE: "The force reports that its work on this is complete (see Annex A).",
    UpdateStatus.IN_PROGRESS: "The force reports that its work on this is in progress (see Annex A).",
    UpdateStatus.NOT_STARTED: "The force reports that it has not yet started work on this (see Annex A).",
}


AWAITING_FORCE = "I am awaiting the force's update on this, and will publish it when it arrives."


NO_ACTION = "I do not propose to take any action on this."


def response_to_finding(answer: str | None, no_action: bool, why: str | None, status: UpdateStatus | None) -> str:
    """What the letter says about one recommendation (or cause of concern): the office's own
    answer first (s.55(5B) asks what the policing body has done or will do, or why nothing),
    else what the force reports, else that the force's update is awaited."""
    if no_action:
        return f"{NO_ACTION} {sentence(why or '')}".strip()
    if answer:
        return sentence(answer)
    if status is not None:
        return _STATUS_SENTENCES[status]
    return AWAITING_FORCE


def answer_cell(answer: str | None, no_action: bool, why: str | None) -> str:
    """The office's answer as Annex A's 'Our response' column gives it."""
    if no_action:
        return f"No action proposed. {sentence(why or '')}".strip()
    return answer or ""
