"""Findings: what a check found, as data (level, code, file, line, JSON pointer, message).

Checks return findings; printing them as text, JSON, GitHub annotations or SARIF is a separate step.
Every code is registered in ``furat.core.codes``; a finding with an unregistered code is a bug.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from furat.core.codes import CODES, Level

__all__ = ["Finding", "FuratError", "format_findings"]


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    code: str
    message: str
    level: Level = "error"
    pointer: str = ""

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"finding code {self.code!r} is not in the registry (furat.core.codes)")
        if self.level not in ("error", "warning"):
            raise ValueError(f"finding level {self.level!r} is neither 'error' nor 'warning'")

    def text(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        pointer = f" {self.pointer}:" if self.pointer else ""
        return f"{where}: {self.level}[{self.code}]{pointer} {self.message}"

    def github(self) -> str:
        kind = "error" if self.level == "error" else "warning"
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        pointer = f"{self.pointer}: " if self.pointer else ""
        return f"::{kind} file={self.path},line={max(self.line, 1)},title={self.code}::{pointer}{message}"


class FuratError(Exception):
    """Raised with findings when a stage cannot go on; the CLI prints them and exits non-zero."""

    def __init__(self, findings: Iterable[Finding], exit_code: int = 1) -> None:
        self.findings = list(findings)
        self.exit_code = exit_code
        super().__init__("; ".join(f.text() for f in self.findings))


def format_findings(findings: Iterable[Finding], fmt: str = "text") -> str:
    """Render findings as ``text`` (one per line), ``json`` (a list) or ``github`` (workflow commands)."""
    items = list(findings)
    if fmt == "json":
        return json.dumps([asdict(f) for f in items], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(f.github() for f in items)
    return "\n".join(f.text() for f in items)
