"""The register at scale: `corr due`, `corr letter list --text WORD` and `corr letter export --csv`
with 100,000 letters and 20,000 areas, on SQLite and (when a server is given) PostgreSQL.

    python benchmarks/register.py                                    # SQLite only
    python benchmarks/register.py --postgresql postgresql://postgres@127.0.0.1:5432/test

The data is made in bulk (2,000 inspections of 40 forces with 10 areas each; 100,000 letters with
a paragraph of text each, three quarters of the inspections answered). Each command is run as a
user runs it, in its own process, three times; the table gives the median wall time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

LETTERS = 100_000
INSPECTIONS = 2_000
AREAS_EACH = 10
FORCES = 40
RARE_WORD = "quinquennial"  # in about 1% of letters
VOCABULARY = (
    "crime recording victims domestic abuse rape violence audit registrar compliance inspection force report "
    "response update action plan timeliness safeguarding training officers staff recommendation improvement "
    "oversight board meeting data quality transparency recruitment budget stop search use force panels"
).split()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", help="a PostgreSQL URL to measure as well")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="corr-bench-") as scratch:
        work = Path(scratch)
        results.append(("SQLite", *_measure(f"sqlite:///{work / 'register.db'}", work)))
        if args.postgresql:
            results.append(("PostgreSQL", *_measure_postgresql(args.postgresql, work)))
    print(f"{LETTERS:,} letters, {INSPECTIONS * AREAS_EACH:,} areas, {INSPECTIONS:,} inspections; median of 3 runs, process start included\n")
    print("| database | load (s) | `corr due` | `corr letter list --text WORD` | `corr letter export --csv` |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, load, timings in results:
        print(f"| {name} | {load:.0f} | " + " | ".join(f"{timings[key]:.2f} s" for key in ("due", "search", "export")) + " |")
    return 0


def _measure_postgresql(base: str, work: Path) -> tuple[float, dict[str, float]]:
    from sqlalchemy import create_engine, text

    from correspondence.store import resolve_url

    url = resolve_url(base)
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        return _measure(f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}", work)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _measure(url: str, work: Path) -> tuple[float, dict[str, float]]:
    started = time.perf_counter()
    _load(url)
    load_seconds = time.perf_counter() - started
    corr = str(Path(sys.executable).with_name("corr"))
    commands = {
        "due": [corr, "due", "--json", "--db", url],
        "search": [corr, "letter", "list", "--text", RARE_WORD, "--json", "--db", url],
        "export": [corr, "letter", "export", "--csv", "{out}", "--db", url],
    }
    timings = {}
    for key, command in commands.items():
        runs = []
        for run in range(3):
            argv = [part.replace("{out}", str(work / f"export-{key}-{run}-{uuid.uuid4().hex[:6]}.csv")) for part in command]
            begun = time.perf_counter()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            runs.append(time.perf_counter() - begun)
        timings[key] = statistics.median(runs)
    return load_seconds, timings


def _load(url: str, *, one_office: bool = False) -> None:
    """The data in bulk; ``one_office`` gives every letter to office 1 (the web benchmark's register)."""
    from sqlalchemy import insert

    from correspondence.models import Force, ImprovementArea, Inspection, Letter, Office
    from correspondence.store import open_store

    rng = random.Random(55)
    store = open_store(url)
    with store.engine.begin() as connection:
        connection.execute(insert(Force), [{"id": n, "name": f"Force {n}", "chief_officer_title": "Chief Constable"} for n in range(1, FORCES + 1)])
        connection.execute(insert(Office), [
            {"id": n, "name": f"Office {n}", "short_name": f"OFF{n}", "address": "", "signatory_name": "", "signatory_title": "",
             "reference_scheme": "{seq}", "force_id": n, "date_format": "%-d %B %Y", "letterhead": ""}
            for n in range(1, FORCES + 1)
        ])
        start = dt.date(2014, 1, 1)
        inspections = [
            {"id": n, "force_id": (n % FORCES) + 1, "programme": f"Programme {n}", "title": f"Inspection {n}",
             "published_on": start + dt.timedelta(days=n), "source_url": None, "overall_grade": "good"}
            for n in range(1, INSPECTIONS + 1)
        ]
        connection.execute(insert(Inspection), inspections)
        connection.execute(insert(ImprovementArea), [
            {"inspection_id": n, "kind": "area for improvement", "number": k, "text": f"Improve {rng.choice(VOCABULARY)} ({n}.{k})", "timescale": None}
            for n in range(1, INSPECTIONS + 1) for k in range(1, AREAS_EACH + 1)
        ])
        batch = []
        for n in range(1, LETTERS + 1):
            inspection = inspections[n % INSPECTIONS]
            answers = n <= INSPECTIONS * 3 // 4  # the first letters answer three quarters of the inspections
            words = rng.choices(VOCABULARY, k=90) + ([RARE_WORD] if rng.random() < 0.01 else [])
            rng.shuffle(words)
            batch.append({
                "office_id": 1 if one_office else inspection["force_id"], "reference": f"REF/{n}", "direction": "out", "letter_date": start + dt.timedelta(days=n % 4000),
                "sender": "Signatory", "addressee_name": "Addressee", "addressee_role": "Home Secretary", "addressee_address": "",
                "cc": "", "subject": f"Letter {n} about {rng.choice(VOCABULARY)}", "kind": "s55 response" if answers else "other",
                "force_id": inspection["force_id"], "inspection_id": inspection["id"] if answers else None, "meeting_id": None,
                "status": "sent", "file_path": None, "file_sha256": None, "created_at": dt.datetime.now(dt.timezone.utc),
                "body_text": " ".join(words), "sent_on": None, "supersedes_id": None,
            })
            if len(batch) == 5000:
                connection.execute(insert(Letter), batch)
                batch = []
        if batch:
            connection.execute(insert(Letter), batch)
        if connection.dialect.name == "postgresql":
            from sqlalchemy import text

            for table in ("forces", "offices", "inspections", "improvement_areas", "letters"):
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
            connection.execute(text("ANALYZE"))
    store.dispose()


if __name__ == "__main__":
    sys.exit(main())
