"""The upload preview as a form to fill in (issue 24, item 6): every value read can be changed, every
value the store needs and the importer did not find is an empty field refused beside its label when
left blank, a report on another force is warned about with a choice, and a report stored already by
another office is said without naming that office's record. Through the Flask test client, on
SQLite and PostgreSQL; the reports are written here from facts, not copied from real ones."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from correspondence.records.models import Force, Inspection
from tests.conftest import snapshot
from tests.web_support import Browserless, Offices, text_of

# A report on the Met (MOPAC's force) with no date: its title gives the force and the programme.
MET_NO_DATE = """Metropolitan Police Service: PEEL 2018/19 inspection

Overall judgment

Graded: Requires improvement

Recommendations

Within six months, the force should:

• improve how it supervises investigations of crimes against vulnerable people;
• make sure that its officers record stop and search encounters.

Areas for improvement

The force should:

• improve how it answers non-emergency calls.
"""

# Its title names the force and no programme; the date is given.
MET_NO_PROGRAMME = """Metropolitan Police Service: how well the force answers the public

Published on: 12 March 2020

Areas for improvement

The force should:

• improve how it answers non-emergency calls.
"""

WILTSHIRE = """Wiltshire Police: PEEL 2018/19 inspection

Published on: 2 May 2019

Areas for improvement

The force should:

• improve how it records crimes reported by third parties.
"""

KENT_AGAIN = """Kent Police: PEEL 2021/22 inspection

Published on: 1 June 2022

Recommendations

Within three months, the force should:

• improve how the force answers emergency calls.
"""

MET_SPARE_AGAIN = """Metropolitan Police Service: Custody 2019 inspection

Published on: 1 March 2019

Recommendations

The force should:

• improve the custody records.
"""

CUT_SHORT = """Metropolitan Police Service: Crime Data Integrity inspection 2020

Published on: 3 February 2020

Cause of concern

The force does not record enough reports of violent crime when they are first made.

Within three months, the force should review how its control room records violent crime.

Within six months, the force should:

train every call handler in the crime-recording rules and check that the training has made a diff
"""


@pytest.fixture
def dan(app: Any) -> Browserless:
    client = Browserless(app)
    assert client.login("dan").status_code == 302
    return client


class _Fields(HTMLParser):
    """The preview form's fields as a browser would send them, unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.data: MultiDict = MultiDict()
        self._in: tuple[str, str] | None = None
        self._text = ""
        self._form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and "confirm" in (a.get("action") or ""):
            self._form = True
        if not self._form or not a.get("name"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.add(a["name"], a.get("value") or "y")
            else:
                self.data.add(a["name"], a.get("value") or "")
        elif tag in ("textarea", "select"):
            self._in, self._text = (tag, a["name"]), ""
        elif tag == "option" and self._in:
            pass

    def handle_data(self, data: str) -> None:
        if self._in and self._in[0] == "textarea":
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = False
        if self._in and tag == self._in[0]:
            if tag == "textarea":
                self.data.add(self._in[1], self._text.lstrip("\n"))
            self._in = None


def fields_of(html: str) -> MultiDict:
    parser = _Fields()
    parser.feed(html)
    for select in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.DOTALL):
        chosen = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*selected', select.group(2))
        first = re.search(r'<option[^>]*value="([^"]*)"', select.group(2))
        parser.data[select.group(1)] = (chosen.group(1) or chosen.group(2)) if chosen else (first.group(1) if first else "")
    return parser.data


def upload(client: Browserless, name: str, text: str) -> Any:
    return client.post("/inspections/upload", {"report": (io.BytesIO(text.encode()), name)}, content_type="multipart/form-data")


def send(client: Browserless, page: Any, **changes: str) -> Any:
    data = fields_of(page.text)
    for key, value in changes.items():
        data[key] = value
    data["csrf_token"] = client.token
    return client.client.post("/inspections/upload/confirm", data=data)


def field_html(page: Any, name: str) -> str:
    found = re.search(rf'<(input|textarea|select)[^>]*name="{re.escape(name)}"[^>]*>', page.text)
    assert found, f"no field {name}"
    return found.group(0)


def error_beside(page: Any, field_id: str) -> str:
    found = re.search(rf'<p class="field-error" id="{re.escape(field_id)}-error">(.*?)</p>', page.text, re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split()) if found else ""


DEVELOPER_WORDS = ("recommendations[", "areas_for_improvement", "overall_grade", "published,", "InvalidInput", "NotFound",
                   "AlreadyStored", "corr force add", "as inspection ")


def no_developer_words(page: Any) -> None:
    shown = text_of(page)
    for words in DEVELOPER_WORDS:
        assert words not in shown, words


def test_a_missing_date_is_an_empty_field_refused_when_blank_and_stored_when_filled(dan: Browserless, office_data: Offices, db_url: str) -> None:
    preview = upload(dan, "met-peel.txt", MET_NO_DATE)
    assert preview.status_code == 200
    no_developer_words(preview)
    page = text_of(preview)
    assert "The tool could not find the date it was published in the report" in page
    assert 'value=""' in field_html(preview, "published") or "value" not in field_html(preview, "published")
    assert "Date the report was published" in page and "Not found in the report" in page
    assert "Read from line 1 of the report" in page  # the title, the force and the programme

    before = snapshot(db_url)
    blank = send(dan, preview, title="Met PEEL 2018/19, as the office calls it")
    assert blank.status_code == 422 and snapshot(db_url) == before
    assert error_beside(blank, "published") == "Error: Enter the date the report was published"
    assert '<a href="#published">Date the report was published: Enter the date the report was published</a>' in blank.text
    assert 'value="Met PEEL 2018/19, as the office calls it"' in field_html(blank, "title")  # what was typed is kept
    no_developer_words(blank)

    wrong = send(dan, blank, published="31/2/2019")
    assert wrong.status_code == 422 and error_beside(wrong, "published")
    assert 'value="31/2/2019"' in field_html(wrong, "published")

    stored = send(dan, wrong, published="7 September 2018")
    assert stored.status_code == 302
    with office_data.store.reading() as session:
        inspection = session.query(Inspection).filter_by(title="Met PEEL 2018/19, as the office calls it").one()
        assert inspection.published_on.isoformat() == "2018-09-07" and inspection.programme == "PEEL 2018/19"
        assert stored.headers["Location"].endswith(f"/inspections/{inspection.id}")
        assert len([a for a in inspection.areas if a.kind.value == "recommendation"]) == 2


def test_a_missing_programme_is_an_empty_field_too(dan: Browserless, office_data: Offices) -> None:
    preview = upload(dan, "met-calls.txt", MET_NO_PROGRAMME)
    assert "The tool could not find the inspection programme in the report" in text_of(preview)
    blank = send(dan, preview)
    assert blank.status_code == 422
    assert error_beside(blank, "programme") == "Error: Enter the inspection programme, for example PEEL 2018/19"
    assert '<a href="#programme">' in blank.text
    stored = send(dan, blank, programme="Crime Data Integrity, 3 March 2020", published="3/3/2020")
    assert stored.status_code == 302
    with office_data.store.reading() as session:
        inspection = session.query(Inspection).filter_by(programme="Crime Data Integrity, 3 March 2020").one()
        assert inspection.published_on.isoformat() == "2020-03-03"  # the user's date wins over the one read


def test_every_error_comes_back_at_once_beside_its_field(dan: Browserless) -> None:
    preview = upload(dan, "met-peel.txt", MET_NO_DATE)
    refused = send(dan, preview, title="", **{"findings-0-number": "two", "findings-1-number": "1"})
    assert refused.status_code == 422
    assert error_beside(refused, "title") == "Error: Enter the report's title"
    assert error_beside(refused, "published") == "Error: Enter the date the report was published"
    assert error_beside(refused, "findings-0-number") == "Error: Enter a whole number, such as 3"
    summary = text_of(refused).split("There is a problem", 1)[1].split("Nothing is stored yet", 1)[0]
    assert "Title: Enter the report's title" in summary and "Recommendation two: Number: Enter a whole number" in summary
    twice = send(dan, preview, published="7/9/2018", **{"findings-1-number": "1"})
    assert twice.status_code == 422 and "Recommendation 1 is given twice" in error_beside(twice, "findings-1-number")


def test_edited_findings_are_stored_as_edited_and_a_cut_short_one_is_said_in_plain_words(dan: Browserless, office_data: Offices) -> None:
    preview = upload(dan, "met-cdi.txt", CUT_SHORT)
    page = text_of(preview)
    assert "This recommendation may be cut short in the report as read; check it against the report." in page
    assert "Recommendation 2 may be cut short in the report as read" in page
    no_developer_words(preview)
    whole = "Within six months, the force should: train every call handler in the crime-recording rules."
    stored = send(dan, preview, **{"findings-2-text": whole, "findings-1-timescale": "within 90 days"})
    assert stored.status_code == 302
    with office_data.store.reading() as session:
        inspection = session.query(Inspection).filter_by(programme="Crime Data Integrity", published_on=dt.date(2020, 2, 3)).one()
        areas = sorted((a for a in inspection.areas if a.kind.value == "recommendation"), key=lambda a: a.number)
        assert areas[1].text == whole and "[…]" not in areas[1].text
        assert areas[0].timescale == "within 90 days"


def test_a_finding_left_empty_is_left_out(dan: Browserless, office_data: Offices) -> None:
    preview = upload(dan, "met-peel.txt", MET_NO_DATE)
    stored = send(dan, preview, published="7/9/2018", **{"findings-1-text": "", "findings-2-kind": "recommendations",
                                                          "findings-2-number": "2"})
    assert stored.status_code == 302
    with office_data.store.reading() as session:
        inspection = session.query(Inspection).filter_by(programme="PEEL 2018/19").one()
        assert sorted((a.kind.value, a.number, a.text) for a in inspection.areas) == [
            ("recommendation", 1, "improve how it supervises investigations of crimes against vulnerable people."),
            ("recommendation", 2, "improve how it answers non-emergency calls.")]


def test_a_report_on_another_force_is_warned_about_and_stored_as_that_forces_when_chosen(dan: Browserless, office_data: Offices, db_url: str) -> None:
    preview = upload(dan, "wiltshire.txt", WILTSHIRE)
    page = text_of(preview)
    assert "This report is about Wiltshire Police; this office oversees Metropolitan Police Service." in page
    assert "Store it as a report about Wiltshire Police" in page and "Do not store it" in page
    no_developer_words(preview)
    before = snapshot(db_url)
    unchosen = send(dan, preview)
    assert unchosen.status_code == 422 and snapshot(db_url) == before
    assert error_beside(unchosen, "about") == "Error: Choose whether to store this report about Wiltshire Police"
    assert '<a href="#about">' in unchosen.text
    no_developer_words(unchosen)

    stored = send(dan, unchosen, about="another")
    assert stored.status_code == 302 and stored.headers["Location"].endswith("/inspections")
    shown = text_of(dan.get(stored.headers["Location"]))
    assert "as a report about Wiltshire Police" in shown and "corr " not in shown
    with office_data.store.reading() as session:
        force = session.query(Force).filter_by(name="Wiltshire Police").one()  # added, as the office chose to store it
        assert force.chief_officer_title == "Chief Constable"
        assert session.query(Inspection).filter_by(force_id=force.id, programme="PEEL 2018/19").count() == 1


def test_a_report_on_another_force_not_stored_when_the_user_says_so(dan: Browserless, db_url: str) -> None:
    preview = upload(dan, "wiltshire.txt", WILTSHIRE)
    before = snapshot(db_url)
    declined = send(dan, preview, about="not")
    assert declined.status_code == 302
    assert "Nothing was stored: wiltshire.txt was not kept." in text_of(dan.get(declined.headers["Location"]))
    assert {name: rows for name, rows in snapshot(db_url).items() if name not in ("web_sessions", "form_posts")} == \
        {name: rows for name, rows in before.items() if name not in ("web_sessions", "form_posts")}


def test_a_force_typed_over_the_one_read_is_the_one_stored(dan: Browserless, office_data: Offices) -> None:
    """A report read as Wiltshire's, which the officer knows is the Met's: no warning once corrected."""
    preview = upload(dan, "wiltshire.txt", WILTSHIRE)
    stored = send(dan, preview, force="Metropolitan Police Service")
    assert stored.status_code == 302
    with office_data.store.reading() as session:
        inspection = session.query(Inspection).filter_by(programme="PEEL 2018/19", published_on=dt.date(2019, 5, 2)).one()
        assert inspection.force.name == "Metropolitan Police Service"


def test_a_report_another_office_stored_is_said_without_naming_its_record(dan: Browserless, office_data: Offices, db_url: str) -> None:
    preview = upload(dan, "kent.txt", KENT_AGAIN)
    before = snapshot(db_url)
    refused = send(dan, preview, about="another")
    assert refused.status_code == 422 and snapshot(db_url) == before
    page = text_of(refused)
    assert "This report is already stored in the workspace by another office" in page and "Nothing was stored" in page
    assert f"/inspections/{office_data.kent_inspection}" not in refused.text and "inspection 2" not in page.lower()
    no_developer_words(refused)
    assert 'value="Kent Police"' in field_html(refused, "force")  # everything as typed


def test_a_report_this_office_stored_already_links_to_it(dan: Browserless, office_data: Offices) -> None:
    preview = upload(dan, "met-custody.txt", MET_SPARE_AGAIN)
    refused = send(dan, preview, programme="Custody 2019")
    assert refused.status_code == 422
    assert "Go to the inspection already stored" in text_of(refused)
    assert f'href="/inspections/{office_data.mopac_spare}"' in refused.text


def test_the_library_lays_the_officers_values_over_the_reports(tmp_path: Any) -> None:
    """The rule lives in the library: a value given wins, a finding changed is no longer cut short."""
    from correspondence.importers.report_edits import FindingEdit, ReportEdits
    from correspondence.importers.storing import read_report

    path = tmp_path / "cut.txt"
    path.write_text(CUT_SHORT)
    read = read_report(path)
    assert read.sources["recommendations[1]"].cut
    edited = read_report(path, edits=ReportEdits(published="4 February 2020", findings=[
        FindingEdit("causes_of_concern", read.causes_of_concern[0]["text"], read_as="causes_of_concern[0]"),
        FindingEdit("recommendations", "Review the control room.", read_as="recommendations[0]"),
        FindingEdit("recommendations", read.recommendations[1]["text"] + " and more.", number=2, read_as="recommendations[1]"),
        FindingEdit("areas_for_improvement", "A finding the officer added."),
    ]))
    data = edited.as_inspection_data()
    assert data["published"] == "2020-02-04" and "published" not in edited.sources
    assert [r["text"] for r in data["recommendations"]] == ["Review the control room.", read.recommendations[1]["text"] + " and more."]
    assert data["areas_for_improvement"] == [{"text": "A finding the officer added."}]
    assert not edited.flags  # nothing left to check: the cut-short text was replaced
    as_read = read_report(path, edits=ReportEdits(findings=[
        FindingEdit("recommendations", read.recommendations[1]["text"], read_as="recommendations[1]")]))
    assert as_read.as_inspection_data()["recommendations"][0]["text"].endswith(" […]")  # left as read: still marked


def test_the_duplicate_refusal_carries_whether_the_office_sees_the_one_stored(office_data: Offices, tmp_path: Any) -> None:
    from correspondence.importers.storing import import_inspection, read_report
    from correspondence.organisation.offices import get_office
    from correspondence.tracking.inspections import AlreadyStored

    path = tmp_path / "kent.txt"
    path.write_text(KENT_AGAIN)
    with office_data.store.transaction() as session:
        mopac, kent = get_office(session, "MOPAC"), get_office(session, "KENT")
        for office, visible in ((mopac, False), (kent, True)):
            with pytest.raises(AlreadyStored) as refused:
                import_inspection(session, path, read_report(path), office=office)
            assert refused.value.visible is visible and refused.value.stored_id == office_data.kent_inspection
            assert refused.value.value == dt.date(2022, 6, 1)  # the date that makes it the same report
        with pytest.raises(AlreadyStored) as plain:  # the CLI's words stay as they were
            import_inspection(session, path, read_report(path))
        assert f"is already stored as inspection {office_data.kent_inspection}" in str(plain.value)
        session.rollback()
