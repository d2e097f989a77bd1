"""The YAML format a meeting is added from: an oversight meeting and its actions arising.

Documented in docs/reference/files.md ("Meeting files"); the bundled example
(correspondence/examples/mopac-oversight-board-2022-04-21.yaml) is a complete instance.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Annotated, Any

from correspondence.files.yaml_files import as_date, not_far_ahead, read_yaml, validate
from correspondence.records.limits import INT32_MAX


def load_meeting_file(path: Path) -> Any:
    return validate(_schema(), read_yaml(path), str(path), "a meeting file")


@functools.cache
def _schema() -> Any:
    """The pydantic model, built on first use (pydantic is slow to import)."""
    from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

    Date = Annotated[dt.date, BeforeValidator(as_date)]
    HeldOn = Annotated[dt.date, BeforeValidator(as_date), AfterValidator(not_far_ahead)]
    Text = Annotated[str, Field(min_length=1)]

    class Strict(BaseModel):
        model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    class ActionSpec(Strict):
        action: Text
        number: int | None = Field(default=None, ge=1, le=INT32_MAX)
        timing: str = ""
        lead: str = ""
        due: Date | None = None

    class MeetingSpec(Strict):
        office: Text
        force: str | None = None
        title: Text
        held_on: HeldOn
        themes: list[Text] = []
        correspondence_issues: list[Text] = []
        other_issues: list[Text] = []
        actions: list[ActionSpec] = []

        @model_validator(mode="after")
        def _numbered(self) -> MeetingSpec:
            for position, action in enumerate(self.actions, start=1):
                if action.number is None:
                    action.number = position
            numbers = [action.number for action in self.actions]
            duplicates = sorted({number for number in numbers if numbers.count(number) > 1})
            if duplicates:
                raise ValueError(f"actions: number {duplicates[0]} is used twice")
            return self

    return MeetingSpec
