"""Reading generated letters back with python-docx, as a check that does not trust the renderer."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document


@dataclass
class Letter:
    paragraphs: list[tuple[str, str]]  # (style name, text)
    tables: list[list[list[str]]]
    document: object

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.paragraphs)

    def paragraph(self, starting: str) -> str:
        return next(text for _, text in self.paragraphs if text.startswith(starting))

    def styled(self, style: str) -> list[str]:
        return [text for name, text in self.paragraphs if name == style]

    def footer_xml(self) -> str:
        return self.document.sections[0].footer._element.xml

    def bold_texts(self) -> list[str]:
        runs = [run for p in self.document.paragraphs for run in p.runs]
        runs += [run for t in self.document.tables for row in t.rows for c in row.cells for p in c.paragraphs for run in p.runs]
        return [run.text for run in runs if run.bold and run.text]

    def italic_texts(self) -> list[str]:
        runs = [run for p in self.document.paragraphs for run in p.runs]
        return [run.text for run in runs if run.italic and run.text]


def read_letter(path: Path) -> Letter:
    document = Document(str(path))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return Letter(paragraphs, tables, document)


def parts(path: Path) -> dict[str, bytes]:
    """Every part of the .docx zip by name: two renders are compared part by part, not as bytes."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in sorted(archive.namelist())}
