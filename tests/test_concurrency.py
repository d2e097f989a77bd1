"""Two people drafting at once never get the same reference: parallel processes, one database."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from tests._workers import draft_many

PROCESSES = 4
EACH = 6


def test_parallel_drafters_get_distinct_consecutive_references(example_cli, tmp_path):
    context = multiprocessing.get_context("spawn")
    start = context.Manager().Event()
    with ProcessPoolExecutor(max_workers=PROCESSES, mp_context=context) as pool:
        futures = [pool.submit(draft_many, example_cli.db_url, EACH, start) for _ in range(PROCESSES)]
        start.set()
        taken = [reference for future in futures for reference in future.result(timeout=300)]
    assert len(taken) == len(set(taken)) == PROCESSES * EACH
    numbers = sorted(int(reference.rsplit("-D", 1)[1]) for reference in taken)
    assert numbers == list(range(2189, 2189 + PROCESSES * EACH))  # no gaps, no repeats
    registered = [letter["reference"] for letter in example_cli.json("letter", "list", "--office", "MOPAC")]
    assert set(taken) <= set(registered)
    files = sorted(path.name for path in (tmp_path / "letters").iterdir())
    assert len(files) == PROCESSES * EACH + 1  # and each draft has its own copy in the office's folder
