"""The office's own paragraphs for a letter: a text or Markdown file, read into blocks of prose.

The facts of a letter come from the store; its voice comes from the office. A comments file holds
the office's paragraphs, under up to three level-one headings naming where the template puts
them (the default, before any heading, is the commentary):

    # Opening
    I **welcome** this report ...

    # Commentary
    - I will press the force on ...
      - and on ...

    # Closing
    [[hold-to-account]]

Markdown's simple parts are carried into Word: paragraphs, **bold**, *italic*, bullets (two
levels), numbered items, > quotations and ## sub-headings (bold); <!-- notes --> are left out. ``[[name]]`` includes one of the
office's standard lines; ``{force}`` and the other placeholders (standard_lines.PLACEHOLDERS) are
filled from the letter. Anything wrong (an unknown section, standard line or placeholder, an
unclosed **, an image) is one error naming the file and line, before anything is drafted.

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

SECTIONS = ("opening", "commentary", "closing")
DEFAULT_SECTION = "commentary"
MAX_BYTES = 200_000
SUFFIXES = {".md", ".markdown", ".txt", ".text", ""}
_NOTE = re.compile(r"<!--.*?-->", re.DOTALL)


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
    return _Reader(given.source, origin).read("\n".join(lines))


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

        tokens = MarkdownIt("commonmark", {"html": False}).parse(text)
        lists: list[dict[str, Any]] = []  # the open lists, innermost last: {"ordered": bool, "item": str}
        quote = 0
        item_paragraphs = 0
        for index, token in enumerate(tokens):
            kind = token.type
            if kind in ("bullet_list_open", "ordered_list_open"):
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
            elif kind == "paragraph_open":
                inline = tokens[index + 1]
                if lists:
                    style = self._list_style(lists, item_paragraphs)
                    item_paragraphs += 1
                else:
                    style = "quote" if quote else "paragraph"
                self._add(style, inline, number=lists[-1]["item"] if lists and lists[-1]["ordered"] and style == "numbered" else "")
            elif kind in ("code_block", "fence"):
                # Indented lines in a text file are paragraphs, not code: join them as such.
                for paragraph in re.split(r"\n\s*\n", token.content.strip("\n")):
                    if paragraph.strip():
                        self._block("paragraph", [{"text": " ".join(paragraph.split()), "bold": False, "italic": False}], "")
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
            return "numbered"
        return "bullet2" if depth > 1 else "bullet"

    def _heading(self, token: Any, inline: Any) -> None:
        title = inline.content.strip()
        if token.tag == "h1":
            name = title.lower().rstrip(":")
            if name not in SECTIONS:
                self._fail(token, f"unknown section '# {title}'; a level-one heading is one of: Opening, Commentary, Closing")
            self.section = name
            return
        self._add("heading", inline)

    def _add(self, style: str, inline: Any, number: str = "") -> None:
        runs = self._runs(inline)
        if number:
            runs.insert(0, {"text": f"{number}.\t", "bold": False, "italic": False})
        self._block(style, runs, number)

    def _block(self, style: str, runs: list[dict[str, Any]], number: str) -> None:
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
                self._fail(inline, "images are not supported in comments; add them in Word")
        return _merge(runs)

    def _fail(self, token: Any, message: str, near: str = "") -> None:
        """Raise ``message`` naming the file line of ``token`` (of ``near`` within it, if given)."""
        index = token.map[0] if token.map else 0
        if near and near in token.content:
            index += token.content[: token.content.find(near)].count("\n")
        line = self.origin[min(index, len(self.origin) - 1)] if self.origin else 1
        raise InvalidInput(f"{self.source} line {line}: {message}")


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
