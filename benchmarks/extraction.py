"""How much of the corpus the importers read right: per-field precision and recall.

    python benchmarks/extraction.py              # the table (the figures in the README)
    python benchmarks/extraction.py --details    # also every wrong, invented and missed value

Runs both importers over the development corpus in ../shared/corpus/ (52 real letters and reports)
and compares what they find with the answer key, facts.json, by the rules in benchmarks/scoring.py.
Precision is right / found (a wrong or invented value is an error); recall is right / stated (a
value the text states but the importer did not find is a miss). The targets: precision at least
0.98 on every field, recall at least 0.9 overall.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.scoring import CORPUS, LETTER_FIELDS, REPORT_FIELDS, Outcome, Tally, load_facts, score


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--details", action="store_true", help="print every wrong, invented and missed value")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"the corpus folder [default: {CORPUS}]")
    arguments = parser.parse_args()
    if not (arguments.corpus / "facts.json").is_file():
        print(f"error: no corpus at {arguments.corpus} (facts.json is missing)", file=sys.stderr)
        return 1

    from correspondence.files.documents import read_document
    from correspondence.importers.letter import parse_letter
    from correspondence.importers.report import parse_report

    facts = load_facts(arguments.corpus)
    letters, reports = [], []
    started = time.perf_counter()
    for file, entry in sorted(facts.items()):
        text = read_document(arguments.corpus / file)
        if entry["kind"] == "letter":
            letters.append((file, entry, parse_letter(text)))
        else:
            reports.append((file, entry, parse_report(text)))
    seconds = time.perf_counter() - started

    def show(file: str, name: str, outcome: Outcome) -> None:
        if arguments.details and (outcome.wrong or outcome.missed):
            for item in outcome.wrong:
                print(f"  WRONG  {file} {name}: {item!r}")
            for item in outcome.missed:
                print(f"  MISSED {file} {name}: {item!r}")

    letter_tallies = score(letters, LETTER_FIELDS, show)
    report_tallies = score(reports, REPORT_FIELDS, show)

    print(f"\n{len(letters)} letters and {len(reports)} reports from {arguments.corpus}, read and parsed in {seconds:.2f} s\n")
    print("| importer | field | stated | right | wrong or invented | missed | precision | recall |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    total = Tally()
    failing = []
    for importer, tallies in (("letter", letter_tallies), ("report", report_tallies)):
        for name, tally in tallies.items():
            print(f"| {importer} | {name} | {tally.stated} | {tally.right} | {tally.wrong} | {tally.missed} | "
                  f"{_ratio(tally.precision)} | {_ratio(tally.recall)} |")
            total.stated, total.right, total.wrong = total.stated + tally.stated, total.right + tally.right, total.wrong + tally.wrong
            if tally.precision is not None and tally.precision < 0.98:
                failing.append(f"{importer} {name} precision {tally.precision:.3f}")
    print(f"| both | all fields | {total.stated} | {total.right} | {total.wrong} | {total.missed} | "
          f"{_ratio(total.precision)} | {_ratio(total.recall)} |")
    if total.recall is not None and total.recall < 0.9:
        failing.append(f"overall recall {total.recall:.3f}")
    print("\ntargets: precision >= 0.98 on every field, recall >= 0.9 overall:", "met" if not failing else "NOT met (" + "; ".join(failing) + ")")
    return 0


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


if __name__ == "__main__":
    sys.exit(main())
