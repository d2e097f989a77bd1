"""How figures are written in letters: "89.5% (±1.64%)", "98 of 118", "94,500"; and which figures a
letter may quote at all.

Letters quote the report, so these keep the report's precision: 91 stays "91%", not "91.00%". A
letter quotes a figure only when the office chose it, a person confirmed the phrase that names it
and it is for the report's own period (``quotable``), so an importer's made-up label or an earlier
year's figure is never stated as the report's finding.
"""

from __future__ import annotations

import re
from decimal import Decimal


def percent(value: Decimal | float | int) -> str:
    number = Decimal(str(value)).normalize()
    return f"{number:f}%"


def rate_with_interval(rate: Decimal, ci_half_width: Decimal | None) -> str:
    if ci_half_width is None:
        return percent(rate)
    return f"{percent(rate)} (±{percent(ci_half_width)})"


def count_of(numerator: int, denominator: int) -> str:
    return f"{numerator:,} of {denominator:,}"


def whole(number: int) -> str:
    return f"{number:,}"


def describe_measure(measure) -> str:  # noqa: ANN001 - models.Measure, kept import-free
    """One line a reader understands: rate and interval, count, estimate, national average."""
    parts = []
    if measure.rate is not None:
        parts.append(rate_with_interval(measure.rate, measure.ci_half_width))
    if measure.numerator is not None and measure.denominator is not None:
        parts.append(count_of(measure.numerator, measure.denominator))
    if measure.estimate_per_year is not None:
        label = measure.estimate_label or "a year"
        parts.append(f"over {whole(measure.estimate_per_year)} {label}")
    if measure.national_average is not None:
        parts.append(f"national average {percent(measure.national_average)}")
    return "; ".join(parts)


# --- which figures a letter quotes ----------------------------------------------------------------

PHRASE_WORDS = 15  # a phrase longer than this is a sentence, not a name for a figure


def quotable(measure) -> bool:  # noqa: ANN001 - models.Measure or anything with its names
    """Whether a letter quotes the figure: the office chose it (``quoted``), a person confirmed the
    words it is named by (``phrase``), and it is for the report's own period (no ``period``)."""
    return bool(getattr(measure, "quoted", False)) and bool((getattr(measure, "phrase", None) or "").strip()) \
        and not (getattr(measure, "period", None) or "").strip()


def quote_state(measure) -> str:  # noqa: ANN001 - models.Measure or anything with its names
    """Where a figure stands for letters, for each face to word: "quoted", "earlier period" (never
    quoted as current), "awaiting phrase" (chosen, its words not yet confirmed) or "not chosen"."""
    if quotable(measure):
        return "quoted"
    if (getattr(measure, "period", None) or "").strip():
        return "earlier period"
    return "awaiting phrase" if getattr(measure, "quoted", False) else "not chosen"


def phrase_problem(text: str) -> str | None:
    """Why ``text`` cannot name a figure in a sentence, or None: it must be a noun phrase (the words a
    sentence puts after "HMICFRS estimated that ... was 89.5%"), not empty, not a sentence of its own."""
    words = text.split()
    if not words:
        return "is empty: give the words the letter names the figure by, e.g. the crime-recording rate"
    if text.rstrip()[-1] in ".!?;:":
        return "ends in a full stop or other stop: give the words that name the figure, without one (they sit inside a sentence)"
    if len(words) > PHRASE_WORDS:
        return f"is {len(words)} words long: a figure's name is at most {PHRASE_WORDS} words"
    if "\n" in text.strip() or "|" in text:
        return "is not one phrase: give the name on one line"
    if re.search(r"\d", text) and re.search(r"\d+(?:\.\d+)?\s*%", text):
        return "holds a figure: give only the words that name it (the figure is added from the report)"
    return None


def bare_phrase(phrase: str) -> str:
    """A phrase without its leading article, casefolded: how two figures' phrases are compared."""
    return re.sub(r"^(?:the|a|an)\s+", "", " ".join(phrase.split()), flags=re.IGNORECASE).casefold()


_OVERALL_RATE = re.compile(r"^(?:the\s+)?(?:force'?s?\s+)?(?:overall\s+)?(?:crime[- ])?recording\s+rate(?:\s*\([^)]*\))?$",
                           re.IGNORECASE)


def is_headline(measure) -> bool:  # noqa: ANN001 - models.Measure, a spec, or the importer's dict
    """Whether the figure is a report's headline measure: the overall crime-recording rate (a Crime
    Data Integrity report's), of the report's own period, not the share NOT recorded."""
    def value(name: str) -> object:
        return measure.get(name) if isinstance(measure, dict) else getattr(measure, name, None)

    if value("rate") is None or value("period") or value("unrecorded_share"):
        return False
    return bool(_OVERALL_RATE.match(" ".join(str(value("name") or "").split())))
