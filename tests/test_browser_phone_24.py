"""On a 390 px phone no page of the workspace scrolls sideways: the register, the actions, an
inspection's timeline and the other wide tables are stacked as cards, each cell saying its column
(issue 24). Run on the web tests' two offices (tests/web_support.py), in Debian's Chromium, with
axe-core on each page. CORR_SCREENSHOTS names a folder for screenshots of the pages as cards."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.test_browser import Officer, browser, serve  # noqa: F401 - browser is the module's fixture
from tests.web_support import build_offices

PHONE = {"width": 390, "height": 844}


def pages(o: Any) -> dict[str, str]:
    return {
        "dashboard": "/", "inspections": "/inspections", "inspection": f"/inspections/{o.mopac_inspection}",
        "register": "/letters", "register-search": "/letters?q=crime", "letter": f"/letters/{o.mopac_draft}",
        "meetings": "/meetings", "meeting": f"/meetings/{o.mopac_meeting}", "actions": "/actions",
        "users": "/users", "roles": "/roles", "settings": "/settings", "account": "/account",
    }


def test_no_page_scrolls_sideways_on_a_390px_phone(browser: Any, db_url: str, tmp_path: Path) -> None:  # noqa: F811
    data = build_offices(db_url, tmp_path / "letters")
    data.store.dispose()
    process, base = serve(db_url, tmp_path / "serve.log")
    shots = Path(os.environ["CORR_SCREENSHOTS"]) if os.environ.get("CORR_SCREENSHOTS") else None
    try:
        officer = Officer(browser, base, tmp_path)
        officer.login("ada")
        officer.page.set_viewport_size(PHONE)
        wide = {}
        for name, path in pages(data).items():
            officer.go(path)
            width = officer.page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide[path] = width
            officer.accessible()
            if shots is not None:
                officer.page.screenshot(path=str(shots / f"phone-{name}-390.png"), full_page=True)
        assert wide == {}, f"pages wider than the phone: {wide}"
        officer.go("/letters")  # a card names each value: the register's columns are said in each row
        said = officer.page.evaluate("[...document.querySelectorAll('table.table--cards tbody tr:first-child td')]"
                                     ".map(td => getComputedStyle(td, '::before').content)")
        assert said[:2] == ['"Date: "', '"Reference: "'], said
        officer.close()
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.parametrize("width", [1280])
def test_the_wide_tables_stay_tables_on_a_desktop(browser: Any, db_url: str, tmp_path: Path, width: int) -> None:  # noqa: F811
    data = build_offices(db_url, tmp_path / "letters")
    data.store.dispose()
    process, base = serve(db_url, tmp_path / "serve.log")
    try:
        officer = Officer(browser, base, tmp_path)
        officer.login("dan")
        officer.go("/letters")
        assert officer.page.locator("table.table--cards thead").first.is_visible()
        assert officer.page.evaluate("getComputedStyle(document.querySelector('table.table--cards td')).display") == "table-cell"
        officer.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
