"""Reference schemes produce each office's real references."""

import datetime as dt

import pytest

from correspondence.files.letter_files import safe_filename
from correspondence.organisation.reference_schemes import check_scheme, format_reference, initials_of
from correspondence.records.errors import InvalidInput
from tests.conftest import FIXTURES, assert_clean_error, snapshot


@pytest.mark.parametrize(
    ("scheme", "seq", "taken_on", "expected"),
    [
        ("MOPAC{date:%d%m%Y}-D{seq}", 2188, dt.date(2018, 9, 6), "MOPAC06092018-D2188"),
        ("MOPAC{date:%d%m%y}-D{seq}", 4110, dt.date(2022, 4, 3), "MOPAC030422-D4110"),
        ("OPCC/{seq}/{yy}", 114, dt.date(2019, 5, 17), "OPCC/114/19"),
        ("{initials}/{author}/{seq}", 7, dt.date(2020, 1, 6), "JC/jpi/7"),
        ("PCC-{yyyy}-{seq:4}", 42, dt.date(2024, 9, 13), "PCC-2024-0042"),
    ],
)
def test_schemes_reproduce_real_references(scheme, seq, taken_on, expected):
    assert format_reference(check_scheme(scheme), seq=seq, taken_on=taken_on, initials="JC", author="jpi") == expected


@pytest.mark.parametrize(
    ("scheme", "message"),
    [
        ("{initials}/{author}", "must contain {seq}"),
        ("OPCC/{seq}/{year}", "unknown field {year}"),
        ("OPCC/{seq:x}", "must give a width"),
        ("OPCC/{seq}/{date:%Q}", "unknown directive"),
        ("OPCC/{seq}}", "unbalanced"),
    ],
)
def test_bad_schemes_are_refused(scheme, message):
    with pytest.raises(InvalidInput, match=message.replace("{", r"\{").replace("}", r"\}")):
        check_scheme(scheme)


def test_initials_skip_titles():
    assert initials_of("John Campion") == "JC"
    assert initials_of("Rt Hon Lord Willy Bach") == "WB"
    assert initials_of("Sophie Linden") == "SL"


@pytest.mark.parametrize(
    ("reference", "name"),
    [("OPCC/114/19", "OPCC-114-19"), ("MOPAC06092018-D2188", "MOPAC06092018-D2188"), ("JC/jpi/7", "JC-jpi-7"), ("A: B\\C", "A-B-C")],
)
def test_file_names_are_safe(reference, name):
    assert safe_filename(reference) == name


def test_per_year_numbering_restarts_each_year(db_url):
    from correspondence.organisation import offices
    from correspondence.records.store import open_store
    from correspondence.register import references

    store = open_store(db_url)
    with store.transaction() as session:
        office = offices.add_office(session, name="LLR", short_name="LLR", reference_scheme="OPCC/{seq}/{yy}")
        references.set_next_number(session, office, 114, 2019)
        taken = [references.allocate(session, office, taken_on=dt.date(2019, 5, 17)) for _ in range(2)]
        taken.append(references.allocate(session, office, taken_on=dt.date(2020, 1, 2)))
    store.dispose()
    assert taken == ["OPCC/114/19", "OPCC/115/19", "OPCC/1/20"]


def test_a_reference_takes_the_letters_date_and_year_not_todays(example_cli, tmp_path):
    """The README's draft of 17 May 2019 gave OPCC/1/26 where it promised OPCC/114/19, and a
    follow-up dated 04/05/2022 took today's date: MOPAC23112026-D2189."""
    cli = example_cli
    followup = cli.json("draft", "followup", "1", "--office", "MOPAC", "--date", "04/05/2022")
    assert followup["reference"] == "MOPAC04052022-D2189"
    cli.ok("force", "add", "Leicestershire Police")
    cli.ok("office", "add", "--name", "LLR OPCC", "--short", "LLR", "--reference-scheme", "OPCC/{seq}/{yy}",
           "--force", "Leicestershire Police")
    cli.ok("office", "set", "LLR", "--next-number", "114", "--year", "2019")
    cli.ok("inspection", "add", str(FIXTURES / "llr-cdi-2019.yaml"))
    drafted = cli.json("draft", "annex", "2", "--office", "LLR", "--date", "17 May 2019")
    assert drafted["reference"] == "OPCC/114/19" and drafted["file"].endswith("OPCC-114-19.docx")
    assert cli.json("draft", "annex", "2", "--office", "LLR", "--date", "1/2/2020")["reference"] == "OPCC/1/20"


def test_next_number_on_a_per_year_scheme_names_the_year_and_office_show_tells_the_next_reference(cli):
    cli.ok("office", "add", "--name", "LLR OPCC", "--short", "LLR", "--reference-scheme", "OPCC/{seq}/{yy}")
    before = snapshot(cli.db_url)
    # it used to say "changed next number" and have no effect
    assert_clean_error(cli("office", "set", "LLR", "--next-number", "214"),
                       "OPCC/{seq}/{yy} numbers afresh each year: say which year with --year")
    assert snapshot(cli.db_url) == before
    this_year = dt.date.today().year
    changed = cli.ok("office", "set", "LLR", "--next-number", "214", "--year", str(this_year))
    assert f"changed next number ({this_year})" in changed.stdout
    assert f"next reference: OPCC/214/{this_year % 100:02d}" in changed.stdout
    assert cli.json("office", "show", "LLR")["next_reference"] == f"OPCC/214/{this_year % 100:02d} (for a letter dated in {this_year})"
    earlier = cli.ok("office", "set", "LLR", "--next-number", "114", "--year", "2019").stdout
    assert "next reference: OPCC/114/19 (for a letter dated in 2019)" in earlier
    cli.ok("office", "add", "--name", "MOPAC", "--short", "MOPAC", "--reference-scheme", "MOPAC{date:%d%m%Y}-D{seq}")
    assert_clean_error(cli("office", "set", "MOPAC", "--next-number", "2188", "--year", "2018"), "numbers for all time, not per year: leave out --year")
    cli.ok("office", "set", "MOPAC", "--next-number", "2188")
    assert cli.json("office", "show", "MOPAC")["next_reference"] == f"MOPAC{dt.date.today():%d%m%Y}-D2188"
    cli.ok("letter", "log", "--office", "MOPAC", "--ref", f"MOPAC{dt.date.today():%d%m%Y}-D2188", "--date", "1/1/2020")
    assert cli.json("office", "show", "MOPAC")["next_reference"].endswith("-D2189")  # a used reference is skipped
