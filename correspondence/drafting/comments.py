"""The office's own paragraphs for a letter: a text or Markdown file, read into blocks of prose.

The facts of a letter come from the store; its voice comes from the office. A comments file holds
the office's paragraphs, under up to four level-one headings naming where the template puts
them (the default, before any heading, is the commentary; ``# Response to the chief officer``,
for the s.55 response only, answers the chief officer's comments):

    # Opening
    I **welcome** this report ...

    # Commentary
    - I will press the force on ...
      - and on ...

    # Closing
    [[hold-to-account]]

Markdown's simple parts are carried into Word: paragraphs, **bold**, *italic*, bullets and
numbered items on two levels (either under the other), > quotations, ## sub-headings (bold), links
(their text and address) and tables (GitHub's pipe tables: a "table" block of header cells, rows and
column alignment); <!-- notes --> are left out. ``[[name]]`` includes one of the office's standard
lines; ``{force}`` and the other placeholders (standard_lines.PLACEHOLDERS) are filled from the
letter. Anything wrong or that a letter cannot hold (an unknown section, standard line or
placeholder, an unclosed **, a table row with more or fewer cells than its header or a table with
no | --- | line, a third level of list, ### headings, images, code blocks, footnotes, horizontal
rules) is one error naming the file and line, before anything is drafted. HTML is printed as typed.

The result is plain data (lists of blocks, each a style and its runs), so ``the template
context`` can print it and the web workspace can preview it; word_paragraphs turns it into Word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from correspondence.files.inputs import read_text
from correspondence.organisation.standard_lines import INCLUSION, fill
from correspondence.records.errors import InvalidInput, Step

SECTIONS = ("opening", "commentary", "response_to_chief_officer", "closing")
DEFAULT_SECTION = "commentary"
RESPONSE_SECTION = "response_to_chief_officer"  # the office's response to the chief officer's comments (s.55(5))
RESPONSE_HEADING = "Response to the chief officer"
# "# Response to the chief officer", and as an office may head it: "Response to the Chief Constable's
# comments", "Our response to the Commissioner's comments", "Response to the comments".
_RESPONSE_NAMES = re.compile(r"(?:our |my )?response to (?:the )?(?:(?:chief officer|chief constable|commissioner)(?:'?s)?(?: comments)?|comments)")
MAX_BYTES = 200_000
SUFFIXES = {".md", ".markdown", ".txt", ".text", ""}
_NOTE = re.compile(r"<!--.*?-->", re.DOTALL)
MAX_LIST_DEPTH = 2  # the letter's list styles: List Bullet and List Bullet 2 (word_paragraphs.py)
MAX_COLUMNS = 6  # columns a table on a portrait page holds, its longest words unbroken
_DELIMITER_ROW = re.compile(r"\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*")  # | --- | :---: |
_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]")  # [^1], a footnote's mark or note


@dataclass(frozen=True)
class CommentsInput:
    """The office's comments as given: the text, and where it came from (for error messages)."""

    text: str
    source: str = "comments"


def read_comments_file(path: Path) -> CommentsInput:
    """A comments file, checked to be text of a sensible size."""
    if path.is_dir():
        raise InvalidInput(f"{path}: is a folder, not a comments file")
    if path.suffix.lower() not in SUFFIXES:
        raise InvalidInput(f"{path}: a comments file is text (.txt) or Markdown (.md); save it as one of those")
    if path.is_file() and path.stat().st_size > MAX_BYTES:
        raise InvalidInput(f"{path}: is {path.stat().st_size:,} bytes; a comments file may be at most {MAX_BYTES:,}")
    text = read_text(path)
    if "\x00" in text:
        raise InvalidInput(f"{path}: is not a text file")
    return CommentsInput(text, str(path))


def empty_comments() -> dict[str, list[dict[str, Any]]]:
    return {section: [] for section in SECTIONS}


def parse_comments(
    given: CommentsInput, standard_lines: dict[str, str], context: dict[str, Any], letter_kind: str
) -> dict[str, list[dict[str, Any]]]:
    """The comments as blocks per section, with standard lines included and placeholders filled."""
    if not given.text.strip():
        raise InvalidInput(f"{given.source}: is empty")
    lines, origin = _expand(given, standard_lines, context, letter_kind)
    sections = _Reader(given.source, origin).read("\n".join(lines))
    if sections[RESPONSE_SECTION] and letter_kind != "an s.55 response":
        line = next((number for number, text in enumerate(given.text.splitlines(), start=1)
                     if text.startswith("# ") and section_named(text[2:].strip()) == RESPONSE_SECTION), 1)
        raise InvalidInput(f"{given.source} line {line}: {letter_kind} answers no chief officer's comments; "
                           f"'# {RESPONSE_HEADING}' is for the s.55 response")
    return sections


def _expand(given: CommentsInput, standard_lines: dict[str, str], context: dict[str, Any], letter_kind: str) -> tuple[list[str], list[int]]:
    """Each line with its [[standard lines]] included and placeholders filled, and for each
    resulting line the file line it came from."""
    lines: list[str] = []
    origin: list[int] = []
    text = _NOTE.sub(lambda note: "\n" * note.group(0).count("\n"), given.text)  # notes to colleagues, not the letter
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{given.source} line {number}"
        pieces = []
        position = 0
        for match in INCLUSION.finditer(line):
            pieces.append(_fill(line[position:match.start()], context, letter_kind, where))
            name = match.group(1).strip().lower()
            if name not in standard_lines:
                missing = f"{where}: no standard line [[{match.group(1)}]] (this office has: "
                if not standard_lines:
                    raise InvalidInput(f"{missing}none yet)", steps=[Step("add_line", "an admin adds one")])
                raise InvalidInput(f"{missing}{', '.join(sorted(standard_lines))})")
            pieces.append(_fill(standard_lines[name], context, letter_kind, f"{where}: standard line {name!r}"))
            position = match.end()
        pieces.append(_fill(line[position:], context, letter_kind, where))
        expanded = "".join(pieces).splitlines() or [""]
        lines.extend(expanded)
        origin.extend([number] * len(expanded))
    return lines, origin


def section_named(title: str) -> str | None:
    """The section a level-one heading names ("Closing", "Response to the Chief Constable's
    comments"), or None for a heading that names none."""
    name = " ".join(title.lower().replace("\u2019", "'").rstrip(":").split())
    if name in SECTIONS and name != RESPONSE_SECTION:
        return name
    return RESPONSE_SECTION if _RESPONSE_NAMES.fullmatch(name) else None


def _fill(text: str, context: dict[str, Any], letter_kind: str, where: str) -> str:
    try:
        return fill(text, context, letter_kind)
    except InvalidInput as error:
        raise InvalidInput(f"{where}: {error}") from None


class _Reader:
    """Markdown (parsed by markdown-it-py, CommonMark) into blocks: {style, runs, text}."""

    def __init__(self, source: str, origin: list[int]) -> None:
        self.source = source
        self.origin = origin
        self.sections = empty_comments()
        self.section = DEFAULT_SECTION

    def read(self, text: str) -> dict[str, list[dict[str, Any]]]:
        from markdown_it import MarkdownIt

        self.lines = text.split("\n")
        self._no_footnotes()
        tokens = MarkdownIt("commonmark", {"html": False}).enable("table").parse(text)
        lists: list[dict[str, Any]] = []  # the open lists, innermost last: {"ordered": bool, "item": str}
        quote = 0
        item_paragraphs = 0
        table_end = -1
        for index, token in enumerate(tokens):
            if index <= table_end:
                continue  # read already, as the table's cells
            kind = token.type
            if kind in ("bullet_list_open", "ordered_list_open"):
                if len(lists) == MAX_LIST_DEPTH:
                    self._fail(token, f"this list is {MAX_LIST_DEPTH + 1} levels deep; a letter's bullets and numbered items go "
                                      f"{MAX_LIST_DEPTH} levels deep at most: bring this line back to the second level")
                lists.append({"ordered": kind == "ordered_list_open", "item": ""})
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif kind == "list_item_open":
                lists[-1]["item"] = token.info
                item_paragraphs = 0
            elif kind == "blockquote_open":
                quote += 1
            elif kind == "blockquote_close":
                quote -= 1
            elif kind == "heading_open":
                self._heading(token, tokens[index + 1])
            elif kind == "table_open":
                if lists or quote:
                    self._fail(token, f"a table cannot be inside a {'list' if lists else 'quotation'}; "
                                      "start it at the left margin, after a blank line")
                table_end = self._table(tokens, index)
            elif kind == "paragraph_open":
                inline = tokens[index + 1]
                self._not_a_broken_table(inline)
                if lists:
                    style = self._list_style(lists, item_paragraphs)
                    item_paragraphs += 1
                else:
                    style = "quote" if quote else "paragraph"
                numbered = lists and lists[-1]["ordered"] and style in ("numbered", "numbered2")
                self._add(style, inline, number=lists[-1]["item"] if numbered else "")
            elif kind == "code_block":
                # Indented lines in a text file are paragraphs, not code: join them as such.
                for paragraph in re.split(r"\n\s*\n", token.content.strip("\n")):
                    if paragraph.strip():
                        self._block("paragraph", [{"text": " ".join(paragraph.split()), "bold": False, "italic": False}])
            elif kind == "fence":
                self._fail(token, f"code blocks ({token.markup}) are not supported in a letter; write the text as a paragraph")
            elif kind == "hr":
                self._fail(token, "horizontal rules are not supported; leave a blank line between paragraphs")
            elif kind == "html_block":  # pragma: no cover - html is off, so this is text
                self._fail(token, "HTML is not supported")
        return self.sections

    def _list_style(self, lists: list[dict[str, Any]], item_paragraphs: int) -> str:
        depth = len(lists)
        if item_paragraphs:
            return "indent2" if depth > 1 else "indent"
        if lists[-1]["ordered"]:
            return "numbered2" if depth > 1 else "numbered"
        return "bullet2" if depth > 1 else "bullet"

    def _table(self, tokens: list[Any], start: int) -> int:
        """A Markdown (GFM) table as one block: its header cells, its rows' cells (each a list of
        runs) and each column's alignment. Returns the index of the table's closing token.

        markdown-it pads a short row and cuts a long one without a word, so each row's cells are
        counted in the file itself: a row with more or fewer cells than the header is refused."""
        header: list[list[dict[str, Any]]] = []
        rows: list[list[list[dict[str, Any]]]] = []
        align: list[str] = []
        row: list[list[dict[str, Any]]] = []
        index = start
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "tr_open":
                row = []
                source = self.lines[token.map[0]] if token.map else ""
                counted = _cells_in(source)
                if header and "|" not in source:
                    self._fail(token, "a paragraph straight after a table is read as one of its rows; leave a blank line "
                                      "between the table and the paragraph")
                if header and counted != len(header):
                    self._fail(token, f"this row of the table has {counted} cell{'s' if counted != 1 else ''} and its header "
                                      f"{len(header)}; give every row one cell per column (| | for an empty one)")
            elif token.type == "th_open":
                style = str(token.attrs.get("style", ""))
                align.append(style.removeprefix("text-align:") if style.startswith("text-align:") else "")
            elif token.type == "inline":
                row.append([run for run in self._runs(token) if run["text"]])
            elif token.type == "tr_close":
                if header:
                    rows.append(row)
                else:
                    header = row
                    if len(header) > MAX_COLUMNS:
                        self._fail(tokens[start], f"this table has {len(header)} columns; a letter's page holds "
                                                  f"{MAX_COLUMNS} at most: split it, or turn it round")
            index += 1
        text = "\n".join("\t".join("".join(run["text"] for run in cell) for cell in cells) for cells in [header, *rows])
        blocks = self.sections[self.section]
        caption = blocks[-1]["text"] if blocks and blocks[-1]["style"] == "heading" else ""  # "## Figures" just above it
        blocks.append({"style": "table", "text": text, "runs": [], "header": header, "rows": rows, "align": align, "caption": caption})
        return index

    def _not_a_broken_table(self, inline: Any) -> None:
        """A paragraph whose line starts with '|' is a table Markdown could not read: say why."""
        lines = inline.content.split("\n")
        for offset, line in enumerate(lines):
            if not line.lstrip().startswith("|"):
                continue
            where = (inline.map[0] if inline.map else 0) + offset
            below = lines[offset + 1] if offset + 1 < len(lines) else ""
            if _DELIMITER_ROW.fullmatch(below):
                message = (f"the line under this table's header has {_cells_in(below)} column{'s' if _cells_in(below) != 1 else ''} "
                           f"and the header {_cells_in(line)}; give one | --- | per column")
            else:
                message = ("this line looks like a table row, but a table needs a line of | --- | under its header, one per "
                           "column (a line of text may not start with '|')")
            self._fail_at(where, message)

    def _no_footnotes(self) -> None:
        for index, line in enumerate(self.lines):
            if _FOOTNOTE.search(line):
                self._fail_at(index, "footnotes ([^1]) are not supported in a letter; put the note in the text, or in brackets")

    def _heading(self, token: Any, inline: Any) -> None:
        title = inline.content.strip()
        if token.tag == "h1":
            name = section_named(title)
            if name is None:
                self._fail(token, f"unknown section '# {title}'; a level-one heading is one of: Opening, Commentary, "
                                  f"{RESPONSE_HEADING}, Closing")
            self.section = name
            return
        if token.tag != "h2":
            self._fail(token, f"'{token.markup} {title}': a letter has one level of sub-heading, '## {title}'")
        self._add("heading", inline)

    def _add(self, style: str, inline: Any, number: str = "") -> None:
        runs = self._runs(inline)
        if number:
            runs.insert(0, {"text": f"{number}.\t", "bold": False, "italic": False})
        self._block(style, runs)

    def _block(self, style: str, runs: list[dict[str, Any]]) -> None:
        runs = [run for run in runs if run["text"]]
        if runs:
            self.sections[self.section].append(
                {"style": style, "text": "".join(run["text"] for run in runs).replace("\t", " "), "runs": runs}
            )

    def _runs(self, inline: Any) -> list[dict[str, Any]]:
        runs: list[dict[str, Any]] = []
        bold = italic = 0
        link: str | None = None
        for child in inline.children or []:
            kind = child.type
            if kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind in ("text", "code_inline", "html_inline"):
                text = child.content
                for marker in ("**", "__"):
                    if marker in text:
                        self._fail(inline, f"'{marker}' is not closed; write **bold** with a pair", marker)
                runs.append({"text": text, "bold": bool(bold), "italic": bool(italic)})
            elif kind == "softbreak":
                runs.append({"text": " ", "bold": bool(bold), "italic": bool(italic)})
            elif kind == "hardbreak":
                runs.append({"text": "\n", "bold": bool(bold), "italic": bool(italic)})
            elif kind == "link_open":
                link = child.attrs.get("href", "")
            elif kind == "link_close":
                text_so_far = runs[-1]["text"] if runs else ""
                if link and link != text_so_far and link.removeprefix("mailto:") != text_so_far:
                    runs.append({"text": f" ({link})", "bold": bool(bold), "italic": bool(italic)})
                link = None
            elif kind == "image":
                self._fail(inline, "images are not supported in comments; add them in Word", "![")
        return _merge(runs)

    def _fail(self, token: Any, message: str, near: str = "") -> None:
        """Raise ``message`` naming the file line of ``token`` (of ``near`` within it, if given)."""
        index = token.map[0] if token.map else 0
        if near and near in token.content:
            index += token.content[: token.content.find(near)].count("\n")
        self._fail_at(index, message)

    def _fail_at(self, index: int, message: str) -> None:
        """Raise ``message`` naming the file line that line ``index`` of the expanded text came from."""
        line = self.origin[min(index, len(self.origin) - 1)] if self.origin else 1
        raise InvalidInput(f"{self.source} line {line}: {message}")


def _cells_in(line: str) -> int:
    """How many cells a table row of the file has, counted as GFM does: split at each '|' not
    escaped as '\\|', leaving out a leading and a trailing one."""
    row = line.strip()
    row = row.removeprefix("|")
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return len(re.split(r"(?<!\\)\|", row))


def _merge(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Adjacent runs with the same formatting as one, so Word gets no needless run breaks."""
    merged: list[dict[str, Any]] = []
    for run in runs:
        if merged and merged[-1]["bold"] == run["bold"] and merged[-1]["italic"] == run["italic"]:
            merged[-1] = {**merged[-1], "text": merged[-1]["text"] + run["text"]}
        else:
            merged.append(dict(run))
    if merged:
        merged[0]["text"] = merged[0]["text"].lstrip(" ")
        merged[-1]["text"] = merged[-1]["text"].rstrip(" ")
    return merged
