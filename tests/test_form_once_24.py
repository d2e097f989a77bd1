"""Each form acted on once (web/form_once.py): a second identical POST changes nothing and says so;
and a meeting stored by mistake can be deleted, from the workspace and the command line."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from correspondence.records.models import FormPost, Meeting
from correspondence.web.form_once import NOTICE
from tests.conftest import Cli
from tests.web_support import Browserless, Offices, text_of


def client(app: Any, name: str) -> Browserless:
    browser = Browserless(app)
    assert browser.login(name).status_code == 302
    return browser


def once_token(html: str, action: str) -> str:
    """The form_once token of the form posting to ``action`` (the page's own form when action is empty)."""
    for form in re.finditer(r"<form\b[^>]*>.*?</form>", html, flags=re.DOTALL):
        tag = form.group(0)[:form.group(0).index(">") + 1]
        if (f'action="{action}"' in tag) if action else ("action=" not in tag and 'method="post"' in tag):
            found = re.search(r'name="form_once" value="([^"]+)"', form.group(0))
            assert found, f"no form_once token in {tag}"
            return found.group(1)
    raise AssertionError(f"no form posting to {action!r}")


def meetings_called(o: Offices, title: str) -> int:
    with o.store.reading() as session:
        return session.scalar(select(func.count()).select_from(Meeting).where(Meeting.title == title))


def test_every_form_the_page_posts_carries_its_own_token_and_htmx_forms_none(app: Any, office_data: Offices) -> None:
    dan = client(app, "dan")
    page = dan.get(f"/inspections/{office_data.mopac_inspection}").text
    posted = re.findall(r'<form\b[^>]*method="post"[^>]*>', page)
    tokens = re.findall(r'name="form_once" value="([^"]+)"', page)
    in_place = [tag for tag in posted if "hx-post" in tag]
    assert posted and in_place, "the inspection page has forms, and an owner picker posted in place"
    assert len(tokens) == len(posted) - len(in_place) == len(set(tokens))
    again = dan.get(f"/inspections/{office_data.mopac_inspection}").text
    assert set(re.findall(r'name="form_once" value="([^"]+)"', again)).isdisjoint(tokens), "a new token each time the page is shown"


def test_two_identical_posts_store_one_meeting_and_the_second_says_so(app: Any, office_data: Offices) -> None:
    dan = client(app, "dan")
    token = once_token(dan.get("/meetings").text, "")
    form = {"title": "Board sent twice", "held_on": "1/6/2022", "form_once": token}
    first = dan.post("/meetings", form)
    assert first.status_code == 302 and "/meetings/" in first.headers["Location"]
    second = dan.post("/meetings", form, headers={"Referer": "http://localhost/meetings"})
    assert second.status_code == 303 and second.headers["Location"].endswith("/meetings")
    assert NOTICE in text_of(dan.get("/meetings"))
    assert meetings_called(office_data, "Board sent twice") == 1
    with office_data.store.reading() as session:
        assert session.scalar(select(FormPost.path).where(FormPost.token == token)) == "/meetings"


def test_a_form_refused_records_nothing_so_it_can_be_sent_again(app: Any, office_data: Offices) -> None:
    dan = client(app, "dan")
    token = once_token(dan.get("/meetings").text, "")
    refused = dan.post("/meetings", {"title": "Board", "held_on": "31/2/2022", "form_once": token})
    assert refused.status_code == 422
    with office_data.store.reading() as session:
        assert session.get(FormPost, token) is None
    assert dan.post("/meetings", {"title": "Board fixed", "held_on": "28/2/2022", "form_once": token}).status_code == 302
    assert meetings_called(office_data, "Board fixed") == 1


def test_the_same_token_racing_in_from_two_requests_changes_once(app: Any, office_data: Offices, monkeypatch: Any) -> None:
    """The second request got past the first check before the first had committed: its insert of the
    token finds the first's row, and its whole change is undone."""
    import datetime as dt

    from correspondence.web import form_once

    dan = client(app, "dan")
    page = f"/meetings/{office_data.mopac_meeting}"
    token = once_token(dan.get(page).text, f"{page}/actions")
    with office_data.store.transaction() as session:  # as if another process had just committed it
        assert form_once.record_token(session, token, "/elsewhere", dt.datetime.now(dt.UTC))
    monkeypatch.setattr(form_once, "already_posted", lambda *_args: False)  # the first check ran before that commit
    raced = dan.post(f"{page}/actions", {"action": "Raced action.", "form_once": token}, headers={"Referer": f"http://localhost{page}"})
    assert raced.status_code == 303 and raced.headers["Location"].endswith(page)
    assert NOTICE in text_of(dan.get(page))
    with office_data.store.reading() as session:
        assert "Raced action." not in [action.action for action in session.get(Meeting, office_data.mopac_meeting).actions]


def test_a_post_without_a_token_behaves_as_before(app: Any, office_data: Offices) -> None:
    dan = client(app, "dan")
    for _ in range(2):
        assert dan.post("/meetings", {"title": "Scripted board", "held_on": "1/6/2022"}).status_code == 302
    assert meetings_called(office_data, "Scripted board") == 2


def test_old_tokens_are_cleared_as_new_ones_come(app: Any, office_data: Offices) -> None:
    import datetime as dt

    from correspondence.web.form_once import record_token

    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    with office_data.store.transaction() as session:
        record_token(session, "old-token", "/meetings", long_ago)
    dan = client(app, "dan")
    token = once_token(dan.get("/meetings").text, "")
    assert dan.post("/meetings", {"title": "New board", "held_on": "1/6/2022", "form_once": token}).status_code == 302
    with office_data.store.reading() as session:
        assert session.get(FormPost, "old-token") is None and session.get(FormPost, token) is not None


def test_a_meeting_stored_twice_is_deleted_from_its_page(app: Any, office_data: Offices) -> None:
    dan = client(app, "dan")
    dan.post("/meetings", {"title": "Duplicate board", "held_on": "1/6/2022"})
    with office_data.store.reading() as session:
        key = session.scalar(select(Meeting.id).where(Meeting.title == "Duplicate board"))
    page = dan.get(f"/meetings/{key}")
    assert "Delete this meeting" in page.text
    unconfirmed = dan.post(f"/meetings/{key}/delete", {})
    assert unconfirmed.status_code == 422 and 'href="#delete-confirm"' in unconfirmed.text and "Tick the box to confirm" in unconfirmed.text
    assert meetings_called(office_data, "Duplicate board") == 1
    deleted = dan.post(f"/meetings/{key}/delete", {"delete-confirm": "y"})
    assert deleted.status_code == 302
    assert "Deleted Duplicate board of 1 June 2022" in text_of(dan.get(deleted.headers["Location"]))
    assert meetings_called(office_data, "Duplicate board") == 0


def test_a_meeting_with_a_letter_is_kept(app: Any, office_data: Offices) -> None:
    dan = client(app, "dan")
    assert dan.post(f"/meetings/{office_data.mopac_meeting}/draft", {"letter_date": "4/5/2022"}).status_code == 302
    page = dan.get(f"/meetings/{office_data.mopac_meeting}")
    assert "This meeting cannot be deleted: 1 letter refers to it." in text_of(page)
    refused = dan.post(f"/meetings/{office_data.mopac_meeting}/delete", {"delete-confirm": "y"})
    assert refused.status_code == 422 and "cannot be deleted" in text_of(refused)
    kim = client(app, "kim")
    assert kim.post(f"/meetings/{office_data.mopac_meeting}/delete", {"delete-confirm": "y"}).status_code == 404
    viewer = client(app, "vera")
    assert viewer.post(f"/meetings/{office_data.mopac_meeting}/delete", {"delete-confirm": "y"}).status_code == 403


def test_corr_meeting_delete(example_cli: Cli, tmp_path: Any) -> None:
    meeting = tmp_path / "twice.yaml"
    meeting.write_text("office: MOPAC\ntitle: Board stored twice\nheld_on: 1 June 2022\n", encoding="utf-8")
    stored = example_cli.json("meeting", "add", str(meeting))
    done = example_cli.ok("meeting", "delete", str(stored["id"]))
    assert "deleted Board stored twice of 1 June 2022" in done.output
    example_cli.ok("action", "update", "1:1", "--status", "done")
    refused = example_cli.fails("meeting", "delete", "1")
    assert "cannot be deleted" in refused.output and "Traceback" not in refused.output


def test_a_form_sent_again_in_place_by_htmx_is_told_so_in_the_fragment(app: Any, office_data: Offices) -> None:
    dan = client(app, "dan")
    token = once_token(dan.get("/meetings").text, "")
    form = {"title": "Board by htmx", "held_on": "1/6/2022", "form_once": token}
    assert dan.post("/meetings", form).status_code == 302
    again = dan.post("/meetings", form, headers={"HX-Request": "true"})
    assert again.status_code == 409 and NOTICE in again.text and "<html" not in again.text
    assert meetings_called(office_data, "Board by htmx") == 1
