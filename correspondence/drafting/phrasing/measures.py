"""Figures in sentences, in the words a person confirmed: a rate with its interval, compared with the
previous inspection and the national average ("HMICFRS estimated that the crime-recording rate was
84.1% (±1.9%), up from 78.5% in 2017 and just below the national average of 87.7%").

Only the figures a letter may quote are said (records.figures.quotable: chosen by the office, its
phrase confirmed, of the report's own period); the rest are left out, never guessed at.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from correspondence.drafting.phrasing.inspectorate import inspectorate_on
from correspondence.drafting.phrasing.words import join, lower_first
from correspondence.records.figures import bare_phrase, count_of, percent, quotable, rate_with_interval, whole


@dataclass
class Figure:
    """One measure as phrasing needs it (models.Measure has these names too). ``phrase`` is the
    confirmed phrase the sentence names it by; ``quoted`` whether the office chose it."""

    name: str
    rate: Decimal | None = None
    ci_half_width: Decimal | None = None
    numerator: int | None = None
    denominator: int | None = None
    estimate_per_year: int | None = None
    estimate_label: str | None = None
    national_average: Decimal | None = None
    phrase: str | None = None
    period: str | None = None
    quoted: bool = True


# A phrase that names a rate is what "was 89.5%" is said of; any other names what 89.5% are "of".
_NAMES_A_RATE = re.compile(r"\b(?:rate|percentage|proportion|share|level|score|compliance)\b", re.IGNORECASE)
# A phrase that already has its determiner: "the ...", "its ...", "Kent Police's ..." (but "force's
# rate" needs "the").
_DETERMINER = re.compile(r"^(?:the|a|an|its|their|this|that|these|those|our|each|every)\s", re.IGNORECASE)
_NAMED_OWNER = re.compile(r"^(?:[A-Z][\w&-]*\s+)*[A-Z][\w&-]*(?:'s|’s|s'|s’)\s")

JUST = Decimal(5)  # within five percentage points of the national average is "just" above or below


def with_article(phrase: str) -> str:
    """A confirmed phrase as a sentence's subject: 'crime-recording rate (excluding fraud)' -> 'the
    crime-recording rate (excluding fraud)'; 'the force's rate' and 'Kent Police's rate' stay."""
    phrase = " ".join(phrase.split())
    if _DETERMINER.match(phrase):
        return phrase[:1].lower() + phrase[1:]
    if _NAMED_OWNER.match(phrase):
        return phrase
    return "the " + lower_first(phrase)


def against_average(rate: Decimal, average: Decimal, ci_half_width: Decimal | None = None) -> str:
    """'in line with', 'just below', 'above' ... the national average."""
    difference = Decimal(rate) - Decimal(average)
    if difference == 0 or (ci_half_width is not None and abs(difference) <= Decimal(ci_half_width)):
        position = "in line with"
    else:
        side = "above" if difference > 0 else "below"
        position = f"just {side}" if abs(difference) <= JUST else side
    return f"{position} the national average of {percent(average)}"


def against_before(rate: Decimal, before: Decimal, when: str) -> str:
    """'up from 78.5% in 2017', 'down from ...', 'unchanged from ...'."""
    if Decimal(rate) == Decimal(before):
        return f"unchanged from {percent(before)} {when}"
    return f"{'up' if rate > before else 'down'} from {percent(before)} {when}"


def figures(measures: Sequence[Any], inspectorate: str, before: dict[str, Decimal] | None = None, before_when: str = "") -> list[str]:
    """The figures a letter quotes, as paragraphs: a sentence per rate (compared with the previous
    inspection and the national average), then the counts in one sentence. A figure not quotable
    (not chosen, phrase not confirmed, or of an earlier period) is left out.

    ``before`` maps a figure's phrase (records.figures.bare_phrase) or name (casefolded) to its rate
    at the previous inspection; ``before_when`` is how to say when that was ("in 2017").
    """
    before = before or {}
    rates, counts, estimates = [], [], []
    for measure in measures:
        if not quotable(measure):
            continue
        if measure.rate is not None:
            rates.append(_rate_sentence(measure, inspectorate, _before(measure, before), before_when))
        elif measure.numerator is not None and measure.denominator is not None:
            counts.append(_count_phrase(measure))
        elif measure.estimate_per_year is not None:
            estimates.append(_estimate_sentence(measure, inspectorate))
    paragraphs = []
    if rates or estimates:
        paragraphs.append(" ".join(rates + estimates))
    if counts:
        lead = f"{inspectorate} also found" if rates or estimates else f"{inspectorate} found"
        paragraphs.append(f"{lead} {join(counts)}.")
    return paragraphs


def _estimate_sentence(measure: Any, inspectorate: str) -> str:
    """An estimate alone. Its phrase is either what was counted ("crimes a year not recorded":
    "there were over 38,000 crimes ...") or, led by an article, the name of the quantity ("the
    number of crimes the force does not record": "estimated the number ... at over 38,000")."""
    words = lower_first(" ".join(measure.phrase.split()))
    if re.match(r"(the|a|an|its|their)\s", words):
        per_year = "" if "year" in words else " a year"  # the estimate is a yearly one
        return f"{inspectorate} estimated {words} at over {whole(measure.estimate_per_year)}{per_year}."
    return f"{inspectorate} estimated that there were over {whole(measure.estimate_per_year)} {words}."


def sentence_for(measure: Any, inspectorate: str, phrase: str | None = None) -> str:
    """The sentence a letter would make of one figure, named by ``phrase`` (else its own confirmed
    phrase): what a person sees before confirming the phrase or choosing the figure. Empty when
    there is no phrase to name it by."""
    words = phrase if phrase is not None else getattr(measure, "phrase", None)
    if not (words or "").strip():
        return ""
    figure = Figure(measure.name, measure.rate, measure.ci_half_width, measure.numerator, measure.denominator,
                    measure.estimate_per_year, measure.estimate_label, measure.national_average, phrase=words)
    return " ".join(figures([figure], inspectorate))


def preview(measure: Any, published_on: dt.date, phrase: str | None = None) -> str:
    """``sentence_for`` a report published on ``published_on``, with the inspectorate named as it was
    when it published the report, as the letter names it."""
    return sentence_for(measure, inspectorate_on(published_on).short_name, phrase)


def _before(measure: Any, before: dict[str, Decimal]) -> Decimal | None:
    for key in (bare_phrase(measure.phrase), measure.name.casefold()):
        if key in before:
            return before[key]
    return None


def _rate_sentence(measure: Any, inspectorate: str, before: Decimal | None, before_when: str) -> str:
    """'HMICFRS estimated that the crime-recording rate was 89.5% (±1.64%), leaving over 94,500 reports
    of crime a year not recorded.' A rate with an interval is the inspectorate's estimate; one
    without is what it found. A phrase that does not name a rate names what the rate is of
    ('HMICFRS found 71.3% of emergency calls answered within ten seconds')."""
    phrase = " ".join(measure.phrase.split())
    rate = rate_with_interval(measure.rate, measure.ci_half_width)
    if _NAMES_A_RATE.search(phrase):
        verb = "estimated" if measure.ci_half_width is not None else "found"
        text = f"{inspectorate} {verb} that {with_article(phrase)} was {rate}"
    else:
        text = f"{inspectorate} found {rate} of {lower_first(phrase)}"
    if measure.numerator is not None and measure.denominator is not None:
        text += f" ({count_of(measure.numerator, measure.denominator)})"
    clauses = []
    if before is not None:
        clauses.append(against_before(measure.rate, before, before_when))
    if measure.national_average is not None:
        clauses.append(against_average(measure.rate, measure.national_average, measure.ci_half_width))
    if clauses:
        text += ", " + join(clauses)
    if measure.estimate_per_year is None:
        return text + "."
    estimate = f"over {whole(measure.estimate_per_year)} {measure.estimate_label or 'reports of crime a year not recorded'}"
    if clauses:
        return f"{text}. {inspectorate} estimated that this leaves {estimate}."
    return f"{text}, leaving {estimate}."


def _count_phrase(measure: Any) -> str:
    """'98 of 118 audited rape reports accurately recorded': the phrase is what was counted."""
    text = f"{count_of(measure.numerator, measure.denominator)} {lower_first(' '.join(measure.phrase.split()))}"
    if measure.national_average is not None:
        text += f" (national average {percent(measure.national_average)})"
    return text
