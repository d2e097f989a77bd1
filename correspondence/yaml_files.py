"""Reading the YAML files people write by hand, with errors that name the file and field.

Every problem is reported as ``FILE: field.path: what is wrong``, naming the first bad field, so
a policy officer can find it without reading a traceback. Dates stay text until we parse them
ourselves, because PyYAML would turn 2019-02-31 into a crash rather than an error naming the field.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from correspondence.dates import parse_date
from correspondence.errors import CorrespondenceError, InvalidInput
from correspondence.inputs import read_text

# pydantic and yaml are imported inside the functions so the CLI starts quickly.


def read_yaml(path: Path) -> Any:
    return _parse_yaml(path, read_text(path))


def validate(model: Any, data: Any, source: str, what: str) -> Any:
    """``data`` validated by the pydantic ``model``, or InvalidInput naming the first bad field."""
    from pydantic import ValidationError

    if not isinstance(data, dict):
        raise InvalidInput(f"{source}: expected a mapping of fields at the top level")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(f"{source}: {_describe(error, what)}") from None


def _parse_yaml(path: Path, text: str) -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    # Keep dates as text (see module docstring): drop the timestamp resolver.
    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    try:
        return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise InvalidInput(f"{path}{where}: not valid YAML ({problem})") from None


def _describe(error: Any, what: str) -> str:
    first = error.errors()[0]
    location = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"]).lstrip(".")
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = f"is not a field of {what} (see the README for the format)"
    elif first["type"] == "missing":
        message = "is required"
    return f"{location}: {message}" if location else message


def as_date(value: Any) -> dt.date:
    try:
        return parse_date(value if isinstance(value, (str, dt.date)) else str(value))
    except CorrespondenceError as error:
        raise ValueError(str(error)) from None
