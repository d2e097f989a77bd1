"""Two offices in one store, neither naming a folder for copies: each office's letters, published
package and index of responses are its own, kept in the store, and nothing is written to disk.

Offices once shared one letters folder by default, and one office's publication overwrote the
other's index.html: West Mercia's "Download the index of responses" then served MOPAC's index.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from correspondence.drafting.drafts import DraftRequest
from correspondence.files.pdf import libreoffice
from correspondence.files.versions import latest, read_bytes
from correspondence.organisation import roles
from correspondence.organisation.offices import get_office, update_office
from correspondence.process.invitation import invite
from correspondence.process.publication import publish
from correspondence.process.s55_letter import draft_response
from correspondence.process.sending import mark_sent
from correspondence.records.models import Letter
from correspondence.records.store import acting_as
from correspondence.records.vocabulary import FilePurpose
from tests.web_support import Browserless, Offices

pytestmark = pytest.mark.skipif(libreoffice() is None, reason="LibreOffice (soffice) is not installed, so nothing can be published")


def _publish(office_data: Offices, short: str, inspection_id: int, invited: dt.date) -> None:
    """Invite the chief officer's comments, send the s.55 letter and publish, as the office would."""
    user = {"MOPAC": "dan", "KENT": "kim"}[short]
    with acting_as(user), office_data.store.transaction() as session:
        request = DraftRequest(office=short, letter_date=invited, today=invited)
        invitation = invite(session, inspection_id, request)
        mark_sent(session, session.get(Letter, invitation.letter_id), invited, invited)
        answer_day = invited + dt.timedelta(days=20)
        response = draft_response(session, inspection_id, DraftRequest(office=short, letter_date=answer_day, today=answer_day,
                                                                        allow_missing=True))
        mark_sent(session, session.get(Letter, response.letter_id), answer_day, answer_day)
        publish(session, inspection_id, short, published_on=answer_day, today=answer_day)


def test_two_offices_with_no_folder_keep_their_own_letters_and_index(app: Any, office_data: Offices, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with office_data.store.transaction() as session:
        for short in ("MOPAC", "KENT"):
            update_office(session, get_office(session, short), letters_dir="")  # no folder: the store alone
        roles.add_holder(session, role="Chief Constable", name="Alan Pughsley", salutation="Dear Alan",
                         office=get_office(session, "KENT"), starts_on=dt.date(2014, 1, 1), address="Sutton Road\nMaidstone")
    before_on_disk = sorted(tmp_path.rglob("*"))
    _publish(office_data, "MOPAC", office_data.mopac_inspection, dt.date(2018, 7, 18))
    _publish(office_data, "KENT", office_data.kent_inspection, dt.date(2022, 6, 2))
    assert sorted(tmp_path.rglob("*")) == before_on_disk  # nothing written beside the store

    with office_data.store.reading() as session:
        indexes = {short: read_bytes(session, latest(session, office=get_office(session, short), purpose=FilePurpose.INDEX))
                   .decode("utf-8") for short in ("MOPAC", "KENT")}
    assert "Crime Data Integrity" in indexes["MOPAC"] and "PEEL 2021/22: Kent Police" not in indexes["MOPAC"]
    assert "PEEL 2021/22: Kent Police" in indexes["KENT"] and "Crime Data Integrity" not in indexes["KENT"]
    assert "Kent Police and Crime Commissioner" in indexes["KENT"] and "Mayor" not in indexes["KENT"]

    # each office's colleagues download their own office's index and package from the workspace
    for name, inspection_id, own, other in (("dan", office_data.mopac_inspection, "Crime Data Integrity", "Kent"),
                                            ("kim", office_data.kent_inspection, "PEEL 2021/22: Kent Police", "Crime Data Integrity")):
        browser = Browserless(app)
        assert browser.login(name).status_code == 302
        index = browser.get(f"/inspections/{inspection_id}/published.index")
        assert index.status_code == 200 and own in index.text and other not in index.text
        package = browser.get(f"/inspections/{inspection_id}/published.html")
        assert package.status_code == 200 and own in package.text
    kim = Browserless(app)
    kim.login("kim")
    assert kim.get(f"/inspections/{office_data.mopac_inspection}/published.index").status_code == 404  # not Kent's to see
