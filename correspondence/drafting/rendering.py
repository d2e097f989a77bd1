"""Filling Word templates with docxtpl, safely.

Rules, each learnt the hard way:
- every template (shipped, an office's own, and one being checked) runs in Jinja's immutable
  sandbox, made in one place (``jinja_env``): templates arrive by e-mail, and a plain Jinja
  environment lets ``{{ cycler.__init__.__globals__.os.popen('id').read() }}`` run commands;
  the sandbox also caps what a template may build (``"x" * 10**10``, a runaway loop);
- autoescape on: docxtpl's default drops "&" and "<" silently, so "Leicester, Leicestershire &
  Rutland" would lose its ampersand;
- the context's text is cleaned of control characters first (see limits.clean_text): one
  pasted vertical tab made Word's XML invalid and every later "&" and "<" in the letter vanish;
- the document's core properties (title, subject) are filled without escaping and cut to the
  255 characters Word allows, so a long inspection title cannot stop a draft;
- undefined variables are errors (StrictUndefined): a misspelt {{ refrence }} must stop the
  draft, not print an empty reference;
- the file is written under a temporary name and then linked into place, which fails if the
  name is taken: an existing letter is never overwritten, not even in a race.
"""

from __future__ import annotations

import collections
import functools
import io
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from correspondence.drafting.bounded import OverBudget, run_bounded
from correspondence.drafting.letter_package import (
    FOOTNOTES_TYPE,
    fill,
    parse_body,
    prepared,
    without_empty_last_section,
    write,
)
from correspondence.drafting.sandbox import COMPILED_KEPT, CORE_PROPERTIES, jinja_env, property_value, unsafe_names
from correspondence.files.documents import docx_body_text, tidy
from correspondence.files.outputs import place_without_overwriting, writing
from correspondence.files.packages import check_package
from correspondence.records.errors import CorrespondenceError, InvalidInput, Step
from correspondence.records.limits import clean_context
from correspondence.records.resources import templates_dir

TEMPLATES = {
    "response": "s55-response.docx",
    "followup": "follow-up.docx",
    "annex": "annex.docx",
    "invite": "invitation.docx",
    "chase": "reminder.docx",
}


def shipped_template(kind: str) -> Path:
    return templates_dir() / TEMPLATES[kind]


@dataclass
class Rendered:
    path: Path
    text: str  # the letter's text for search, as the file holds it ("" when it holds none)


def render_to(template: Path, context: dict[str, Any], destination: Path) -> Rendered:
    """Render ``template`` with ``context`` into ``destination``, which must not exist yet.

    The letter is written straight from the template read once per process
    (letter_package: the same parts docxtpl would write, without python-docx's package model at
    draft time); a template that path cannot write exactly as docxtpl would is filled by
    docxtpl. The letter's text is taken from the body just rendered (what the file holds), not
    by opening the file again."""

    if destination.exists():
        raise InvalidInput(f"{destination} already exists; a letter file is never overwritten")
    content, text = render_bytes(template, context)
    with writing(destination):
        destination.parent.mkdir(parents=True, exist_ok=True)
        temporary = destination.parent / f".drafting-{secrets.token_hex(8)}.docx"
        # Created with 0666 less the user's umask (mkstemp would make it owner-only, 0600), so a
        # colleague on a shared drive can open the draft when the office's umask allows it.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(descriptor, "wb") as out:
                out.write(content)
            place_without_overwriting(Path(temporary), destination)
        finally:
            Path(temporary).unlink(missing_ok=True)
    return Rendered(destination, text)


def render_bytes(template: Path, context: dict[str, Any]) -> tuple[bytes, str]:
    """The letter rendered in memory (the .docx's bytes) and its text for search: what the store
    keeps as the letter's first version, with no file written anywhere.

    Filled in a worker within a fixed budget of time and memory (bounded.py), so no template,
    whatever it asks for, can hold the caller up or take its memory."""
    _check_path(template)
    return run_bounded(_rendered_bytes, template, context, steps=(_check_step(template),))


def _rendered_bytes(template: Path, context: dict[str, Any]) -> tuple[bytes, str]:
    direct = prepared(template, _open)
    out = io.BytesIO()
    if direct is None:
        document = _rendered_by_docxtpl(template, context)
        body = document.docx.element.body
        document.save(out)
    else:
        changed, body = _render(template, lambda: fill(direct, clean_context(context), _template_class()))
        write(direct, changed, out)
    text = tidy(docx_body_text(body))
    return out.getvalue(), (text if text.strip() else "")


def render_with_docxtpl(template: Path, context: dict[str, Any], destination: Path) -> None:
    """The letter as docxtpl writes it (python-docx opens and saves the package): the path
    render_to takes for a template letter_package cannot write, and what tests compare it to."""
    _rendered_by_docxtpl(template, context).save(destination)


def _rendered_by_docxtpl(template: Path, context: dict[str, Any]) -> Any:
    document = _open(template)
    _render(template, lambda: _render_document(document, context))
    return document


def check_template(template: Path, sample_context: dict[str, Any]) -> list[str]:
    """Every problem a template author should fix: syntax errors with their line, code the
    sandbox refuses (with its line), and names the context does not provide. Empty when sound.

    Checked in a worker within the drafting budget (bounded.py): a template that would run over
    it is refused as a draft from it would be."""
    _check_path(template)
    try:
        return run_bounded(_template_problems, template, sample_context)
    except OverBudget as error:  # listed as the other problems are, after the file's name
        return ["it " + error.refusal.removeprefix(f"template {template.name} ")]


def _template_problems(template: Path, sample_context: dict[str, Any]) -> list[str]:
    docx_template = _open(template)
    env = jinja_env()
    problems = _source_problems(_template_sources(docx_template) + _property_sources(docx_template), env)
    if problems:
        return problems  # an unsafe template is never filled in, not even in the sandbox
    names = docx_template.get_undeclared_template_variables(env)  # every name it uses (one parse of every part)
    if not names:
        return ["uses none of the letter's fields (no {{ ... }} anywhere): every letter drafted from it would be "
                "this same document; is it a finished letter rather than a template?"]
    unknown = sorted(names - set(sample_context))  # as docxtpl's own context= argument filters them
    problems.extend(f"uses {{{{ {name} }}}}, which the context does not provide" for name in unknown)
    if not problems:
        try:
            _render_document(_open(template), sample_context)
        except MemoryError:
            raise  # over the budget: refused as such by bounded.run_bounded
        except Exception as error:  # noqa: BLE001 - whatever a template does wrong is reported, not raised
            problems.append(_describe_failure(error))
    return problems


def _source_problems(sources: list[tuple[str, str]], env: Any) -> list[str]:
    from jinja2 import TemplateSyntaxError

    problems = []
    for part_name, xml in sources:
        try:
            unsafe = unsafe_names(xml, env)
        except TemplateSyntaxError as error:
            near = _text_of_line(xml, error.lineno)
            problems.append(f"{part_name} line {error.lineno}: {error.message} (near: {near!r})")
            continue
        for lineno, name in unsafe:
            near = _text_of_line(xml, lineno)
            problems.append(
                f"{part_name} line {lineno}: unsafe attribute access {name!r} (near: {near!r}); "
                "a template may only use the letter's data, never Python internals"
            )
    return problems


def _check_step(template: Path) -> Step:
    return Step("check_template", "check the template, which lists every problem", template=str(template))


def _describe_failure(error: Exception) -> str:
    from jinja2 import UndefinedError
    from jinja2.sandbox import SecurityError

    if isinstance(error, UndefinedError):
        return f"uses a name the context does not provide: {error.message}"
    if isinstance(error, SecurityError):
        return f"refused by the sandbox: {error}"
    if isinstance(error, RecursionError):
        return "a macro calls itself more deeply than a template may (it probably never stops)"
    return f"fails when filled in: {type(error).__name__}: {error}"


def _render(template: Path, render: Any) -> Any:
    """What ``render()`` returns, with whatever the template does wrong as a one-line error
    naming the template."""
    from jinja2 import TemplateError, UndefinedError
    from jinja2.sandbox import SecurityError

    hint = {"steps": [_check_step(template)]}
    try:
        return render()
    except UndefinedError as error:
        raise CorrespondenceError(f"template {template.name} uses a name the context does not provide ({error.message})", **hint) from None
    except SecurityError as error:
        raise CorrespondenceError(f"template {template.name}: refused by the sandbox ({error})", **hint) from None
    except RecursionError:  # a macro calling itself without end
        raise CorrespondenceError(f"template {template.name}: a macro calls itself more deeply than a template may "
                                  "(it probably never stops)", **hint) from None
    except TemplateError as error:
        raise CorrespondenceError(f"template {template.name}: {error}", **hint) from None
    except (ArithmeticError, TypeError, ValueError, LookupError, AttributeError) as error:  # raised by the template's own expressions
        raise CorrespondenceError(f"template {template.name} fails when filled in ({type(error).__name__}: {error})", **hint) from None
    except SyntaxError as error:  # lxml's: the filled-in part is not XML, e.g. a tag opened in one paragraph and closed in another
        raise CorrespondenceError(
            f"template {template.name}: filled in, it is not a document Word can open ({error.msg}); a {{%p %}}, {{%tr %}} "
            "or {% if %} ... {% endif %} probably starts in one paragraph, row or header and ends in another", **hint) from None


def _render_document(document: Any, context: dict[str, Any]) -> None:
    """Fill ``document`` in the sandbox: the body, headers and footers escaped for XML, the core
    properties (which python-docx escapes itself) unescaped and cut to Word's 255 characters."""
    context = clean_context(context)
    properties = {}
    core = document.docx.core_properties
    for name in CORE_PROPERTIES:
        properties[name] = getattr(core, name) or ""
        setattr(core, name, "")  # so docxtpl leaves them to us
    document.render(context, jinja_env=jinja_env(), autoescape=True)
    core = document.docx.core_properties
    for name, source in properties.items():
        setattr(core, name, property_value(source, context))


def _check_path(template: Path) -> None:
    if template.is_dir():
        raise InvalidInput(f"template {template}: is a folder, not a .docx file")
    if not template.is_file():
        raise InvalidInput(f"template {template}: no such file")


def _open(template: Path) -> Any:
    from docx.opc.exceptions import PackageNotFoundError

    _check_path(template)
    try:
        check_package(template)
    except InvalidInput as error:
        raise InvalidInput(f"template {error}") from None
    try:
        document = _template_class()(str(template))
        document.init_docx()
    except (PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise InvalidInput(f"template {template}: not a Word .docx file ({error})") from None
    except Exception as error:  # zipfile.BadZipFile and lxml errors from a damaged file
        raise InvalidInput(f"template {template}: cannot be read as a Word document ({error})") from None
    return document


@functools.cache
def _template_class() -> type:
    """docxtpl's DocxTemplate, remembering the Jinja source it prepares from each part's XML.

    docxtpl turns a part's XML into Jinja source with some twenty regular expressions over the
    whole part (patch_xml, a pure function of the XML); for the same template that is the same
    work every letter, and it cost about a fifth of a draft. The last COMPILED_KEPT results are
    kept, so memory stays flat however many templates are used."""
    from docxtpl import DocxTemplate

    patched: collections.OrderedDict[str, str] = collections.OrderedDict()

    class RememberingTemplate(DocxTemplate):
        def fix_tables(self, xml: str) -> Any:

            parse_body(xml)  # a body its recovering parser would mend (losing text) is refused
            return without_empty_last_section(super().fix_tables(xml))

        def render_footnotes(self, context: Any, jinja_env: Any = None) -> None:
            """docxtpl's, but once: it fills the footnotes again for each section of the document,
            so in a template of two sections a value holding braces (a title with "{{ 7 * 7 }}")
            was filled in as if it were the template, and read "49"."""

            for part in self.docx.part.package.parts:
                if part.content_type == FOOTNOTES_TYPE:
                    xml = self.patch_xml(part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob)
                    part._blob = self.render_xml_part(xml, part, context, jinja_env).encode("utf-8")

        def patch_xml(self, src_xml: str) -> str:
            result = patched.get(src_xml)
            if result is None:
                result = patched[src_xml] = super().patch_xml(src_xml)
                if len(patched) > COMPILED_KEPT:
                    patched.popitem(last=False)
            else:
                patched.move_to_end(src_xml)
            return result

    return RememberingTemplate


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


def _property_sources(docx_template: Any) -> list[tuple[str, str]]:
    """The Jinja source in the document's core properties (Word's File > Info: title, subject...)."""
    core = docx_template.docx.core_properties
    return [(f"core property {name}", getattr(core, name)) for name in CORE_PROPERTIES if "{" in (getattr(core, name) or "")]


def _text_of_line(xml: str, lineno: int | None) -> str:
    if not lineno:
        return ""
    line = xml.splitlines()[lineno - 1] if lineno <= len(xml.splitlines()) else ""
    return re.sub(r"<[^>]+>", "", line).strip()[:80]


