"""`corr office`, `corr force` and `corr role`."""

import datetime as dt

from tests.conftest import assert_clean_error


def test_office_add_show_and_list(cli):
    cli.ok("force", "add", "Leicestershire Police")
    added = cli.json(
        "office", "add", "--name", "Office of the Police & Crime Commissioner for Leicester, Leicestershire & Rutland",
        "--short", "LLR", "--address", "Force Headquarters", "--address", "Enderby, Leicester LE19 2BX",
        "--signatory", "Lord Willy Bach", "--signatory-title", "Police and Crime Commissioner",
        "--reference-scheme", "OPCC/{seq}/{date:%y}", "--force", "Leicestershire Police",
    )
    assert added["address"] == "Force Headquarters\nEnderby, Leicester LE19 2BX"
    shown = cli.json("office", "show", "llr")
    assert shown.pop("next_reference") == f"OPCC/1/{dt.date.today():%y}"
    assert shown == added
    assert [o["short_name"] for o in cli.json("office", "list")] == ["LLR"]
    assert "Leicester, Leicestershire & Rutland" in cli.ok("office", "list").stdout


def test_duplicate_office_and_force_are_refused(cli):
    cli.ok("office", "add", "--name", "A", "--short", "A1")
    assert_clean_error(cli("office", "add", "--name", "B", "--short", "a1"), "office 'a1' already exists")
    assert_clean_error(cli("office", "add", "--name", "B", "--short", "two words"), "must be one word")
    cli.ok("force", "add", "Leicestershire Police")
    assert_clean_error(cli("force", "add", "leicestershire  police"), "already exists")
    assert_clean_error(cli("office", "add", "--name", "C", "--short", "C1", "--force", "Nowhere"), "no force named 'Nowhere'")


def test_home_secretaries_since_2010_ship_with_the_tool(cli):
    names = [h["name"] for h in cli.json("role", "list", "--role", "Home Secretary")]
    assert names[:3] == ["Rt Hon Alan Johnson MP", "Rt Hon Theresa May MP", "Rt Hon Amber Rudd MP"]
    assert "Rt Hon Sajid Javid MP" in names and "Rt Hon Priti Patel MP" in names
    assert cli.json("role", "who", "Home Secretary", "--on", "7 September 2018")["name"] == "Rt Hon Sajid Javid MP"
    assert cli.json("role", "who", "Home Secretary", "--on", "6 January 2020")["name"] == "Rt Hon Priti Patel MP"
    assert cli.json("role", "who", "Home Secretary", "--on", "20 October 2022")["name"] == "Rt Hon Grant Shapps MP"


def test_an_office_adds_its_own_roles_which_take_precedence(cli):
    cli.ok("office", "add", "--name", "MOPAC", "--short", "MOPAC")
    cli.ok("role", "add", "Commissioner", "Dame Cressida Dick", "--from", "10/04/2017", "--until", "10/04/2022", "--office", "MOPAC")
    cli.ok("role", "add", "Commissioner", "Sir Steve House", "--from", "10/04/2022", "--until", "11/09/2022",
           "--office", "MOPAC", "--salutation", "Dear Steve")
    holder = cli.json("role", "who", "commissioner", "--on", "04/05/2022", "--office", "MOPAC")
    assert (holder["name"], holder["salutation"], holder["office"]) == ("Sir Steve House", "Dear Steve", "MOPAC")
    letter = cli.json("letter", "log", "--office", "MOPAC", "--ref", "MOPAC030422-D4110", "--date", "04/05/2022", "--to", "Commissioner")
    assert letter["addressee_name"] == "Sir Steve House"


def test_overlapping_or_backwards_terms_are_refused(cli):
    cli.ok("role", "add", "Chief Constable", "A Person", "--from", "1/1/2020", "--until", "31/12/2021")
    assert_clean_error(cli("role", "add", "Chief Constable", "B Person", "--from", "1/6/2021"), "overlaps A Person's term")
    assert_clean_error(cli("role", "add", "Chief Constable", "C Person", "--from", "1/1/2023", "--until", "1/1/2022"), "is before")


def test_nobody_in_role_on_date_is_a_clear_error(cli):
    assert_clean_error(cli("role", "who", "Home Secretary", "--on", "1/1/1990"), "no holder of the role 'Home Secretary'")
    result = cli("letter", "log", "--office", "X", "--ref", "1", "--date", "1/1/2020")
    assert_clean_error(result, "no office 'X'")
