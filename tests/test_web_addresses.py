"""Addresses a user gives, and where the workspace sends people (issue 22, item 7): the login's
``next`` only ever a path on this site, a report's or a response's link only http or https, and
Strict-Transport-Security when the workspace is served over HTTPS."""

from __future__ import annotations

from typing import Any

import pytest

from correspondence.records.errors import InvalidInput
from correspondence.records.web_addresses import web_address
from correspondence.web import create_app
from tests.conftest import assert_clean_error, snapshot
from tests.web_support import PASSWORD, Browserless, Offices, csrf_token, text_of


@pytest.mark.parametrize(("next_", "lands_on"), [
    ("/letters", "/letters"),
    ("/%09/evil.example", "/"),  # a tab: browsers drop it, and "//evil.example" is another site
    ("/%0a/x", "/"),  # a new line: it once gave a 500 after a good password
    ("//evil.example/", "/"),
    ("/%5Cevil.example", "/"),  # a backslash, which browsers read as a slash
    ("https://evil.example/", "/"),
    ("javascript:alert(1)", "/"),
], ids=["a page here", "tab", "new line", "two slashes", "backslash", "another site", "javascript"])
def test_after_logging_in_only_a_page_of_this_site_is_followed(app: Any, next_: str, lands_on: str) -> None:
    browser = Browserless(app)
    page = browser.client.get(f"/login?next={next_}")
    answer = browser.client.post(f"/login?next={next_}", data={"csrf_token": csrf_token(page.text), "name": "dan", "password": PASSWORD})
    assert answer.status_code == 302 and answer.headers["Location"] == lands_on


@pytest.mark.parametrize("address", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://example.org/report",
                                     "https://", "https://exa mple.org/", "https://example.org/\u0007"])
def test_a_web_address_is_http_or_https_with_a_host(address: str) -> None:
    with pytest.raises(InvalidInput, match="is not a web address"):
        web_address(address, field="source_url")
    assert web_address("  https://www.justiceinspectorates.gov.uk/hmicfrs/report  ", field="source_url") == \
        "https://www.justiceinspectorates.gov.uk/hmicfrs/report"


def test_a_report_link_that_would_run_is_refused_on_the_page_and_on_the_command_line(
        app: Any, office_data: Offices, db_url: str, example_cli: Any) -> None:
    dan = Browserless(app)
    assert dan.login("dan").status_code == 302
    before = snapshot(db_url)
    refused = dan.post(f"/inspections/{office_data.mopac_inspection}/correct", {
        "correct-title": "CDI 2018", "correct-programme": "Crime Data Integrity", "correct-published": "17/7/2018",
        "correct-source_url": "javascript:alert(1)", "correct-grade": "good"})
    assert refused.status_code == 422 and "'javascript:alert(1)' is not a web address" in text_of(refused)
    assert snapshot(db_url) == before
    assert "javascript:" not in dan.get(f"/inspections/{office_data.mopac_inspection}").text.split("</main>")[0].split("<main")[-1]
    assert_clean_error(example_cli("inspection", "set", "1", "--source-url", "javascript:alert(1)"),
                       "--source-url: 'javascript:alert(1)' is not a web address")


def test_strict_transport_security_only_where_the_workspace_is_served_over_https(office_data: Offices) -> None:
    plain = create_app(office_data.store).test_client().get("/login")
    assert "Strict-Transport-Security" not in plain.headers
    secure = create_app(office_data.store, secure_cookies=True).test_client().get("/login")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    behind_a_proxy = create_app(office_data.store).test_client().get("/login", base_url="https://localhost")
    assert behind_a_proxy.headers["Strict-Transport-Security"] == "max-age=31536000"
