"""How the readers' time grows with the file: seconds per MB at 100 KB, 1 MB and 4 MB, ordinary and
hostile, for every kind of file the tool reads the text of (the figures are in
docs/developer/performance.md, Readers).

    python benchmarks/readers.py               # every kind, 100 KB, 1 MB and 4 MB
    python benchmarks/readers.py --kinds html txt --sizes 0.1 1

Each file is read as `corr letter import` and `corr inspection import` read it: through the gate
(files/gate.py) and read_document, and, for text, parsed by the report importer too. The floor, in
the same run, is the least any reader must do with the same file: read its bytes and decompress or
decode them (every part of a .docx inflated; every stream of a PDF inflated; text decoded). Time
per MB must be flat across sizes: a reader whose work grows with the square of the file shows a
column that grows 10 and 40 times.

Hostile files are the shapes that were quadratic or could be: HTML with ``<span>a `` never closed,
end tags closing nothing, an unclosed comment and deep nesting; a text report that is one paragraph
of figures without a full stop; an e-mail with a header folded over thousands of lines and
thousands of MIME parts; a .docx of one-character runs and a table nested 40 deep; a PDF whose
lines all run on into one paragraph.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import statistics
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

KB = 1024
MB = 1024 * 1024
SENTENCE = "The force has improved its crime recording since our last inspection, and victims are better served. "
VOCABULARY = ("crime recording victims domestic abuse audit registrar compliance inspection force report response update "
              "action plan timeliness safeguarding training officers recommendation improvement oversight board").split()
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _repeat(piece: str, size: int) -> str:
    return piece * max(1, size // len(piece))


# --- the files --------------------------------------------------------------------------------


def html_ordinary(size: int) -> bytes:
    return ("<!DOCTYPE html><html><head><title>Report</title></head><body><nav><a href='/'>Home</a></nav>"
            + _repeat(f"<p class='body'>{SENTENCE}<b>Stop &amp; search</b> is <i>fair</i>.</p>\n", size)
            + "</body></html>").encode()


def html_hostile(size: int) -> bytes:
    quarter = size // 4
    return ("<html><body>" + _repeat("<span>a ", quarter) + _repeat("</b>b ", quarter) + _repeat("<div>", quarter // 2)
            + "deep" + _repeat("</div>", quarter // 2) + "<!--" + _repeat("a<", quarter)).encode()


def text_ordinary(size: int) -> bytes:
    seed = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "report-hmicfrs-met-cdi-2018-07-17.txt"
    report = seed.read_text(encoding="utf-8") if seed.is_file() else ("Crime data integrity\n\n" + SENTENCE + "\n\n") * 50
    return (report * (size // len(report.encode()) + 1)).encode()[:size]


def text_hostile(size: int) -> bytes:
    figure = "the force recorded 91.2 percent (with a confidence interval of +/- 1.3 percent) of crimes, and "
    return ("Crime data integrity inspection\n\nMetropolitan Police Service\n\n" + _repeat(figure, size) + "\n").encode()


def eml_ordinary(size: int) -> bytes:
    head = "From: chief.officer@police.example\nTo: opcc@pcc.example\nSubject: Response to the inspection\nDate: Mon, 20 Aug 2018 09:00:00 +0100\n\n"
    return (head + _repeat(SENTENCE + "\n", size)).encode()


def eml_hostile(size: int) -> bytes:
    folded = "Subject: " + _repeat("a very long subject folded\n ", size // 2) + "\n"
    parts = "".join(f"--b\nContent-Type: text/plain\n\npart {n}\n" for n in range(size // 2 // 40))
    return ("From: x@example.org\n" + folded + 'Content-Type: multipart/mixed; boundary="b"\n\n' + parts + "--b--\n").encode()


def _words(count: int, seed: int) -> str:
    """Words that do not compress to nothing (a .docx of one sentence repeated is a few KB at any length)."""
    chosen = random.Random(seed)
    return " ".join(f"{chosen.choice(VOCABULARY)}{chosen.randint(0, 9999)}" for _ in range(count))


def docx_ordinary(size: int) -> bytes:
    from docx import Document

    return _sized(lambda n: _saved_with(Document(), lambda document: [document.add_paragraph(_words(15, k)) for k in range(n)]), size)


def _saved_with(document: object, fill: Callable[[object], object]) -> bytes:
    fill(document)
    return _saved(document)


def docx_hostile(size: int) -> bytes:
    from docx import Document

    document = Document()
    cell = document.add_table(rows=1, cols=2).cell(0, 0)
    for depth in range(40):
        cell = cell.add_table(rows=1, cols=2).cell(0, 0)
        cell.paragraphs[0].text = f"level {depth}"
    body = document.element.body
    paragraph = document.add_paragraph()
    run_xml = paragraph.add_run("a")._r
    from copy import deepcopy

    runs = max(1, size // 9)  # one-character runs, each its own word: about 9 bytes each on disk
    chosen = random.Random(22)
    for _ in range(runs):
        run = deepcopy(run_xml)
        run[-1].text = chosen.choice(VOCABULARY)
        paragraph._p.append(run)
    assert body is not None
    return _saved(document)


def _saved(document: object) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def _pdf(lines: list[str], compress: bool) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_compression(compress)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=10)
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def pdf_ordinary(size: int) -> bytes:
    return _sized(lambda n: _pdf([SENTENCE * 3, ""] * n, compress=False), size)


def pdf_hostile(size: int) -> bytes:
    return _sized(lambda n: _pdf([(SENTENCE * 3).strip() + " and so on"] * n, compress=False), size)


def _sized(make: Callable[[int], bytes], size: int) -> bytes:
    """The file ``make`` makes at about ``size`` bytes (made small twice, then scaled past its fixed part)."""
    base, sample = len(make(1)), len(make(200))
    return make(max(1, round(1 + 199 * max(size - base, 0) / max(sample - base, 1))))


KINDS: dict[str, tuple[str, Callable[[int], bytes], Callable[[int], bytes]]] = {
    "html": (".html", html_ordinary, html_hostile),
    "txt": (".txt", text_ordinary, text_hostile),
    "eml": (".eml", eml_ordinary, eml_hostile),
    "docx": (".docx", docx_ordinary, docx_hostile),
    "pdf": (".pdf", pdf_ordinary, pdf_hostile),
}


# --- reading, and the floor ------------------------------------------------------------------


def read(path: Path) -> None:
    from correspondence.files.documents import read_document
    from correspondence.importers.report import parse_report

    text = read_document(path)
    if path.suffix == ".txt":
        parse_report(text)  # the importer reads its text too


def floor(path: Path) -> None:
    content = path.read_bytes()
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            for member in package.infolist():
                package.read(member)
    elif content.startswith(b"%PDF"):
        for stream in re.finditer(rb"stream\r?\n(.*?)endstream", content, re.DOTALL):
            try:
                zlib.decompress(stream.group(1))
            except zlib.error:
                pass
    else:
        content.decode("utf-8", "replace").split("\n")


def timed(work: Callable[[], None], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kinds", nargs="*", default=list(KINDS))
    parser.add_argument("--sizes", nargs="*", type=float, default=[0.1, 1, 4], help="MB")
    options = parser.parse_args()
    print(f"Python {sys.version.split()[0]}\n")
    print("| file | size | s per MB | floor s per MB | x the floor |")
    print("| --- | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="corr-readers-") as scratch:
        for kind in options.kinds:
            suffix, ordinary, hostile = KINDS[kind]
            for shape, make in (("ordinary", ordinary), ("hostile", hostile)):
                per_mb = []
                for size in options.sizes:
                    path = Path(scratch) / f"{kind}-{shape}-{size}{suffix}"
                    path.write_bytes(make(int(size * MB)))
                    megabytes = path.stat().st_size / MB
                    rounds = 5 if megabytes < 0.5 else 3 if megabytes < 2 else 1
                    reading = timed(lambda path=path: read(path), rounds)
                    least = timed(lambda path=path: floor(path), rounds)
                    per_mb.append(reading / megabytes)
                    print(f"| {kind} {shape} | {megabytes * 1024:,.0f} KB | {reading / megabytes:.3f} | {least / megabytes:.4f} | "
                          f"{reading / max(least, 1e-9):,.0f}x |", flush=True)
                print(f"| {kind} {shape}: largest over smallest s per MB | | {per_mb[-1] / per_mb[0]:.2f} | | |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
