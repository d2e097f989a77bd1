"""Figures said right, and only the ones chosen (issue 23, item 3): a letter quotes a figure only once
a person confirmed the phrase that names it, the office chose it, and it is for the report's own
period; the importer marks an earlier period's figure and makes up no phrase; the office confirms
and chooses in the CLI and on the inspection's figures page.

The reports below are written for these tests from the facts of the development corpus (the numbers
and what they mean), not copied from it; the corpus itself is read where ../shared is present.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from correspondence.drafting import phrasing
from correspondence.drafting.phrasing import Figure
from correspondence.records.models import Measure
from tests.conftest import CORPUS, FIXTURES, assert_clean_error, requires_corpus, write
from tests.docx_reading import read_letter
from tests.web_support import Browserless, text_of

# A PEEL report on a force's crime recording, from the facts of a news story about one: 18,900 crimes
# a year not recorded, some 16% (±3%) of reported crime; violence against the person recorded at
# 80.3% (±4.5%), against 93.4% (±3%) at the 2017 inspection; of 50 anti-social behaviour incidents
# reviewed, 23 should have been crimes and 3 were recorded.
PEEL_REPORT = """Devon and Cornwall Police: PEEL 2023-25 inspection

Published on 15 March 2024

Recording data about crime

The force does not record enough of the crimes reported to it. We estimate that 18,900 crimes were not recorded over one year – some 16% (with a confidence interval of +/- 3%) of all reported crime, excluding fraud.

For violence against the person, we estimate that only 80.3% (+/- 4.5%) of crimes were recorded, compared to 93.4% (+/- 3%) in the 2017 inspection.

We reviewed 50 incidents of anti-social behaviour and found that 23 of these should have been recorded as crimes, but only three were.

Areas for improvement

The force should make sure it records the crimes reported in anti-social behaviour incidents.
"""

# A Crime Data Integrity report, from the facts of one: over 9,400 reported crimes a year not
# recorded, a recording rate of 81.2% (±1.93%), violent crime recorded at 72.7% (±3.3%).
CDI_REPORT = """Lincolnshire Police: Crime Data Integrity inspection 2018

Published on 17 July 2018

Overall judgment

Inadequate

Our audit of the force's crime reports found that it fails to record over 9,400 reported crimes each year. This is a recording rate of 81.2 percent (with a confidence interval of +/- 1.93 percent).

The recording rate for violent crime is only 72.7 percent (with a confidence interval of +/- 3.30 percent).

Areas for improvement

The force should record every crime of violence when it is first reported.
"""


def _office(cli: Any, force: str, short: str) -> None:
    cli.ok("force", "add", force)
    cli.ok("office", "add", "--name", f"{short} OPCC", "--short", short, "--force", force, "--reference-scheme", "OPCC/{seq}/{yy}")


def _imported(cli: Any, tmp_path: Path, text: str, force: str, short: str) -> str:
    _office(cli, force, short)
    report = write(tmp_path / f"{short}.txt", text)
    return str(cli.json("inspection", "import", str(report))["id"])


def _letter(cli: Any, inspection: str, office: str, date: str) -> str:
    """The s.55 response drafted now, read back from the Word file as text."""
    drafted = cli.json("draft", "response", inspection, "--office", office, "--date", date, "--allow-missing")
    return read_letter(Path(drafted["file"])).text


def _figures(cli: Any, inspection: str) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in cli.json("figure", "list", inspection)}


# --- the sentences ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "subject"),
    [
        ("crime-recording rate (excluding fraud)", "the crime-recording rate (excluding fraud)"),
        ("Crime-recording rate (excluding fraud)", "the crime-recording rate (excluding fraud)"),
        ("The crime-recording rate", "the crime-recording rate"),
        ("force's crime-recording rate (excluding fraud)", "the force's crime-recording rate (excluding fraud)"),
        ("Kent Police's crime-recording rate", "Kent Police's crime-recording rate"),
        ("its recording rate", "its recording rate"),
    ],
)
def test_a_well_named_figure_gets_an_article(phrase: str, subject: str) -> None:
    figure = Figure("Crime-recording rate", Decimal("92.4"), Decimal("1.2"), phrase=phrase)
    assert phrasing.figures([figure], "HMICFRS") == [f"HMICFRS estimated that {subject} was 92.4% (±1.2%)."]


def test_a_figure_is_said_only_when_chosen_confirmed_and_of_the_report_s_own_period() -> None:
    confirmed = Figure("Recording rate", Decimal("80.3"), Decimal("4.5"), phrase="the recording rate for violence against the person")
    assert phrasing.figures([confirmed], "HMICFRS") == [
        "HMICFRS estimated that the recording rate for violence against the person was 80.3% (±4.5%)."]
    unconfirmed = Figure("Low recording of crime", Decimal("80.3"), Decimal("4.5"))
    not_chosen = Figure("Recording rate", Decimal("80.3"), Decimal("4.5"), phrase="the recording rate", quoted=False)
    earlier = Figure("Low recording of crime", Decimal("93.4"), Decimal("3"), phrase="the recording rate", period="2017")
    assert phrasing.figures([unconfirmed, not_chosen, earlier], "HMICFRS") == []


def test_counts_rates_without_an_interval_and_comparisons_read_as_english() -> None:
    count = Figure("Audited rape reports", numerator=98, denominator=118, phrase="audited rape reports accurately recorded")
    calls = Figure("999 calls", Decimal("71.3"), national_average=Decimal("83.5"), phrase="emergency calls answered within ten seconds")
    rate = Figure("Overall crime-recording rate", Decimal("84.1"), Decimal("1.9"), national_average=Decimal("87.7"),
                  phrase="the crime-recording rate")
    assert phrasing.figures([calls, count], "HMICFRS") == [
        "HMICFRS found 71.3% of emergency calls answered within ten seconds, below the national average of 83.5%.",
        "HMICFRS also found 98 of 118 audited rape reports accurately recorded.",
    ]
    assert phrasing.figures([rate], "HMICFRS", {"crime-recording rate": Decimal("78.5")}, "in 2017") == [
        "HMICFRS estimated that the crime-recording rate was 84.1% (±1.9%), up from 78.5% in 2017 and just below the "
        "national average of 87.7%."]


# --- the importer ------------------------------------------------------------------------------


def test_the_importer_marks_an_earlier_period_makes_up_no_phrase_and_chooses_only_a_cdi_headline() -> None:
    from correspondence.importers.report import parse_report

    peel = {m["rate"]: m for m in parse_report(PEEL_REPORT).measures if "rate" in m}
    assert peel["93.4"]["period"] == "the 2017 inspection" and "period" not in peel["80.3"]
    assert not any(m.get("quoted") for m in peel.values())  # a PEEL report's headline cannot be told: none chosen
    cdi = parse_report(CDI_REPORT).measures
    assert [(m["rate"], m["quoted"]) for m in cdi if "rate" in m] == [("81.2", True), ("72.7", False)]
    assert not any("phrase" in m for m in parse_report(PEEL_REPORT).measures + cdi)


@requires_corpus
def test_the_corpus_figures_tied_to_an_earlier_period_are_marked_and_only_cdi_headlines_chosen() -> None:
    from benchmarks.scoring import load_facts
    from correspondence.files.documents import read_document
    from correspondence.importers.report import parse_report

    facts = load_facts(CORPUS)
    for file, fact in facts.items():
        if fact["kind"] != "report" or not fact["measures"]:
            continue
        found = parse_report(read_document(CORPUS / file)).measures
        earlier = {Decimal(str(m["rate"])) for m in fact["measures"]
                   if m.get("rate") is not None and re.search(r"\b(?:19|20)\d\d inspection|previous", m["name"])}
        for measure in found:
            assert "phrase" not in measure, file
            if measure.get("rate") is not None and Decimal(measure["rate"]) in earlier:
                assert measure.get("period"), f"{file}: {measure}"
            if measure.get("quoted"):  # the one chosen is the overall recording rate the facts name
                assert "Crime Data Integrity" in (fact["programme"] or "")
                overall = [m for m in fact["measures"] if m["name"].startswith("Overall crime-recording rate")]
                assert overall and Decimal(measure["rate"]) == Decimal(str(overall[0]["rate"])), file
        assert sum(bool(m.get("quoted")) for m in found) <= 1, file


# --- scenarios: drafted and read back ------------------------------------------------------------


def test_an_imported_report_s_unconfirmed_figures_are_not_quoted_until_confirmed_and_chosen(cli: Any, tmp_path: Path) -> None:
    inspection = _imported(cli, tmp_path, PEEL_REPORT, "Devon and Cornwall Police", "DC")
    letter = _letter(cli, inspection, "DC", "1 May 2024")
    assert not re.search(r"\d%", letter) and "23 of 50" not in letter and "HMICFRS measured" not in letter
    assert "Recording data about crime" not in letter  # the importer's label, never a phrase

    rows = _figures(cli, inspection)
    vap = rows["Recording data about crime"]
    assert vap["phrase"] is None and not vap["quoted"] and vap["state"] == "not chosen"
    confirmed = cli.ok("figure", "confirm", inspection, str(vap["number"]), "--phrase", "recording rate for violence against the person")
    assert "HMICFRS estimated that the recording rate for violence against the person was 80.3% (±4.5%)." in confirmed.stdout
    assert "HMICFRS estimated" not in _letter(cli, inspection, "DC", "2 May 2024")  # confirmed, not yet chosen
    cli.ok("figure", "quote", inspection, str(vap["number"]))
    letter = _letter(cli, inspection, "DC", "3 May 2024")
    assert "HMICFRS estimated that the recording rate for violence against the person was 80.3% (±4.5%)." in letter
    assert "93.4" not in letter  # the 2017 figure is never said, as current or otherwise

    cli.ok("figure", "quote", inspection, str(vap["number"]), "--off")
    assert "80.3" not in _letter(cli, inspection, "DC", "4 May 2024")


def test_an_earlier_period_s_figure_is_never_quoted_as_current(cli: Any, tmp_path: Path) -> None:
    inspection = _imported(cli, tmp_path, PEEL_REPORT, "Devon and Cornwall Police", "DC")
    earlier = _figures(cli, inspection)["Recording data about crime (the 2017 inspection)"]
    assert earlier["period"] == "the 2017 inspection" and "not the report's own period" in earlier["state"]
    cli.ok("figure", "confirm", inspection, str(earlier["number"]), "--phrase", "the recording rate for violence against the person")
    assert_clean_error(cli("figure", "quote", inspection, str(earlier["number"])), "the 2017 inspection", "not the report's own period")
    # even chosen behind the tools' backs, a letter leaves it out
    from correspondence.records.store import open_store

    store = open_store(cli.db_url)
    with store.transaction() as session:
        session.scalars(select(Measure).where(Measure.inspection_id == int(inspection), Measure.rate == Decimal("93.4"))).one().quoted = True
    store.dispose()
    assert "93.4" not in _letter(cli, inspection, "DC", "1 May 2024")


def test_a_cdi_report_s_headline_is_quoted_with_an_article_once_its_phrase_is_confirmed(cli: Any, tmp_path: Path) -> None:
    inspection = _imported(cli, tmp_path, CDI_REPORT, "Lincolnshire Police", "LINCS")
    headline = _figures(cli, inspection)["Recording rate"]
    assert headline["chosen"] and not headline["quoted"] and headline["state"] == "chosen, not quoted until its phrase is confirmed"
    assert "81.2" not in _letter(cli, inspection, "LINCS", "1 September 2018")
    cli.ok("figure", "confirm", inspection, str(headline["number"]), "--phrase", "crime-recording rate")
    letter = _letter(cli, inspection, "LINCS", "2 September 2018")
    assert ("HMICFRS estimated that the crime-recording rate was 81.2% (±1.93%), leaving over 9,400 reported crimes each year "
            "not recorded.") in letter
    assert "72.7" not in letter  # the violent-crime rate was not chosen


def test_the_bundled_example_quotes_its_headline_measure_only(example_cli: Any, tmp_path: Path) -> None:
    letter = read_letter(tmp_path / "letters" / "MOPAC06092018-D2188.docx").text
    assert ("HMICFRS estimated that the force's overall crime-recording rate was 89.5% (±1.64%), leaving over 94,500 reports of "
            "crime a year not recorded.") in letter
    for other in ("87.6%", "91%", "98 of 118", "301 of 459", "34 of 48"):
        assert other not in letter


def test_a_previous_inspection_is_compared_only_between_confirmed_figures(cli: Any, tmp_path: Path) -> None:
    _office(cli, "Leicestershire Police", "LLR")
    cli.ok("inspection", "add", str(FIXTURES / "llr-cdi-2017.yaml"))
    later = cli.json("inspection", "add", str(FIXTURES / "llr-cdi-2019.yaml"))["id"]
    compared = "HMICFRS estimated that the overall crime-recording rate was 84.1% (±1.9%), up from 78.5% in 2017"
    unconfirmed = tmp_path / "llr-2017.yaml"
    text = (FIXTURES / "llr-cdi-2017.yaml").read_text(encoding="utf-8")
    assert "phrase:" in text  # the fixture's 2017 rate is confirmed: the letter compares
    assert compared in _letter(cli, str(later), "LLR", "3 May 2019")
    # the same 2017 report with its rate not confirmed: no comparison with it
    cli.ok("inspection", "delete", "1")
    write(unconfirmed, re.sub(r"\n\s*phrase:[^\n]*", "", text))
    cli.ok("inspection", "add", str(unconfirmed))
    letter = _letter(cli, str(later), "LLR", "4 May 2019")
    assert "HMICFRS estimated that the overall crime-recording rate was 84.1% (±1.9%)" in letter and "78.5" not in letter


# --- the inspection file --------------------------------------------------------------------------


def test_an_inspection_file_says_phrase_period_and_quoted(cli: Any, tmp_path: Path) -> None:
    cli.ok("force", "add", "Kent Police")
    spec = write(tmp_path / "kent.yaml", """force: Kent Police
programme: PEEL 2025-27
title: "PEEL 2025-27: Kent Police"
published: 1 May 2025
measures:
  - name: Overall crime-recording rate
    phrase: the crime-recording rate
    rate: 92.4
    ci: 1.2
  - name: Crime-recording rate
    period: "2021"
    rate: 90
  - name: Emergency calls answered within ten seconds
    phrase: emergency calls answered within ten seconds
    rate: 71.3
    quoted: true
""")
    rows = cli.json("figure", "list", str(cli.json("inspection", "add", str(spec))["id"]))
    assert [(r["phrase"], r["period"], r["chosen"], r["quoted"]) for r in rows] == [
        ("the crime-recording rate", None, True, True),  # the headline measure: quoted unless the file says not
        (None, "2021", False, False),
        ("emergency calls answered within ten seconds", None, True, True),
    ]
    bad = write(tmp_path / "bad.yaml", spec.read_text(encoding="utf-8").replace("phrase: the crime-recording rate",
                                                                               "phrase: The rate was 92.4%."))
    assert_clean_error(cli("inspection", "add", str(bad)), "phrase")


# --- the command line ----------------------------------------------------------------------------


def test_the_command_line_refuses_bad_phrases_and_numbers_in_one_line(example_cli: Any) -> None:
    cli = example_cli
    assert_clean_error(cli("figure", "confirm", "1", "4", "--phrase", "audited rape reports accurately recorded."), "--phrase", "full stop")
    assert_clean_error(cli("figure", "confirm", "1", "4", "--phrase", "  "), "--phrase", "empty")
    assert_clean_error(cli("figure", "confirm", "1", "4", "--phrase", " ".join(["word"] * 16)), "16 words")
    assert_clean_error(cli("figure", "quote", "1", "99"), "no figure 99")
    assert_clean_error(cli("figure", "quote", "1", "two"), "not a figure's number")
    would = cli.ok("figure", "confirm", "1", "4", "--phrase", "audited rape reports accurately recorded", "--dry-run").stdout
    assert "HMICFRS found 98 of 118 audited rape reports accurately recorded." in would
    assert _figures(cli, "1")["Audited rape reports accurately recorded"]["phrase"] is None  # nothing stored
    help_text = cli("figure", "quote", "--help", db=False).stdout
    assert "leave it out).\n\n" in help_text and "Example: corr figure quote 1 2 --off" in help_text


# --- the figures page ----------------------------------------------------------------------------


def _browser(app: Any, name: str) -> Browserless:
    browser = Browserless(app)
    assert browser.login(name).status_code == 302
    return browser


def _ids(office_data: Any) -> list[int]:
    with office_data.store.reading() as session:
        return list(session.scalars(select(Measure.id).where(Measure.inspection_id == office_data.mopac_inspection)
                                    .order_by(Measure.position)))


def test_the_figures_page_confirms_a_phrase_and_chooses_the_figures(app: Any, office_data: Any) -> None:
    dan = _browser(app, "dan")
    inspection = office_data.mopac_inspection
    page = text_of(dan.get(f"/inspections/{inspection}/figures"))
    assert "Figures the letter quotes" in page
    assert ("The letter says HMICFRS estimated that the force's overall crime-recording rate was 89.5% (±1.64%), leaving over "
            "94,500 reports of crime a year not recorded.") in page
    assert "98 of 118" in page and "Quote this figure in letters" in page
    assert "Figures the letter quotes" in text_of(dan.get(f"/inspections/{inspection}"))  # linked from the drafting step
    ids = _ids(office_data)
    # a preview stores nothing and shows the sentence the typed phrase makes
    typed = {f"phrase-{ids[3]}": "audited rape reports accurately recorded", f"quoted-{ids[0]}": "y", "action": "preview"}
    previewed = text_of(dan.post(f"/inspections/{inspection}/figures", typed))
    assert "HMICFRS found 98 of 118 audited rape reports accurately recorded." in previewed and "nothing is stored" in previewed
    with office_data.store.reading() as session:
        assert session.get(Measure, ids[3]).phrase is None
    # saving confirms the phrase and makes the ticked figures the ones quoted
    saved = dan.post(f"/inspections/{inspection}/figures", {**typed, f"quoted-{ids[3]}": "y", "action": "save"})
    assert saved.status_code == 302
    assert "Letters now quote figures 1, 4." in text_of(dan.get(saved.headers["Location"]))
    with office_data.store.reading() as session:
        rows = {m.id: m for m in session.scalars(select(Measure).where(Measure.id.in_(ids)))}
        assert rows[ids[3]].phrase == "audited rape reports accurately recorded" and rows[ids[3]].quoted
        assert [m.quoted for m in rows.values()].count(True) == 2


def test_the_figures_page_says_each_problem_beside_its_figure_and_keeps_what_was_typed(app: Any, office_data: Any) -> None:
    dan = _browser(app, "dan")
    inspection = office_data.mopac_inspection
    ids = _ids(office_data)
    refused = dan.post(f"/inspections/{inspection}/figures", {
        f"phrase-{ids[3]}": "98 of 118 audited rape reports were recorded.", f"phrase-{ids[4]}": " ".join(["word"] * 16),
        f"quoted-{ids[3]}": "y", "action": "save"})
    assert refused.status_code == 422
    assert f'<a href="#phrase-{ids[3]}">Figure 4&#39;s phrase ends in a full stop' in refused.text
    assert f'<a href="#phrase-{ids[4]}">Figure 5&#39;s phrase is 16 words long' in refused.text
    assert 'value="98 of 118 audited rape reports were recorded."' in refused.text and 'aria-invalid="true"' in refused.text
    with office_data.store.reading() as session:
        assert session.get(Measure, ids[3]).phrase is None and not session.get(Measure, ids[3]).quoted  # nothing changed
    # a figure of an earlier period: shown with its period, its box not offered, and ticking it refused
    with office_data.store.transaction() as session:
        session.get(Measure, ids[1]).period = "2014"
    page = dan.get(f"/inspections/{inspection}/figures")
    assert "Not quoted: it is for 2014, not the report's own period" in text_of(page)
    assert re.search(rf'id="quoted-{ids[1]}"[^>]*disabled', page.text)
    refused = dan.post(f"/inspections/{inspection}/figures", {f"quoted-{ids[1]}": "y", "action": "save"})
    assert refused.status_code == 422 and f'<a href="#quoted-{ids[1]}">Figure 2 is for 2014' in refused.text


def test_the_figures_page_checks_every_id_the_role_and_the_form_token(app: Any, office_data: Any) -> None:
    inspection = office_data.mopac_inspection
    ids = _ids(office_data)
    vera = _browser(app, "vera")  # a viewer reads the page, without the form
    page = vera.get(f"/inspections/{inspection}/figures")
    assert page.status_code == 200 and "Quote this figure" not in page.text
    assert vera.post(f"/inspections/{inspection}/figures", {f"quoted-{ids[1]}": "y"}).status_code == 403
    dan = _browser(app, "dan")
    with office_data.store.reading() as session:
        kent_figure = session.scalar(select(Measure.id).where(Measure.inspection_id != inspection))
    spare = office_data.mopac_spare
    if kent_figure is not None:  # another inspection's figure, sent in this inspection's form
        assert dan.post(f"/inspections/{inspection}/figures", {f"quoted-{kent_figure}": "y"}).status_code == 404
    assert dan.post(f"/inspections/{inspection}/figures", {"quoted-999999": "y"}).status_code == 404
    assert dan.post(f"/inspections/{spare}/figures", {f"quoted-{ids[0]}": "y"}).status_code == 404
    assert dan.get(f"/inspections/{office_data.kent_inspection}/figures").status_code == 404  # another office's
    assert dan.post(f"/inspections/{inspection}/figures", {f"quoted-{ids[1]}": "y"}, token=False).status_code in (400, 403)
    with office_data.store.reading() as session:
        assert not session.get(Measure, ids[1]).quoted


def test_the_figures_page_makes_the_same_statements_however_many_figures(app: Any, office_data: Any) -> None:
    dan = _browser(app, "dan")
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    def queries(path: str) -> int:
        statements.clear()
        event.listen(office_data.store.engine, "before_cursor_execute", count)
        try:
            assert dan.get(path).status_code == 200
        finally:
            event.remove(office_data.store.engine, "before_cursor_execute", count)
        return len(statements)

    many = queries(f"/inspections/{office_data.mopac_inspection}/figures")  # nine figures
    with office_data.store.transaction() as session:
        session.add(Measure(inspection_id=office_data.mopac_spare, position=1, name="Custody records complete", numerator=5,
                            denominator=9, phrase="custody records complete", quoted=True))
    one = queries(f"/inspections/{office_data.mopac_spare}/figures")
    assert many == one
