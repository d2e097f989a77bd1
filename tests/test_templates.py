"""`corr template check` and `corr template context`, and the shipped templates themselves."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from correspondence.cli import app
from correspondence.drafting.rendering import TEMPLATES, shipped_template
from tests.conftest import assert_clean_error


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_shipped_templates_pass_their_own_check(kind):
    result = CliRunner().invoke(app, ["template", "check", str(shipped_template(kind)), "--kind", kind])
    assert result.exit_code == 0, result.output
    assert "OK" in result.stdout


def _template(tmp_path: Path, *paragraphs: str) -> Path:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / "custom.docx"
    document.save(str(path))
    return path


def test_check_reports_syntax_errors_with_their_line(tmp_path):
    path = _template(tmp_path, "Dear {{ salutation }}", "Our ref: {{ reference ", "{{ date }}")
    result = CliRunner().invoke(app, ["template", "check", str(path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"{path}: document line 3:" in result.stderr
    assert "Our ref:" in result.stderr


def test_check_lists_every_name_the_context_lacks(tmp_path):
    path = _template(tmp_path, "{{ refrence }} {{ office.name }}", "{{ inspection.grade }}", "{% for x in recomendations %}{{ x }}{% endfor %}")
    result = CliRunner().invoke(app, ["template", "check", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert any("{{ recomendations }}" in line for line in lines)
    assert any("{{ refrence }}" in line for line in lines)
    assert all(line.startswith(f"{path}: ") for line in lines)


def test_check_tries_attributes_against_real_values(tmp_path):
    path = _template(tmp_path, "{{ inspection.grade }}")
    result = CliRunner().invoke(app, ["template", "check", str(path)])
    assert result.exit_code == 1
    assert "has no attribute 'grade'" in result.stderr


def test_check_refuses_a_finished_letter_with_no_fields(tmp_path):
    """A letter already written, not a template: every draft from it would be the same document."""
    path = _template(tmp_path, "Dear Sir Mark,", "Thank you for your reply of 20 August 2018.", "Yours sincerely")
    result = CliRunner().invoke(app, ["template", "check", str(path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"{path}: uses none of the letter's fields" in result.stderr and "OK" not in result.stdout


def test_check_a_file_that_is_not_a_template(tmp_path):
    text = tmp_path / "letter.docx"
    text.write_text("not a zip")
    assert_clean_error(CliRunner().invoke(app, ["template", "check", str(text)]), "not a Word .docx file")
    assert_clean_error(CliRunner().invoke(app, ["template", "check", str(tmp_path / "none.docx")]), "no such file")
    assert_clean_error(CliRunner().invoke(app, ["template", "check", str(text), "--kind", "memo"]), "unknown kind 'memo'")


def test_context_is_what_a_template_author_can_use(example_cli):
    context = example_cli.json("template", "context", "1", "--date", "7/9/2018")
    assert context["reference"] == "REFERENCE" and context["date"] == "7 September 2018"
    assert context["addressee"]["name"] == "Rt Hon Sajid Javid MP"
    assert context["inspection"]["published"] == "17 July 2018"
    assert context["inspection"]["response_due"] == "10 September 2018"
    assert context["measures"][0]["rate"] == "89.5% (±1.64%)"
    # only the figures the letter quotes: the headline measure, in its confirmed phrase (issue 23)
    assert [(m["phrase"], m["quoted"]) for m in context["measures"]] == [("the force's overall crime-recording rate", True)]
    assert context["areas"][1] | {"update_text": "..."} == {
        "code": "A2", "kind": "area for improvement", "kind_title": "Area for improvement", "number": 2,
        "text": "Record every reported rape without delay.", "timescale": "immediately", "status": "Complete",
        "update_text": "...", "update_date": "20 August 2018", "awaiting": "",
        "answer": "", "answer_text": "", "no_action": False, "answer_date": "",
        "for_whom": "force", "for_label": "the force", "for_force": True,
    }
    assert context["areas"][0]["answer"].startswith("MOPAC will sample domestic abuse reports")
    assert context["inspectorate"] == {
        "name": "Her Majesty's Inspectorate of Constabulary and Fire & Rescue Services", "short_name": "HMICFRS",
    }
    assert context["office"]["address_lines"] == ["City Hall", "The Queen's Walk", "London", "SE1 2AA"]
    assert context["area_groups"][0]["title"] == "Areas for improvement" and len(context["area_groups"][0]["areas"]) == 7
    assert context["prose"]["summary"] == "The report identifies seven areas for improvement."
    assert context["comments"] == {"opening": [], "commentary": [], "response_to_chief_officer": [], "closing": []}
    followup = example_cli.json("template", "context", "1", "--kind", "followup", "--date", "4/5/2022")
    assert followup["salutation"] == "Dear Steve" and len(followup["actions"]) == 4
    assert followup["addressee"]["role"] == "Acting Commissioner"
    assert followup["office"]["address_lines"][1] == "Kamal Chunchie Way"
    assert followup["actions"][1]["due"] == "13 May 2022"


def test_context_documented_in_the_docs_matches_the_code(example_cli):
    """Every top-level name of each context appears in the docs' template context page."""
    section = (Path(__file__).resolve().parents[1] / "docs" / "reference" / "template-context.md").read_text(encoding="utf-8")
    example_cli.ok("role", "add", "Commissioner", "Cressida Dick", "--from", "10/4/2017", "--until", "10/4/2022", "--office", "MOPAC")
    for kind in ("response", "followup", "invite", "chase"):
        context = example_cli.json("template", "context", "1", "--kind", kind, "--date", "4/5/2022" if kind == "followup" else "18/7/2018")
        for name, value in context.items():
            assert f"`{name}`" in section, f"docs/reference/template-context.md does not document {name}"
            if isinstance(value, dict):
                for key in value:
                    assert f"`{name}.{key}`" in section or f"`{key}`" in section, f"docs/reference/template-context.md does not document {name}.{key}"


# The order WordprocessingML requires of the properties the templates and the office's paragraphs use
# (ECMA-376 part 1, CT_PPrBase, CT_RPr, CT_TblPr, CT_TcPr). Word refuses a file whose properties are
# out of order or repeated, even where LibreOffice reads it.
SCHEMA_ORDER = {
    "pPr": ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr", "suppressLineNumbers",
            "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
            "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
            "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
            "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"],
    "rPr": ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
            "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
            "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
            "em", "lang", "eastAsianLayout", "specVanish", "oMath"],
    "tblPr": ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
              "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook"],
    "tcPr": ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection",
             "tcFitText", "vAlign", "hideMark"],
}


def test_drafted_letters_keep_the_property_order_word_requires(tmp_path):
    import zipfile

    from lxml import etree

    from tests.letter_kinds import draft_every_kind

    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for kind, docx in draft_every_kind(f"sqlite:///{tmp_path / 'corr.db'}", tmp_path).items():
        with zipfile.ZipFile(docx) as archive:
            for part in ("word/document.xml", "word/styles.xml", "word/footer1.xml"):
                root = etree.fromstring(archive.read(part))
                for name, order in SCHEMA_ORDER.items():
                    for properties in root.iter(f"{namespace}{name}"):
                        children = [child.tag.replace(namespace, "") for child in properties]
                        known = [child for child in children if child in order]
                        assert len(known) == len(set(known)), f"{kind} {part}: repeated property in <w:{name}>: {children}"
                        assert known == sorted(known, key=order.index), f"{kind} {part}: <w:{name}> out of order: {children}"
