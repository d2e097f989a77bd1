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


def test_a_force_added_without_a_title_takes_its_chief_officers_usual_one(cli):
    """'Dear Chief Constable' to the Met's Commissioner came from a force added without --chief-title
    (issue 24): the Met and the City of London Police are led by a Commissioner."""
    titles = {name: cli.json("force", "add", name)["chief_officer_title"]
              for name in ("Metropolitan Police Service", "City of London Police", "Kent Police")}
    assert titles == {"Metropolitan Police Service": "Commissioner", "City of London Police": "Commissioner",
                      "Kent Police": "Chief Constable"}
    assert cli.json("force", "add", "Metropolitan Police", "--chief-title", "Acting Commissioner")["chief_officer_title"] \
        == "Acting Commissioner"  # what is typed wins


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
    # An earlier holder added without the end of their term: the refusal says what is missing.
    result = cli("role", "add", "Chief Constable", "Z Earlier", "--from", "1/1/2015")
    assert_clean_error(result, "overlaps A Person's term", "give the day Z Earlier's term ended with --until")
    cli.ok("role", "add", "Chief Constable", "Z Earlier", "--from", "1/1/2015", "--until", "31/12/2019")


def test_nobody_in_role_on_date_is_a_clear_error(cli):
    assert_clean_error(cli("role", "who", "Home Secretary", "--on", "1/1/1990"), "no holder of the role 'Home Secretary'")
    result = cli("letter", "log", "--office", "X", "--ref", "1", "--date", "1/1/2020")
    assert_clean_error(result, "no office 'X'")


def test_a_holder_is_addressed_by_the_title_they_held(cli):
    cli.ok("office", "add", "--name", "MOPAC", "--short", "MOPAC")
    cli.ok("role", "add", "Commissioner", "Sir Steve House", "--title", "Acting Commissioner", "--from", "10/04/2022",
           "--until", "11/09/2022", "--office", "MOPAC", "--salutation", "Dear Steve")
    cli.ok("role", "add", "Commissioner", "Sir Mark Rowley", "--from", "12/09/2022", "--office", "MOPAC")
    acting = cli.json("role", "who", "Commissioner", "--on", "4/5/2022", "--office", "MOPAC")
    assert (acting["role"], acting["title"]) == ("Commissioner", "Acting Commissioner")
    assert cli.json("role", "who", "Commissioner", "--on", "1/10/2022", "--office", "MOPAC")["title"] == "Commissioner"
    logged = cli.json("letter", "log", "--office", "MOPAC", "--ref", "MOPAC030422-D4110", "--date", "04/05/2022", "--to", "Commissioner")
    assert (logged["addressee_name"], logged["addressee_role"]) == ("Sir Steve House", "Acting Commissioner")
    assert "Acting Commissioner" in cli.ok("role", "list", "--office", "MOPAC").stdout


def test_an_office_letterhead_address_is_the_one_it_had_on_the_date(cli):
    cli.ok("office", "add", "--name", "MOPAC", "--short", "MOPAC", "--address", "City Hall", "--address", "Kamal Chunchie Way")
    cli.ok("office", "address", "add", "MOPAC", "--address", "City Hall", "--address", "The Queen's Walk", "--until", "31/12/2021")
    cli.ok("office", "address", "add", "MOPAC", "--address", "City Hall", "--address", "Kamal Chunchie Way",
           "--address", "London E16 1ZE", "--from", "1/1/2022")
    assert cli.json("office", "address", "list", "MOPAC") == [
        {"address": "City Hall\nThe Queen's Walk", "from": None, "until": "2021-12-31"},
        {"address": "City Hall\nKamal Chunchie Way\nLondon E16 1ZE", "from": "2022-01-01", "until": None},
    ]
    assert len(cli.json("office", "show", "MOPAC")["dated_addresses"]) == 2
    assert "address until 2021-12-31: City Hall, The Queen's Walk" in cli.ok("office", "show", "MOPAC").stdout
    assert_clean_error(cli("office", "address", "add", "MOPAC", "--address", "Elsewhere", "--from", "1/6/2021", "--until", "1/2/2022"),
                       "MOPAC already has an address until 31 December 2021, which overlaps this one")
    assert_clean_error(cli("office", "address", "add", "MOPAC", "--address", "Elsewhere"), "give --from, --until or both")
    assert_clean_error(cli("office", "address", "add", "MOPAC", "--address", " ", "--from", "1/1/2030"), "give at least one address line")
    assert_clean_error(cli("office", "address", "add", "MOPAC", "--address", "X", "--from", "2/1/2031", "--until", "1/1/2031"),
                       "--until: 1 January 2031 is before --from 2 January 2031")


def test_address_on_a_date():
    import datetime as dt

    from correspondence.organisation.offices import address_on
    from correspondence.records.models import Office, OfficeAddress

    office = Office(short_name="X", name="X", address="Today's address")
    office.addresses = [
        OfficeAddress(address="Old", starts_on=None, ends_on=dt.date(2021, 12, 31)),
        OfficeAddress(address="Between", starts_on=dt.date(2022, 1, 1), ends_on=dt.date(2023, 6, 1)),
        OfficeAddress(address="Newest", starts_on=dt.date(2023, 6, 1), ends_on=None),
    ]
    assert address_on(office, dt.date(2018, 9, 7)) == "Old"
    assert address_on(office, dt.date(2022, 1, 1)) == "Between"
    assert address_on(office, dt.date(2023, 6, 1)) == "Newest"  # a moving day has the new address
    office.addresses = office.addresses[:2]
    assert address_on(office, dt.date(2024, 1, 1)) == "Today's address"
