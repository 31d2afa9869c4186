"""Findings for CI: SARIF 2.1.0 (code scanning) and a Markdown job summary.

GitHub shows at most 10 error annotations per step and 50 per job; a SARIF upload and a job summary
have no such cap. SARIF gets one rule per code of the registry (``furat.core.codes``), with its
meaning as the description and what to do as the help text, so a viewer can explain every finding.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from furat import __version__
from furat.core.codes import CODES
from furat.core.findings import Finding

__all__ = ["SARIF_SCHEMA", "markdown_summary", "sarif"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning"}


def _rules() -> list[dict[str, Any]]:
    rules = []
    for entry in CODES.values():
        tier = f"L{entry.tier}" if entry.tier else "run"
        rules.append(
            {
                "id": entry.code,
                "name": "".join(part.capitalize() for part in entry.code.split("-")),
                "shortDescription": {"text": entry.meaning},
                "fullDescription": {"text": f"{entry.meaning} ({entry.stage}, {tier})"},
                "help": {"text": entry.hint or entry.meaning},
                "defaultConfiguration": {"level": _SARIF_LEVEL[entry.level]},
                "properties": {"stage": entry.stage, "tier": tier},
            }
        )
    return rules


def sarif(findings: Iterable[Finding]) -> str:
    """The findings as a SARIF 2.1.0 log: one run of the tool ``furat``, one rule per registered code."""
    rules = _rules()
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = []
    for f in findings:
        message = f"{f.pointer}: {f.message}" if f.pointer else f.message
        location: dict[str, Any] = {"artifactLocation": {"uri": f.path}}
        if f.line > 0:
            location["region"] = {"startLine": f.line}
        results.append(
            {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": _SARIF_LEVEL[f.level],
                "message": {"text": message},
                "locations": [{"physicalLocation": location}],
            }
        )
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "furat", "version": __version__, "rules": rules}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)


def markdown_summary(findings: Iterable[Finding]) -> str:
    """A Markdown job summary: findings counted by code, and by file and code."""
    items = list(findings)
    errors = sum(1 for f in items if f.level == "error")
    lines = ["## furat validate", "", f"{errors} errors, {len(items) - errors} warnings", ""]
    if not items:
        return "\n".join(lines)
    by_code = Counter((f.code, f.level) for f in items)
    lines += ["| code | level | findings | meaning |", "| --- | --- | ---: | --- |"]
    for (code, level), n in sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"| `{code}` | {level} | {n} | {CODES[code].meaning} |")
    by_file = Counter((f.path, f.code) for f in items)
    lines += ["", "| file | code | findings | first line |", "| --- | --- | ---: | ---: |"]
    first: dict[tuple[str, str], int] = {}
    for f in sorted(items, key=lambda f: f.line):
        first.setdefault((f.path, f.code), f.line)
    for (path, code), n in sorted(by_file.items()):
        lines.append(f"| `{path}` | `{code}` | {n} | {first[path, code] or '-'} |")
    return "\n".join(lines)
