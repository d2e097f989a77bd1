"""A report that gives no date of publication is stored from the command line with the date given
(issue 24: the web's preview had a field for it; the command line had no way to say it)."""

from __future__ import annotations

from tests.conftest import CORPUS, assert_clean_error, requires_corpus

TRACKER = CORPUS / "reports" / "report-hmicfrs-recommendation-tracker-lincolnshire-cdi-2018-cause-of-concern.txt"


@requires_corpus
def test_a_report_with_no_date_is_stored_with_the_date_given(cli) -> None:
    refused = cli("inspection", "import", str(TRACKER), "--add-force")
    assert_clean_error(refused, "could not find the report's publication date; nothing stored; give --published")  # never guessed
    cli.ok("inspection", "import", str(TRACKER), "--add-force", "--published", "17 July 2018")
    [stored] = cli.json("inspection", "list")
    assert "2018-07-17" in str(stored.values())  # the date given, stored as the date of publication


@requires_corpus
def test_a_date_that_is_not_a_date_is_refused_by_its_option(cli) -> None:
    assert_clean_error(cli("inspection", "import", str(TRACKER), "--add-force", "--published", "soon"), "--published")
