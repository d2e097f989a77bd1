"""How fast drafting is, against the least work any .docx generator must do.

    python benchmarks/drafting.py            # 1, 100 and 1,000 drafts
    python benchmarks/drafting.py --quick    # 1 and 100

Measures, on a fresh SQLite database holding the bundled example:
- letters per second when drafting 1, 100 and 1,000 s.55 responses in one process, each a full
  draft (reference taken, context built, template rendered, file written, letter logged, one
  transaction per letter);
- the cost of the floor: rewriting the same .docx zip with one changed word/document.xml,
  which any generator must at least do; the ratio says how much drafting costs beyond it;
- the wall time of `corr draft response` end to end, as a user runs it (process start included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1,000-draft run")
    args = parser.parse_args()
    sizes = (1, 100) if args.quick else (1, 100, 1000)

    from correspondence import drafting
    from correspondence.example import load_example
    from correspondence.store import open_store

    with tempfile.TemporaryDirectory(prefix="corr-bench-") as scratch:
        work = Path(scratch)
        url = f"sqlite:///{work / 'bench.db'}"
        store = open_store(url)
        example = drafting.in_one_transaction(store, lambda session: load_example(session, work / "letters"))
        inspection_id = example.inspection.id

        rows = []
        for count in sizes:
            before = _peak_rss_mb()
            out = work / f"run-{count}"
            request = drafting.DraftRequest(office="MOPAC", letter_date=dt.date(2018, 9, 7), today=dt.date(2018, 9, 6), out_dir=out)
            started = time.perf_counter()
            for _ in range(count):
                drafting.in_one_transaction(store, lambda session: drafting.draft_response(session, inspection_id, request))
            elapsed = time.perf_counter() - started
            rows.append((count, elapsed, count / elapsed, _peak_rss_mb() - before))
            unreadable = _unreadable(out, count)
            if unreadable:
                print(f"error: {unreadable}", file=sys.stderr)
                return 1
        store.dispose()

        floor = _rewrite_cost(next((work / "run-1").glob("*.docx")))
        cli_times = _cli_wall_times(url, work)

    print(f"Python {sys.version.split()[0]}, SQLite, s.55 response with a 7-row annex\n")
    print("| drafts | seconds | letters/s | ms per letter | x the zip-rewrite floor | peak memory growth |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for count, elapsed, rate, growth in rows:
        per_letter = elapsed / count
        print(f"| {count:,} | {elapsed:.2f} | {rate:.1f} | {per_letter * 1000:.1f} | {per_letter / floor:.1f}x | {growth:.0f} MB |")
    print(f"\nzip-rewrite floor (same .docx, one changed document.xml): {floor * 1000:.2f} ms")
    print(f"`corr draft response` end to end: median {statistics.median(cli_times):.2f} s over {len(cli_times)} runs "
          f"(min {min(cli_times):.2f} s)")
    return 0


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _unreadable(folder: Path, count: int) -> str | None:
    """Every drafted letter must open in python-docx and carry its reference: the output is checked."""
    from docx import Document

    files = sorted(folder.glob("*.docx"))
    if len(files) != count:
        return f"{folder}: {len(files)} letters written, {count} drafted"
    for file in files:
        text = "\n".join(paragraph.text for paragraph in Document(str(file)).paragraphs)
        if file.stem.split("-v")[0][:5] not in text and "MOPAC" not in text:
            return f"{file}: does not read back as the letter"
    return None


def _rewrite_cost(docx: Path, repeats: int = 200) -> float:
    """Seconds to rewrite the zip with a changed document.xml: read, change, write every part."""
    original = docx.read_bytes()
    started = time.perf_counter()
    for number in range(repeats):
        source = zipfile.ZipFile(io.BytesIO(original))
        target_buffer = io.BytesIO()
        with zipfile.ZipFile(target_buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "word/document.xml":
                    data = data.replace(b"D2188", f"D{number:04d}".encode())
                target.writestr(item, data)
    return (time.perf_counter() - started) / repeats


def _cli_wall_times(url: str, work: Path, runs: int = 5) -> list[float]:
    corr = shutil.which("corr") or str(Path(sys.executable).with_name("corr"))
    times = []
    for run in range(runs):
        command = [corr, "draft", "response", "1", "--office", "MOPAC", "--allow-missing", "--db", url, "--out", str(work / f"cli-{run}")]
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


if __name__ == "__main__":
    sys.exit(main())
