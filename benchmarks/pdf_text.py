"""Which PDF text extraction reads reports saved as PDF best: the measurement behind importers/pdf_text.

    python benchmarks/pdf_text.py

Makes PDFs of the seed report and the 23 corpus reports two ways (fpdf, single column, DejaVu Sans;
and LibreOffice from a .docx, as a report saved from Word looks), reads each back three ways, and
counts how many of the report's facts (the fields of `corr inspection import --dry-run --json`)
come out the same as from the text itself:

- pypdf's plain extract_text(), the reader before this change;
- pypdf's layout mode, with the same line joining as the importer (importers.pdf_text.join_layout);
- pdfplumber's positioned lines, with that line joining (what the importer uses).

Also used by tests/test_import_pdf.py to make its PDFs.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SHARED = Path(__file__).resolve().parents[2] / "shared"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # fonts-dejavu-core: on every machine image here


def report_as_fpdf(text: str, path: Path) -> Path:
    """A single-column PDF of the text: one paragraph per block, lines wrapped at the margin."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=10)
    for line in text.splitlines():
        pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def report_as_docx(text: str, path: Path) -> Path:
    """A Word document of the text: one paragraph per block, its lines kept apart by line breaks,
    and a running footer, as a report saved from Word has."""
    from docx import Document

    document = Document()
    document.sections[0].footer.paragraphs[0].text = "HMICFRS inspection report"
    for block in text.split("\n\n"):
        lines = [line.strip() for line in block.strip("\n").split("\n")]
        if not any(lines):
            continue
        run = document.add_paragraph().add_run()
        for number, line in enumerate(lines):
            if number:
                run.add_break()
            run.add_text(line)
    document.save(str(path))
    return path


def report_as_libreoffice_pdf(text: str, path: Path) -> Path:
    from correspondence.files.pdf import convert_to_pdf

    docx = report_as_docx(text, path.with_suffix(".docx"))
    produced = convert_to_pdf(docx)
    if produced != path:
        shutil.move(str(produced), path)
    return path


def pypdf_plain(path: Path) -> str:
    from pypdf import PdfReader

    return "\n\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def pypdf_layout(path: Path) -> str:
    """pypdf's layout mode gives lines on a character grid; positions are read off that grid."""
    from pypdf import PdfReader

    from correspondence.files.pdf_text import PdfLine, join_layout

    pages = []
    for page in PdfReader(str(path)).pages:
        lines = []
        for row, raw in enumerate((page.extract_text(extraction_mode="layout") or "").splitlines()):
            if raw.strip():
                indent = len(raw) - len(raw.lstrip())
                words = raw.split()
                lines.append(PdfLine(" ".join(words), indent, len(raw.rstrip()), row, row + 0.6, 1.0, len(words[0])))
        pages.append(lines)
    return join_layout(pages)


def pdfplumber_joined(path: Path) -> str:
    from correspondence.files.pdf_text import read_pdf

    return read_pdf(path)


READERS = {"pypdf extract_text (before)": pypdf_plain, "pypdf layout mode + joining": pypdf_layout,
           "pdfplumber + joining (used)": pdfplumber_joined}


def main() -> int:
    from correspondence.files.documents import tidy
    from correspondence.files.pdf import libreoffice
    from correspondence.importers.report import parse_report

    reports = [SHARED / "seeds" / "report-hmicfrs-met-cdi-2018-07-17.txt", *sorted((SHARED / "corpus" / "reports").glob("*.txt"))]
    if not reports[0].is_file() or not FONT.is_file():
        print(f"error: needs {reports[0]} and {FONT}", file=sys.stderr)
        return 1
    makers = {"fpdf": report_as_fpdf}
    if libreoffice():
        makers["LibreOffice"] = report_as_libreoffice_pdf
    rows = []
    with tempfile.TemporaryDirectory(prefix="corr-pdf-bench-") as scratch:
        for maker_name, maker in makers.items():
            pdfs = [(report, maker(report.read_text(encoding="utf-8"), Path(scratch) / f"{maker_name}-{report.stem}.pdf"))
                    for report in reports]
            for reader_name, reader in READERS.items():
                same = total = 0
                seconds = []
                seed_areas = None
                for report, pdf in pdfs:
                    expected = parse_report(report.read_text(encoding="utf-8")).as_inspection_data()
                    started = time.perf_counter()
                    got = parse_report(tidy(reader(pdf))).as_inspection_data()
                    seconds.append(time.perf_counter() - started)
                    for key in set(expected) | set(got):
                        total += 1
                        same += expected.get(key) == got.get(key)
                    if report == reports[0]:
                        seed_areas = len(got.get("areas_for_improvement", []))
                rows.append((maker_name, reader_name, same, total, seed_areas, statistics.median(seconds)))
    print("| PDF made by | read with | facts as from the text | Met seed: areas for improvement (of 7) | median s a report |")
    print("| --- | --- | ---: | ---: | ---: |")
    for maker_name, reader_name, same, total, seed_areas, seconds in rows:
        print(f"| {maker_name} | {reader_name} | {same} of {total} ({same / total:.0%}) | {seed_areas} | {seconds:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
