"""The README's first command: `corr example` on an empty folder."""

import os
from pathlib import Path

from typer.testing import CliRunner

from correspondence.cli import app
from tests.conftest import snapshot


def test_example_loads_and_prints_the_reports_facts(cli):
    result = cli.ok("example")
    out = result.stdout
    assert "Mayor's Office for Policing and Crime (MOPAC)" in out
    assert "published 17 July 2018" in out
    assert "Overall grade: good" in out
    assert "[outstanding]" in out  # leadership and culture
    assert "89.5% (±1.64%)" in out
    assert "over 94,500 reports of crime a year not recorded" in out
    assert "91% (±2.89%)" in out  # the report's own precision, not 91.00%
    assert "98 of 118" in out
    assert "A7   Collect diversity information" in out
    assert "-> complete (20 August 2018): Every rape report is now recorded on receipt" in out
    assert "=> MOPAC (31 August 2018): MOPAC will sample domestic abuse reports each quarter" in out
    assert "Letter in  20 August 2018 from Metropolitan Police Service" in out
    assert "Meeting    1: MPS Oversight Board, 21 April 2022, 4 actions" in out
    # the real letter's reference, reproduced by MOPAC's scheme and running number
    assert "Drafted    MOPAC06092018-D2188 of 7 September 2018 to Rt Hon Sajid Javid MP (Home Secretary)" in out


def test_example_json_holds_every_stored_fact(cli):
    data = cli.json("example")
    inspection = data["inspection"]
    assert inspection["published_on"] == "2018-07-17"
    assert [j["grade"] for j in inspection["judgments"]] == ["good", "good", "outstanding"]
    overall = inspection["measures"][0]
    assert (overall["rate"], overall["ci_half_width"], overall["estimate_per_year"]) == ("89.5", "1.64", 94500)
    rape = next(m for m in inspection["measures"] if "rape" in m["name"])
    assert (rape["numerator"], rape["denominator"]) == (98, 118)
    assert len(inspection["areas"]) == 7 and {a["kind"] for a in inspection["areas"]} == {"area for improvement"}
    assert all(area["latest_update"]["received_on"] == "2018-08-20" for area in inspection["areas"])
    prior = data["prior_letter"]
    assert (prior["direction"], prior["status"], prior["inspection_id"]) == ("in", "received", inspection["id"])
    draft = data["draft"]
    assert draft["addressee_address"] == "Home Office\n2 Marsham Street\nLondon\nSW1P 4DF"
    assert (draft["cc"], draft["status"], draft["kind"]) == ("HMICFRS", "draft", "s55 response")
    assert Path(draft["file"]).name == "MOPAC06092018-D2188.docx" and Path(draft["file"]).is_file()
    assert [a["lead"] for a in data["meeting"]["actions"]] == ["MPS", "MPS", "MPS", "MOPAC"]
    # as the real letter of 2018: the office's address then, and the office's own answers
    assert [a["until"] for a in data["office"]["dated_addresses"]] == ["2021-12-31"]  # since then, its own address
    assert data["office"]["address"].startswith("City Hall\nKamal Chunchie Way")
    assert [a["code"] for a in inspection["areas"] if a["answers"]] == ["A1", "A5", "A7"]


def test_running_the_example_twice_changes_nothing(cli, tmp_path):
    cli.ok("example")
    letter = tmp_path / "letters" / "MOPAC06092018-D2188.docx"
    before, drafted = snapshot(cli.db_url), letter.read_bytes()
    second = cli.ok("example")
    assert "Already loaded" in second.stdout
    assert snapshot(cli.db_url) == before
    assert letter.read_bytes() == drafted
    assert sorted(p.name for p in (tmp_path / "letters").iterdir()) == ["MOPAC06092018-D2188.docx"]


def test_example_without_db_creates_correspondence_db_in_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CORR_DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, ["example"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "correspondence.db").is_file()
    assert os.path.getsize(tmp_path / "correspondence.db") > 0


def test_the_docs_show_every_letter_kind_from_images_that_exist():
    """The guide's "What each letter looks like" (docs/guide/letters.md) shows every rendered page."""
    import re

    root = Path(__file__).resolve().parents[1]
    page = (root / "docs" / "guide" / "letters.md").read_text(encoding="utf-8")
    images = ["docs/" + image for image in re.findall(r"\]\(\.\./(images/[^)]+\.png)\)", page)]
    assert {Path(image).stem.rsplit("-", 1)[0] for image in images} == {"s55-response", "follow-up", "annex"}
    for image in images:
        assert (root / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{image} is missing; run scripts/render_examples.py"
    assert sorted(p.name for p in (root / "docs" / "images").glob("*.png")) == sorted(Path(i).name for i in images)
