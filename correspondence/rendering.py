"""Filling Word templates with docxtpl, safely.

Three rules, each learnt the hard way:
- autoescape on: docxtpl's default drops "&" and "<" silently, so "Leicester, Leicestershire &
  Rutland" would lose its ampersand;
- undefined variables are errors (StrictUndefined): a misspelt {{ refrence }} must stop the
  draft, not print an empty reference;
- the file is written under a temporary name and then linked into place, which fails if the
  name is taken: an existing letter is never overwritten, not even in a race.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path
from typing import Any

from correspondence.errors import CorrespondenceError, InvalidInput
from correspondence.outputs import writing
from correspondence.resources import templates_dir

TEMPLATES = {
    "response": "s55-response.docx",
    "followup": "follow-up.docx",
    "annex": "annex.docx",
}


def shipped_template(kind: str) -> Path:
    return templates_dir() / TEMPLATES[kind]


def jinja_env() -> Any:
    from jinja2 import Environment, StrictUndefined

    return Environment(autoescape=True, undefined=StrictUndefined)


def safe_filename(reference: str) -> str:
    """A reference as a file name on any system: OPCC/114/19 -> OPCC-114-19."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", reference).strip("-.")
    return name or "letter"


def render_to(template: Path, context: dict[str, Any], destination: Path) -> Path:
    """Render ``template`` with ``context`` into ``destination``, which must not exist yet."""
    if destination.exists():
        raise InvalidInput(f"{destination} already exists; a letter file is never overwritten")
    document = _render(template, context)
    with writing(destination):
        destination.parent.mkdir(parents=True, exist_ok=True)
        temporary = destination.parent / f".drafting-{secrets.token_hex(8)}.docx"
        # Created with 0666 less the user's umask (mkstemp would make it owner-only, 0600), so a
        # colleague on a shared drive can open the draft when the office's umask allows it.
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        try:
            document.save(temporary)
            _place_without_overwriting(Path(temporary), destination)
        finally:
            Path(temporary).unlink(missing_ok=True)
    return destination


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_template(template: Path, sample_context: dict[str, Any]) -> list[str]:
    """Every problem a template author should fix: syntax errors with their line, and names
    the template uses that the context does not provide. Empty when the template is sound."""
    from jinja2 import TemplateSyntaxError, UndefinedError

    docx_template = _open(template)
    env = jinja_env()
    problems = []
    for part_name, xml in _template_sources(docx_template):
        try:
            env.parse(xml)
        except TemplateSyntaxError as error:
            near = _text_of_line(xml, error.lineno)
            problems.append(f"{part_name} line {error.lineno}: {error.message} (near: {near!r})")
    if problems:
        return problems
    unknown = sorted(docx_template.get_undeclared_template_variables(env, context=sample_context))
    problems.extend(f"uses {{{{ {name} }}}}, which the context does not provide" for name in unknown)
    if not problems:
        try:
            _open(template).render(sample_context, jinja_env=env, autoescape=True)
        except UndefinedError as error:
            problems.append(f"uses a name the context does not provide: {error.message}")
    return problems


def _render(template: Path, context: dict[str, Any]) -> Any:
    from jinja2 import TemplateError, UndefinedError

    document = _open(template)
    try:
        document.render(context, jinja_env=jinja_env(), autoescape=True)
    except UndefinedError as error:
        raise CorrespondenceError(
            f"template {template.name} uses a name the context does not provide ({error.message}); "
            f"run 'corr template check {template}'"
        ) from None
    except TemplateError as error:
        raise CorrespondenceError(f"template {template.name}: {error}; run 'corr template check {template}'") from None
    return document


def _open(template: Path) -> Any:
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate

    if template.is_dir():
        raise InvalidInput(f"template {template}: is a folder, not a .docx file")
    if not template.is_file():
        raise InvalidInput(f"template {template}: no such file")
    try:
        document = DocxTemplate(str(template))
        document.init_docx()
    except (PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise InvalidInput(f"template {template}: not a Word .docx file ({error})") from None
    except Exception as error:  # zipfile.BadZipFile and lxml errors from a damaged file
        raise InvalidInput(f"template {template}: cannot be read as a Word document ({error})") from None
    return document


def _template_sources(docx_template: Any) -> list[tuple[str, str]]:
    """The Jinja source of the body, headers and footers, as docxtpl prepares it."""
    from docx.oxml import parse_xml

    document = docx_template.docx
    sources = [("document", docx_template.patch_xml(docx_template.get_xml()))]
    for rel in document.part.rels.values():
        if rel.reltype in (docx_template.HEADER_URI, docx_template.FOOTER_URI):
            xml = docx_template.xml_to_string(parse_xml(rel.target_part.blob))
            sources.append((rel.target_part.partname.lstrip("/"), docx_template.patch_xml(xml)))
    # docxtpl renders with a newline before each paragraph, so line numbers count paragraphs.
    return [(name, re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)) for name, xml in sources]


def _text_of_line(xml: str, lineno: int | None) -> str:
    if not lineno:
        return ""
    line = xml.splitlines()[lineno - 1] if lineno <= len(xml.splitlines()) else ""
    return re.sub(r"<[^>]+>", "", line).strip()[:80]


def _place_without_overwriting(source: Path, destination: Path) -> None:
    try:
        os.link(source, destination)  # atomic, and fails if destination exists
    except FileExistsError:
        raise InvalidInput(f"{destination} already exists; a letter file is never overwritten") from None
    except OSError:
        # A file system without hard links: claim the name exclusively, then move into it.
        try:
            os.close(os.open(destination, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            raise InvalidInput(f"{destination} already exists; a letter file is never overwritten") from None
        os.replace(source, destination)
