"""What the officer changed or filled in on a report's preview, laid over what the importer read.

The importer never guesses: a value it could not find stays empty until a person gives it. A value
the person gives wins over the one read; one they left as read keeps the line it was read from.
A finding whose text they changed is theirs, so it is no longer marked as maybe cut short; one left
as read that may be cut short is still stored ending in " […]", so nobody takes it for the whole.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from correspondence.importers.lines import Source
from correspondence.importers.report_findings import AREA_FIELDS, ReportFindings
from correspondence.records.dates import parse_date


@dataclass
class FindingEdit:
    """One finding as the officer left it: its section (``causes_of_concern``, ``recommendations``,
    ``areas_for_improvement``), number, text and timescale, and the finding it was read as
    (``read_as``: "recommendations[2]"), or None for one the officer added."""

    section: str
    text: str
    number: int | None = None
    timescale: str | None = None
    read_as: str | None = None


@dataclass
class ReportEdits:
    """Values the officer gave over the report's. None leaves a value as read; ``overall_grade`` and
    ``source_url`` may be "" for none. ``findings`` (when given) is the whole list, in order: a
    finding read and left out of it is not stored."""

    title: str | None = None
    programme: str | None = None
    published: dt.date | str | None = None
    force: str | None = None
    national: bool | None = None
    overall_grade: str | None = None
    source_url: str | None = None
    findings: list[FindingEdit] | None = field(default=None)


SCALARS = ("title", "programme", "published", "force", "overall_grade", "source_url")


def apply_edits(findings: ReportFindings, edits: ReportEdits) -> ReportFindings:
    """``findings`` with ``edits`` laid over them (in place, and returned)."""
    for name in SCALARS:
        given = getattr(edits, name)
        if given is None:
            continue
        value = given.isoformat() if isinstance(given, dt.date) else " ".join(str(given).split()) or None
        if name == "published" and value and not isinstance(given, dt.date):  # "7 September 2018", 07/09/2018
            value = parse_date(value, field="published").isoformat()
        if value != getattr(findings, name):
            setattr(findings, name, value)
            findings.sources.pop(name, None)  # the officer's value, not a line of the report
    if edits.force:
        findings.national = False
        findings.sources.pop("national", None)
    elif edits.national is not None:
        findings.national = edits.national
    if edits.findings is not None:
        _lay_findings(findings, edits.findings)
    return findings


def _lay_findings(findings: ReportFindings, edited: list[FindingEdit]) -> None:
    read = {f"{section}[{index}]": area for section in AREA_FIELDS for index, area in enumerate(getattr(findings, section))}
    sources = {key: source for key, source in findings.sources.items() if not key.startswith(AREA_FIELDS)}
    lists: dict[str, list[dict]] = {section: [] for section in AREA_FIELDS}
    for edit in edited:
        if edit.section not in lists:
            raise ValueError(f"not a kind of finding: {edit.section}")
        text = " ".join(edit.text.split())
        if not text:
            continue
        area: dict = {"text": text}
        if edit.number is not None:
            area["number"] = edit.number
        timescale = " ".join((edit.timescale or "").split())
        if timescale:
            area["timescale"] = timescale
        was = read.get(edit.read_as or "")
        source = findings.sources.get(edit.read_as or "")
        if source is not None:  # kept with the line it was read from; cut short only while left as read
            same = was is not None and " ".join(was.get("text", "").split()) == text
            sources[f"{edit.section}[{len(lists[edit.section])}]"] = source if same else Source(source.line, source.text, False)
        lists[edit.section].append(area)
    for section, areas in lists.items():
        setattr(findings, section, areas)
    findings.sources = sources
