"""The parts of a letter around the facts: openings and closings, subjects that do not repeat
themselves, and the sentences of a follow-up letter after an oversight meeting."""

from __future__ import annotations

import re
from collections.abc import Sequence

from correspondence.drafting.phrasing.inspectorate import Inspectorate
from correspondence.drafting.phrasing.words import counted, lower_first, number, programme_name, sentence


def response_opening(inspectorate: Inspectorate, title: str, published: str, programme: str) -> str:
    return (
        f"I write in response to the report “{title}”, published by {inspectorate.name} "
        f"({inspectorate.short_name}) on {published} as part of its {programme_name(programme)} programme of "
        "inspections. This letter and its annex are my comments on the report under section 55 of the Police Act 1996."
    )


def response_closing(chief_officer_title: str, n_findings: int) -> str:
    if n_findings == 0:
        return "I thank the inspectorate for its report."
    these = "each of these findings" if n_findings > 1 else "this finding"
    return f"I will continue to hold the {chief_officer_title} to account for the force's progress on {these}."


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold())


def inspection_subject(force: str, programme: str, year: int) -> str:
    """'Kent Police: PEEL 2025-27 inspection', never '... PEEL 2025-27 inspection 2026': the
    year is added only when the programme has none, 'inspection' only when it lacks it, and
    the force only when the programme does not already name it."""
    programme = " ".join(programme.split())
    has_year = re.search(r"\b(19|20)\d\d\b", programme)
    subject = programme
    if not re.search(r"\binspections?\b", programme, re.IGNORECASE):
        subject += " inspection"
    if not has_year:
        subject += f" {year}"
    force_words = _words(force)
    if _words(programme)[: len(force_words)] == force_words:
        return subject
    return f"{force}: {subject}"


def update_request_title(force: str, title: str) -> str:
    """The annex-only document's heading, naming the force once even when the report's title does."""
    if set(_words(force)) <= set(_words(title)):
        return f"Update on the findings of {title}"
    return f"{force}: update on the findings of {title}"


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


def actions_note(actions: int, carried: int) -> str:
    """The paragraph under 'Actions arising' pointing to the annex."""
    if not actions and not carried:
        return ""
    still_open = f"{counted(carried, 'action')} from earlier meetings that {'remains' if carried == 1 else 'remain'} open"
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
