"""`corr inspection add|list|show` and the YAML format's validation."""

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, assert_clean_error, snapshot, write

LEICS = FIXTURES / "leicestershire-cdi-2019.yaml"


def test_add_stores_every_field_and_normalises_grades(cli):
    cli.ok("force", "add", "Leicestershire Police")
    stored = cli.json("inspection", "add", str(LEICS))
    assert stored["published_on"] == "2019-04-04"
    assert stored["overall_grade"] == "requires improvement"
    assert stored["judgments"] == [
        {"question": "How effective is the force at recording reported crime?", "grade": "requires improvement"}
    ]
    (measure,) = stored["measures"]
    assert (measure["rate"], measure["ci_half_width"], measure["national_average"]) == ("84.1", "1.9", "87.7")
    assert measure["text"] == "84.1% (±1.9%); national average 87.7%"
    areas = [(a["kind"], a["number"], a["timescale"]) for a in stored["areas"]]
    assert areas == [("recommendation", 1, "three months"), ("area for improvement", 1, None), ("area for improvement", 3, None)]
    assert "& National Crime Recording Standard" in stored["areas"][2]["text"]

    shown = cli.json("inspection", "show", str(stored["id"]))
    assert shown == stored | {"responses": []}  # show adds each office's s.55 response: none yet


def test_list_filters_by_force_newest_first(example_cli):
    cli = example_cli
    cli.ok("inspection", "add", str(LEICS), "--add-force")
    everyone = cli.json("inspection", "list")
    assert [i["force"] for i in everyone] == ["Leicestershire Police", "Metropolitan Police Service"]
    met_only = cli.json("inspection", "list", "--force", "metropolitan police service")
    assert [i["published_on"] for i in met_only] == ["2018-07-17"]


def test_unknown_force_is_refused_unless_asked_to_add_it(cli):
    result = cli.fails("inspection", "add", str(LEICS))
    assert_clean_error(result, "no force named 'Leicestershire Police'")
    assert cli.json("force", "list") == []
    cli.ok("inspection", "add", str(LEICS), "--add-force")
    assert [f["name"] for f in cli.json("force", "list")] == ["Leicestershire Police"]


def test_the_same_inspection_cannot_be_stored_twice(cli):
    cli.ok("inspection", "add", str(LEICS), "--add-force")
    before = snapshot(cli.db_url)
    result = cli.fails("inspection", "add", str(LEICS))
    assert_clean_error(result, "already stored as inspection 1")
    assert snapshot(cli.db_url) == before


BASE = """force: Leicestershire Police
programme: Crime Data Integrity
title: A title
published: 17 May 2019
"""


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (BASE + "overall_grade: greatish\n", "overall_grade: unknown grade 'greatish'"),
        (BASE.replace("17 May 2019", "31/02/2019"), "published: '31/02/2019' is not a real date (February 2019 has 28 days)"),
        (BASE.replace("17 May 2019", "2019-02-31"), "published: '2019-02-31' is not a real date"),
        (BASE.replace("title: A title\n", ""), "title: is required"),
        (BASE + "grade: good\n", "grade: is not a field of an inspection file"),
        (BASE + "judgments:\n  - question: Q\n    grade: superb\n", "judgments[0].grade: unknown grade 'superb'"),
        (BASE + "measures:\n  - name: Rate\n    rate: lots\n", "measures[0].rate: expected a number, got 'lots'"),
        (BASE + "measures:\n  - name: Rate\n    rate: 189.5\n", "measures[0].rate: Input should be less than or equal to 100"),
        (BASE + "measures:\n  - name: Rape\n    numerator: 120\n    denominator: 118\n", "measures[0]: numerator 120 is more than denominator 118"),
        (BASE + "measures:\n  - name: Rape\n    numerator: 98\n", "measures[0]: give both numerator and denominator"),
        (BASE + "areas_for_improvement:\n  - number: 2\n    text: A\n  - number: 2\n    text: B\n", "areas_for_improvement: number 2 is used twice"),
        (BASE + "judgments: [\n", "line 6: not valid YAML"),
        ("- just\n- a list\n", "expected a mapping of fields"),
    ],
)
def test_bad_files_get_one_line_naming_file_and_field_and_store_nothing(cli, tmp_path, body, message):
    cli.ok("force", "add", "Leicestershire Police")
    path = write(tmp_path / "bad.yaml", body)
    before = snapshot(cli.db_url)
    result = cli.fails("inspection", "add", str(path))
    assert_clean_error(result, f"{path}", message)
    assert snapshot(cli.db_url) == before


def test_missing_and_binary_files_are_named(cli, tmp_path):
    assert_clean_error(cli("inspection", "add", str(tmp_path / "nope.yaml")), "nope.yaml: no such file")
    binary = tmp_path / "report.yaml"
    binary.write_bytes(b"\xff\xfe\x00\x01garbage")
    assert_clean_error(cli("inspection", "add", str(binary)), "report.yaml: not a UTF-8 text file")


def test_show_unknown_or_malformed_id(cli):
    assert_clean_error(cli("inspection", "show", "99"), "no inspection 99")
    assert_clean_error(cli("inspection", "show", "met"), "inspection 'met': expected its number")


def test_example_file_is_a_valid_instance_of_the_documented_format():
    from correspondence.examples.bundled import EXAMPLE_INSPECTION
    from correspondence.tracking.inspection_file import load_inspection_file

    spec = load_inspection_file(Path(EXAMPLE_INSPECTION))
    assert spec.published.isoformat() == "2018-07-17"
    assert len(spec.areas_for_improvement) == 7


def test_a_judgment_may_be_not_graded(cli):
    cli.ok("force", "add", "Kent Police")
    stored = cli.json("inspection", "add", str(FIXTURES / "kent-peel-2025-27.yaml"))
    assert stored["overall_grade"] is None
    assert stored["judgments"][-1] == {"question": "Managing offenders and suspects", "grade": "not graded"}
    assert "Managing offenders and suspects  [not graded]" in cli.ok("inspection", "show", str(stored["id"])).stdout


@pytest.mark.parametrize("written", ["not graded", "Ungraded", "not yet graded", "NOT-GRADED", "null"])
def test_every_way_of_writing_not_graded(cli, tmp_path, written):
    cli.ok("force", "add", "Leicestershire Police")
    path = write(tmp_path / "ungraded.yaml", BASE + f"judgments:\n  - question: Legitimacy\n    grade: {written}\n")
    assert cli.json("inspection", "add", str(path))["judgments"] == [{"question": "Legitimacy", "grade": "not graded"}]
