"""Reference schemes: the pattern each office's letter references follow.

A scheme is a pattern with these fields:

    {seq}           the running number (e.g. 2188); {seq:4} pads it to 4 digits (0042)
    {date:FORMAT}   the date the reference is taken, in strftime-style (see dates.format_date)
    {yy} {yyyy}     the year the reference is taken; a scheme using either numbers per year
    {initials}      the signatory's initials (John Campion: JC)
    {author}        the drafter's initials

So MOPAC's `MOPAC06092018-D2188` is `MOPAC{date:%d%m%Y}-D{seq}`, Leicestershire's `OPCC/114/19`
is `OPCC/{seq}/{yy}` (numbered afresh each year), and West Mercia's initials style is
`{initials}/{author}/{seq}`. Every scheme must contain {seq}: a reference that repeats, like a bare
`JC/jpi`, cannot tell two letters apart, and telling letters apart is what a reference is for.
Two references are the same if they differ only in case or spacing (``reference_key``).

Taking a reference, and the rule that one is never used twice, are the register's
(register/references.py).
"""

from __future__ import annotations

import datetime as dt
import re

from correspondence.records.dates import check_format, format_date
from correspondence.records.errors import InvalidInput

MAX_LENGTH = 100
MAX_SEQ_WIDTH = 20  # {seq:999999999} would build a 1 GB reference
_FIELD = re.compile(r"\{([a-z]+)(?::([^}]*))?\}")
_YEAR_FIELDS = {"yy", "yyyy"}
_KNOWN_FIELDS = {"seq", "date", "yy", "yyyy", "initials", "author"}


def reference_key(reference: str) -> str:
    return re.sub(r"\s+", "", reference).upper()


def clean_reference(reference: str) -> str:
    cleaned = " ".join(reference.split())
    if not cleaned:
        raise InvalidInput("reference: must not be empty")
    if len(cleaned) > MAX_LENGTH:
        raise InvalidInput(f"reference: longer than {MAX_LENGTH} characters")
    return cleaned


def check_scheme(scheme: str) -> str:
    """Refuse a scheme that could not produce unique, well-formed references."""
    fields = _FIELD.findall(scheme)
    names = [name for name, _ in fields]
    unknown = sorted(set(names) - _KNOWN_FIELDS)
    if unknown:
        raise InvalidInput(f"reference scheme {scheme!r}: unknown field {{{unknown[0]}}}; known: " + ", ".join(sorted(_KNOWN_FIELDS)))
    if "seq" not in names:
        raise InvalidInput(f"reference scheme {scheme!r}: must contain {{seq}} so that no two letters share a reference")
    for name, spec in fields:
        if name == "seq" and spec and not spec.isdigit():
            raise InvalidInput(f"reference scheme {scheme!r}: {{seq:{spec}}} must give a width, e.g. {{seq:4}}")
        if name == "seq" and spec and not 1 <= int(spec) <= MAX_SEQ_WIDTH:
            raise InvalidInput(f"reference scheme {scheme!r}: {{seq:{spec}}} is too wide; the width is 1 to {MAX_SEQ_WIDTH}")
        if name == "date":
            check_format(spec or "%d%m%Y")
    if re.search(r"[{}]", _FIELD.sub("", scheme)):
        raise InvalidInput(f"reference scheme {scheme!r}: unbalanced {{ or }}")
    return scheme


def format_reference(scheme: str, *, seq: int, taken_on: dt.date, initials: str = "", author: str = "") -> str:
    def field(match: re.Match[str]) -> str:
        name, spec = match.group(1), match.group(2)
        if name == "seq":
            return str(seq).zfill(int(spec)) if spec else str(seq)
        if name == "date":
            return format_date(taken_on, spec or "%d%m%Y")
        if name == "yy":
            return f"{taken_on.year % 100:02d}"
        if name == "yyyy":
            return str(taken_on.year)
        if name == "initials":
            return initials
        return author

    return _FIELD.sub(field, scheme)


def initials_of(name: str) -> str:
    """'John Campion' -> 'JC'; titles such as Rt Hon, Lord, Dame, Sir and MP are skipped."""
    skip = {"rt", "hon", "lord", "lady", "dame", "sir", "mp", "dr", "mr", "mrs", "ms", "kc", "qc", "cbe", "obe", "qpm"}
    words = [word for word in re.findall(r"[A-Za-z][A-Za-z'\-]*", name) if word.lower() not in skip]
    return "".join(word[0].upper() for word in words)


def numbered_per_year(scheme: str) -> bool:
    """Whether the scheme starts its running number afresh each year (it prints the year)."""
    return bool(_YEAR_FIELDS & {name for name, _ in _FIELD.findall(scheme)})
