"""How fast drafting is, against the least work any .docx generator must do.

    python benchmarks/drafting.py            # 1, 100 and 1,000 drafts
    python benchmarks/drafting.py --quick    # 1 and 100

Measures, on a fresh SQLite database holding the bundled example:
- letters per second when drafting 1, 100 and 1,000 s.55 responses in one process, each a full
  draft (reference taken, context built, template rendered, file written, letter logged, one
  transaction per letter);
- each template is filled in a worker process (drafting/bounded.py), so the file's share includes
  the round trip to it; the worker's own memory is printed after the runs;
- the cost of the floor: rewriting the same .docx zip with one changed word/document.xml to a
  file, which any generator must at least do, measured once after each draft so that both see
  the same load; the ratio says how much drafting costs beyond it, and how much of that is the
  file (filling the template, writing it, taking its text) rather than the database;
- memory: peak RSS growth over the run, and the RSS still held after it;
- the wall time of `corr draft response` end to end, as a user runs it (process start included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
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

    from correspondence.drafting import drafts as drafting
    from correspondence.examples.bundled import load_example
    from correspondence.process.s55_letter import draft_response
    from correspondence.records.store import open_store
    from correspondence.records.transactions import in_one_transaction

    with tempfile.TemporaryDirectory(prefix="corr-bench-") as scratch:
        work = Path(scratch)
        url = f"sqlite:///{work / 'bench.db'}"
        store = open_store(url)
        example = in_one_transaction(store, lambda session: load_example(session, work / "letters"))
        inspection_id = example.inspection.id

        # The floor's file: a letter drafted from the same template, rewritten as any generator must.
        in_one_transaction(store, lambda session: draft_response(session, inspection_id, _request(work / "floor")))
        floor_letter = next((work / "floor").glob("*.docx"))
        floor_file, floor_reference = floor_letter.read_bytes(), floor_letter.stem.encode()
        rendering_time = _time_rendering(drafting)

        rows = []
        for count in sizes:
            before_peak, before_now = _peak_rss_mb(), _rss_now_mb()
            out = work / f"run-{count}"
            request = _request(out)
            drafts = floor = 0.0
            rendering_time.clear()
            for number in range(count):  # each draft, then the floor once: both see the same load
                started = time.perf_counter()
                in_one_transaction(store, lambda session, request=request: draft_response(session, inspection_id, request))
                drafts += time.perf_counter() - started
                floor += _rewrite_once(floor_file, floor_reference, number)
            rows.append((count, drafts, floor, sum(rendering_time), _peak_rss_mb() - before_peak, _rss_now_mb() - before_now))
            unreadable = _unreadable(out, count)
            if unreadable:
                print(f"error: {unreadable}", file=sys.stderr)
                return 1
        store.dispose()
        worker_mb = _worker_rss_mb()
        in_process_ms, worker_ms = _worker_round_trip()
        cli_times = _cli_wall_times(url, work)

    print(f"Python {sys.version.split()[0]}, SQLite, s.55 response with a 7-row annex, floor and drafts interleaved\n")
    print("| drafts | ms per letter | floor ms | x the zip-rewrite floor | of which the file (render, write, text) | peak memory growth | memory held after |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for count, drafts, floor, rendered, peak, held in rows:
        print(f"| {count:,} | {drafts / count * 1000:.1f} | {floor / count * 1000:.2f} | {drafts / floor:.1f}x | "
              f"{rendered / count * 1000:.1f} ms, {rendered / floor:.1f}x | {peak:.0f} MB | {held:+.0f} MB |")
    print(f"The worker filling templates (drafting/bounded.py): {worker_mb:.0f} MB resident after the runs; "
          f"filling the letter's template takes {worker_ms:.2f} ms through it against {in_process_ms:.2f} ms in the "
          f"drafting process itself (interleaved, 300 each): {worker_ms - in_process_ms:+.2f} ms a letter")
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


def _request(out: Path):  # noqa: ANN202 - a DraftRequest
    from correspondence.drafting import drafts as drafting

    return drafting.DraftRequest(office="MOPAC", letter_date=dt.date(2018, 9, 7), today=dt.date(2018, 9, 6), out_dir=out)


LAST_RENDER: list[tuple] = []  # the template and context of the last draft, to time the worker's round trip on


def _worker_round_trip(rounds: int = 300) -> tuple[float, float]:
    """Milliseconds per letter filling the last draft's template in this process and through the
    worker (drafting/bounded.py), interleaved so that both see the same load: the budget's cost."""
    from correspondence.drafting import rendering

    (args,) = LAST_RENDER
    here = there = 0.0
    for _ in range(rounds):
        started = time.perf_counter()
        rendering._rendered_bytes(*args)
        here += time.perf_counter() - started
        started = time.perf_counter()
        rendering.render_bytes(*args)
        there += time.perf_counter() - started
    return here / rounds * 1000, there / rounds * 1000


def _time_rendering(drafting) -> list[float]:  # noqa: ANN001 - the module
    """Seconds spent in each render_bytes (filling the template, writing the .docx in memory, its text)."""
    spent: list[float] = []
    render_bytes = drafting.render_bytes

    def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        LAST_RENDER[:] = [args]
        started = time.perf_counter()
        try:
            return render_bytes(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    drafting.render_bytes = timed
    return spent


def _worker_rss_mb() -> float:
    """Resident memory of the worker process(es) templates were filled in (drafting/bounded.py)."""
    from correspondence.drafting import bounded

    total = 0.0
    for worker in bounded._idle:
        with open(f"/proc/{worker.process.pid}/statm") as statm:
            total += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024
    return total


def _rss_now_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def _rewrite_once(original: bytes, reference: bytes, number: int) -> float:
    """Seconds to rewrite the letter's zip with a changed document.xml: read, change, write every
    part to a file, as a generator must at least do."""
    started = time.perf_counter()
    source = zipfile.ZipFile(io.BytesIO(original))
    with tempfile.TemporaryFile() as file, zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                assert reference in data, "the floor must change the letter's reference"
                data = data.replace(reference, reference[:-4] + f"{number:04d}".encode())
            target.writestr(item, data)
    return time.perf_counter() - started


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
