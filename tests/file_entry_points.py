"""Where the package opens or reads a file, a zip or an upload: the scan tests/test_file_gate.py
runs over the package's source, so a new reader that skips files/gate.py fails a test."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "correspondence"
GATE_MODULES = {"files/gate.py", "files/packages.py"}  # the gate, and the doors the readers have always called
# Calling one of these is passing through the gate: each admits what it reads (files/gate.py).
GATE_CALLS = {"admit", "read_limited", "read_upload", "check_package", "check_word_letter", "check_word_bytes",
              "read_document", "document_text", "admitted_text", "read_yaml", "template_problems", "checked_template"}
GATE_NAME_CALLS = {"read_text"}  # files/inputs.read_text, called by its name (not Path.read_text)
READERS = {"read_bytes", "read_text"}  # Path's
LOADERS = {"ZipFile", "Document", "DocxTemplate", "load_workbook"}  # with a file to load
UPLOAD_NAMES = {"upload", "uploaded", "storage", "report", "reply"}


def _mode(call: ast.Call) -> str | None:
    for keyword in call.keywords:
        if keyword.arg == "mode" and isinstance(keyword.value, ast.Constant):
            return str(keyword.value.value)
    position = 1 if isinstance(call.func, ast.Name) else 0
    if len(call.args) > position and isinstance(call.args[position], ast.Constant):
        return str(call.args[position].value)
    return None


def reads(call: ast.Call) -> str | None:
    """What ``call`` reads, if it opens or reads a file, a zip or an upload."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    owner = func.value if isinstance(func, ast.Attribute) else None
    if name in READERS and isinstance(func, ast.Attribute) and not call.args:
        return f".{name}()"
    if name == "open" and not (isinstance(owner, ast.Name) and owner.id == "os"):
        mode = _mode(call)
        if mode is None or not any(letter in mode for letter in "wax"):
            return "open()"
    if name in LOADERS and (call.args or call.keywords):
        mode = _mode(call)
        if name != "ZipFile" or mode is None or not any(letter in mode for letter in "wax"):
            return f"{name}()"
    if name == "open" and isinstance(owner, ast.Name) and owner.id == "pdfplumber":
        return "pdfplumber.open()"
    if name == "read" and isinstance(owner, ast.Name) and owner.id in UPLOAD_NAMES:
        return f"{owner.id}.read()"
    if name == "read" and isinstance(owner, ast.Attribute) and owner.attr == "data":
        return "a form's file .read()"
    return None


def passes_gate(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr in GATE_CALLS
    return isinstance(func, ast.Name) and (func.id in GATE_CALLS or func.id in GATE_NAME_CALLS)


def entry_points() -> Iterator[tuple[str, str, str, bool]]:
    """(module, function, what it reads, whether the function passes the gate), for every function
    in the package that opens or reads a file."""
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        if module in GATE_MODULES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            calls = [inner for inner in ast.walk(node) if isinstance(inner, ast.Call)]
            found = sorted({what for call in calls if (what := reads(call))})
            if found:
                yield module, node.name, ", ".join(found), any(passes_gate(call) for call in calls)
