"""The YAML format an inspection is added from, and its validation.

The format is documented in docs/reference/files.md ("Inspection files"); the bundled example
(correspondence/examples/met-cdi-2018.yaml) is a complete instance of it. Errors name the file
and the field (see yaml_files).
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Optional

from correspondence.files.yaml_files import as_date, not_far_ahead, read_yaml, validate
from correspondence.records.errors import CorrespondenceError
from correspondence.records.figures import is_headline, phrase_problem
from correspondence.records.limits import INT32_MAX
from correspondence.records.vocabulary import AreaKind, FindingFor, Grade
from correspondence.tracking.finding_for import parse_for

# pydantic and yaml are imported inside load_inspection_file so the CLI starts quickly.

AREA_SECTIONS = {
    "causes_of_concern": AreaKind.CAUSE_OF_CONCERN,
    "recommendations": AreaKind.RECOMMENDATION,
    "areas_for_improvement": AreaKind.AREA_FOR_IMPROVEMENT,
}


def load_inspection_file(path: Path) -> Any:
    """Read and validate ``path``; returns an InspectionSpec or raises InvalidInput."""
    return validate_inspection(read_yaml(path), source=str(path))


def validate_inspection(data: Any, source: str) -> Any:
    return validate(_schema().InspectionSpec, data, source, "an inspection file")


def _as_grade(value: Any) -> Grade:
    try:
        return Grade.parse(value)
    except CorrespondenceError as error:
        raise ValueError(str(error)) from None


NOT_GRADED = {"not graded", "ungraded", "not yet graded", "no grade", "none"}


def _as_judgment_grade(value: Any) -> Grade | None:
    """A judgment's grade, or None for one the report did not grade ("not graded", "ungraded")."""
    if value is None or " ".join(str(value).replace("-", " ").split()).casefold() in NOT_GRADED:
        return None
    return _as_grade(value)


def _as_decimal(value: Any) -> Decimal:
    """89.5, "89.5", "89.5%" and "+/- 1.64" all mean what a reader would think."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    text = str(value).strip().removesuffix("%").removeprefix("+/-").removeprefix("±").strip()
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"expected a number, got {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"expected a number, got {value!r}")
    return number


def _as_count(value: Any) -> int:
    """A whole number; "94,500" as printed in reports is accepted."""
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number, got {value!r}")
    text = str(value).strip().replace(",", "")
    if not text.isdigit():
        raise ValueError(f"expected a whole number, got {value!r}")
    return int(text)


@functools.cache
def _schema() -> Any:
    """The pydantic models, built on first use (pydantic is slow to import)."""
    from types import SimpleNamespace

    from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

    Date = Annotated[dt.date, BeforeValidator(as_date), AfterValidator(not_far_ahead)]
    GradeField = Annotated[Grade, BeforeValidator(_as_grade)]
    JudgmentGrade = Annotated[Optional[Grade], BeforeValidator(_as_judgment_grade)]
    Percent = Annotated[Decimal, BeforeValidator(_as_decimal), Field(ge=0, le=100)]
    Count = Annotated[int, BeforeValidator(_as_count), Field(le=INT32_MAX)]
    Text = Annotated[str, Field(min_length=1)]

    class Strict(BaseModel):
        model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    class JudgmentSpec(Strict):
        question: Text
        grade: JudgmentGrade  # required: write "not graded" for a question the report did not grade

    class MeasureSpec(Strict):
        name: Text
        rate: Percent | None = None
        ci: Percent | None = None
        numerator: Count | None = None
        denominator: Count | None = None
        estimate_per_year: Count | None = None
        estimate_label: str | None = None
        national_average: Percent | None = None
        phrase: str | None = None  # the words a letter names it by, confirmed: "the crime-recording rate"
        period: str | None = None  # an earlier period it is for ("2014"): never quoted as the report's
        quoted: bool | None = None  # whether letters quote it; unsaid, the report's headline measure only

        @model_validator(mode="after")
        def _consistent(self) -> MeasureSpec:
            if self.phrase is not None:
                problem = phrase_problem(self.phrase)
                if problem:
                    raise ValueError(f"phrase {problem}")
                self.phrase = " ".join(self.phrase.split())
            self.period = " ".join((self.period or "").split()) or None
            if self.quoted is None:
                self.quoted = is_headline(self)
            if (self.numerator is None) != (self.denominator is None):
                raise ValueError("give both numerator and denominator, or neither")
            if self.numerator is not None and self.denominator is not None:
                if self.denominator == 0:
                    raise ValueError("denominator must not be 0")
                if self.numerator > self.denominator:
                    raise ValueError(f"numerator {self.numerator} is more than denominator {self.denominator}")
            if self.ci is not None and self.rate is None:
                raise ValueError("ci is given without a rate")
            if self.rate is None and self.numerator is None and self.estimate_per_year is None:
                raise ValueError("give a rate, a numerator and denominator, or an estimate_per_year")
            return self

    class AreaSpec(Strict):
        text: Text
        number: int | None = Field(default=None, ge=1, le=INT32_MAX)
        timescale: str | None = None
        # "for:" whom the finding asks to act (tracking.finding_for): force (unsaid), office, Home
        # Office, College of Policing, NPCC, or "other: Name" / other with for_name.
        for_whom: FindingFor = FindingFor.FORCE
        for_name: str | None = None

        @model_validator(mode="before")
        @classmethod
        def _for(cls, data: Any) -> Any:
            if not isinstance(data, dict) or ("for" not in data and "for_name" not in data):
                return data
            data = dict(data)
            said, name = data.pop("for", None), data.pop("for_name", None)
            try:
                data["for_whom"], data["for_name"] = parse_for("other" if said is None else said, name)
            except CorrespondenceError as error:
                raise ValueError(f"{'for_name' if error.field == 'for_name' else 'for'}: {error.refusal}") from None
            return data

    def _area_list(value: Any) -> Any:
        """Areas may be written as plain strings or as mappings with text/number/timescale."""
        if value is None:
            return []
        if not isinstance(value, list):
            raise ValueError("expected a list")
        return [{"text": item} if isinstance(item, str) else item for item in value]

    AreaList = Annotated[list[AreaSpec], BeforeValidator(_area_list)]

    class InspectionSpec(Strict):
        force: Text | None = None  # none: a national or thematic report on no single force
        programme: Text
        title: Text
        published: Date
        source_url: str | None = None
        overall_grade: GradeField | None = None
        judgments: list[JudgmentSpec] = []
        measures: list[MeasureSpec] = []
        causes_of_concern: AreaList = []
        recommendations: AreaList = []
        areas_for_improvement: AreaList = []

        @model_validator(mode="after")
        def _numbered(self) -> InspectionSpec:
            for section in AREA_SECTIONS:
                areas = getattr(self, section)
                for position, area in enumerate(areas, start=1):
                    if area.number is None:
                        area.number = position
                numbers = [area.number for area in areas]
                duplicates = sorted({number for number in numbers if numbers.count(number) > 1})
                if duplicates:
                    raise ValueError(f"{section}: number {duplicates[0]} is used twice")
            return self

    return SimpleNamespace(InspectionSpec=InspectionSpec)
