"""How long importing takes: seconds per report and per letter, singly and in a 100-file batch.

    python benchmarks/importing.py

Uses the seed documents in ../shared/seeds/ (the Met CDI 2018 report and the four letters).
The batch is 100 letter files made from the seed letters with distinct references, imported
the way `corr letter import` does it (one transaction per file), and then once more through the
CLI end to end.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def main() -> int:
    from correspondence.importers.storing import import_inspection, import_letter, read_report
    from correspondence.organisation import offices
    from correspondence.records.store import open_store
    from correspondence.records.transactions import in_one_transaction
    from correspondence.records.vocabulary import Direction

    report = SEEDS / "report-hmicfrs-met-cdi-2018-07-17.txt"
    letters = sorted(SEEDS.glob("letter-*.txt"))
    with tempfile.TemporaryDirectory(prefix="corr-bench-") as scratch:
        work = Path(scratch)

        parse_times = []
        for _ in range(20):
            started = time.perf_counter()
            read_report(report)
            parse_times.append(time.perf_counter() - started)

        store_times = []
        for run in range(5):
            store = open_store(f"sqlite:///{work / f'report-{run}.db'}")
            with store.transaction() as session:
                offices.add_force(session, "Metropolitan Police Service")
            started = time.perf_counter()
            findings = read_report(report)
            with store.transaction() as session:
                import_inspection(session, report, findings)
            store_times.append(time.perf_counter() - started)
            store.dispose()

        batch = work / "batch"
        batch.mkdir()
        for number in range(100):
            seed = letters[number % len(letters)]
            text = seed.read_text(encoding="utf-8")
            for reference in ("OPCC/114/19", "MOPAC030422-D4110", "MOPAC06092018-D2188", "JC/jpi"):
                text = text.replace(reference, f"{reference}-{number:03d}")
            (batch / f"{number:03d}-{seed.name}").write_text(text, encoding="utf-8")
        files = sorted(batch.iterdir())

        store = open_store(f"sqlite:///{work / 'letters.db'}")
        with store.transaction() as session:
            offices.add_office(session, name="Bench", short_name="BENCH")
        started = time.perf_counter()
        for path in files:
            in_one_transaction(store, lambda session, path=path: import_letter(
                session, path, office=offices.get_office(session, "BENCH"), direction=Direction.OUT, letters_dir=work / "copies"))
        batch_seconds = time.perf_counter() - started
        store.dispose()

        corr = str(Path(sys.executable).with_name("corr"))
        url = f"sqlite:///{work / 'cli.db'}"
        subprocess.run([corr, "init", "--db", url], check=True, capture_output=True)  # only init creates a database
        subprocess.run([corr, "office", "add", "--name", "Bench", "--short", "BENCH", "--db", url], check=True, capture_output=True)
        started = time.perf_counter()
        subprocess.run([corr, "letter", "import", *map(str, files), "--db", url, "--letters", str(work / "cli-copies")],
                       check=True, capture_output=True)
        cli_seconds = time.perf_counter() - started

    print(f"Python {sys.version.split()[0]}, SQLite\n")
    print("| what | seconds |")
    print("| --- | ---: |")
    print(f"| read and parse the Met CDI 2018 report (median of 20) | {statistics.median(parse_times):.3f} |")
    print(f"| import it into the store, parse included (median of 5) | {statistics.median(store_times):.3f} |")
    print(f"| import 100 letters, library (one transaction each) | {batch_seconds:.2f} ({batch_seconds / 100 * 1000:.1f} ms a letter) |")
    print(f"| `corr letter import` of the same 100 files, end to end | {cli_seconds:.2f} ({cli_seconds / 100 * 1000:.1f} ms a letter) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
