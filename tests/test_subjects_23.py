"""Subjects built from the report's own title and programme (issue 23, item 4): the invitation,
the reminder and the stand-alone annex name the report as the s.55 response does, at most about
12 words and one colon, whatever the title's length; the annex, a position statement, says so.

Reports are added to the bundled example (the Mayor's Office for Policing and Crime and the
Metropolitan Police Service); their titles are made up in the shapes real ones take."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli, write

THEMATIC_TITLE = ("An inspection of how well the police and other agencies protect children who go missing from home "
                  "or care and are at risk of exploitation")
REINSPECTION_TITLE = "Metropolitan Police Service: Crime Data Integrity re-inspection 2018"
LONG_FORCE_TITLE = ("PEEL 2023–25: An inspection of the Metropolitan Police Service: police effectiveness, efficiency "
                    "and legitimacy, with its response to the cost of living and to violence against women and girls")


def _words(subject: str) -> int:
    return sum(1 for word in subject.split() if any(character.isalnum() for character in word))


def _assert_short(subject: str) -> None:
    assert _words(subject) <= 14, subject
    assert subject.count(":") <= 1, subject


@pytest.fixture
def office(example_cli: Cli) -> Cli:
    cli = example_cli
    cli.ok("role", "add", "Commissioner", "Cressida Dick", "--from", "10/4/2017", "--until", "10/4/2022", "--office", "MOPAC",
           "--salutation", "Dear Cressida", "--address", "New Scotland Yard")
    cli.ok("role", "add", "Commissioner", "Mark Rowley", "--from", "12/9/2022", "--office", "MOPAC",
           "--salutation", "Dear Mark", "--address", "New Scotland Yard")
    cli.ok("user", "add", "jo", "--office", "MOPAC", "--role", "drafter")
    return cli


def _add(cli: Cli, tmp_path: Path, name: str, content: str) -> str:
    added = cli.json("inspection", "add", str(write(tmp_path / f"{name}.yaml", content)))
    return str(added["id"])


def _subject(cli: Cli, reference: str) -> str:
    return cli.json("letter", "show", reference)["subject"]


def test_invitation_reminder_and_annex_subjects_of_a_long_force_report(office: Cli, tmp_path: Path) -> None:
    cli = office
    inspection = _add(cli, tmp_path, "peel", f'force: Metropolitan Police Service\nprogramme: PEEL 2023–25\ntitle: "{LONG_FORCE_TITLE}"\n'
                      "published: 1 March 2024\nareas_for_improvement:\n  - Answer calls sooner.\n")
    invited = cli.json("invite", inspection, "--office", "MOPAC", "--date", "4/3/2024", "--as", "jo")
    assert _subject(cli, invited["reference"]) == "Metropolitan Police Service: PEEL 2023–25 inspection – your comments"
    cli.ok("letter", "sent", invited["reference"], "--date", "4/3/2024", "--as", "jo")
    chased = cli.json("chase", inspection, "--office", "MOPAC", "--date", "10/4/2024", "--as", "jo")
    assert _subject(cli, chased["reference"]) == "Metropolitan Police Service: PEEL 2023–25 inspection – your comments, a reminder"
    annex = cli.json("draft", "annex", inspection, "--office", "MOPAC", "--date", "11/4/2024", "--json")
    subject = _subject(cli, annex["reference"])
    assert subject == "Metropolitan Police Service: PEEL 2023–25 inspection – position on the findings"
    for reference in (invited["reference"], chased["reference"], annex["reference"]):
        _assert_short(_subject(cli, reference))
    assert "Update requested" not in subject


def test_a_reinspection_keeps_its_own_word_and_year(office: Cli, tmp_path: Path) -> None:
    cli = office
    inspection = _add(cli, tmp_path, "cdi", f'force: Metropolitan Police Service\nprogramme: Crime Data Integrity\ntitle: "{REINSPECTION_TITLE}"\n'
                      "published: 15 January 2019\n")
    invited = cli.json("invite", inspection, "--office", "MOPAC", "--date", "16/1/2019", "--as", "jo")
    subject = _subject(cli, invited["reference"])
    assert subject == "Metropolitan Police Service: Crime Data Integrity re-inspection 2018 – your comments"
    _assert_short(subject)


def test_a_thematic_is_named_by_its_title_cut_at_a_word_that_can_end_it(office: Cli, tmp_path: Path) -> None:
    cli = office
    inspection = _add(cli, tmp_path, "thematic", f'programme: Thematic\ntitle: "{THEMATIC_TITLE}"\npublished: 1 June 2024\n')
    annex = cli.json("draft", "annex", inspection, "--office", "MOPAC", "--date", "3/6/2024", "--to", "Commissioner", "--json")
    subject = _subject(cli, annex["reference"])
    _assert_short(subject)
    assert subject.startswith("An inspection of how well the police") and subject.endswith(" … – position on the findings")
    assert "Thematic" not in subject and not subject.split(" …")[0].endswith((" and", " of", " the", " to"))
