"""The parts of a letter around the facts: openings and closings, subjects that do not repeat
themselves, and the sentences of a follow-up letter after an oversight meeting."""

from __future__ import annotations

import re
from collections.abc import Sequence

from correspondence.drafting.phrasing.inspectorate import Inspectorate
from correspondence.drafting.phrasing.words import counted, is_thematic, lower_first, number, programme_name, sentence


def response_opening(inspectorate: Inspectorate, title: str, published: str, programme: str, *, annex: bool = True) -> str:
    """The first paragraph: the report, who published it (``inspectorate`` as named on the day it
    was published) and in which programme, and what the letter is. A thematic report is 'one of
    its thematic inspections', never 'its Thematic programme'; a letter without Annex A does not
    mention an annex."""
    if is_thematic(programme):
        part_of = " as one of its thematic inspections"
    elif programme_name(programme).strip():
        part_of = f" as part of its {programme_name(programme)} programme of inspections"
    else:
        part_of = ""
    what = "This letter and its annex are my comments" if annex else "This letter sets out my comments"
    return (
        f"I write in response to the report “{' '.join(title.split())}”, published by {inspectorate.name} "
        f"({inspectorate.short_name}) on {published}{part_of}. {what} on the report under section 55 of the "
        "Police Act 1996."
    )


def response_closing(chief_officer_title: str, n_findings: int, *, force: str = "the force", of: int | None = None) -> str:
    """The closing sentence: the chief officer held to account for the ``n_findings`` that are the
    force's (``of`` all the report's, when some are for other bodies); ``force`` as the letter names it."""
    if n_findings == 0:
        return "I thank the inspectorate for its report."
    if of is not None and of > n_findings:
        these = "each of the findings for the force" if n_findings > 1 else "the finding for the force"
    else:
        these = "each of these findings" if n_findings > 1 else "this finding"
    whose = f"{force}'" if force.endswith("s'") else f"{force}'s"
    return f"I will continue to hold the {chief_officer_title} to account for {whose} progress on {these}."


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold())


MOST_WORDS_IN_A_SUBJECT = 12
_YEAR = re.compile(r"\b(?:19|20)\d\d(?:[/-](?:19|20)?\d\d)?\b")
_REINSPECTION = re.compile(r"\bre-?inspection\b", re.IGNORECASE)


def inspection_subject(force: str, programme: str, year: int, title: str = "") -> str:
    """A letter's subject, from the report's own title and programme, at most about 12 words and
    one colon: 'Kent Police: PEEL 2025-27 inspection', never '... PEEL 2025-27 inspection 2026'.
    The year is added only when the programme has none, and is the one the title gives ('re-inspection
    2018' published in 2019 stays 2018); 'inspection' only when the programme lacks it ('re-inspection'
    when the title says so); the force only when the programme does not already name it. A thematic
    report, or one of no force (``force`` empty or the title itself), is its title, shortened."""
    title = " ".join(title.split())
    force = " ".join(force.split())
    if is_thematic(programme) or not force or force == title:
        return _title_as_subject(title or force or programme)
    programme = " ".join(re.sub(r"\([^)]*\)", " ", programme).replace(":", " ").split())  # one colon: the force's
    subject = programme
    if not re.search(r"\b(?:re-?)?inspections?\b", programme, re.IGNORECASE):
        subject += " re-inspection" if _REINSPECTION.search(title) else " inspection"
    if not _YEAR.search(programme):
        in_title = _YEAR.search(title)
        subject += f" {in_title.group(0) if in_title else year}"
    force_words = _words(force)
    if _words(programme)[: len(force_words)] == force_words:
        return subject
    return f"{force}: {subject}"


def _title_as_subject(title: str) -> str:
    """A report's title as a subject: up to a second colon, and a long title cut to what comes
    before its colon (or its dash, or bracket) when that says enough."""
    head, colon, rest = title.partition(":")
    title = head + colon + rest.split(":")[0] if colon else title
    title = title.rstrip(" :")
    if len(title.split()) <= MOST_WORDS_IN_A_SUBJECT:
        return title
    for mark in (":", " – ", " - ", " ("):
        before = title.split(mark)[0].strip()
        if before != title and 3 <= len(before.split()) <= MOST_WORDS_IN_A_SUBJECT:
            return before
    return title


def report_in_sentence(title: str) -> str:
    """A report's title as it reads inside a sentence ('the findings of ...'): 'PEEL 2021/22: An
    inspection of Kent Police' -> 'the PEEL 2021/22 inspection of Kent Police'; 'An inspection of
    how well ...' -> 'an inspection of how well ...'; any other title, whose capitals are its own,
    quoted: 'the report “Kent Police: Crime Data Integrity inspection 2018”'."""
    title = " ".join(title.split())
    prefixed = re.fullmatch(r"(?P<head>[^:]+):\s*(?:An?|The)\s+(?P<rest>[a-z].*)", title)
    if prefixed and len(prefixed["head"].split()) <= 3:
        return f"the {prefixed['head']} {prefixed['rest']}"
    if ":" not in title and re.match(r"(?:An?|The)\s+[a-z]", title):
        return title[:1].lower() + title[1:]
    return f"the report “{title}”"


def update_request_title(force: str, title: str) -> str:
    """The annex-only document's heading (a position statement: where the force is on each
    finding), naming the force once even when the report's title does, and the report's title
    as it reads in a sentence."""
    report = report_in_sentence(title)
    if not force or set(_words(force)) <= set(_words(title)):
        return f"Progress on the findings of {report}"
    return f"{force}: progress on the findings of {report}"


def meeting_subject(title: str, held_on: str) -> str:
    title = " ".join(title.split())
    if held_on in title:
        return title
    return f"{title}: {held_on}"


def meeting_thanks(title: str, held_on: str) -> str:
    meeting = title if re.search(r"\bmeeting\b", title, re.IGNORECASE) else f"{title} meeting"
    return f"Thank you, and your team, for the {meeting} on {held_on}."


def themes_lead(themes: Sequence[str]) -> str:
    """One theme is a sentence; several are introduced for a list; none say nothing."""
    if not themes:
        return ""
    if len(themes) == 1:
        return f"The key strategic theme running through the items on the agenda was {sentence(lower_first(themes[0]))}"
    return f"The {number(len(themes))} key strategic themes running through the items on the agenda were:"


def followup_purpose(correspondence_issues: int, other_issues: int, actions: int) -> str:
    """Why the letter is written: never 'the issues we were not able to cover' when there are none."""
    issues = correspondence_issues + other_issues
    arising = "the action arising from" if actions == 1 else "the actions arising from"
    if issues and actions:
        text = f"Following the meeting, I am writing to follow up the issues we were not able to cover and to confirm {arising} it."
    elif issues:
        text = "Following the meeting, I am writing to follow up the issues we were not able to cover."
    elif actions:
        return f"I am writing to confirm {arising} the meeting."
    else:
        return ""
    if correspondence_issues and other_issues:
        text += " Some need a reply by correspondence and some will be discussed at other meetings; I have grouped them below."
    elif correspondence_issues:
        text += " I would be grateful for a reply to each of them by correspondence." if correspondence_issues > 1 else \
            " I would be grateful for a reply to it by correspondence."
    else:
        text += " They will be discussed at other meetings, as set out below." if other_issues > 1 else \
            " It will be discussed at another meeting, as set out below."
    return text


def actions_note(actions: int, carried: int, overdue: int = 0) -> str:
    """The paragraph under 'Actions arising' pointing to the annex; carried actions past their due
    date are said to be overdue."""
    if not actions and not carried:
        return ""
    still_open = f"{counted(carried, 'action')} from earlier meetings that {'remains' if carried == 1 else 'remain'} open"
    if overdue:
        still_open += (" and is overdue" if carried == 1 else
                       " and are overdue" if overdue == carried else f", {number(overdue)} of them overdue")
    if not actions:
        return f"The annex lists {still_open}; I would be grateful for an update on {'it' if carried == 1 else 'each of them'}."
    if actions == 1:
        text = ("The action arising from the meeting is set out in the annex. I would be grateful if it could be "
                "completed in the timescale indicated.")
    else:
        text = ("The actions arising from the meeting are set out in the annex. I would be grateful if they could be "
                "completed in the timescales indicated.")
    if carried:
        text += f" The annex also lists {still_open}."
    return text


def followup_closing(correspondence_issues: int, actions: int, carried: int) -> str:
    """The last line before 'Yours sincerely' when the office gives no closing of its own."""
    if correspondence_issues:
        return "I look forward to your reply on the issues above."
    if actions or carried:
        return "I look forward to hearing of progress on the actions."
    return "I look forward to our next meeting."
