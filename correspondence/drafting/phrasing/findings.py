"""Findings in sentences: the right verb for each kind ("raises a cause of concern, makes two
recommendations"), labels and group titles, and what the letter says about each."""

from __future__ import annotations

import re

from correspondence.drafting.phrasing.words import counted, join, number, plural, sentence
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


def annex_pointer(any_answers: bool | int, n_findings: int, any_updates: bool = True, *, force: str = "the force",
                  n_for_force: int | None = None) -> str:
    """The sentence pointing to Annex A; where the force has given no update by the letter's date,
    it says the updates are awaited rather than promise updates the annex does not hold. ``force``
    is the force as a sentence names it ("Kent Police" in a national report's letter); findings for
    another body (``n_for_force`` of the ``n_findings`` are the force's) get no update from it."""
    whose = possessive(force)
    for_force = n_findings if n_for_force is None else n_for_force
    them = "them" if n_findings > 1 else "it"
    mine = " with my response" if any_answers else ""
    answered = any_answers if type(any_answers) is int else None  # how many the office has answered, when counted
    if answered and answered < n_findings:  # never "with my response" over empty cells
        mine = f" with my response to {number(answered)} of them"
    if for_force == 0:
        return f"Annex A lists {them}{mine}."
    if for_force < n_findings:
        those = f"the {number(for_force)} for the force" if for_force > 1 else "the one for the force"
        if not any_updates:
            return f"Annex A lists {them}{mine}; {whose} update on {those} is awaited."
        return f"Annex A lists {them}, with {whose} latest update on {those}{',' + mine.replace(' with', ' and') if any_answers else ''}."
    each = "each of them" if n_findings > 1 else "it"
    if not any_updates:
        awaited = f"{whose} update on each is awaited" if n_findings > 1 else f"{whose} update on it is awaited"
        return f"Annex A lists {them}{mine}; {awaited}."
    if any_answers:
        return f"Annex A sets out {whose} latest update on {each},{mine}."
    return f"Annex A sets out {whose} latest update on {each}."


def possessive(name: str) -> str:
    """"the force's", "Kent Police's"."""
    return f"{name}'" if name.endswith("s'") else f"{name}'s"


_STATUS_SENTENCES = {
    UpdateStatus.COMPLETE: "{force} reports that its work on this is complete (see Annex A).",
    UpdateStatus.IN_PROGRESS: "{force} reports that its work on this is in progress (see Annex A).",
    UpdateStatus.NOT_STARTED: "{force} reports that it has not yet started work on this (see Annex A).",
}


AWAITING_FORCE = "I am awaiting the force's update on this, and will publish it when it arrives."


NO_ACTION = "I do not propose to take any action on this."


def response_to_finding(answer: str | None, no_action: bool, why: str | None, status: UpdateStatus | None, *,
                        body: str = "", own: bool = False, noun: str = "recommendation", force: str = "the force") -> str:
    """What the letter says about one recommendation (or cause of concern): the office's own
    answer first (s.55(5B) asks what the policing body has done or will do, or why nothing),
    else what the force reports, else that the force's update is awaited.

    ``body`` names another body the finding is for ("the College of Policing"): the letter says
    so and gives the office's answer after it, and never "I do not propose to take any action"
    (the office's reason stands alone). ``own``: the finding is for the office itself, answered as
    its own action. ``force`` is the force as a sentence names it ("Kent Police" in a national
    report's letter)."""
    if body:
        lead = f"This {noun} is for {body}"
        if no_action:
            return f"{lead}. {_capital(sentence(why or ''))}".strip()
        if answer:
            return _after(lead, answer)
        if status is not None:
            return f"{lead}. {_STATUS_SENTENCES[status].format(force=_capital(force))}"
        return f"{lead}; my response to it will follow."
    if no_action:
        return f"{NO_ACTION} {sentence(why or '')}".strip()
    if answer:
        return sentence(answer)
    if own:
        return f"This {noun} is for me as the policing body; my response to it will follow."
    if status is not None:
        return _STATUS_SENTENCES[status].format(force=_capital(force))
    if force != "the force":
        return AWAITING_FORCE.replace("the force's", possessive(force))
    return AWAITING_FORCE


def for_cell(noun: str, body: str) -> str:
    """Annex A's update cell for a finding the force is not asked about: "This recommendation is
    for the College of Policing." (in place of "Awaiting an update from the force")."""
    return f"This {noun} is for {body}."


def answer_cell(answer: str | None, no_action: bool, why: str | None, *, body: str = "") -> str:
    """The office's answer as Annex A's 'Our response' column gives it; for a finding that is for
    another body (``body``), the office's reason for taking no action stands alone."""
    if no_action:
        if body:
            return _capital(sentence(why or ""))
        return f"No action proposed. {sentence(why or '')}".strip()
    return answer or ""


_OWN_WORDS = re.compile(r"^(?:I|I'|I’|We|My|Our)\b")


def _after(lead: str, answer: str) -> str:
    """"This recommendation is for X; I will ..." when the answer opens with the office's own
    voice (I, we, my, our), else two sentences, so no name loses its capital."""
    text = sentence(answer)
    if _OWN_WORDS.match(text):
        first = text.split(" ", 1)[0]
        return f"{lead}; {text if first.startswith('I') and not first.startswith('In') else text[:1].lower() + text[1:]}"
    return f"{lead}. {text}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
