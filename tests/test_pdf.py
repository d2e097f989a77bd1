"""Each shipped template's output converts to PDF with LibreOffice (skipped where it is absent)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from correspondence.files.pdf import libreoffice

pytestmark = pytest.mark.skipif(libreoffice() is None, reason="LibreOffice (soffice) is not installed")


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["draft", "response", "1", "--allow-missing", "--date", "7/9/2018"], "Annex A: the force's update on each finding"),
        (["draft", "followup", "1", "--date", "4/5/2022"], "Dear Steve"),
        (["draft", "annex", "1"], "published the report “The Metropolitan Police Service: Crime Data Integrity inspection 2018” on 17 July 2018"),
    ],
    ids=["response", "followup", "annex"],
)
def test_draft_with_pdf_writes_a_readable_pdf(example_cli, command, expected):
    result = example_cli.json(*command, "--office", "MOPAC", "--pdf")
    pdf = Path(result["pdf"])
    assert pdf == Path(result["file"]).with_suffix(".pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert result["reference"] in text
        assert expected in " ".join(text.split())
