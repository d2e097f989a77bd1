"""The commands at scale, each against a floor measured in the same run: start-up, the register's
read commands and exports at 100,000 letters, and `corr due` while an export runs (and, to tell CPU from locking, while a process only burns CPU as long), on SQLite and
(when a server is given) PostgreSQL. The figures and targets are in the README (Performance).

    python benchmarks/register.py                                    # SQLite only
    python benchmarks/register.py --postgresql postgresql://postgres@127.0.0.1:5432/test
    python benchmarks/register.py --concurrent-only                  # `corr due` during an export
    python benchmarks/register.py --startup-only                     # start-up against its floors

The data is made in bulk (2,000 inspections of 40 forces with 10 areas each; 100,000 letters with
a paragraph of text each, three quarters of the inspections answered). Every command runs as a user
runs it, in its own process; each figure is the median of 3 (15 for start-up, interleaved). The floors:
- start-up: `python -c "import typer"` for `corr --help`; `python -c "import sqlalchemy"` for a
  read command (`corr due`) on a migrated, empty store;
- a read command at 100,000 letters: the same command on the empty store (its process start) plus
  its raw SQL run in a warm process;
- an export: a process that imports SQLAlchemy and streams the raw query (every letter; for
  `corr export` every table) to a file. Peak memory is measured at 10,000 and 100,000 letters.
The outputs are checked: the exports hold every row, `letter show` finds the letter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

LETTERS = 100_000
SMALL = 10_000
INSPECTIONS = 2_000
AREAS_EACH = 10
FORCES = 40
RARE_WORD = "quinquennial"  # in about 1% of letters
VOCABULARY = (
    "crime recording victims domestic abuse rape violence audit registrar compliance inspection force report "
    "response update action plan timeliness safeguarding training officers staff recommendation improvement "
    "oversight board meeting data quality transparency recruitment budget stop search use force panels"
).split()
CORR = str(Path(sys.executable).with_name("corr"))

# (name, arguments, the raw SQL the command's work comes down to, target ratio)
READS = (
    ("`corr due`", ["due"], [
        "SELECT i.id, i.published_on, i.title, f.name FROM inspections i LEFT JOIN forces f ON f.id = i.force_id "
        "WHERE i.id NOT IN (SELECT inspection_id FROM s55_responses WHERE published_on IS NOT NULL) ORDER BY i.published_on, i.id",
        "SELECT * FROM letters WHERE kind = 's55 response' AND status = 'draft'"], 1.3),
    ("`corr letter list --office --from --to`", ["letter", "list", "--office", "OFF3", "--from", "2015-01-01", "--to", "2016-12-31"], [
        "SELECT * FROM letters WHERE office_id = 3 AND letter_date BETWEEN '2015-01-01' AND '2016-12-31' "
        "ORDER BY letter_date DESC, id DESC LIMIT 500",
        "SELECT count(*) FROM letters WHERE office_id = 3 AND letter_date BETWEEN '2015-01-01' AND '2016-12-31'"], 1.3),
    ("`corr letter show REF`", ["letter", "show", "REF/77777"], [
        "SELECT * FROM letters WHERE upper(replace(reference, ' ', '')) = 'REF/77777'"], 1.3),
    ("`corr letter list --text WORD`", ["letter", "list", "--text", RARE_WORD], [], None),
)
FLOOR_SCRIPT = """
import csv, json, sys
from sqlalchemy import create_engine, text
engine = create_engine(sys.argv[1])
tables = sys.argv[3:]
with engine.connect() as connection, open(sys.argv[2], "w", newline="") as out:
    for table in tables:
        rows = connection.execution_options(stream_results=True, yield_per=2000).execute(text(f"SELECT * FROM {table} ORDER BY id"))
        writer = csv.writer(out)
        for row in rows:
            writer.writerow(row)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", help="a PostgreSQL URL to measure as well")
    parser.add_argument("--concurrent-only", action="store_true", help="only `corr due` during an export, on SQLite")
    parser.add_argument("--startup-only", action="store_true", help="only the start-up figures")
    args = parser.parse_args()
    # As installed, the package's modules are compiled once and their bytecode kept; a shell that sets
    # PYTHONDONTWRITEBYTECODE would make every command compile them again (about 60 ms), which no
    # user's installation does. The first run of each command below writes the bytecode.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    if args.startup_only:
        with tempfile.TemporaryDirectory(prefix="corr-bench-") as scratch:
            rows = _startup(Path(scratch))
        print("| command | seconds | floor | floor seconds | ratio | target | met |")
        print("| --- | ---: | --- | ---: | ---: | ---: | --- |")
        for row in rows:
            _row(*row)
        return 0
    if args.concurrent_only:
        with tempfile.TemporaryDirectory(prefix="corr-bench-") as scratch:
            url = f"sqlite:///{Path(scratch) / 'large.db'}"
            _load(url)
            rows = _concurrent(url, Path(scratch))
        print("| command | seconds | floor | floor seconds | ratio | target | met |")
        print("| --- | ---: | --- | ---: | ---: | ---: | --- |")
        for row in rows:
            _row(*row)
        return 0
    with tempfile.TemporaryDirectory(prefix="corr-bench-") as scratch:
        work = Path(scratch)
        startup = _startup(work)
        results = [("SQLite", _measure(lambda name: f"sqlite:///{work / (name + '.db')}", work, concurrent=True))]
        if args.postgresql:
            results.append(("PostgreSQL", _measure(_postgresql_schemas(args.postgresql), work, concurrent=False)))
    print("Start-up (medians of 15 interleaved rounds, process start included):\n")
    print("| command | seconds | floor | floor seconds | ratio | target | met |")
    print("| --- | ---: | --- | ---: | ---: | ---: | --- |")
    for name, seconds, floor_name, floor, target in startup:
        _row(name, seconds, floor_name, floor, target)
    for database, (reads, exports, memory, concurrent) in results:
        print(f"\n{database}, {LETTERS:,} letters (median of 3, process start included):\n")
        print("| command | seconds | floor | floor seconds | ratio | target | met |")
        print("| --- | ---: | --- | ---: | ---: | ---: | --- |")
        for name, seconds, floor_name, floor, target in reads + exports + concurrent:
            _row(name, seconds, floor_name, floor, target)
        print("\n| export | peak memory at 10,000 letters | at 100,000 | growth | target | met |")
        print("| --- | ---: | ---: | ---: | ---: | --- |")
        for name, small, large in memory:
            growth = large - small
            print(f"| {name} | {small:.0f} MB | {large:.0f} MB | {growth:.0f} MB | < 50 MB | {'yes' if growth < 50 else 'NO'} |")
    return 0


def _row(name: str, seconds: float, floor_name: str, floor: float, target: float | None) -> None:
    ratio = seconds / floor
    met = "" if target is None else ("yes" if ratio <= target else "NO")
    print(f"| {name} | {seconds:.3f} | {floor_name} | {floor:.3f} | {ratio:.2f}x | {f'{target}x' if target else '-'} | {met} |")


def _run(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, peak memory in MB) of one process; it must succeed. The peak is taken by GNU
    time, a small process: Linux starts a child's peak at its parent's, and this one holds exports."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        started = time.perf_counter()
        result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {result.stderr.decode()}")
        return seconds, int(rss.read().split()[-1]) / 1024


def _median(argv: list[str], runs: int = 3) -> float:
    return statistics.median(_run(argv)[0] for _ in range(runs))


def _startup(work: Path, rounds: int = 15) -> list[tuple[str, float, str, float, float]]:
    """Each command and its floor run in turn, round after round (medians of ``rounds``), so that
    a machine busy for a moment weighs on all of them alike rather than on whichever ran then."""
    url = f"sqlite:///{work / 'empty.db'}"
    _run([CORR, "init", "--db", url])
    commands = {
        "typer": [sys.executable, "-c", "import typer"],
        "sqlalchemy": [sys.executable, "-c", "import sqlalchemy"],
        "help": [CORR, "--help"],
        "due": [CORR, "due", "--db", url],
        "list": [CORR, "letter", "list", "--db", url],
    }
    for warm_up in commands.values():
        _run(warm_up)  # writes the bytecode, as installing the package does
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, argv in commands.items():
            times[name].append(_run(argv)[0])
    median = {name: statistics.median(values) for name, values in times.items()}
    return [
        ("`corr --help`", median["help"], "`import typer`", median["typer"], 1.5),
        ("`corr due`, empty store", median["due"], "`import sqlalchemy`", median["sqlalchemy"], 1.5),
        ("`corr letter list`, empty store", median["list"], "`import sqlalchemy`", median["sqlalchemy"], 1.5),
    ]


def _postgresql_schemas(base: str):  # noqa: ANN202 - a function naming a fresh schema's URL
    from sqlalchemy import create_engine, text

    from correspondence.records.store import resolve_url

    url = resolve_url(base)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")

    def schema_url(name: str) -> str:
        schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        _schemas.append(schema)
        return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"

    return schema_url


_schemas: list[str] = []


def _measure(url_for, work: Path, *, concurrent: bool):  # noqa: ANN001, ANN202
    empty, small, large = url_for("empty"), url_for("small"), url_for("large")
    _run([CORR, "init", "--db", empty])
    _load(small, letters=SMALL)
    _load(large)
    reads = []
    for name, arguments, queries, target in READS:
        output = subprocess.run([CORR, *arguments, "--db", large], capture_output=True, text=True, check=True).stdout
        if arguments[1:2] == ["show"] and "REF/77777" not in output:
            raise SystemExit(f"corr letter show did not find REF/77777: {output}")
        seconds = _median([CORR, *arguments, "--db", large])
        on_empty = arguments if arguments[0] == "due" or "--text" in arguments else ["letter", "list"]  # the empty store has no OFF3, no REF/77777
        start = _median([CORR, *on_empty, "--db", empty])
        raw = _raw_seconds(large, queries)
        reads.append((name, seconds, "empty store + raw SQL" if queries else "empty store", start + raw, target))
    exports, memory = [], []
    for name, command, tables, check in (
        ("`corr letter export --csv`", ["letter", "export", "--csv"], ["letters"], _check_csv),
        ("`corr export`", ["export", "--out"], None, _check_export),
    ):
        runs, peaks = [], {}
        for size, url in (("small", small), ("large", large)):
            for _ in range(3 if size == "large" else 1):
                out = work / f"{uuid.uuid4().hex}.{'csv' if 'csv' in command[-1] else 'json'}"
                seconds, peak = _run([CORR, *command, str(out), "--db", url])
                check(out, SMALL if size == "small" else LETTERS)
                out.unlink()
                peaks[size] = max(peaks.get(size, 0), peak)
                if size == "large":
                    runs.append(seconds)
        floor_tables = tables or _table_names(large)
        floor_out = work / "floor.csv"
        floor = _median([sys.executable, "-c", FLOOR_SCRIPT, _plain(large), str(floor_out), *floor_tables])
        exports.append((name, statistics.median(runs), "raw query streamed to a file", floor, 2.0))
        memory.append((name, peaks["small"], peaks["large"]))
    together = []
    if concurrent:
        together = _concurrent(large, work)
    return reads, exports, memory, together


def _concurrent(large: str, work: Path, rounds: int = 5) -> list[tuple[str, float, str, float, float | None]]:
    """`corr due` alone, while `corr export` runs, and while a process only burns CPU as long (what is
    left beyond it is the database's share), interleaved round by round so that all three see the
    same machine. Each round starts after `sync`: an export leaves some 100 MB of written pages for
    the kernel to flush, which would otherwise land on whichever measurement came next."""
    export_time = _median([CORR, "export", "--out", str(work / f"{uuid.uuid4().hex}.json"), "--db", large], runs=1)
    burner = [sys.executable, "-c", f"import time\nend = time.time() + {export_time}\nwhile time.time() < end: pass"]
    alone, during, burnt = [], [], []
    for _ in range(rounds):
        subprocess.run(["sync"], check=True)
        alone.append(_run([CORR, "due", "--db", large])[0])
        out = work / f"{uuid.uuid4().hex}.json"
        exporting = subprocess.Popen([CORR, "export", "--out", str(out), "--db", large], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.3)  # the export has its snapshot open
        during.append(_run([CORR, "due", "--db", large])[0])
        if exporting.poll() is not None:
            raise SystemExit("the export finished before corr due ran: nothing concurrent was measured")
        exporting.wait()
        out.unlink()
        subprocess.run(["sync"], check=True)
        burning = subprocess.Popen(burner)
        time.sleep(0.3)
        burnt.append(_run([CORR, "due", "--db", large])[0])
        burning.wait()
    floor = statistics.median(alone)
    return [
        ("`corr due` while `corr export` runs", statistics.median(during), "`corr due` alone", floor, 1.2),
        ("`corr due` while a CPU burner runs as long", statistics.median(burnt), "`corr due` alone", floor, None),
    ]


def _plain(url: str) -> str:
    return url


def _table_names(url: str) -> list[str]:
    from correspondence.records.models import Base

    return [table.name for table in Base.metadata.sorted_tables if "id" in table.columns]


def _raw_seconds(url: str, queries: list[str]) -> float:
    """The raw SQL, run in a warm process with a warm cache: the least the database can take."""
    if not queries:
        return 0.0
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    times = []
    with engine.connect() as connection:
        for _ in range(4):
            started = time.perf_counter()
            for query in queries:
                connection.execute(text(query)).fetchall()
            times.append(time.perf_counter() - started)
    engine.dispose()
    return statistics.median(times[1:])


def _check_csv(path: Path, letters: int) -> None:
    with path.open(encoding="utf-8-sig") as handle:
        rows = sum(1 for _ in handle) - 1
    if rows != letters:
        raise SystemExit(f"{path}: {rows} rows exported, {letters} letters stored")


def _check_export(path: Path, letters: int) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data["counts"]["letters"] != letters or len(data["tables"]["letters"]) != letters:
        raise SystemExit(f"{path}: {len(data['tables']['letters'])} letters exported, {letters} stored")


def _load(url: str, *, one_office: bool = False, letters: int = LETTERS) -> None:
    """The data in bulk; ``one_office`` gives every letter to office 1 (the web benchmark's register)."""
    from sqlalchemy import insert

    from correspondence.records.models import Force, ImprovementArea, Inspection, Letter, Office
    from correspondence.records.store import open_store

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
        for n in range(1, letters + 1):
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
