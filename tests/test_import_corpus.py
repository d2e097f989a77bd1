"""The importers on the development corpus (../shared/corpus): one test per file and field.

Each test reads the file as `corr letter import` / `corr inspection import` would and compares the
field with the answer key, facts.json, by the rules in benchmarks/scoring.py. It fails on any
wrong or invented value (an addressee taken from a letterhead, a date from "your letter of ...",
a recording rate that is really the share not recorded), and on any miss not listed below with
its reason, so a regression shows at once and an improvement is recorded here.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest

from benchmarks.scoring import LETTER_FIELDS, REPORT_FIELDS, compare, expected_items, found_items, load_facts, score
from tests.conftest import CORPUS, requires_corpus

pytestmark = requires_corpus

# Values the texts state that the importers do not read, and why. Misses are honest: the field is
# left empty and reported, never guessed.
KNOWN_MISSES: dict[tuple[str, str], tuple[int, str]] = {
    ("letters/letter-merseyside-pcc-joint-open-letter-to-chancellor-and-home-secretary.txt", "addressee_name"):
        (1, "the names are only in the news story's prose above the letter, not in the letter"),
    ("letters/letter-merseyside-pcc-joint-open-letter-to-chancellor-and-home-secretary.txt", "subject"):
        (1, "the page heading is separated from the letter by two paragraphs of news prose"),
    ("reports/report-hmic-durham-peel-2014-summary.txt", "judgments"):
        (1, "the legitimacy finding is a sentence with no grade word in it"),
    ("reports/report-hmicfrs-vetting-misconduct-misogyny-review-of-progress-annex-2023.txt", "programme"):
        (1, "a thematic review: its title names no programme the importer knows, so --programme is asked for"),
    ("reports/report-news-devon-and-cornwall-peel-2023-recording-ci.txt", "programme"):
        (1, "the story never says PEEL"),
    ("reports/report-news-essex-cdi-2014-national-rate.txt", "programme"):
        (1, "the story never names Crime Data Integrity"),
    ("reports/report-secondary-sussex-pcc-statement-cdi-2014-counts.txt", "programme"):
        (1, "the statement never names Crime Data Integrity"),
}


def _facts() -> dict[str, dict[str, Any]]:
    return load_facts(CORPUS) if (CORPUS / "facts.json").is_file() else {}


def _cases() -> list[Any]:
    cases = []
    for file, facts in sorted(_facts().items()):
        for name in LETTER_FIELDS if facts["kind"] == "letter" else REPORT_FIELDS:
            cases.append(pytest.param(file, name, id=f"{file.split('/')[-1][:-4]}:{name}"))
    return cases or [pytest.param("", "", id="no-corpus")]


@functools.cache
def _findings(file: str) -> Any:
    from correspondence.files.documents import read_document
    from correspondence.importers.letter import parse_letter
    from correspondence.importers.report import parse_report

    text = read_document(CORPUS / file)
    return parse_letter(text) if file.startswith("letters/") else parse_report(text)


@pytest.mark.parametrize(("file", "field"), _cases())
def test_the_corpus_fact(file: str, field: str) -> None:
    facts = _facts()[file]
    outcome = compare(expected_items(facts, field), found_items(_findings(file), field), field)
    assert outcome.wrong == [], f"{file} {field}: wrong or invented {outcome.wrong}, expected {outcome.missed or outcome.right}"
    misses, reason = KNOWN_MISSES.get((file, field), (0, ""))
    assert len(outcome.missed) == misses, f"{file} {field}: missed {outcome.missed}" + (f" (known: {reason})" if reason else "")


def test_the_targets_hold_on_the_whole_corpus() -> None:
    """Precision at least 0.98 on every field, recall at least 0.9 overall (the README's table)."""
    documents = [(file, facts, _findings(file)) for file, facts in sorted(_facts().items())]
    tallies = [*score([d for d in documents if d[0].startswith("letters/")], LETTER_FIELDS).values(),
               *score([d for d in documents if d[0].startswith("reports/")], REPORT_FIELDS).values()]
    assert all(tally.precision is None or tally.precision >= 0.98 for tally in tallies)
    assert sum(t.right for t in tallies) / sum(t.stated for t in tallies) >= 0.9
