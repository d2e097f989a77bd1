"""Jinja's sandbox, as every template is filled in it: the one environment, its limits, and the
names a template may not reach.

Templates arrive by e-mail, and a plain Jinja environment lets
``{{ cycler.__init__.__globals__.os.popen('id').read() }}`` run commands; the immutable sandbox
stops that, and this one also caps what a template may build (``"x" * 10**10``, a runaway
loop), so a template cannot take the drafter's machine down.
"""

from __future__ import annotations

import collections
import functools
import re
from typing import Any

from correspondence.drafting.word_paragraphs import paragraphs

MAX_OUTPUT_CHARACTERS = 50_000_000  # of XML from one part of a document; real letters make well under 1 MB
COMPILED_KEPT = 64  # compiled template parts kept per process (a template has about 8)
MAX_REPEATED = 1_000_000  # characters or items a template may build with "*"
MAX_EXPONENT = 1_000
CORE_PROPERTY_LIMIT = 255  # characters Word (and python-docx) allow in a core property
CORE_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # those docxtpl fills


@functools.cache
def jinja_env(autoescape: bool = True) -> Any:
    """The one Jinja environment templates are rendered in: Jinja's immutable sandbox, with
    undefined names as errors, limits on what a template may build, and the ``paragraphs``
    filter that places the office's own paragraphs.

    One per process (for each escaping), so that each part of a template is compiled once, keyed
    by its text (LetterSandbox.from_string): compiling a template's parts again for every letter
    cost most of a draft. Every template, shipped or the office's own, is compiled in the sandbox."""
    from jinja2 import StrictUndefined

    env = _sandbox()(autoescape=autoescape, undefined=StrictUndefined)
    env.filters["paragraphs"] = paragraphs  # places the office's own paragraphs (see word_paragraphs)
    return env


@functools.cache
def _sandbox() -> type:
    """The sandbox class, made on first use so the CLI starts without importing Jinja.

    Jinja's sandbox stops a template reaching Python's internals; this one also stops it building
    text without limit, which would take the drafter's machine down: "x" * 10**10, "x"|center(n),
    "{:10000000000}".format(x), and any call or filter given a number over a million."""
    from jinja2 import Template
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    huge_width = re.compile(r"\d{7,}")  # a format width or precision of a million or more

    def check_arguments(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_REPEATED:
                raise SecurityError(f"the template asks {name} for {value:,}")

    def guarded(name: str, function: Any) -> Any:
        @functools.wraps(function)  # keeps Jinja's pass_context and similar markers
        def filter_function(*args: Any, **kwargs: Any) -> Any:
            check_arguments(f"the filter {name}", args, kwargs)
            if name == "format" and args and isinstance(args[0], str) and huge_width.search(args[0]):
                raise SecurityError("the template formats text a million characters wide")
            return function(*args, **kwargs)

        return filter_function

    class LimitedTemplate(Template):
        def render(self, *args: Any, **kwargs: Any) -> str:
            parts, size = [], 0
            for part in self.generate(*args, **kwargs):
                size += len(part)
                if size > MAX_OUTPUT_CHARACTERS:
                    raise SecurityError(f"the template makes more than {MAX_OUTPUT_CHARACTERS:,} characters")
                parts.append(part)
            return "".join(parts)

    class LetterSandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%"})

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.filters = {name: guarded(name, function) for name, function in self.filters.items()}
            self._compiled: collections.OrderedDict[str, Any] = collections.OrderedDict()

        def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:  # noqa: A002 - Jinja's name
            """The compiled template for this text: compiled once, then reused (the most recent
            COMPILED_KEPT texts are kept, so memory stays flat however many templates are used)."""
            if globals or template_class or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            compiled = self._compiled.get(source)
            if compiled is None:
                compiled = self._compiled[source] = super().from_string(source)
                if len(self._compiled) > COMPILED_KEPT:
                    self._compiled.popitem(last=False)
            else:
                self._compiled.move_to_end(source)
            return compiled

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's own signature
            name = getattr(__obj, "__name__", "a function")
            check_arguments(name, args, kwargs)
            text = getattr(__obj, "__self__", None)
            if name == "replace" and isinstance(text, str) and len(args) > 1 and isinstance(args[1], str):
                if (len(text) + 1) * len(args[1]) > MAX_OUTPUT_CHARACTERS:
                    raise SecurityError("the template's replace would build too much text")
            return super().call(__context, __obj, *args, **kwargs)

        def getattr(self, obj: Any, attribute: str) -> Any:
            if isinstance(obj, str) and attribute in ("format", "format_map") and huge_width.search(obj):
                raise SecurityError("the template formats text a million characters wide")
            return super().getattr(obj, attribute)

        def getitem(self, obj: Any, argument: Any) -> Any:
            if isinstance(obj, str) and argument in ("format", "format_map") and huge_width.search(obj):
                raise SecurityError("the template formats text a million characters wide")
            return super().getitem(obj, argument)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*":
                for sized, count in ((left, right), (right, left)):
                    if isinstance(sized, (str, list, tuple)) and isinstance(count, int) and len(sized) * count > MAX_REPEATED:
                        raise SecurityError(f"the template repeats something {count:,} times")
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"the template raises a number to the power {right:,}")
            if operator == "%" and isinstance(left, str):
                if huge_width.search(left):
                    raise SecurityError("the template formats text a million characters wide")
                check_arguments("%", right if isinstance(right, tuple) else (right,), {})  # '%*s' % (10**10, x)
            return super().call_binop(context, operator, left, right)

    LetterSandbox.template_class = LimitedTemplate
    return LetterSandbox


def unsafe_names(source: str, env: Any) -> list[tuple[int, str]]:
    """(line, name) of each attribute a template reaches that the sandbox refuses: anything
    starting with "_" (``__globals__``, ``__init__``) and Python's frame and code internals."""
    from jinja2 import nodes
    from jinja2.sandbox import (
        UNSAFE_ASYNC_GENERATOR_ATTRIBUTES,
        UNSAFE_COROUTINE_ATTRIBUTES,
        UNSAFE_FUNCTION_ATTRIBUTES,
        UNSAFE_GENERATOR_ATTRIBUTES,
        UNSAFE_METHOD_ATTRIBUTES,
    )

    internal = {"mro"} | UNSAFE_FUNCTION_ATTRIBUTES | UNSAFE_METHOD_ATTRIBUTES | UNSAFE_GENERATOR_ATTRIBUTES
    internal |= UNSAFE_COROUTINE_ATTRIBUTES | UNSAFE_ASYNC_GENERATOR_ATTRIBUTES

    def unsafe(name: Any) -> bool:
        return isinstance(name, str) and (name.startswith("_") or name in internal)

    found = []
    for node in env.parse(source).find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        if isinstance(node, nodes.Getattr):
            name = node.attr
        elif isinstance(node, nodes.Getitem):
            name = node.arg.value if isinstance(node.arg, nodes.Const) else None
        else:  # {{ x|attr("__class__") }}
            name = node.args[0].value if node.name == "attr" and node.args and isinstance(node.args[0], nodes.Const) else None
        if unsafe(name):
            found.append((node.lineno, name))
    return sorted(found)


def property_value(source: str, context: dict[str, Any]) -> str:
    """A core property's text filled in without escaping (python-docx escapes it as it writes)
    and cut to the 255 characters Word allows."""
    value = jinja_env(autoescape=False).from_string(source).render(context) if "{" in source else source
    if len(value) > CORE_PROPERTY_LIMIT:
        value = value[: CORE_PROPERTY_LIMIT - 1].rstrip() + "…"
    return value
