"""Issue 24: the letter importer fills no field it is not sure of.

Every letter here is invented (names, places and references are made up) and shaped like the real
letters on which the importer filled a field wrongly (benchmarks/letter_precision.py): an FOI
page holding the request and then the reply, a page's links above the letter, a greeting that
is not a name, a date inside a sentence, a blog's date stamp, a site's motto. Each test says
what the officer would see in the preview: the field filled with the right value, or left empty
for them to fill, never a wrong one.
"""

from __future__ import annotations

from pathlib import Path

from correspondence.importers.letter import parse_letter


def _read(*lines: str):
    return parse_letter("\n".join(lines) + "\n")


# --- which letter on the page -------------------------------------------------------------------


def test_a_request_and_its_reply_on_one_page_with_nothing_to_tell_them_apart_fill_nothing() -> None:
    found = _read(
        "Bus lane cameras", "",
        "Dear Northshire Police,", "",
        "Please tell me how many bus lane cameras the force owns.", "",
        "Yours faithfully,", "", "Robin Ashdown", "",
        "Northshire Police", "",
        "Dear Mr Ashdown,", "",
        "Thank you for your request, which we received on 2 May 2024 and are now considering.",
    )
    assert found.salutation is None and found.addressee_name is None and found.addressee_role is None
    assert found.signatory_name is None and found.subject is None  # not the requester's name, not his question


def test_a_reply_that_quotes_its_reference_first_is_the_letter_and_its_reference_is_read() -> None:
    found = _read(
        "Bus lane cameras", "",
        "Dear Northshire Police,", "",
        "Please tell me how many bus lane cameras the force owns.", "",
        "Yours faithfully,", "", "Robin Ashdown", "",
        "Northshire Police", "",
        "Dear Mr Ashdown,", "",
        "Freedom of Information Request Reference No: 2024050000123",
        "Thank you for your request, which we received on 2 May 2024 and are now considering.",
    )
    assert found.salutation == "Dear Mr Ashdown,"
    assert found.reference == "2024050000123"
    assert found.addressee_name == "Mr Ashdown"  # from the reply's salutation
    assert found.addressee_role is None  # "Northshire Police" under the request's signature is not the addressee
    assert found.signatory_name is None  # the requester signed the other letter


# --- the addressee ------------------------------------------------------------------------------


def test_a_page_s_links_above_the_letter_are_not_its_addressee() -> None:
    found = _read(
        "Quick Links", "Force Headquarters", "Ridge Road", "Find us on the map",
        "Dear Residents,",
        "I am writing to tell you about the changes to the front counter at the station.",
    )
    assert found.addressee_name is None and found.addressee_address is None
    assert found.addressee_role == "Residents"  # what the salutation does say


def test_a_name_the_salutation_contradicts_is_not_taken_as_the_addressee() -> None:
    found = _read(
        "Jordan Pike", "12 Mill Lane", "Northtown", "NT1 2AB", "",
        "3 June 2024", "",
        "Dear Ms Carter,", "",
        "I write about the meeting of the panel next month and the papers it will need.",
    )
    assert found.addressee_name == "Ms Carter"  # the salutation's, not the block's
    assert found.addressee_address is None


def test_an_address_without_its_postcode_is_left_for_the_officer() -> None:
    found = _read(
        "Mr Sam Reed", "Chief Constable", "Force Headquarters", "Northtown", "",
        "3 June 2024", "",
        "Dear Mr Reed,", "",
        "I write about the figures for the rural east that the force sent me last week.",
    )
    assert (found.addressee_name, found.addressee_role) == ("Mr Sam Reed", "Chief Constable")
    assert found.addressee_address is None


def test_a_greeting_that_is_not_dear_is_not_a_name() -> None:
    found = _read(
        "Your survey answers", "",
        "Good Morning Mr Lowe,",
        "Thank you for taking the time to answer our survey about the town centre.",
    )
    assert found.addressee_name is None


def test_a_body_named_in_the_salutation_with_its_abbreviation_is_not_a_role() -> None:
    found = _read("Speed cameras", "", "Dear Northshire Police Service (NPS),", "",
                  "Please send me the list of fixed speed cameras in the county.")
    assert found.addressee_role is None  # "(NPS)" is no Member of Parliament


def test_a_letter_quoted_on_a_page_is_read_from_its_opening_quotation_mark() -> None:
    found = _read(
        "The letter below appeared in Friday's Northtown Gazette)", "",
        "“Dear Editor", "",
        "I want to correct the figures your readers were given last week about the police budget.",
    )
    assert found.salutation == "Dear Editor"
    assert found.addressee_role == "Editor"
    assert found.subject is None  # the page's note about where it appeared is not the letter's subject


# --- the date -----------------------------------------------------------------------------------


def test_a_date_inside_a_sentence_is_not_taken() -> None:
    found = _read(
        "Dear Ms Carter,", "",
        "I write further to your letter of 9 May 2024 about the closure of the front counter.", "",
        "Yours sincerely,", "", "Jo Bell", "Police and Crime Commissioner for Northshire",
    )
    assert found.date is None
    assert (found.signatory_name, found.signatory_title) == ("Jo Bell", "Police and Crime Commissioner for Northshire")


def test_a_blog_s_date_stamp_above_a_message_is_the_page_s_not_the_letter_s() -> None:
    found = _read(
        "Tuesday, 4 June 2024", "",
        "A message from the Commissioner", "",
        "This year the force will open two new neighbourhood offices in the north of the county.", "",
        "Thank you,", "", "Jo Bell", "Police and Crime Commissioner for Northshire",
    )
    assert found.date is None
    assert found.subject == "A message from the Commissioner"  # a heading that says it introduces a letter


def test_a_newspaper_s_date_line_above_a_letter_to_the_editor_is_not_its_date() -> None:
    found = _read(
        "Bring back the village bobby", "",
        "Date: Monday 3rd June 2024", "",
        "Sir, the closure of our police station has left the village without a visible officer for months.",
    )
    assert found.date is None


def test_a_letter_s_own_date_below_its_addressee_block_is_read() -> None:
    found = _read(
        "Rt Hon Pat Quinn MP", "Home Secretary", "Home Office", "2 Marsham Street", "London SW1P 4DF",
        "5 June 2024",
        "Northshire inspection: our response",
        "I am writing to you in response to the inspectorate's report on Northshire Police.",
    )
    assert found.date == "2024-06-05"
    assert found.subject == "Northshire inspection: our response"
    assert found.addressee_address == "Home Office\n2 Marsham Street\nLondon SW1P 4DF"


# --- the subject --------------------------------------------------------------------------------


def test_a_site_s_motto_is_not_the_subject_of_the_letter_below_it() -> None:
    found = _read(
        "Keeping Northshire safe together", "",
        "The force will open two new neighbourhood offices in the north of the county this year.",
    )
    assert found.subject is None


def test_the_first_line_of_a_wrapped_paragraph_is_not_a_subject() -> None:
    found = _read(
        "Mr Robin Ashdown", "4 Elm Row", "Northtown", "NT2 3CD", "",
        "5 June 2024", "",
        "Dear Robin,",
        "I write in connection with your request for information, dated 2 May 2024, concerning",
        "bus lane cameras in the county.",
    )
    assert found.subject is None


def test_a_line_above_the_salutation_of_a_letter_with_its_own_header_is_not_its_subject() -> None:
    found = _read(
        "Mr Robin Ashdown", "4 Elm Row", "Northtown", "NT2 3CD", "",
        "Date 5 June 2024", "Our ref FOI 2024-118",
        "Reply contact name is the Force Disclosure Officer",
        "Dear Robin,",
        "I write in connection with your request for information about bus lane cameras.",
    )
    assert found.subject is None
    assert (found.reference, found.date) == ("FOI 2024-118", "2024-06-05")


def test_an_address_block_s_last_line_is_not_a_subject() -> None:
    found = _read(
        "The Rt Hon Pat Quinn MP,", "Home Office,", "2 Marsham Street,", "London. SW1P 4DF",
        "Dear Home Secretary,",
        "We are writing as the county's members of Parliament about the police grant for next year.",
    )
    assert found.subject is None
    assert found.addressee_name == "The Rt Hon Pat Quinn MP"


# --- the store: a letter imported with its unsure fields empty ------------------------------------


def test_an_imported_letter_keeps_its_unsure_addressee_empty_and_says_so(cli, tmp_path: Path) -> None:
    cli.ok("office", "add", "--name", "Northshire OPCC", "--short", "NOPCC")
    letter = tmp_path / "reply.txt"
    letter.write_text("\n".join([
        "Quick Links", "Force Headquarters", "Ridge Road", "Find us on the map", "",
        "Our ref: NP/CC/2024/77", "", "5 June 2024", "",
        "Dear Friends,", "",
        "Neighbourhood offices in the north", "",
        "The force will open two new neighbourhood offices in the north of the county this year.", "",
        "Yours sincerely", "", "Sam Reed", "Chief Constable", "",
    ]), encoding="utf-8")
    (result,) = cli.json("letter", "import", str(letter), "--direction", "in")
    assert result["stored"]
    assert "addressee" in result["not_found"]
    shown = cli.json("letter", "show", f"#{result['letter_id']}")
    assert shown["addressee_name"] in ("", None) and shown["reference"] == "NP/CC/2024/77"
    assert (shown["date"], shown["subject"]) == ("2024-06-05", "Neighbourhood offices in the north")
