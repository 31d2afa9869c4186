"""``loads_fast`` (orjson, checked on the bytes and the value) gives what ``loads_strict`` gives, or steps aside."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from furat.core.jsonio import StrictJsonError, loads_fast, loads_strict

ROOT = Path(__file__).resolve().parents[1]


def _strict(text: str) -> tuple[Any, list[float]] | str:
    floats: list[float] = []
    try:
        return loads_strict(text, floats=floats), floats
    except StrictJsonError as exc:
        return exc.code


def _agrees(text: str) -> None:
    """Where the fast path answers, the strict reader accepts the text and reads the same value."""
    fast = loads_fast(text.encode("utf-8", "surrogatepass"))
    strict = _strict(text)
    if fast is None:
        return
    assert not isinstance(strict, str), f"the fast path accepted what loads_strict refuses ({strict}): {text!r}"
    value, floats = strict
    assert json.dumps(fast.value, sort_keys=True) == json.dumps(value, sort_keys=True)
    whole = [f for f in floats if f.is_integer()]
    located = [obj[key] for obj, key in fast.integral]
    assert len(located) <= len(whole)
    assert fast.integral_items == (len(located) < len(whole))


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',  # a duplicate key: orjson keeps the last one
        '{"a": {"b": 1, "b": 1}}',
        '{"a:b": 1, "c": "x: \\"y\\" {[", "d": "\\\\"}',  # colons, quotes and brackets inside strings
        "[123456789012345678901234567890]",  # an integer orjson would read as a float
        "[1e2]",  # a whole number written with an exponent only
        "[1E400]",
        "[NaN]",
        '["\\ud800"]',
        '["\\udc00 \\ud83d\\ude00"]',
        "[" * 65 + "]" * 65,  # deeper than MAX_DEPTH
        '{"value": 16.0, "xs": [1.0, 2.5], "y": -0.0}',
        '{"v": 15.99999999999999999}',  # a fraction Python rounds to a whole number
        "null",
        '{"a": [1, 16.0]}',  # a whole-valued float behind an integer in a mixed array
        '[1, {"a": 1, "a": 2}]',  # a duplicate key behind an integer
        '["x", 123456789012345678901234]',
        '{"a": [{"b": 1}, 2.0, {"c": [3, 4.5]}]}',
    ],
)
def test_fast_path_agrees_with_the_strict_reader(text: str) -> None:
    _agrees(text)


def test_fast_path_steps_aside_for_what_only_the_strict_reader_can_name() -> None:
    for text in (
        '{"a": 1, "a": 2}',
        '{"a": "x", "b": {"a": [], "a": "y"}}',
        "[123456789012345678901234567890]",
        "[-9223372036854775809]",  # one below the 64-bit range: orjson reads a float
        "[" * 65 + "]" * 65,
        "[NaN]",
        '{"a": "x:y", "a": "z"}',  # the dropped member's colons are in the text, not in the value
        '{"k:1": 1, "k:1": 2}',
        '{"a": {"b": ":"}, "a": {"b": ":"}}',
        '[{"t": "12:30"}, {"t": "x", "t": "12:30"}]',
        '{"a": 1, "a": 2, "s": "\\u003a"}',  # a colon written as an escape makes up for the dropped member's
        '{"a": 1, "a": 2, "s": "\\\\\\u003a"}',  # an escaped backslash, then the escape
    ):
        assert loads_fast(text.encode()) is None, text


def test_colons_in_strings_and_keys_keep_the_fast_path() -> None:
    # every ":" of the text is a member's or a string's: counted on the value, no member is missing
    for text in ('{"a": "c:d", "e": [":", {"f": "::"}], "g": "12:30"}', '{"a:b": 1}', '":"', "[]", '["C:\\\\users"]'):
        fast = loads_fast(text.encode())
        assert fast is not None, text
        assert fast.value == loads_strict(text)


def test_a_duplicate_key_cannot_hide_behind_escaped_quotes() -> None:
    # The dropped member's two quotes are made up by two quotes written as \u0022, which orjson writes
    # back as \": any text with a \u escape takes the strict path, which names the duplicate.
    text = '{"a": 1, "a": 2, "s": "\\u0022\\u0022"}'
    assert loads_fast(text.encode()) is None
    with pytest.raises(StrictJsonError) as caught:
        loads_strict(text)
    assert caught.value.code == "json-duplicate-key"


def test_numbers_with_an_exponent_read_as_the_strict_reader_reads_them() -> None:
    fast = loads_fast(b'{"v": 1e2, "w": 2.5E-1}')
    assert fast is not None
    assert fast.value == loads_strict('{"v": 1e2, "w": 2.5E-1}') == {"v": 100.0, "w": 0.25}
    assert [key for _, key in fast.integral] == ["v"]


def test_fast_path_locates_whole_numbers_written_as_floats() -> None:
    fast = loads_fast(b'{"q": [{"value": 200.0, "low": 1.5}], "xs": [3.0]}')
    assert fast is not None
    assert [(obj["value"], key) for obj, key in fast.integral] == [(200.0, "value")]
    assert fast.integral_items  # 3.0 is an array item: not located


def test_fast_path_reads_every_file_of_the_repository_as_the_strict_reader_does() -> None:
    files = sorted((ROOT / "corpus").glob("*.json")) + sorted((ROOT / "annotations").rglob("*.json"))
    assert files
    for path in files:
        raw = path.read_bytes()
        fast = loads_fast(raw)
        assert fast is not None, path  # a valid repository takes the fast path
        assert fast.value == loads_strict(raw.decode("utf-8")), path


_KEYS = st.sampled_from(["a", "b", "a:b", 'q"', "\\", "[", "}", "نص", "a"])
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.sampled_from(list('ab:"\\[]{}.,0eu نص\u2028\x01')), max_size=8),
)
_VALUES = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=4) | st.lists(st.tuples(_KEYS, inner), max_size=4), max_leaves=20
)


def _dump(value: Any) -> str:
    """JSON text of ``value``; a list of pairs is an object, so that keys may repeat."""
    if isinstance(value, list) and value and all(isinstance(v, tuple) for v in value):
        return "{" + ", ".join(f"{json.dumps(k)}: {_dump(v)}" for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_dump(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer() and math.isfinite(value) and abs(value) < 1e15:
        return f"{value:.1f}"  # 16.0, as a person writes a whole number as a float
    return json.dumps(value, ensure_ascii=False)


@settings(max_examples=400)
@given(_VALUES)
def test_fast_path_agrees_on_generated_json(value: Any) -> None:
    _agrees(_dump(value))
