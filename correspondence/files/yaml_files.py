"""Reading the YAML files people write by hand, with errors that name the file and field.

Every problem is reported as ``FILE: field.path: what is wrong``, naming the first bad field, so
a policy officer can find it without reading a traceback. Dates stay text until we parse them
ourselves, because PyYAML would turn 2019-02-31 into a crash rather than an error naming the field.

The files may come from anyone, so the reader refuses what a hand-written file never needs:
files over 5 MB (a 200 MB file took PyYAML half an hour), aliases (``*name``, with which a few
lines expand into gigabytes: the "billion laughs"), and a key given twice (YAML would silently
keep the last, so a corrected title could lose to the old one further down).
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from correspondence.files.inputs import MAX_INPUT_BYTES, read_text
from correspondence.records.dates import long_date, parse_date
from correspondence.records.errors import CorrespondenceError, InvalidInput

# pydantic and yaml are imported inside the functions so the CLI starts quickly.


def read_yaml(path: Path) -> Any:
    return _parse_yaml(path, read_text(path, MAX_INPUT_BYTES))


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

    try:
        return yaml.load(text, Loader=_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise InvalidInput(f"{path}{where}: not valid YAML ({problem})") from None
    except RecursionError:
        raise InvalidInput(f"{path}: not valid YAML (nested too deeply)") from None


@functools.cache
def _loader() -> type:
    """PyYAML's safe loader, keeping dates as text, refusing aliases and keys given twice."""
    import yaml
    from yaml.constructor import ConstructorError

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None, None, f"an alias (*{event.anchor}) repeats another part of the file; write each value out", event.start_mark
                )
            return super().compose_node(parent, index)

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value if isinstance(node, yaml.MappingNode) else []:
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.setdefault(key, key_node)
                except TypeError:
                    continue  # an unhashable key: the base class reports it
                if first is not key_node:
                    raise ConstructorError(
                        None, None, f"{key!r} is given twice (first on line {first.start_mark.line + 1}); keep one", key_node.start_mark
                    )
            return super().construct_mapping(node, deep=deep)

    # Keep dates as text (see module docstring): drop the timestamp resolver.
    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def _describe(error: Any, what: str) -> str:
    first = error.errors()[0]
    location = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"]).lstrip(".")
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = f"is not a field of {what} (see 'Inspection and meeting files' in the documentation for the format)"
    elif first["type"] == "missing":
        message = "is required"
    return f"{location}: {message}" if location else message


def not_far_ahead(value: dt.date) -> dt.date:
    """Refuse a date more than a year from today: an inspection published, or a meeting held, in
    2099 is a typing slip, and it would sit at the bottom of every list until someone noticed."""

    today = dt.date.today()
    try:
        limit = today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year + 1, day=28)
    if value > limit:
        raise ValueError(f"{long_date(value)} is more than a year ahead; check the year")
    return value


def as_date(value: Any) -> dt.date:
    try:
        return parse_date(value if isinstance(value, (str, dt.date)) else str(value))
    except CorrespondenceError as error:
        raise ValueError(str(error)) from None
