"""'corr inspection show' says of each figure the phrase letters name it by (once confirmed), its
period when it is not the report's own, and whether letters quote it (issue 23, item 3)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli, write


def test_show_says_each_figures_phrase_period_and_whether_letters_quote_it(example_cli: Cli, tmp_path: Path) -> None:
    cli = example_cli
    added = cli.json("inspection", "add", str(write(tmp_path / "figures.yaml", (
        "force: Metropolitan Police Service\nprogramme: Crime Data Integrity\n"
        'title: "Metropolitan Police Service: Crime Data Integrity inspection 2020"\npublished: 1 June 2020\n'
        "measures:\n"
        "  - name: Crime-recording rate\n    phrase: the crime-recording rate\n    rate: 91.2\n    quoted: true\n"
        "  - name: Crime-recording rate 2019\n    rate: 88.0\n    period: \"2019\"\n"
        "  - name: Incidents reviewed\n    numerator: 23\n    denominator: 50\n    quoted: true\n"))))
    shown = cli.json("inspection", "show", str(added["id"]))
    figures = {figure["name"]: figure for figure in shown["measures"]}
    assert figures["Crime-recording rate"].items() >= {"phrase": "the crime-recording rate", "period": None, "quoted": True,
                                                       "state": "quoted"}.items()
    assert figures["Crime-recording rate 2019"]["quoted"] is False and figures["Crime-recording rate 2019"]["period"] == "2019"
    assert figures["Crime-recording rate 2019"]["state"] == "not quoted: for 2019, not the report's own period"
    assert figures["Incidents reviewed"].items() >= {"phrase": None, "chosen": True, "quoted": False,
                                                    "state": "chosen, not quoted until its phrase is confirmed"}.items()

    text = cli.ok("inspection", "show", str(added["id"])).stdout
    assert 'phrase: "the crime-recording rate"; quoted' in text
    assert "phrase: (not confirmed); not quoted: for 2019, not the report's own period" in text
    assert "phrase: (not confirmed); chosen, not quoted until its phrase is confirmed" in text
