"""The register's export as an office keeps its spreadsheet (issue 24): dd/mm/yyyy dates (real
dates in Excel), the inspection's title, the file's name, version and SHA-256, the s.55 copies,
approval and publication dates, the owner and reply-by date, a filter on the heading row and
columns as wide as their text; read back with openpyxl and csv as an office would open them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from sqlalchemy import event

from correspondence.process import clearance
from correspondence.process.sending import mark_sent
from correspondence.records.models import Letter, S55Response, User
from correspondence.records.store import acting_as
from correspondence.records.vocabulary import Direction, LetterKind
from correspondence.register.export import EXPORT_COLUMNS, column_widths, export_rows
from correspondence.register.letters import LetterFilter, log_letter
from tests.web_support import Browserless, Offices

TITLE = "The Metropolitan Police Service: Crime Data Integrity inspection 2018"


def sent_and_published(o: Offices) -> None:
    """The example's s.55 response submitted by dan, approved by april, sent on 7 September 2018 with
    HMICFRS's copy on the 10th, published on the 12th; the letter received given to dan to answer."""
    with o.store.transaction() as session:
        letter = session.get(Letter, o.mopac_draft)
        with acting_as("dan"):
            clearance.submit(session, letter)
        with acting_as("april"):
            clearance.approve(session, letter)
        with acting_as("dan"):
            mark_sent(session, letter, dt.date(2018, 9, 7), dt.date(2018, 9, 12), hmicfrs_on=dt.date(2018, 9, 10))
        session.flush()
        response = session.query(S55Response).filter(S55Response.letter_id == letter.id).one()
        response.published_on = dt.date(2018, 9, 12)
        received = session.get(Letter, o.mopac_received)
        received.owner_id = session.query(User).filter(User.name == "dan").one().id
        received.reply_by = dt.date(2018, 9, 1)


def dan(app: Any) -> Browserless:
    browser = Browserless(app)
    assert browser.login("dan").status_code == 302
    return browser


def test_the_csv_is_the_spreadsheet_an_office_keeps(app: Any, office_data: Offices) -> None:
    sent_and_published(office_data)
    rows = list(csv.DictReader(io.StringIO(dan(app).get("/letters/export.csv").data.decode("utf-8-sig"))))
    received, response = rows
    today = dt.date.today().strftime("%d/%m/%Y")
    assert {key: response[key] for key in ("Reference", "Date", "Inspection", "Sent on", "Copy to the Home Secretary",
                                           "Copy to HMICFRS", "Approved on", "Published on", "File", "Version")} == {
        "Reference": "MOPAC06092018-D2188", "Date": "07/09/2018", "Inspection": TITLE, "Sent on": "07/09/2018",
        "Copy to the Home Secretary": "07/09/2018", "Copy to HMICFRS": "10/09/2018", "Approved on": today,
        "Published on": "12/09/2018", "File": "MOPAC06092018-D2188.docx", "Version": "1"}
    assert len(response["SHA-256"]) == 64 and all(c in "0123456789abcdef" for c in response["SHA-256"])
    assert (received["Date"], received["Owner"], received["Reply by"], received["Inspection"]) == ("20/08/2018", "Dan Example", "01/09/2018", TITLE)
    everything = " ".join(value for row in rows for value in row.values())
    assert "/tmp" not in everything and str(office_data.letters_dir) not in everything  # no path on the server
    assert "2018-09-07" not in everything  # no ISO date


def test_the_workbook_has_real_dates_a_filter_and_widths_that_fit(app: Any, office_data: Offices) -> None:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    sent_and_published(office_data)
    sheet = load_workbook(io.BytesIO(dan(app).get("/letters/export.xlsx").data)).active
    header = [cell.value for cell in sheet[1]]
    assert tuple(header) == EXPORT_COLUMNS
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(EXPORT_COLUMNS))}3" and sheet.freeze_panes == "A2"
    response = {title: cell for title, cell in zip(header, sheet[3], strict=True)}
    for title, day in (("Date", dt.date(2018, 9, 7)), ("Copy to HMICFRS", dt.date(2018, 9, 10)), ("Published on", dt.date(2018, 9, 12))):
        assert response[title].value.date() == day and response[title].number_format == "dd/mm/yyyy", title
    assert response["Inspection"].value == TITLE and response["Version"].value == 1
    widths = {title: sheet.column_dimensions[get_column_letter(index)].width for index, title in enumerate(header, start=1)}
    assert widths["Reference"] >= len("MOPAC06092018-D2188") and widths["SHA-256"] >= 64
    assert widths["Subject"] == 60 and response["Subject"].alignment.wrap_text  # a longer subject wraps in its cell
    assert widths["Direction"] < 15 and all(width <= 66 for width in widths.values())
    assert widths["Date"] >= len("07/09/2018")


def test_the_export_costs_the_same_statements_for_ten_letters_as_for_two(office_data: Offices) -> None:
    def statements() -> int:
        seen: list[str] = []
        with office_data.store.reading() as session:
            listener = lambda *args: seen.append(args[2])  # noqa: E731
            event.listen(session.get_bind(), "before_cursor_execute", listener)
            try:
                wanted = LetterFilter(office="MOPAC")
                rows = list(export_rows(session, wanted))
                column_widths(session, wanted)
            finally:
                event.remove(session.get_bind(), "before_cursor_execute", listener)
        return len(seen), len(rows)

    few, letters = statements()
    with office_data.store.transaction() as session:
        from correspondence.organisation.offices import get_office

        mopac = get_office(session, "MOPAC")
        for day in range(1, 9):
            log_letter(session, office=mopac, direction=Direction.IN, letter_date=dt.date(2019, 1, day), reference=None,
                       status=None, subject=f"Letter {day}", kind=LetterKind.OTHER, today=dt.date(2019, 1, 9))
    many, more = statements()
    assert more == letters + 8 and many == few
