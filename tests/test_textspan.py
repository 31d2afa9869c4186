"""Offsets: the raw <-> clean map inverts exactly, and UTF-16 conversion round-trips."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from furat.corpus.textspan import (
    SourceMap,
    code_points_to_utf16,
    normalize_line,
    normalize_text,
    utf16_to_code_points,
)

ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
LATIN = st.characters(min_codepoint=0x20, max_codepoint=0x24F)
EMOJI = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF)
ODD = st.sampled_from(
    ["\u00a0", "\u2009", "\u202f", "\ufeff", "\u200b", "\u200f", "\uf06f", "\t", "  ", "\n", "\u0653", "\u0654"]
)
RAW = st.lists(st.one_of(ARABIC, LATIN, EMOJI, ODD), max_size=80).map("".join)
SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
INVISIBLE = re.compile(
    "[\ufeff\u200b\u200f\uf06f\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u061c\u200e\u202a-\u202e\u2060\u2066-\u2069]"
)


@settings(max_examples=400)
@given(RAW)
def test_the_map_inverts_exactly(raw: str) -> None:
    clean, smap = normalize_text(raw)
    assert smap.clean_length == len(clean) and smap.raw_length == len(raw)
    raws = [smap.to_raw(c) for c in range(len(clean) + 1)]
    assert raws == sorted(set(raws)), "strictly increasing"
    for c in range(len(clean) + 1):
        assert smap.to_clean(smap.to_raw(c)) == c
        assert smap.to_clean(smap.to_raw_end(c)) == c


@settings(max_examples=400)
@given(RAW)
def test_every_clean_word_comes_from_its_raw_span(raw: str) -> None:
    clean, smap = normalize_text(raw)
    for match in re.finditer(r"\S+", clean):
        start, end = smap.raw_span(*match.span())
        source = unicodedata.normalize("NFC", INVISIBLE.sub("", raw[start:end]))
        assert source == match.group()


@settings(max_examples=300)
@given(RAW)
def test_normalized_text_is_nfc_with_single_spaces(raw: str) -> None:
    clean, _ = normalize_text(raw)
    for line in clean.split("\n"):
        assert line == line.strip(" ")
        assert "  " not in line
        assert not INVISIBLE.search(line)
        assert SPACES.sub(" ", line) == line
    assert unicodedata.is_normalized("NFC", clean)


def test_a_line_with_an_icon_glyph_and_no_break_spaces() -> None:
    raw = "\uf06f بغداد\u00a0/\u00a0المدى "
    pieces = normalize_line(raw, 0, len(raw))
    assert "".join(text for _, _, text in pieces) == "بغداد / المدى"


def test_map_survives_json() -> None:
    clean, smap = normalize_text("أ\u00a0\u00a0ب\uf06f ج")
    again = SourceMap.from_json(smap.to_json(), smap.clean_length, smap.raw_length)
    assert [again.to_raw(c) for c in range(len(clean) + 1)] == [smap.to_raw(c) for c in range(len(clean) + 1)]


@given(st.lists(st.one_of(ARABIC, EMOJI, LATIN), max_size=40).map("".join))
def test_utf16_offsets_round_trip(text: str) -> None:
    for offset in range(len(text) + 1):
        assert utf16_to_code_points(text, code_points_to_utf16(text, offset)) == offset
    assert code_points_to_utf16(text, len(text)) == len(text.encode("utf-16-le")) // 2


def test_utf16_offset_inside_a_surrogate_pair_is_refused() -> None:
    text = "داعش 😀 قسد"
    inside = code_points_to_utf16(text, text.index("😀")) + 1
    try:
        utf16_to_code_points(text, inside)
    except ValueError as exc:
        assert "surrogate" in str(exc)
    else:
        raise AssertionError("expected a ValueError")


def test_a_mark_composes_with_its_base_across_a_dropped_zero_width_space() -> None:
    clean, smap = normalize_text("ا\u200b\u0653 ب")
    assert clean == "آ ب"
    assert smap.raw_span(0, 1) == (0, 3)
