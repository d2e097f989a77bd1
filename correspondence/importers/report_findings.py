"""What the report parser found in an HMICFRS report, each fact with the line it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from correspondence.importers.lines import Line, Source
from correspondence.tracking.finding_for import describe_for, read_addressee

FIELDS = ("title", "force", "programme", "published", "overall_grade", "judgments", "measures",
          "causes_of_concern", "recommendations", "areas_for_improvement")


AREA_FIELDS = ("causes_of_concern", "recommendations", "areas_for_improvement")


@dataclass
class ReportFindings:
    title: str | None = None
    force: str | None = None
    national: bool = False  # the report says it is on no single force (or the officer did): stored with none
    programme: str | None = None
    published: str | None = None  # ISO date
    overall_grade: str | None = None
    source_url: str | None = None
    judgments: list[dict[str, Any]] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)
    causes_of_concern: list[dict[str, Any]] = field(default_factory=list)
    recommendations: list[dict[str, Any]] = field(default_factory=list)
    areas_for_improvement: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)  # "title", "judgments[0]", ... -> the line
    # How many of a kind the report says it has ("we have highlighted a further 17 areas for
    # improvement"), by section, with the line: a list that holds fewer was not read whole.
    stated: dict[str, tuple[int, Line]] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        """Fields not found. Area kinds count as found when any kind was found: a report with
        areas for improvement and no recommendations has simply made none."""
        absent = [name for name in FIELDS[:7] if not getattr(self, name) and not (name == "force" and self.national)]
        if not any(getattr(self, name) for name in AREA_FIELDS):
            absent.append("areas (causes of concern, recommendations, areas for improvement)")
        return absent

    @property
    def flags(self) -> list[str]:
        """What the officer must look at before relying on the import: ungraded judgments (not
        stored) and texts that may be cut short (stored ending in " […]")."""
        notes = [f"judgment not stored, it has no grade ({j['grade_text']}): {j['question']}"
                 for j in self.judgments if j.get("grade") is None]
        for key, source in self.sources.items():
            if source.cut:
                notes.append(f"{key.replace('_', ' ')} may be cut short ({source.describe()}); check it against the report")
        for section, (count, line) in self.stated.items():
            found = len(getattr(self, section))
            if found < count:
                notes.append(f"the report says it has {count} {section.replace('_', ' ')} (line {line.number}) but {found} "
                             "were read; add the others before drafting, or a letter will give the wrong number")
        return notes

    def found(self, name: str, value: Any, line: Line, cut: bool = False) -> None:
        if value in (None, "") or getattr(self, name):
            return
        setattr(self, name, value)
        self.sources[name] = Source.of(line, cut)

    def add(self, section: str, item: dict[str, Any], line: Line, cut: bool = False) -> bool:
        """Add an item to a list field once; returns whether it was new."""
        items = getattr(self, section)
        if item in items:
            return False
        self.sources[f"{section}[{len(items)}]"] = Source.of(line, cut)
        items.append(item)
        return True

    def as_inspection_data(self) -> dict[str, Any]:
        """The findings in the inspection file format (see inspection_file), empty fields left out.
        Judgments without a grade are left out (the store holds graded judgments only); a text that
        may be cut ends in " […]" so nobody takes it for the whole."""
        data: dict[str, Any] = {
            "force": self.force, "programme": self.programme, "title": self.title, "published": self.published,
            "source_url": self.source_url, "overall_grade": self.overall_grade,
            "judgments": [{"question": j["question"], "grade": j["grade"]} for j in self.judgments if j.get("grade")],
            "measures": [{key: value for key, value in m.items() if key != "unrecorded_share"} for m in self.measures],
        }
        for section in AREA_FIELDS:
            data[section] = [self._area_entry(section, index, area) for index, area in enumerate(getattr(self, section))]
        return {key: value for key, value in data.items() if value not in (None, "", [])}

    def _area_entry(self, section: str, index: int, area: dict[str, Any]) -> dict[str, Any]:
        entry = dict(area)
        source = self.sources.get(f"{section}[{index}]")
        if source is not None and source.cut:
            entry["text"] = entry["text"] + " […]"
        addressee = self.addressee(area)
        if addressee is not None:
            entry["for"] = addressee
        return entry

    @staticmethod
    def addressee(area: dict[str, Any]) -> str | None:
        """Whom the finding's own wording says it is for, as the inspection file writes it ("Home
        Office", "other: Independent Office for Police Conduct"), when that is not the force.
        Wording that names no body gives None: the finding stays for the force (never guessed;
        see tracking.finding_for)."""
        found = read_addressee(area.get("text", ""))
        if found is None or found[0].value == "force":
            return None
        return describe_for(*found)
