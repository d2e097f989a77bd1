"""How figures are written in letters: "89.5% (±1.64%)", "98 of 118", "94,500".

Letters quote the report, so these keep the report's precision: 91 stays "91%", not "91.00%".
"""

from __future__ import annotations

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
