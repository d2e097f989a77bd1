"""Render the bundled example's letters to PNG for the README, so readers see what they will get.

    python scripts/render_examples.py            # writes docs/images/<kind>-<page>.png

It loads the example into a throwaway database, drafts each kind of letter the README shows (the
s.55 response with Annex A, the follow-up after the oversight board with its annex of actions, and
the annex on its own), converts each to PDF with LibreOffice (correspondence/pdf.py) and each page
to PNG with pdftoppm. Run it after changing a template or a phrasing rule, look at every page, and
commit the images with the change. Needs LibreOffice and poppler-utils (pdftoppm).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
RESOLUTION = 60  # dots per inch: a readable A4 page about 500 pixels wide


def draft_examples(folder: Path) -> dict[str, Path]:
    from correspondence.drafting import drafts as drafting
    from correspondence.examples.bundled import load_example
    from correspondence.records.store import open_store
    from correspondence.records.transactions import in_one_transaction

    store = open_store(f"sqlite:///{folder / 'example.db'}")
    letters = folder / "letters"

    def work(session) -> dict[str, Path]:  # noqa: ANN001
        example = load_example(session, letters)
        followup = drafting.draft_followup(session, example.meeting.id, drafting.DraftRequest(
            office="MOPAC", letter_date=dt.date(2022, 5, 4), today=dt.date(2022, 5, 4), out_dir=letters))
        annex = drafting.draft_annex(session, example.inspection.id, drafting.DraftRequest(
            office="MOPAC", letter_date=dt.date(2018, 8, 1), today=dt.date(2018, 8, 1), out_dir=letters))
        return {"s55-response": example.draft_file, "follow-up": followup.path, "annex": annex.path}

    try:
        return in_one_transaction(store, work)
    finally:
        store.dispose()


def main() -> int:
    from correspondence.files.pdf import convert_to_pdf, require_libreoffice

    require_libreoffice()
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: install poppler-utils", file=sys.stderr)
        return 1
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="corr-images-") as scratch:
        pages = Path(scratch) / "pages"
        pages.mkdir()
        for kind, docx in draft_examples(Path(scratch)).items():
            pdf = convert_to_pdf(docx)
            subprocess.run(["pdftoppm", "-png", "-r", str(RESOLUTION), str(pdf), str(pages / kind)], check=True)
        # the old pages go only once every new one is made: a failed run leaves the docs as they were
        for old in IMAGES.glob("*.png"):
            old.unlink()
        for page in pages.glob("*.png"):
            shutil.move(str(page), IMAGES / page.name)
    for image in sorted(IMAGES.glob("*.png")):
        print(f"wrote {image.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
