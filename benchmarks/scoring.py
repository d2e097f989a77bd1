"""How the importers' findings are scored against the corpus answer key (../shared/corpus/facts.json).

Used by benchmarks/extraction.py (the figures in the README) and tests/test_import_corpus.py (one
test per file and field kind), so both judge by the same rules. The rules, and why:

- A value the text states and the importer finds equal to the key's is right. A value that differs,
  or one found where the key has null (the text does not state it), is an error: precision counts
  both, since an invented addressee is as bad as a wrong one. A stated value not found is a miss.
- Text is compared ignoring case, all white space, quote and dash style, and punctuation at the
  ends. White space carries no fact, and OCR and flattened web lists break and glue words
  ("Lancas h i r e", "crime;ensure"). Nothing else is forgiven: "Sir Mark Rowley" is not
  "Mark Rowley", "PEEL 2021/22" is not "PEEL", a role with its force is not the bare role.
- Addresses are compared as their words in order, so one line per element and commas between
  elements are the same address.
- Dates are ISO dates; a grade is one of the five grades; a force is the same force under any of
  its names in the list of police forces (the key's "Metropolitan Police" is the importer's
  "Metropolitan Police Service").
- List fields (cc, judgments, measures, causes of concern, recommendations, areas for improvement)
  are scored item by item. A judgment is right when its question and its grade (or its absence: "not
  yet graded") are right; a measure when every number it carries is right (rate, interval, count,
  estimate, national average, and whether the rate is the share NOT recorded); an area when its
  text and its timescale are right. A text the key marks as cut short is compared up to the cut.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

LETTER_FIELDS = ("reference", "date", "addressee_name", "addressee_role", "addressee_address", "salutation",
                 "subject", "signatory_name", "signatory_title", "cc")
REPORT_FIELDS = ("title", "programme", "force", "published", "overall_grade", "judgments", "measures",
                 "causes_of_concern", "recommendations", "areas_for_improvement")
LIST_FIELDS = {"cc", "judgments", "measures", "causes_of_concern", "recommendations", "areas_for_improvement"}
CUT_MARK = " […]"


def load_facts(corpus: Path = CORPUS) -> dict[str, dict[str, Any]]:
    return json.loads((corpus / "facts.json").read_text(encoding="utf-8"))["documents"]


# --- normalising --------------------------------------------------------------------------------

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-", "‑": "-", "−": "-"})


def text_key(value: Any) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).translate(_QUOTES).casefold()
    if text.endswith(CUT_MARK.strip().casefold()):
        text = text[: -len(CUT_MARK.strip())]
    text = re.sub(r"\s+", "", text)
    text = text.strip(".,;:")
    return text or None


def address_key(value: Any) -> str | None:
    if value is None:
        return None
    return text_key(re.sub(r"[,\n]", " ", str(value)))


def number_key(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).replace(",", "")).normalize()
    except InvalidOperation:
        return None


def force_key(value: Any) -> str | None:
    from correspondence.importers.forces import find_forces

    if value is None:
        return None
    found = find_forces(str(value))
    return found[0] if len(found) == 1 else text_key(value)


# --- what the key says and what the importer found, as comparable items -------------------------


def expected_items(facts: dict[str, Any], name: str) -> list[Any]:
    """The key's values for one field, as comparable items (an empty list for null)."""
    key = "publication_date" if name == "published" else name
    value = facts.get(key)
    if name in LIST_FIELDS:
        return [_item(name, entry) for entry in value or []]
    return [] if value is None else [_scalar(name, value)]


def found_items(findings: Any, name: str) -> list[Any]:
    value = getattr(findings, name, None)
    if name in LIST_FIELDS:
        if isinstance(value, str):  # a cc line as one string
            value = [part for part in re.split(r"\s*[,;]\s*", value) if part]
        return [_item(name, entry) for entry in value or []]
    return [] if value in (None, "") else [_scalar(name, value)]


def _scalar(name: str, value: Any) -> Any:
    if name == "addressee_address":
        return address_key(value)
    if name == "force":
        return force_key(value)
    if name in ("date", "published", "overall_grade"):
        return str(value).lower()
    return text_key(value)


def _item(name: str, entry: Any) -> Any:
    if name == "cc":
        return text_key(entry)
    if name == "judgments":
        return (text_key(entry["question"]), entry.get("grade"))
    if name == "measures":
        return (
            number_key(entry.get("rate")), number_key(entry.get("ci")), number_key(entry.get("numerator")),
            number_key(entry.get("denominator")), number_key(entry.get("estimate", entry.get("estimate_per_year"))),
            number_key(entry.get("national_average")), bool(entry.get("is_unrecorded_share", entry.get("unrecorded_share"))),
        )
    if isinstance(entry, str):
        return (text_key(entry), None)
    return (text_key(entry.get("text")), (entry.get("timescale") or None) and str(entry["timescale"]).lower())


# --- scoring ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """One field of one document: what was right, what was wrong or invented, what was missed."""

    right: list[Any] = field(default_factory=list)
    wrong: list[Any] = field(default_factory=list)
    missed: list[Any] = field(default_factory=list)


def compare(expected: list[Any], found: list[Any], name: str) -> Outcome:
    outcome = Outcome()
    remaining = list(expected)
    for item in found:
        if item in remaining:
            remaining.remove(item)
            outcome.right.append(item)
        else:
            outcome.wrong.append(item)
    outcome.missed = remaining
    return outcome


@dataclass
class Tally:
    stated: int = 0
    right: int = 0
    wrong: int = 0

    @property
    def missed(self) -> int:
        return self.stated - self.right

    @property
    def precision(self) -> float | None:
        found = self.right + self.wrong
        return self.right / found if found else None

    @property
    def recall(self) -> float | None:
        return self.right / self.stated if self.stated else None


def score(documents: Iterable[tuple[str, dict[str, Any], Any]], fields: tuple[str, ...],
          on_outcome: Callable[[str, str, Outcome], None] | None = None) -> dict[str, Tally]:
    """Per-field tallies over (file, facts, findings) triples."""
    tallies = {name: Tally() for name in fields}
    for file, facts, findings in documents:
        for name in fields:
            expected = expected_items(facts, name)
            outcome = compare(expected, found_items(findings, name), name)
            tally = tallies[name]
            tally.stated += len(expected)
            tally.right += len(outcome.right)
            tally.wrong += len(outcome.wrong)
            if on_outcome:
                on_outcome(file, name, outcome)
    return tallies
