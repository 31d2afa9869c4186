"""Offsets: text normalization that keeps an exact map back to the raw text, and UTF-16 helpers.

Every offset in Furat counts Unicode code points (Python ``str`` indices). A :class:`SourceMap` ties
each offset of a cleaned text to the raw text it came from, as a list of pieces
``(clean_start, clean_end, raw_start, raw_end)``. Inside a piece the k-th character maps to the
k-th raw character; a piece with an empty clean side is raw text that was dropped. Pieces are
never longer on the clean side than on the raw side, so the map is strictly increasing and
inverts exactly.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "Piece",
    "SourceMap",
    "TextBuilder",
    "code_points_to_utf16",
    "normalize_line",
    "normalize_text",
    "utf16_to_code_points",
]

Piece = tuple[int, int, int, int]

# Whitespace that becomes one ordinary space: ASCII blanks, no-break and typographic spaces.
_SPACES = "\t\x0b\x0c \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Invisible characters that are dropped: zero-width space, BOM, bidi marks and embeddings,
# soft hyphen, other C0/C1 controls. ZWNJ and ZWJ stay: Persian words and emoji need them.
_DROP = "\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
# Private-use glyphs (icon fonts leave them in scraped text).
_PRIVATE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
# A run of spaces, with any invisible characters inside or around it.
_SPACE_RUN = re.compile(f"[{_DROP}{_PRIVATE}]*[{_SPACES}][{_SPACES}{_DROP}{_PRIVATE}]*")
_DROPPABLE = re.compile(f"[{_DROP}{_PRIVATE}]")


@dataclass
class SourceMap:
    """A strictly increasing map between clean and raw code point offsets."""

    pieces: list[Piece]
    clean_length: int
    raw_length: int
    _starts: list[int] = field(init=False, repr=False)
    _raw_starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._starts = [p[0] for p in self.pieces]
        self._raw_starts = [p[2] for p in self.pieces]

    def to_raw(self, offset: int) -> int:
        """The raw offset of a clean boundary (after any raw text dropped just before it)."""
        if not 0 <= offset <= self.clean_length:
            raise ValueError(f"offset {offset} outside 0..{self.clean_length}")
        if offset == self.clean_length:
            return self.raw_length
        # The piece that contains character ``offset``: the last non-empty piece starting at or before it.
        i = bisect.bisect_right(self._starts, offset) - 1
        while self.pieces[i][0] == self.pieces[i][1]:
            i += 1
        c0, _, r0, _ = self.pieces[i]
        return r0 + (offset - c0)

    def to_raw_end(self, offset: int) -> int:
        """The raw offset of a clean boundary used as a span end (before raw text dropped after it)."""
        if not 0 <= offset <= self.clean_length:
            raise ValueError(f"offset {offset} outside 0..{self.clean_length}")
        if offset == 0:
            return self.to_raw(0)
        i = bisect.bisect_right(self._starts, offset - 1) - 1
        while self.pieces[i][0] == self.pieces[i][1]:
            i -= 1
        c0, c1, r0, r1 = self.pieces[i]
        return r1 if offset == c1 else r0 + (offset - c0)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw range a clean span ``[start, end)`` came from."""
        if start == end:
            raw = self.to_raw(start)
            return raw, raw
        return self.to_raw(start), self.to_raw_end(end)

    def to_clean(self, raw_offset: int) -> int:
        """The clean boundary for a raw offset; raw text that was dropped maps to where it was."""
        if not 0 <= raw_offset <= self.raw_length:
            raise ValueError(f"raw offset {raw_offset} outside 0..{self.raw_length}")
        i = bisect.bisect_right(self._raw_starts, raw_offset) - 1
        if i < 0:
            return 0
        c0, c1, r0, _ = self.pieces[i]
        return min(c0 + (raw_offset - r0), c1)

    def to_json(self) -> list[list[int]]:
        return [list(p) for p in self.pieces]

    @classmethod
    def from_json(cls, pieces: Sequence[Sequence[int]], clean_length: int, raw_length: int) -> SourceMap:
        return cls([(p[0], p[1], p[2], p[3]) for p in pieces], clean_length, raw_length)


class TextBuilder:
    """Builds a clean text from pieces of a raw text, recording the :class:`SourceMap` as it goes."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self._parts: list[str] = []
        self._pieces: list[Piece] = []
        self._clean = 0
        self._raw = 0

    @property
    def clean_offset(self) -> int:
        return self._clean

    def _add(self, clean_len: int, raw_start: int, raw_end: int) -> None:
        if raw_start < self._raw:
            raise ValueError(f"raw text must be consumed in order ({raw_start} < {self._raw})")
        if raw_start > self._raw:  # raw text skipped between pieces: dropped
            self._add(0, self._raw, raw_start)
        raw_len = raw_end - raw_start
        if clean_len > raw_len:
            raise ValueError("a replacement may not be longer than the raw text it stands for")
        c0, c1 = self._clean, self._clean + clean_len
        last = self._pieces[-1] if self._pieces else None
        # Merge with the previous piece when both map character for character and touch on both sides.
        if (
            last is not None
            and last[1] == c0
            and last[3] == raw_start
            and last[1] - last[0] == last[3] - last[2]
            and clean_len == raw_len
        ):
            self._pieces[-1] = (last[0], c1, last[2], raw_end)
        elif last is not None and clean_len == 0 and last[0] == last[1] and last[3] == raw_start:  # two drops in a row
            self._pieces[-1] = (last[0], last[1], last[2], raw_end)
        else:
            self._pieces.append((c0, c1, raw_start, raw_end))
        self._clean, self._raw = c1, raw_end

    def copy(self, raw_start: int, raw_end: int) -> None:
        """Take ``raw[raw_start:raw_end]`` as it is."""
        if raw_end > raw_start:
            self._parts.append(self.raw[raw_start:raw_end])
            self._add(raw_end - raw_start, raw_start, raw_end)

    def replace(self, raw_start: int, raw_end: int, text: str) -> None:
        """Put ``text`` in place of ``raw[raw_start:raw_end]`` (``text`` may be empty: a drop)."""
        if text == self.raw[raw_start:raw_end]:
            self.copy(raw_start, raw_end)
            return
        self._parts.append(text)
        if len(text) == raw_end - raw_start:
            # Same length: one piece per character keeps the k-th to k-th mapping exact.
            self._add(len(text), raw_start, raw_end)
        elif text:
            self._add(len(text), raw_start, raw_end)
        else:
            self._add(0, raw_start, raw_end)

    def extend(self, pieces: Iterable[tuple[int, int, str]]) -> None:
        for raw_start, raw_end, text in pieces:
            self.replace(raw_start, raw_end, text)

    def finish(self) -> tuple[str, SourceMap]:
        """The clean text and its map; raw text after the last piece counts as dropped."""
        if self._raw < len(self.raw):
            self._add(0, self._raw, len(self.raw))
        return "".join(self._parts), SourceMap(list(self._pieces), self._clean, len(self.raw))


def _unit_pieces(raw: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Pieces that put a space-free stretch ``raw[start:end]`` in NFC without its invisible characters.

    The stretch is cut into clusters (a base character with the marks and invisible characters that
    follow it), so a mark still composes with its base across a dropped zero-width character.
    """
    segment = raw[start:end]
    if not _DROPPABLE.search(segment) and unicodedata.is_normalized("NFC", segment):
        return [(start, end, segment)]
    pieces: list[tuple[int, int, str]] = []
    cluster_start = start
    for i in range(start + 1, end + 1):
        if i == end or (unicodedata.combining(raw[i]) == 0 and not _DROPPABLE.match(raw[i])):
            visible = _DROPPABLE.sub("", raw[cluster_start:i])
            normal = unicodedata.normalize("NFC", visible)
            if len(normal) > i - cluster_start:  # NFC expansions (not in Arabic, Latin or emoji): keep as is
                normal = visible
            pieces.append((cluster_start, i, normal))
            cluster_start = i
    return pieces


def normalize_line(raw: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Replacement pieces that normalize one line ``raw[start:end]``.

    Runs of spaces (including no-break and typographic spaces) become one space, spaces at the
    line's edges go, invisible controls and private-use glyphs are dropped, and the rest is put in
    NFC. Returns ``(raw_start, raw_end, clean_text)`` pieces covering the line in order.
    """
    pieces: list[tuple[int, int, str]] = []
    pos = start
    for match in _SPACE_RUN.finditer(raw, start, end):
        if match.start() > pos:
            pieces.extend(_unit_pieces(raw, pos, match.start()))
        at_edge = match.start() == start or match.end() == end
        pieces.append((match.start(), match.end(), "" if at_edge else " "))
        pos = match.end()
    if pos < end:
        pieces.extend(_unit_pieces(raw, pos, end))
    return pieces


def code_points_to_utf16(text: str, offset: int) -> int:
    """The UTF-16 code unit offset of code point ``offset`` (astral characters count twice)."""
    return offset + sum(1 for ch in text[:offset] if ord(ch) > 0xFFFF)


def utf16_to_code_points(text: str, offset: int) -> int:
    """The code point offset of UTF-16 code unit ``offset``; raises if it splits a surrogate pair."""
    units = 0
    for index, ch in enumerate(text):
        if units == offset:
            return index
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > offset:
            raise ValueError(f"UTF-16 offset {offset} falls inside the surrogate pair of {ch!r}")
    if units == offset:
        return len(text)
    raise ValueError(f"UTF-16 offset {offset} is past the end of the text ({units} units)")


def normalize_text(raw: str) -> tuple[str, SourceMap]:
    """Normalize every line of ``raw`` (see :func:`normalize_line`), keeping its line breaks."""
    builder = TextBuilder(raw)
    start = 0
    for line in raw.split("\n"):
        end = start + len(line)
        if start:
            builder.copy(start - 1, start)
        builder.extend(normalize_line(raw, start, end))
        start = end + 1
    return builder.finish()
