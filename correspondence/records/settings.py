"""Settings that save naming the database on every command: a corr.toml file in the working folder (or a
folder above it), then one in the user's configuration folder.

    db = "office.db"                  # or a URL: postgresql://server/office
    letters = "S:/Policy/Letters"     # the default letters folder for new offices

A relative path in a file is taken from the folder the file is in, so a corr.toml next to the
database works from any folder beneath it. A database given to a command, and CORR_DATABASE_URL,
still come first.
"""

from __future__ import annotations

import json
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from correspondence.records.errors import CorrespondenceError, InvalidInput

FILE_NAME = "corr.toml"
KEYS = {
    "db": "the database: an SQLite file or a URL such as postgresql://server/office",
    "letters": "where the command line writes copies of letters to open in Word",
}
CONFIG_VARIABLE = "CORR_CONFIG_DIR"


@dataclass(frozen=True)
class Setting:
    key: str
    value: str
    source: Path  # the file it came from

    def as_path(self) -> Path:
        """The value as a path, relative ones taken from the setting file's folder."""
        path = Path(self.value).expanduser()
        return path if path.is_absolute() else self.source.parent / path


def user_file() -> Path:
    """corr.toml in the user's configuration folder (CORR_CONFIG_DIR overrides it)."""
    if os.environ.get(CONFIG_VARIABLE):
        return Path(os.environ[CONFIG_VARIABLE]) / FILE_NAME
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "corr" / FILE_NAME


def folder_file(start: Path | None = None) -> Path | None:
    """The nearest corr.toml in the working folder or a folder above it."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / FILE_NAME
        if candidate.is_file():
            return candidate
    return None


def lookup(key: str) -> Setting | None:
    """The setting from the nearest folder file, else from the user's file."""
    for path in (folder_file(), user_file()):
        if path is not None and path.is_file():
            values = read_file(path)
            if key in values:
                return Setting(key, values[key], path)
    return None


def every_setting() -> dict[str, Setting | None]:
    return {key: lookup(key) for key in KEYS}


def read_file(path: Path) -> dict[str, str]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{path}: cannot read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{path}: not a valid settings file ({error})") from None
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise InvalidInput(f"{path}: unknown setting {unknown[0]!r}; known: {', '.join(KEYS)}")
    for key, value in data.items():
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput(f"{path}: {key} must be text in quotes, e.g. {key} = \"...\"")
    return data


def write_setting(path: Path, key: str, value: str | None, *, heading: str = "# correspondence settings") -> None:
    """Set ``key`` in the file at ``path`` (None removes it), keeping its other settings."""
    if key not in KEYS:
        raise InvalidInput(f"unknown setting {key!r}; known: {', '.join(KEYS)}")
    values = read_file(path) if path.is_file() else {}
    if value is None:
        values.pop(key, None)
    else:
        if not value.strip():
            raise InvalidInput(f"{key}: give a value")
        values[key] = value.strip()
    # JSON's escaped strings are valid TOML basic strings (ASCII only, so nothing needs care).
    text = "".join(f"{name} = {json.dumps(values[name])}\n" for name in KEYS if name in values)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{heading}\n{text}", encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"{path}: cannot write ({error.strerror or error})") from None


def number_from_environment(variable: str, default: float, lowest: float, highest: float, unit: str = "") -> float:
    """A number an environment variable sets (a wait, a budget), ``default`` where it is unset or
    empty; refused in one line naming the variable where it is not a number or out of range, so a
    typo is never read as some other limit."""
    value = os.environ.get(variable)
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise CorrespondenceError(f"{variable}: {value!r} is not a number{f' of {unit}' if unit else ''}") from None
    if not lowest <= number <= highest:
        raise CorrespondenceError(f"{variable}: {value!r} must be between {lowest:g} and {highest:g}{f' {unit}' if unit else ''}")
    return number
