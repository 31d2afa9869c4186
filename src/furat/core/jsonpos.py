"""Where each value of a JSON text starts: JSON pointer -> line number.

Findings name the line of the offending object. ``json.loads`` keeps no positions, so files with
findings are scanned a second time by this small parser; files without findings never are.
"""

from __future__ import annotations

import bisect
import re
from json.decoder import scanstring  # type: ignore[attr-defined]  # typeshed leaves it out

__all__ = ["escape_pointer", "line_at", "pointer_lines"]

_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")


def escape_pointer(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def line_at(text: str, offset: int) -> int:
    """The 1-based line of a character offset."""
    return text.count("\n", 0, offset) + 1


def pointer_lines(text: str) -> dict[str, int]:
    """Map every JSON pointer in ``text`` to the line where its value (or its member key) starts.

    The text must be valid JSON (parse it with ``json.loads`` first).
    """
    newlines = [m.start() for m in re.finditer("\n", text)]
    lines: dict[str, int] = {}

    def line(offset: int) -> int:
        return bisect.bisect_left(newlines, offset) + 1

    def skip(pos: int) -> int:
        match = _WS.match(text, pos)
        return match.end() if match else pos

    def value(pos: int, pointer: str, at: int) -> int:
        lines.setdefault(pointer, line(at))
        char = text[pos]
        if char == "{":
            pos = skip(pos + 1)
            if text[pos] == "}":
                return pos + 1
            while True:
                key_at = pos
                key, pos = scanstring(text, pos + 1)
                pos = skip(skip(pos) + 1)  # past the colon
                pos = skip(value(pos, f"{pointer}/{escape_pointer(key)}", key_at))
                if text[pos] == "}":
                    return pos + 1
                pos = skip(pos + 1)  # past the comma
        if char == "[":
            pos = skip(pos + 1)
            if text[pos] == "]":
                return pos + 1
            index = 0
            while True:
                pos = skip(value(pos, f"{pointer}/{index}", pos))
                index += 1
                if text[pos] == "]":
                    return pos + 1
                pos = skip(pos + 1)
        if char == '"':
            end: int = scanstring(text, pos + 1)[1]
            return end
        match = _SCALAR.match(text, pos)
        if not match:
            raise ValueError(f"not JSON at offset {pos}")
        return match.end()

    start = skip(0)
    value(start, "", start)
    return lines
