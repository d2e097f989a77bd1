"""How often the letter importer fills a field wrongly on real letters it has never seen (issue 24).

    python benchmarks/letter_precision.py --texts /work/heldout-letters
    python benchmarks/letter_precision.py --texts /work/heldout-letters-second --facts benchmarks/letters_heldout/facts-second.json
    python benchmarks/letter_precision.py --texts /work/heldout-letters --missed     # also every value not found

The held-out sets are real public letters (PCCs, MOPAC, police forces, the Home Office, FOI replies)
that are NOT in the development corpus the importer's rules were written against. The repository
keeps only the answer key, ``benchmarks/letters_heldout/facts.json`` (and ``facts-second.json``): for
each letter the address of the public page it came from and the true value of every field, read by
hand. The letters' text is not kept here; fetch each page (its text as the browser gives it,
banners included: what a user would upload) into a folder as ``<id>.txt`` and pass that folder.

For each letter the script runs ``parse_letter`` and compares every field it filled with the key:

- Values are compared by the development benchmark's rules (``benchmarks/scoring.py``): ignoring
  case, white space, quote and dash style and punctuation at the ends; an address as its words in
  order (line breaks and commas between elements are the same address); a date as an ISO date; cc
  item by item. Nothing else is forgiven: "Sir Mark Rowley" is not "Mark Rowley".
- The addressee is three fields, scored apart: its name is right if it is the addressee's name, its
  role if it is the addressee's role, its address if it is the addressee's address. The signatory
  likewise (name, title).
- A filled value is RIGHT when it equals the key's value or one of the values the key also accepts
  (``accept``: the second of two addressees, a role written with or without its force, a fact only
  the page's prose around the letter states). Anything else filled is WRONG, including a value the
  key says the letter does not state (an invented one): precision counts both.
- A value the key states and the importer left empty is MISSED: recall counts it. A field left
  empty is never wrong; that is the point of the measurement.

Per field it prints: stated (letters whose key has a value), filled, right, wrong, precision
(right / filled) and recall (right / stated), then every wrong value with its letter id and the
line it was read from. The target: precision at least 0.98 on every field.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.scoring import LETTER_FIELDS, expected_items, found_items  # noqa: E402

HERE = Path(__file__).resolve().parent / "letters_heldout"
FACTS = HERE / "facts.json"


@dataclass
class FieldTally:
    stated: int = 0
    filled: int = 0
    right: int = 0
    right_stated: int = 0  # right and equal to the key's own value (what recall counts)

    @property
    def wrong(self) -> int:
        return self.filled - self.right

    @property
    def precision(self) -> float | None:
        return self.right / self.filled if self.filled else None

    @property
    def recall(self) -> float | None:
        return self.right_stated / self.stated if self.stated else None


def judge(facts: dict[str, Any], findings: Any, name: str) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    """(stated, right against the key's value, right against an accepted value, wrong) for one field."""
    stated = expected_items(facts, name)
    accepted = [item for value in facts.get("accept", {}).get(name, []) for item in expected_items({name: value}, name)]
    remaining = list(stated)
    right, also_right, wrong = [], [], []
    for item in found_items(findings, name):
        if item in remaining:
            remaining.remove(item)
            right.append(item)
        elif item in accepted:
            also_right.append(item)
        else:
            wrong.append(item)
    return stated, right, also_right, wrong


def measure(facts: dict[str, dict[str, Any]], texts: Path, show_missed: bool = False) -> tuple[dict[str, FieldTally], list[str], list[str]]:
    from correspondence.files.documents import read_document
    from correspondence.importers.letter import parse_letter

    tallies = {name: FieldTally() for name in LETTER_FIELDS}
    wrong_lines: list[str] = []
    absent: list[str] = []
    for letter_id, entry in sorted(facts.items()):
        path = texts / f"{letter_id}.txt"
        if not path.is_file():
            absent.append(letter_id)
            continue
        findings = parse_letter(read_document(path))
        for name in LETTER_FIELDS:
            stated, right, also_right, wrong = judge(entry, findings, name)
            tally = tallies[name]
            tally.stated += len(stated)
            tally.filled += len(right) + len(also_right) + len(wrong)
            tally.right += len(right) + len(also_right)
            tally.right_stated += len(right)
            source = findings.sources.get(name)
            where = f" (line {source.line}: {source.text!r})" if source else ""
            for item in wrong:
                wrong_lines.append(f"WRONG  {letter_id} {name}: {_shown(findings, name, item)!r}, key {entry.get(name)!r}{where}")
            if show_missed:
                missed = list(stated)
                for item in right:
                    missed.remove(item)
                for item in missed:
                    shown = item if isinstance(entry.get(name), list) else entry.get(name)
                    wrong_lines.append(f"MISSED {letter_id} {name}: key {shown!r}")
    return tallies, wrong_lines, absent


def _shown(findings: Any, name: str, item: Any) -> Any:
    value = getattr(findings, name)
    return value if not isinstance(value, list) else item


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=Path, required=True, help="the folder holding the letters' text as <id>.txt")
    parser.add_argument("--facts", type=Path, default=FACTS, help=f"the answer key [default: {FACTS}]")
    parser.add_argument("--missed", action="store_true", help="also list every stated value the importer left empty")
    arguments = parser.parse_args()
    if not arguments.texts.is_dir():
        print(f"skipped: no folder of letter texts at {arguments.texts}. Fetch each page named by 'source' in "
              f"{arguments.facts} and save its text there as <id>.txt.", file=sys.stderr)
        return 0
    facts = json.loads(arguments.facts.read_text(encoding="utf-8"))["documents"]
    tallies, lines, absent = measure(facts, arguments.texts, arguments.missed)
    read = len(facts) - len(absent)
    print(f"\n{read} of {len(facts)} held-out letters read from {arguments.texts} ({arguments.facts.name})\n")
    if absent:
        print("not found (skipped): " + ", ".join(absent) + "\n")
    print("| field | stated | filled | right | wrong | precision | recall |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    total = FieldTally()
    failing = []
    for name, tally in tallies.items():
        print(f"| {name} | {tally.stated} | {tally.filled} | {tally.right} | {tally.wrong} | "
              f"{_ratio(tally.precision)} | {_ratio(tally.recall)} |")
        total.stated += tally.stated
        total.filled += tally.filled
        total.right += tally.right
        total.right_stated += tally.right_stated
        if tally.precision is not None and tally.precision < 0.98:
            failing.append(f"{name} {tally.precision:.2f}")
    print(f"| **all fields** | {total.stated} | {total.filled} | {total.right} | {total.wrong} | "
          f"{_ratio(total.precision)} | {_ratio(total.recall)} |")
    if lines:
        print()
        print("\n".join(lines))
    print("\ntarget: precision >= 0.98 on every field:", "met" if not failing else "NOT met (" + "; ".join(failing) + ")")
    return 0


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


if __name__ == "__main__":
    sys.exit(main())
