"""Reading a file of the repository for ``furat validate``: the L1 checks of its bytes, its JSON and its schema.

``CheckRun`` collects the findings of one run of checks; ``CheckRun.read`` reads a file (links, place,
encoding, line ends, control characters, strict JSON at orjson speed) and ``CheckRun.schema_check``
checks it against its JSON Schema, one finding per offending place, with its line.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from furat.core.codes import code as registered
from furat.core.findings import Finding
from furat.core.jsonio import StrictJsonError, loads_fast, loads_strict
from furat.core.jsonpos import escape_pointer, pointer_lines
from furat.core.schemas import Schema

__all__ = ["CheckRun", "JsonFile", "read_all"]

_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_CONTROL = re.compile(b"[" + re.escape(_CONTROL_BYTES) + b"]")
_ENUM_CODES = {
    "label": "unknown-label",
    "unit": "unknown-unit",
    "kind": "unknown-kind",
    "target": "unknown-target",
}


@dataclass
class JsonFile:
    """A file as read: where it is, its bytes, its parsed data, and the line of any JSON pointer."""

    rel: str
    raw: bytes  # the file's bytes, UTF-8 (the reader checked that before making a JsonFile)
    data: Any = None
    integral_floats: bool = False  # a number such as 16.0, which JSON Schema counts as an integer
    # (object, key) of every such number, or None when one of them is an array item (not located)
    integral_places: list[tuple[dict[str, Any], str]] | None = None
    _lines: dict[str, int] | None = None

    def line(self, pointer: str) -> int:
        """The line of the value at ``pointer``, or of its nearest ancestor that exists."""
        if self._lines is None:
            try:
                self._lines = pointer_lines(self.raw.decode("utf-8"))
            except (ValueError, IndexError):
                self._lines = {}
        while pointer:
            if pointer in self._lines:
                return self._lines[pointer]
            pointer = pointer.rsplit("/", 1)[0]
        return self._lines.get("", 1)


def read_all(fd: int, size: int | None = None) -> bytes:
    """Every byte of an open file, read to its end: the first read asks for the size it has (``size``,
    when the caller knows it from its own ``fstat``)."""
    data = os.read(fd, (os.fstat(fd).st_size if size is None else size) + 1)
    more = os.read(fd, 1 << 20) if data else b""
    if not more:
        return data
    parts = [data, more]
    while more := os.read(fd, 1 << 20):
        parts.append(more)
    return b"".join(parts)


@dataclass
class CheckRun:
    """The findings of one run of checks, and what it remembers between files (resolved folders)."""

    root: Path
    findings: list[Finding] = field(default_factory=list)
    _real: dict[str, bool] = field(default_factory=dict)  # folder -> resolves to itself (no link on the way)
    _errors: int = 0

    def _resolves_inside(self, path: Path) -> bool:
        """Whether ``path`` (not itself a link) resolves inside the repository; one resolve per folder."""
        folder = str(path).rpartition("/")[0]
        if folder not in self._real:
            self._real[folder] = (named := Path(folder)).resolve() == named
        # a file named under the repository's (resolved) root, in a folder with no link on the way: inside
        return self._real[folder] or path.resolve().is_relative_to(self.root)

    @property
    def errors(self) -> int:
        """How many findings so far are errors."""
        return self._errors

    def add(self, file: JsonFile | str, code: str, message: str, pointer: str = "", line: int | None = None) -> None:
        severity = registered(code).level
        self._errors += severity == "error"
        rel = file.rel if isinstance(file, JsonFile) else file
        if line is None:
            line = file.line(pointer) if isinstance(file, JsonFile) else 0
        self.findings.append(Finding(rel, line, code, message, severity, pointer))

    def read(self, path: Path) -> JsonFile | None:
        """Read and parse a JSON file, with the L1 checks of its bytes; None when it cannot go on."""
        name, prefix = str(path), str(self.root) + "/"
        rel = name[len(prefix) :] if name.startswith(prefix) else path.as_posix()
        try:  # O_NOFOLLOW: a link is refused by the open itself (ELOOP), in one system call
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError as exc:
            if exc.errno == errno.ELOOP and path.is_symlink():
                self.add(rel, "symlink", f"is a symbolic link (to {os.readlink(path)}); commit the file itself")
            else:
                self.add(rel, "io-error", f"cannot read: {exc.strerror or exc}")
            return None
        try:
            if name.startswith(prefix) and not self._resolves_inside(path):
                self.add(rel, "outside-repo", f"resolves outside the repository ({path.resolve()})")
                return None
            try:
                data = read_all(fd)
            except OSError as exc:
                self.add(rel, "io-error", f"cannot read: {exc.strerror or exc}")
                return None
        finally:
            os.close(fd)
        if data.startswith(b"\xef\xbb\xbf"):
            self.add(rel, "bom", "starts with a UTF-8 byte order mark; save it without", line=1)
            return None
        fast = loads_fast(data)  # orjson refuses what is not UTF-8: then decoding says where
        text = ""
        if fast is None:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = data.count(b"\n", 0, exc.start) + 1
                self.add(rel, "encoding", f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}", line=line)
                return None
        file = JsonFile(rel, data)
        if b"\r" in data:
            self.add(rel, "crlf", "CR line ends; save with LF", line=data.count(b"\n", 0, data.index(b"\r")) + 1)
        # UTF-8 never uses these byte values inside a multi-byte character: scanning bytes is exact.
        # (bytes.translate finds out whether there is one at C speed; the regex then says where.) Text
        # that orjson read holds none of them but DEL: it refuses the others in strings and between tokens.
        if fast is not None:
            control = _CONTROL.search(data) if b"\x7f" in data else None
        else:
            control = _CONTROL.search(data) if len(data.translate(None, _CONTROL_BYTES)) != len(data) else None
        if control:
            line = data.count(b"\n", 0, control.start()) + 1
            self.add(rel, "control-char", f"control character U+{control.group()[0]:04X}", line=line)
            return None
        if fast is not None:  # sure to be what loads_strict gives
            file.data = fast.value
            file.integral_floats = bool(fast.integral) or fast.integral_items
            file.integral_places = None if fast.integral_items else fast.integral
            return file
        floats: list[float] = []
        places: list[tuple[dict[str, Any], str]] = []
        try:
            file.data = loads_strict(text, floats=floats, float_places=places)
        except StrictJsonError as exc:
            where = f" (column {exc.column})" if exc.column else ""
            self.add(rel, exc.code, exc.message + where, line=exc.line)
            return None
        file.integral_floats = any(f.is_integer() for f in floats)
        if file.integral_floats and len(places) == len(floats):
            file.integral_places = [(obj, key) for obj, key in places if obj[key].is_integer()]
        return file

    def schema_check(self, file: JsonFile, schema: Schema) -> bool:
        """L1: the file against its JSON Schema; one finding per offending place."""
        fast_ok = schema.is_valid(file.data)
        if fast_ok and not file.integral_floats:
            return True
        places = file.integral_places  # 16.0 and the like, where JSON Schema would count an integer
        if fast_ok and places is not None and schema.is_valid_as_fractions(file.data, places):
            return True
        seen: set[tuple[str, str]] = set()
        for error in schema.errors(file.data):
            code, pointer, message = _explain(error)
            if (code, pointer) not in seen:
                seen.add((code, pointer))
                self.add(file, code, message, pointer)
        if seen:
            return False
        if fast_ok:  # numbers such as 16.0, where any number is allowed
            return True
        # The compiled check rejects what the explainer accepts (their regex engines differ: in Python
        # `$` also matches before a final newline): the compiled check's own errors are the findings.
        for path, keyword, message in schema.fast_errors(file.data):
            pointer = _pointer(path)
            code = "bad-id" if keyword == "pattern" and path and path[-1] == "id" else "schema"
            if (code, pointer) not in seen:
                seen.add((code, pointer))
                self.add(file, code, message, pointer)
        if not seen:
            self.add(file, "schema", f"the file does not match {schema.path.name}")
        return False


def _pointer(path: Iterable[Any]) -> str:
    return "".join(f"/{escape_pointer(p)}" for p in path)


def _explain(error: jsonschema.ValidationError) -> tuple[str, str, str]:
    """A stable code, a JSON pointer and a message for one jsonschema error."""
    path = list(error.absolute_path)
    pointer = _pointer(path)
    last = path[-1] if path else ""
    if error.validator == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        return "missing-field", pointer, f"missing field {missing.group(1) if missing else error.message!r}"
    if error.validator == "additionalProperties":
        return "unknown-field", pointer, error.message
    if error.validator == "type":
        return "wrong-type", pointer, f"{error.instance!r} is not of type {error.validator_value!r}"
    if error.validator == "minimum" and last in ("start", "end"):
        return "negative-offset", pointer, f"{last} is {error.instance}; offsets count from 0"
    if error.validator == "enum" and isinstance(last, str) and len(path) >= 3:
        layer = path[0]
        if last == "label" and layer == "stances":
            return "unknown-stance", pointer, f"unknown stance label {error.instance!r}"
        if last in _ENUM_CODES:
            return _ENUM_CODES[last], pointer, f"unknown {last} {error.instance!r} (see schema/labels.json)"
    if error.validator == "pattern" and last == "id":
        return "bad-id", pointer, f"id {error.instance!r} does not match {error.validator_value!r}"
    return "schema", pointer, error.message
