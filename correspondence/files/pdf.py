"""PDF copies of drafted letters, made by LibreOffice when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from correspondence.records.errors import CorrespondenceError, Step, named


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_libreoffice(purpose: str | None = None) -> str:
    """The LibreOffice binary, checked before drafting so a missing one stores nothing. Without a
    ``purpose``, the PDF was asked for (the ``pdf`` choice) and could be left out."""
    binary = libreoffice()
    if binary is None:
        if purpose:
            raise CorrespondenceError(f"{purpose} needs LibreOffice, which is not on this machine",
                                      steps=[Step("install_libreoffice", "install LibreOffice")])
        raise CorrespondenceError(f"{named('pdf')} needs LibreOffice, which is not on this machine",
                                  steps=[Step("install_libreoffice_or_no_pdf", "install LibreOffice, or ask for no PDF")])
    return binary


def convert_to_pdf(docx: Path) -> Path:
    """Write DOCX's PDF beside it (same name, .pdf), refusing to overwrite an existing PDF."""
    return _convert(docx, docx.with_suffix(".pdf"), "pdf")


# Tagged PDF (a structure tree: headings, paragraphs, lists, tables, links), PDF/A-2b for archiving,
# marked PDF/UA, with the document's title shown instead of its file name. LibreOffice 7.4 and
# later read these export options as JSON on the command line.
ACCESSIBLE_EXPORT = (
    'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
    '"SelectPdfVersion":{"type":"long","value":"2"},'
    '"PDFUACompliance":{"type":"boolean","value":"true"},'
    '"DisplayPDFDocTitle":{"type":"boolean","value":"true"},'
    '"ExportBookmarks":{"type":"boolean","value":"true"}}'
)


def convert_to_accessible_pdf(docx: Path, target: Path) -> Path:
    """Write DOCX as a tagged PDF/A-2 at TARGET (which must not exist), for publication.

    The document's language and title come from the .docx (see accessible.write_docx)."""
    return _convert(docx, target, ACCESSIBLE_EXPORT)


def _convert(docx: Path, target: Path, export: str) -> Path:
    binary = require_libreoffice()
    if target.exists():
        raise CorrespondenceError(f"{target} already exists; a letter file is never overwritten")
    with tempfile.TemporaryDirectory(prefix="corr-pdf-") as work:
        # A private profile: LibreOffice refuses to run twice on one profile.
        profile = Path(work, "profile").as_uri()
        outdir = Path(work, "out")
        try:
            subprocess.run(
                [binary, f"-env:UserInstallation={profile}", "--headless", "--convert-to", export, "--outdir", str(outdir), str(docx)],
                check=True,
                capture_output=True,
                timeout=180,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            raise CorrespondenceError(f"LibreOffice could not convert {docx} to PDF ({error})") from None
        produced = outdir / f"{docx.stem}.pdf"
        if not produced.is_file():
            raise CorrespondenceError(f"LibreOffice did not produce a PDF for {docx}")
        shutil.move(str(produced), target)
    return target
