"""The architecture holds: one-way stages (import-linter, in scripts/test), small modules, no import by
name, and every finding code that the code raises is in the one registry."""

from __future__ import annotations

import ast
from pathlib import Path

from furat.core.codes import CODES

SRC = Path(__file__).resolve().parents[1] / "src" / "furat"
MODULES = sorted(SRC.rglob("*.py"))
# calls whose argument at this position is a finding code
CODE_ARGUMENT = {"Finding": 2, "finding": 0, "fail": 0, "Problem": 0, "add": 0}


def test_no_module_is_over_600_lines() -> None:
    long = {p.relative_to(SRC).as_posix(): n for p in MODULES if (n := len(p.read_text("utf-8").splitlines())) > 600}
    assert long == {}


def test_no_module_is_imported_by_name_at_run_time() -> None:
    offenders = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                if name in ("importlib.import_module", "__import__", "import_module"):
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []


def test_every_code_the_code_raises_is_registered() -> None:
    used: dict[str, str] = {}
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            index = CODE_ARGUMENT.get(name)
            args = list(node.args) + [k.value for k in node.keywords if k.arg == "code"]
            if index is None or len(args) <= index:
                continue
            arg = args[index] if index < len(node.args) else args[-1]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and "-" in arg.value:
                used[arg.value] = f"{path.relative_to(SRC)}:{node.lineno}"
    assert len(used) > 20  # the scan sees the codes (a scan that finds nothing proves nothing)
    assert {code: where for code, where in used.items() if code not in CODES} == {}


def test_no_docstring_cites_a_file_outside_the_repository() -> None:
    assert [p.relative_to(SRC).as_posix() for p in MODULES if "DESIGN.md" in p.read_text("utf-8")] == []
