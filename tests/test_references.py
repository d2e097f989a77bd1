"""Reference schemes produce each office's real references."""

import datetime as dt

import pytest

from correspondence.errors import InvalidInput
from correspondence.references import check_scheme, format_reference, initials_of
from correspondence.rendering import safe_filename


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
    from correspondence import offices, references
    from correspondence.store import open_store

    store = open_store(db_url)
    with store.transaction() as session:
        office = offices.add_office(session, name="LLR", short_name="LLR", reference_scheme="OPCC/{seq}/{yy}")
        references.set_next_number(session, office, 114, 2019)
        taken = [references.allocate(session, office, taken_on=dt.date(2019, 5, 17)) for _ in range(2)]
        taken.append(references.allocate(session, office, taken_on=dt.date(2020, 1, 2)))
    store.dispose()
    assert taken == ["OPCC/114/19", "OPCC/115/19", "OPCC/1/20"]
