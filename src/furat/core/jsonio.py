"""JSON files the way Furat keeps them: read strictly, written pretty (stable key order, LF) and atomically.

``loads_strict`` is the one JSON reader of every file Furat reads from a repository: on top of
``json.loads`` it refuses ``NaN``/``Infinity`` (and numbers too large for a float), duplicate keys,
nesting deeper than ``MAX_DEPTH`` and lone UTF-16 surrogate escapes, each with its own finding code
and line (``StrictJsonError``). ``loads_fast`` reads the same files with orjson about twice as fast and
steps aside (None) wherever it cannot be sure to give the same value. Multi-file writes live in
``furat.core.journal``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

from furat.core.findings import Finding, FuratError

__all__ = [
    "MAX_DEPTH",
    "FastParse",
    "StrictJsonError",
    "dumps",
    "loads_fast",
    "loads_strict",
    "read_json_cached",
    "read_json_strict",
    "write_files_atomically",
]

MAX_DEPTH = 64  # Furat's files nest five levels deep; anything far deeper is an attack or an accident

_WIDTH = 110


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _is_leaf(value: Any) -> bool:
    if isinstance(value, dict):
        return all(not isinstance(v, (dict, list)) for v in value.values())
    if isinstance(value, list):
        return all(not isinstance(v, (dict, list)) for v in value)
    return True


def _dump(value: Any, indent: int) -> str:
    pad = "  " * (indent + 1)
    if _is_leaf(value):
        one_line = _compact(value)
        if not isinstance(value, (dict, list)) or len(one_line) + len(pad) <= _WIDTH:
            return one_line
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{pad}{json.dumps(k, ensure_ascii=False)}: {_dump(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(pad + _dump(v, indent + 1) for v in value) + "\n" + "  " * indent + "]"
    return _compact(value)


def dumps(value: Any) -> str:
    """Pretty JSON: nested structures indented by two spaces, small flat objects and lists on one line."""
    return _dump(value, 0) + "\n"


def write_files_atomically(files: Mapping[Path, str | bytes]) -> None:
    """Write every file or none, even across a crash (``furat.core.journal``)."""
    from furat.core.journal import commit_files

    commit_files(files)


class StrictJsonError(ValueError):
    """JSON that ``loads_strict`` refuses: a registered finding code, a message and where."""

    def __init__(self, code: str, message: str, line: int, column: int = 0) -> None:
        super().__init__(message)
        self.code, self.message, self.line, self.column = code, message, line, column

    def finding(self, rel: str) -> Finding:
        where = f" (column {self.column})" if self.column else ""
        return Finding(rel, self.line, self.code, self.message + where)


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_HIGH = r"\\u[dD][89abAB][0-9a-fA-F]{2}"
_LOW = r"\\u[dD][c-fC-F][0-9a-fA-F]{2}"
_LONE = re.compile(rf"(?<!\\){_HIGH}(?!{_LOW})|(?<!\\)(?<!{_HIGH}){_LOW}")


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _Constant(Exception):
    pass


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Duplicate(key)
            seen.add(key)
    return out


def _constant(name: str) -> Any:
    raise _Constant(name)


def _float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _Constant(literal)
    return value


def _depth_at(text: str, max_depth: int) -> int | None:
    """The offset where nesting first goes deeper than ``max_depth``, or None."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if max(accumulate(1 if c in "[{" else -1 for c in brackets), default=0) <= max_depth:
        return None
    depth, in_string, escaped = 0, False, False
    for pos, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                return pos
        elif char in "]}":
            depth -= 1
    return 0


def _strings(value: Any) -> Iterator[str]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


_OUTSIDE_STRUCTURE = bytes(range(256)).translate(None, b'"[]{}')
_CURLY_AS_SQUARE = bytes.maketrans(b"{}", b"[]")
_QUOTED = re.compile(rb'"[^"]*"')


def _deeper_than(text: str, max_depth: int) -> bool:
    """Whether valid JSON ``text`` nests deeper than ``max_depth``, at C speed (bytes operations only).

    Only for text that ``json.loads`` accepted: escaped backslashes and quotes are then exactly the
    ``\\\\`` and ``\\"`` pairs, every other ``"`` opens or closes a string, and brackets nest
    properly, so their depth is the number of times innermost ``[]`` pairs can be removed.
    """
    data = text.encode("utf-8", "surrogatepass").replace(b"\\\\", b"").replace(b'\\"', b"")
    brackets = data.translate(_CURLY_AS_SQUARE, _OUTSIDE_STRUCTURE).replace(b'""', b"")
    if b'"' in brackets:  # a string holding brackets
        brackets = _QUOTED.sub(b"", brackets)
    for _ in range(max_depth):
        if not brackets:
            return False
        brackets = brackets.replace(b"[]", b"")
    return bool(brackets)


def _pairs_locating(places: list[tuple[dict[str, Any], str]], pending: list[int]) -> Any:
    """An object hook like ``_pairs`` that also records (object, key) of each float member value.

    ``pending`` counts floats parsed but not yet found; objects are scanned only while there are some
    (a float is found in the next object that closes around it, unless it is an array item).
    """

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) != len(pairs):
            _pairs(pairs)  # raises _Duplicate
        if pending[0]:
            for key, value in pairs:
                if type(value) is float:
                    places.append((out, key))
                    pending[0] -= 1
        return out

    return hook


class FastParse(NamedTuple):
    """What ``loads_fast`` read: the value and where it holds floats with a whole value (``16.0``)."""

    value: Any
    integral: list[tuple[dict[str, Any], str]]  # (object, key) of each whole-valued float member
    integral_items: bool  # a whole-valued float is an array item (not located)


_WIDE = 2.0**63  # orjson reads an integer from here on (or below its negative) as a float; Python keeps it exact


def _shape(value: Any, max_depth: int) -> tuple[FastParse, int, int] | None:
    """``value``'s whole-valued floats located, with how many object members it holds and how many ``:``
    its strings other than keys hold; None when it nests deeper than ``max_depth`` or holds a float that
    may have been written as an integer too wide for orjson (or is not finite).

    One level of nesting at a time: the objects and arrays of a level are looked into, and those they
    hold make the next level. (Integers, the most common member, are passed over first.)
    """
    integral: list[tuple[dict[str, Any], str]] = []  # (object, key) of each whole-valued float member
    in_array = False  # a whole-valued float is an array item
    members = colons = 0
    kind = type(value)
    level: list[Any] = [value] if kind is dict or kind is list else []
    if kind is float:
        if not _plain(value):
            return None
        in_array = value.is_integer()
    elif kind is str:
        colons = value.count(":")
    for _ in range(max_depth):
        if not level:
            break
        deeper: list[Any] = []
        push = deeper.append
        for item in level:  # objects and arrays in loops of their own: a quarter faster than one loop
            if type(item) is dict:
                members += len(item)
                for key, sub in item.items():
                    kind = type(sub)
                    if kind is int:
                        continue
                    if kind is str:
                        if ":" in sub:
                            colons += sub.count(":")
                    elif kind is dict or kind is list:
                        push(sub)
                    elif kind is float:
                        if not _plain(sub):
                            return None
                        if sub.is_integer():
                            integral.append((item, key))
            else:
                for sub in item:
                    kind = type(sub)
                    if kind is int:
                        continue
                    if kind is str:
                        if ":" in sub:
                            colons += sub.count(":")
                    elif kind is dict or kind is list:
                        push(sub)
                    elif kind is float:
                        if not _plain(sub):
                            return None
                        in_array = in_array or sub.is_integer()
        level = deeper
    if level:
        return None
    return FastParse(value, integral, in_array), members, colons


def _escapes_unicode(data: bytes) -> bool:
    """Whether JSON text that orjson accepted holds a ``\\uXXXX`` escape.

    Each of its backslashes starts an escape (``\\n``, ``\\\\``, ``\\u``…), so each escape is read from the
    first backslash after the one before: ``\\\\u`` is an escaped backslash and a ``u``. (A search for
    the two bytes would take it for one, and is slower than finding the backslashes.)
    """
    find = data.find
    at = find(b"\\")
    while at >= 0:
        if data[at + 1] == 0x75:  # u
            return True
        at = find(b"\\", at + 2)
    return False


def _plain(number: float) -> bool:
    """A float as orjson reads it from a number written as such: finite, and not an integer too wide for it."""
    return math.isfinite(number) and abs(number) < _WIDE


def loads_fast(data: bytes, max_depth: int = MAX_DEPTH) -> FastParse | None:
    """``data`` parsed by orjson when that is sure to equal ``loads_strict``'s result; None otherwise.

    orjson itself refuses non-finite numbers, lone surrogates, control characters in strings and
    invalid UTF-8. What it lets through that ``loads_strict`` refuses or reads differently is checked
    at C speed or on the parsed value:

    - duplicate keys: orjson keeps the last member of a key. Outside its strings, JSON text holds a
      ``:`` only after each member's key; so in text without a ``\\u`` escape (text with one takes the
      strict path), the ``:`` of the text number the members written, plus those in keys and in other
      strings. When they number exactly the members kept plus those in the strings kept (other than
      keys), no member was dropped. Otherwise (a key with a colon, or a dropped member), the value
      written back compactly must hold as many ``"`` as the text: every ``"`` of a string is written
      ``\\"`` by both, and a dropped member takes at least its key's two away;
    - integers too wide for 64 bits, which orjson reads as floats: any float that large steps aside;
    - nesting deeper than ``max_depth``, measured on the value.

    On None (rare in a valid repository), use ``loads_strict``: it gives the exact finding, or the same value.
    """
    import orjson

    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    if _escapes_unicode(data):
        return None
    shaped = _shape(value, max_depth)
    if shaped is None:
        return None
    parsed, members, colons = shaped
    if data.count(b":") - colons != members:
        try:
            if orjson.dumps(value).count(b'"') != data.count(b'"'):
                return None
        except orjson.JSONEncodeError:
            return None
    return parsed


def loads_strict(
    text: str,
    *,
    max_depth: int = MAX_DEPTH,
    floats: list[float] | None = None,
    float_places: list[tuple[dict[str, Any], str]] | None = None,
) -> Any:
    """Parse JSON text, refusing what ``json.loads`` lets through (``StrictJsonError`` with its code).

    Codes: ``json-syntax`` / ``json-truncated`` (not JSON), ``json-nonfinite`` (``NaN``, ``Infinity``,
    ``1e999``), ``json-duplicate-key``, ``json-depth`` (nested deeper than ``max_depth``),
    ``json-surrogate`` (a ``\\uD800``-``\\uDFFF`` escape that is not half of a pair). ``floats``, when
    given, collects every number written with a fraction or exponent (``16.0`` is one, ``16`` is not);
    ``float_places`` the (object, key) of each of them that is an object member (array items are not
    located: compare the counts). Nesting is checked first: text too deep is ``json-depth`` whatever
    else is wrong with it (the exact scan runs only when the text is refused or the fast count says deep).
    """
    try:
        parse_float = _float
        hook = _pairs
        if floats is not None or float_places is not None:
            collected = floats if floats is not None else []
            pending = [0]
            if float_places is not None:
                hook = _pairs_locating(float_places, pending)

            def parse_float(literal: str) -> float:
                value = _float(literal)
                collected.append(value)
                pending[0] += 1
                return value

        data = json.loads(text, object_pairs_hook=hook, parse_constant=_constant, parse_float=parse_float)
    except (ValueError, _Duplicate, _Constant, RecursionError) as exc:
        _check_depth(text, max_depth)
        _refuse(text, exc)
    if _deeper_than(text, max_depth):
        _check_depth(text, max_depth)
    if _SURROGATE_ESCAPE.search(text):
        for item in _strings(data):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                lone = _LONE.search(text)
                line = _line(text, lone.start()) if lone else 0
                raise StrictJsonError("json-surrogate", "a lone UTF-16 surrogate escape is not text", line) from None
    return data


def _check_depth(text: str, max_depth: int) -> None:
    deep = _depth_at(text, max_depth)
    if deep is not None:
        message = f"nested more than {max_depth} levels deep"
        raise StrictJsonError("json-depth", message, _line(text, deep))


def _refuse(text: str, error: BaseException) -> NoReturn:
    """The finding for what ``json.loads`` (with the strict hooks) refused."""
    if isinstance(error, json.JSONDecodeError):
        # Python's json says "Unterminated string" only when the input ends inside a string.
        truncated = error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string")
        code = "json-truncated" if truncated else "json-syntax"
        raise StrictJsonError(code, error.msg, error.lineno, error.colno) from None
    if isinstance(error, _Duplicate):
        pattern = '"' + re.escape(json.dumps(error.key, ensure_ascii=False)[1:-1]) + r'"\s*:'
        matches = list(re.finditer(pattern, text))
        line = _line(text, matches[1].start()) if len(matches) > 1 else 0
        raise StrictJsonError("json-duplicate-key", f"key {error.key!r} appears twice in one object", line) from None
    if isinstance(error, _Constant):
        outside = re.compile(_STRING.pattern + "|(" + re.escape(error.args[0]) + ")", re.S)
        found = next((m for m in outside.finditer(text) if m.group(1)), None)
        line = _line(text, found.start()) if found else 0
        message = f"{error.args[0]} is not a JSON number (NaN and Infinity are not allowed)"
        raise StrictJsonError("json-nonfinite", message, line) from None
    if isinstance(error, RecursionError):
        raise StrictJsonError("json-depth", "nested too deeply", 0) from None
    # e.g. an integer with more digits than Python converts
    raise StrictJsonError("json-syntax", str(error), 0) from None


def read_json_strict(path: Path, rel: str | None = None) -> Any:
    """A JSON file through ``loads_strict``; unreadable or refused input as ``FuratError`` findings."""
    rel = rel or path.as_posix()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FuratError([Finding(rel, 0, "io-error", f"cannot read: {exc.strerror or exc}")], 2) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raise FuratError([Finding(rel, 1, "bom", "starts with a UTF-8 byte order mark; save it without")])
    fast = loads_fast(raw)
    if fast is not None:
        return fast.value
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise FuratError([Finding(rel, line, "encoding", f"not UTF-8 at offset {exc.start}")]) from None
    try:
        return loads_strict(text)
    except StrictJsonError as exc:
        raise FuratError([exc.finding(rel)]) from None


def read_json_cached(path: Path) -> Any:
    """Parse a small, often-read JSON file (labels, schemas) once per version of it on disk."""
    rel = f"{path.parent.name}/{path.name}"  # schema/labels.json, as findings name it
    try:
        stat = path.stat()
    except OSError as exc:
        raise FuratError([Finding(rel, 0, "io-error", f"cannot read: {exc.strerror or exc}")], 2) from None
    return _read_json(str(path.resolve()), rel, stat.st_mtime_ns, stat.st_size)


@cache
def _read_json(path: str, rel: str, mtime_ns: int, size: int) -> Any:
    return read_json_strict(Path(path), rel)
