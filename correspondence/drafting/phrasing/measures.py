"""Figures in sentences: a rate with its interval, compared with the previous inspection and the
national average ("84.1%, up from 78.5% in 2017 and just below the national average of 87.7%")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from correspondence.drafting.phrasing.words import join, lower_first
from correspondence.records.figures import count_of, percent, rate_with_interval, whole


@dataclass
class Figure:
    """One measure as phrasing needs it (models.Measure has these names too, bar ``before``)."""

    name: str
    rate: Decimal | None = None
    ci_half_width: Decimal | None = None
    numerator: int | None = None
    denominator: int | None = None
    estimate_per_year: int | None = None
    estimate_label: str | None = None
    national_average: Decimal | None = None


_NAMES_A_RATE = re.compile(r"\b(?:rate|percentage|proportion|level|score|compliance)$", re.IGNORECASE)


JUST = Decimal(5)  # within five percentage points of the national average is "just" above or below


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
    """The report's figures as paragraphs: a sentence per rate (compared with the previous
    inspection and the national average), then the counts in one sentence.

    ``before`` maps a measure's name (casefolded) to its rate at the previous inspection;
    ``before_when`` is how to say when that was ("in 2017").
    """
    before = before or {}
    rates, counts, estimates = [], [], []
    estimated = False  # whether a rate has already said "HMICFRS estimates"
    for measure in measures:
        if measure.rate is not None:
            rates.append(_rate_sentence(measure, inspectorate, before.get(measure.name.casefold()), before_when, estimated))
            estimated = estimated or measure.estimate_per_year is not None
        elif measure.numerator is not None and measure.denominator is not None:
            counts.append(_count_phrase(measure))
        elif measure.estimate_per_year is not None:
            estimates.append(f"{inspectorate} estimates that there are over {whole(measure.estimate_per_year)} "
                             f"{measure.estimate_label or lower_first(measure.name)}.")
    paragraphs = []
    if rates or estimates:
        paragraphs.append(" ".join(rates + estimates))
    if counts:
        lead = f"{inspectorate} also found" if rates or estimates else f"{inspectorate} found"
        paragraphs.append(f"{lead} {join(counts)}.")
    return paragraphs


def _rate_sentence(measure: Any, inspectorate: str, before: Decimal | None, before_when: str, estimated_before: bool = False) -> str:
    """'The overall crime-recording rate was 89.5% (±1.64%), which HMICFRS estimates leaves over
    94,500 reports of crime a year not recorded.' Later rates say it more briefly ('leaving over ...'),
    and a rate with comparisons gives its estimate in a sentence of its own, so 'which' is never
    ambiguous."""
    name = lower_first(measure.name)
    rate = rate_with_interval(measure.rate, measure.ci_half_width)
    if _NAMES_A_RATE.search(name):  # "the overall crime-recording rate was 89.5%"
        name = name if name.lower().startswith("the ") else "the " + name
        text = f"{name[:1].upper()}{name[1:]} was {rate}"
    else:  # "HMICFRS measured emergency calls answered within ten seconds at 71.3%"
        text = f"{inspectorate} measured {name} at {rate}"
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
        return f"{text}. {inspectorate} estimates that this leaves {estimate}."
    if estimated_before:
        return f"{text}, leaving {estimate}."
    return f"{text}, which {inspectorate} estimates leaves {estimate}."


def _count_phrase(measure: Any) -> str:
    text = f"{count_of(measure.numerator, measure.denominator)} {lower_first(measure.name)}"
    if measure.national_average is not None:
        text += f" (national average {percent(measure.national_average)})"
    return text
