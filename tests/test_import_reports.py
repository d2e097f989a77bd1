"""`corr inspection import`: HMICFRS reports as text, HTML, PDF and .docx."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import FIXTURES, SEEDS, assert_clean_error, requires_seeds, snapshot

pytestmark = requires_seeds

MET = SEEDS / "report-hmicfrs-met-cdi-2018-07-17.txt"
REPORTS = FIXTURES / "reports"

MET_AREAS = [
    "remind staff with crime-recording responsibilities of the need to record all crimes at the first point at which "
    "sufficient information exists to do so, particularly in domestic abuse cases",
    "ensure that all reported crimes of rape are recorded without delay",
    "ensure that classification N100 is used correctly",
    "ensure that reports of crime made by third parties acting on behalf of the victim in a professional capacity are recorded",
    "improve the process for cancelling crimes where additional verifiable information exists and ensure that all victims "
    "who have their crimes cancelled are informed of that fact",
    "ensure that crimes allocated for diary appointments are recorded at the point where sufficient information exists "
    "and in any event within 24 hours",
    "improve how it collects diversity information from victims of crime and how it uses this to comply with its equality duty",
]

MET_COUNTS = [
    ("Rape: audited rape reports were accurately recorded", 98, 118),
    ("Crime reports held on other systems: vulnerable victim crimes were recorded", 36, 39),
    ("Modern slavery: modern slavery crimes had been recorded correctly", 11, 12),
    ("Timeliness: reports of violent crime", 301, 459),
    ("Timeliness: sexual offences had been recorded within 24 hours of the receipt of the report", 188, 325),
    ("Cancelled crimes: crimes of rape", 18, 20),
    ("Cancelled crimes: sexual offences", 19, 20),
    ("Cancelled crimes: violence offences", 16, 20),
    ("Cancelled crimes: robbery offences", 17, 20),
]


def met_force(cli):
    cli.ok("force", "add", "Metropolitan Police Service", "--chief-title", "Commissioner")


def test_the_met_seed_report_imports_completely_and_exactly(cli):
    met_force(cli)
    stored = cli.json("inspection", "import", str(MET))
    assert stored["not_found"] == []
    assert stored["force"] == "Metropolitan Police Service"
    assert stored["programme"] == "Crime Data Integrity"
    assert stored["title"] == "The Metropolitan Police Service: Crime Data Integrity inspection 2018"
    assert stored["published_on"] == "2018-07-17"
    assert stored["overall_grade"] == "good"
    assert [(j["question"], j["grade"]) for j in stored["judgments"]] == [
        ("How effective is the force at recording reported crime?", "good"),
        ("How efficiently do the systems and processes in the force support accurate crime-recording?", "good"),
        ("How well does the force demonstrate the leadership and culture necessary to meet the national standards "
         "for crime-recording?", "outstanding"),
    ]
    rates = [(m["name"], m["rate"], m["ci_half_width"], m["estimate_per_year"], m["text"]) for m in stored["measures"] if m["rate"]]
    assert rates == [
        ("Overall crime-recording rate", "89.5", "1.64", 94500, "89.5% (±1.64%); over 94,500 reports of crime a year are not recorded"),
        ("Violence against the person", "87.6", "2.82", 28100, "87.6% (±2.82%); over 28,100 reports of violent crime a year are not recorded"),
        ("Sexual offences", "91", "2.89", 1890, "91% (±2.89%); over 1,890 reported sexual offence crimes each year not recorded"),
    ]
    counts = [(m["name"], m["numerator"], m["denominator"]) for m in stored["measures"] if m["numerator"] is not None]
    assert counts == MET_COUNTS
    assert [(a["kind"], a["number"], a["text"], a["timescale"]) for a in stored["areas"]] == [
        ("area for improvement", n, f"{text}.", "immediately") for n, text in enumerate(MET_AREAS, start=1)  # list punctuation off, a full stop on
    ]


def test_dry_run_shows_the_findings_and_stores_nothing(cli):
    met_force(cli)
    before = snapshot(cli.db_url)
    shown = cli.ok("inspection", "import", str(MET), "--dry-run").stdout
    assert "nothing stored" in shown and "7 found" in shown and "none found" in shown
    assert "judgment: How effective is the force at recording reported crime?  [good]" in shown
    data = cli.json("inspection", "import", str(MET), "--dry-run")
    assert data["not_found"] == [] and len(data["areas_for_improvement"]) == 7
    assert snapshot(cli.db_url) == before


def test_peel_html_page_with_furniture_and_no_overall_grade(cli):
    cli.ok("force", "add", "Kent Police")
    stored = cli.json("inspection", "import", str(REPORTS / "peel-kent-2022.html"))
    assert stored["not_found"] == ["overall_grade"]
    assert stored["overall_grade"] is None  # a report with no grade stores no grade
    assert (stored["programme"], stored["published_on"]) == ("PEEL 2021/22", "2022-03-04")
    assert [(j["question"], j["grade"]) for j in stored["judgments"]] == [
        ("Preventing crime and anti-social behaviour", "good"),
        ("Responding to the public", "requires improvement"),
        ("Investigating crime", "adequate"),
        ("Protecting vulnerable people", "good"),
    ]
    areas = [(a["code"], a["text"], a["timescale"]) for a in stored["areas"]]
    assert areas == [
        ("C1", "The force isn’t answering emergency & non-emergency calls quickly enough, so it can’t always assess a caller’s risk.", None),
        ("R1", "review its call-handling demand & resources.", "within three months"),
        ("R2", "make sure call handlers use the “THRIVE” risk model on every call.", "within three months"),
        ("R3", "monitor abandoned calls <101> daily.", "within three months"),
        ("A1", "The force should improve how it records equality data.", None),
        ("A2", "The force should make sure victims’ needs assessments are completed.", None),
    ]
    assert [(m["name"], m["rate"], m["ci_half_width"]) for m in stored["measures"]] == [("Recording rate", "93.1", "1.2")]
    everything = str(stored).lower()
    assert "cookie" not in everything and "crown copyright" not in everything


def test_messy_cdi_text_with_page_furniture(cli):
    stored = cli.json("inspection", "import", str(REPORTS / "cdi-shire-2019.txt"), "--add-force")
    assert (stored["force"], stored["overall_grade"], stored["published_on"]) == ("Shire Constabulary", "requires improvement", "2019-09-13")
    assert [m["text"] for m in stored["measures"]] == [
        "88.4% (±1.95%); over 12,300 reports of crime a year are not recorded",
        "84.2% (±3.1%); over 5,600 reports of violent crime a year are not recorded",
        "52 of 58",
    ]
    assert [a["code"] for a in stored["areas"]] == ["C1", "R1", "R2", "R3", "A1", "A2"]


def _as_docx(text: str, path: Path) -> Path:
    from docx import Document

    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(str(path))
    return path


def _as_pdf(text: str, path: Path) -> Path:
    from fpdf import FPDF

    ascii_text = (text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace("•", "-")
                  .replace("–", "-").replace("›", ">").replace("±", "+/-"))
    pdf = FPDF()
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in ascii_text.splitlines():
        pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_the_same_report_as_docx_gives_the_same_findings(tmp_path):
    from correspondence.importers.storing import read_report

    from_text = read_report(MET)
    from_docx = read_report(_as_docx(MET.read_text(encoding="utf-8"), tmp_path / "met.docx"))
    assert from_docx.as_inspection_data() == from_text.as_inspection_data()


def test_the_same_report_as_html_gives_the_same_findings(tmp_path):
    import html

    from correspondence.importers.storing import read_report

    paragraphs = [block for block in MET.read_text(encoding="utf-8").split("\n\n") if block.strip()]
    body = "".join(f"<p>{'<br>'.join(html.escape(line) for line in block.splitlines())}</p>\n" for block in paragraphs)
    page = tmp_path / "met.html"
    page.write_text(f"<html><head><title>x</title></head><body><div class='cookie-banner'>Accept cookies</div>{body}</body></html>", encoding="utf-8")
    assert read_report(page).as_inspection_data() == read_report(MET).as_inspection_data()


def test_a_pdf_report_is_read_from_its_text_layer(cli, tmp_path):
    pdf = _as_pdf((REPORTS / "cdi-shire-2019.txt").read_text(encoding="utf-8"), tmp_path / "shire.pdf")
    stored = cli.json("inspection", "import", str(pdf), "--add-force")
    assert (stored["force"], stored["overall_grade"], stored["published_on"]) == ("Shire Constabulary", "requires improvement", "2019-09-13")
    assert [(m["rate"], m["ci_half_width"]) for m in stored["measures"] if m["rate"]] == [("88.4", "1.95"), ("84.2", "3.1")]
    assert [a["code"] for a in stored["areas"]] == ["C1", "R1", "R2", "R3", "A1", "A2"]


def test_force_named_briefly_is_matched_and_unknown_force_refused(cli, tmp_path):
    cli.ok("force", "add", "Kent Police")
    report = tmp_path / "kent.txt"
    report.write_text("PEEL 2023: An inspection of Kent\nPublished on: 1 May 2023\n", encoding="utf-8")
    assert cli.json("inspection", "import", str(report))["force"] == "Kent Police"
    other = tmp_path / "essex.txt"
    other.write_text("Essex Police: Crime Data Integrity inspection 2019\nPublished: 2 June 2019\n", encoding="utf-8")
    assert_clean_error(cli("inspection", "import", str(other)), "no force named 'Essex Police'")


def test_a_report_missing_its_date_is_not_stored(cli, tmp_path):
    met_force(cli)
    undated = tmp_path / "undated.txt"
    undated.write_text(MET.read_text(encoding="utf-8").replace("Published on: 17 July 2018", ""), encoding="utf-8")
    before = snapshot(cli.db_url)
    assert_clean_error(cli("inspection", "import", str(undated)), "could not find the report's publication date; nothing stored")
    assert snapshot(cli.db_url) == before
    data = cli.json("inspection", "import", str(undated), "--dry-run")
    assert "published" in data["not_found"] and "published" not in data


def test_importing_twice_is_refused(cli):
    met_force(cli)
    cli.ok("inspection", "import", str(MET))
    assert_clean_error(cli("inspection", "import", str(MET)), "already stored as inspection 1")


def test_yaml_output_can_be_corrected_and_added(cli, tmp_path):
    met_force(cli)
    out = tmp_path / "met.yaml"
    cli.ok("inspection", "import", str(MET), "--dry-run", "--yaml", str(out))
    corrected = out.read_text(encoding="utf-8").replace("programme: Crime Data Integrity", "programme: CDI 2018")
    out.write_text(corrected, encoding="utf-8")
    stored = cli.json("inspection", "add", str(out))
    assert stored["programme"] == "CDI 2018" and len(stored["areas"]) == 7 and len(stored["measures"]) == 12
    assert_clean_error(cli("inspection", "import", str(MET), "--dry-run", "--yaml", str(out)), "already exists")


def test_peel_judgments_written_as_sentences_and_one_not_yet_graded(cli):
    report = str(REPORTS / "peel-suffolk-2019-sentences.txt")
    found = cli.json("inspection", "import", report, "--dry-run")
    assert (found["force"], found["programme"]) == ("Suffolk Constabulary", "PEEL 2019")  # not 2022, from "since ... in 2022"
    assert found["judgments"] == [
        {"question": "The extent to which the force is effective at keeping people safe and reducing crime", "grade": "good"},
        {"question": "The extent to which the force is legitimate at keeping people safe and reducing crime", "grade": "requires improvement"},
    ]  # "the constabulary is good at protecting vulnerable people" is prose, not a graded question
    assert found["flags"] == ["judgment not stored, it has no grade (not yet graded): "
                              "The extent to which the force is efficient at keeping people safe and reducing crime"]
    assert found["found_at"]["judgments[1]"]["text"].endswith("reducing crime: not yet graded.")
    result = cli("inspection", "import", report, "--add-force")
    assert result.exit_code == 0 and "check " in result.stderr and "not yet graded" in result.stderr


def test_numbered_recommends_that_items_and_the_share_not_recorded(cli):
    report = str(REPORTS / "fraud-thematic-recommends.txt")
    found = cli.json("inspection", "import", report, "--dry-run")
    assert [(r["number"], r["timescale"]) for r in found["recommendations"]] == [(1, "by 31 March 2022"), (2, "within six months")]
    assert found["recommendations"][0]["text"].startswith("HMICFRS recommends that, by 31 March 2022, chief constables")
    assert [(m["name"], m["rate"], m.get("ci"), m.get("estimate_per_year"), m.get("national_average")) for m in found["measures"]] == [
        ("Share of reported crime not recorded (Recording fraud)", "7", "2", 5200, None),  # never a 7% recording rate
        ("Recording fraud", "93", "1.5", None, "90"),  # and "the 7 percent that go unrecorded" is not a figure of its own
    ]
    assert found["national"] is True and "force" not in found  # a national report names no force: it says it is on none
    assert "force" not in found["not_found"] and "programme" in found["not_found"]
    assert_clean_error(cli("inspection", "import", report), "could not find the report's programme; nothing stored")
    stored = cli.json("inspection", "import", report, "--force", "Suffolk Constabulary", "--programme", "Fraud", "--add-force")
    assert [(a["code"], a["timescale"]) for a in stored["areas"]] == [("R1", "by 31 March 2022"), ("R2", "within six months")]


def test_a_text_that_stops_mid_sentence_is_flagged_and_stored_marked_as_cut(cli):
    report = str(REPORTS / "tracker-cut-short.txt")
    result = cli("inspection", "import", report, "--add-force", "--json")
    assert result.exit_code == 0
    assert "check " in result.stderr and "may be cut short" in result.stderr
    import json

    stored = json.loads(result.stdout)
    assert [(a["code"], a["timescale"]) for a in stored["areas"]] == [("C1", None), ("R1", "within three months"), ("R2", "within six months")]
    assert stored["areas"][2]["text"].endswith("check that the training has made a diff […]")  # not stored as if whole
    assert not stored["areas"][1]["text"].endswith("[…]")


def test_the_force_is_a_force_name_never_a_sentence(cli, tmp_path):
    report = tmp_path / "national.txt"
    report.write_text("Policing in austerity: one year on\n\nPublished on: 1 May 2015\n\n"
                      "The inspectorate found that the force in each area had cut its neighbourhood teams.\n", encoding="utf-8")
    found = cli.json("inspection", "import", str(report), "--dry-run")
    assert "force" not in found and "force" in found["not_found"]


def test_a_list_read_short_of_the_count_the_report_states_is_flagged() -> None:
    """A letter must not say "three areas for improvement" of a report that says it has five: where the
    report states its count in words and the lists read hold fewer, the officer is told (issue 23).
    Another report's count ("of the 22 recommendations made at the last inspection") is not its own."""
    from correspondence.importers.report import parse_report

    text = ("Exampleshire Police: custody inspection 2026\nPublished on: 3 March 2026\n\n"
            "Of the 22 recommendations made at our last inspection, the force has achieved 15.\n"
            "To help the force improve, we have made two recommendations. We have also highlighted a further "
            "five areas for improvement.\n\nRecommendations\n\n- The force should review its custody staffing.\n"
            "- The force should record every use of force in custody.\n\nAreas for improvement\n\n"
            "- The force should improve its risk assessments.\n- The force should check cells more often.\n")
    findings = parse_report(text)
    assert [len(findings.recommendations), len(findings.areas_for_improvement)] == [2, 2]
    short = [flag for flag in findings.flags if "says it has" in flag]
    assert short == ["the report says it has 5 areas for improvement (line 5) but 2 were read; add the others before "
                     "drafting, or a letter will give the wrong number"]
