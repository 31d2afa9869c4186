"""The ``ner`` config's tokens and tags of a whole document at once, as arrays.

``rows`` makes a sentence's tokens and tags in Python (``segment.token_texts``, ``rows._sentence_tags``):
a string and a list item per token, which Arrow then copies one by one. A build turns millions of tokens
into rows, so ``furat build`` makes them here, for a whole document, with numpy:
- each character's class (a letter, a mark, a digit, a character that joins digits, white space, anything
  else: the parts of a token that ``corpus.segment`` defines) says where a token starts;
- the tokens are never made as strings: Arrow's string array is the text's UTF-8 without its white space,
  with where each token starts in it;
- an entity's tokens are found by bisection in the tokens' starts.

Where ``furat compile`` has compiled it (``dataset.native``), one pass over the text's UTF-8 makes the same
tokens and tags instead (``pass_arrays``), about 1.7 times as fast as numpy's passes (``numpy_arrays``).

The tokens and tags are those of ``rows`` (the tests compare them on every corpus document and on generated
text, both ways). Where they could differ, or where the tags need a note, ``document_arrays`` gives None and
``rows`` makes them in Python:
- initials (a letter, a dot and a letter: أ.ف.ب), which the token expression reads with look-arounds;
- a character outside the Basic Multilingual Plane or a lone surrogate;
- text outside every sentence, or sentences that touch;
- an entity that is not inside one sentence, or two entities in one token;
- what validation refuses anyway: an empty sentence or entity, an entity edged with white space, a label
  that has no tags.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from itertools import accumulate
from operator import lt
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from furat.corpus.segment import DIGITS, LETTER, MARKS, NUMBER_JOINERS
from furat.dataset.native import NATIVE, token_pass

__all__ = [
    "DocArrays",
    "TagColumn",
    "TokenColumn",
    "character_classes",
    "document_arrays",
    "numpy_arrays",
    "pass_arrays",
]

# character classes, and the groups a token is a run of
_SPACE, _LETTER, _MARK, _DIGIT, _JOINER, _OTHER = range(6)
_WORD, _NUMBER, _ALONE = 1, 2, 3  # a word (letters and marks), a number, a character that is a token alone
_GROUP = np.array([0, _WORD, _WORD, _NUMBER, _ALONE, _ALONE], np.uint8)  # by class (a joiner: unless between digits)
_BMP = 0x10000
_UTF8 = 1 + (np.arange(_BMP) >= 0x80).astype(np.uint8) + (np.arange(_BMP) >= 0x800)  # each character's UTF-8 bytes
_INITIALS = re.compile(rf"\.(?<={LETTER}\.)(?={LETTER})")  # a dot between letters (found from the dot: fast)
_ASCII_SPACE = bytes(code for code in range(0x80) if chr(code).isspace())  # what str.split() splits at, in ASCII
_COMPILED = NATIVE.loaded()  # the one pass is compiled: it is the faster way

Ints = npt.NDArray[np.int64]


@functools.cache
def character_classes() -> npt.NDArray[np.uint8]:
    """The class of every character of the Basic Multilingual Plane, by the token expression's own parts
    (made once a process: a build makes it before its workers start, and they share it)."""
    letter, mark, digit = re.compile(LETTER), re.compile(f"[{MARKS}]"), re.compile(f"[{DIGITS}]")
    table = np.empty(_BMP, np.uint8)
    for code in range(_BMP):
        char = chr(code)
        if char.isspace():  # what str.split() splits at
            table[code] = _SPACE
        elif letter.match(char):
            table[code] = _LETTER
        elif mark.match(char):
            table[code] = _MARK
        elif digit.match(char):
            table[code] = _DIGIT
        elif char in NUMBER_JOINERS:
            table[code] = _JOINER
        else:
            table[code] = _OTHER
    return table


@functools.cache
def _class_bytes() -> bytes:
    return character_classes().tobytes()


class DocArrays(NamedTuple):
    """One document's ``ner`` tokens and tags, a row per sentence."""

    data: bytes  # the tokens' UTF-8, one after another
    offsets: Ints  # where each token starts in ``data``, and the end of the last (tokens + 1)
    lengths: Ints  # tokens of each sentence
    tags: Ints  # each token's tag id


def document_arrays(
    text: str,
    starts: Sequence[int],
    ends: Sequence[int],
    entities: Sequence[tuple[int, int, str, str]],
    tags: Mapping[str, int],
    outside: int,
) -> DocArrays | None:
    """The tokens and tags of the sentences at ``starts``/``ends`` of ``text`` (in order), given the
    ``entities`` as (start, end, label, id) sorted by start and end, with each tag name's id in ``tags``
    (``outside`` for ``O``); None where ``rows`` must make them (see the module's docstring). Made by the
    compiled pass where there is one, else by numpy: the same arrays."""
    return (pass_arrays if _COMPILED else numpy_arrays)(text, starts, ends, entities, tags, outside)


def _declined(text: str, starts: Sequence[int], ends: Sequence[int]) -> bool:
    """No sentence, initials, or sentences that touch or are empty or outside the text."""
    if not starts or _INITIALS.search(text):
        return True
    return starts[0] < 0 or ends[-1] > len(text) or not (all(map(lt, starts, ends)) and all(map(lt, ends, starts[1:])))


def _small(values: list[int]) -> Ints:
    """``values`` as an array: a byte each when they fit (``bytes`` makes them at C speed)."""
    try:
        return np.frombuffer(bytes(values), np.uint8).astype(np.int64)
    except ValueError:
        return np.array(values, np.int64)


def pass_arrays(
    text: str,
    starts: Sequence[int],
    ends: Sequence[int],
    entities: Sequence[tuple[int, int, str, str]],
    tags: Mapping[str, int],
    outside: int,
) -> DocArrays | None:
    """``document_arrays`` by one pass over the text's UTF-8 (``native.token_pass``)."""
    if _declined(text, starts, ends):
        return None
    size, isspace = len(text), str.isspace
    if (starts[0] and not isspace(text[: starts[0]])) or (ends[-1] < size and not isspace(text[ends[-1] :])):
        return None  # text outside the sentences
    if not all(map(isspace, map(text.__getitem__, map(slice, ends, starts[1:])))):
        return None
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return None
    try:
        done = token_pass(text, raw, _class_bytes(), list(starts), list(ends), list(entities), dict(tags), outside)
    except (TypeError, ValueError):  # compiled, the pass takes Python ints and strings only: numpy takes the rest
        return numpy_arrays(text, starts, ends, entities, tags, outside)
    if done is None:
        return None
    widths, lengths, found = done
    offsets = np.zeros(len(widths) + 1, np.int64)
    np.cumsum(_small(widths), out=offsets[1:])
    data = raw.translate(None, _ASCII_SPACE)
    if len(data) != offsets[-1]:  # white space beyond ASCII
        data = "".join(text.split()).encode("utf-8")
    return DocArrays(data, offsets, np.array(lengths, np.int64), _small(found))


def numpy_arrays(
    text: str,
    starts: Sequence[int],
    ends: Sequence[int],
    entities: Sequence[tuple[int, int, str, str]],
    tags: Mapping[str, int],
    outside: int,
) -> DocArrays | None:
    """``document_arrays`` by numpy's passes over the text's characters."""
    if _declined(text, starts, ends):
        return None
    size = len(text)
    try:
        chars = np.frombuffer(text.encode("utf-32-le"), np.uint32)
        classes = character_classes()[chars]
    except (UnicodeEncodeError, IndexError):  # a lone surrogate, a character outside the table
        return None
    first, last = np.array((starts, ends), np.int64)
    solid = classes != _SPACE
    solid_before = np.cumsum(solid)  # characters other than white space up to each one, itself included
    in_sentences = solid_before[last - 1] - np.where(first > 0, solid_before[first - 1], 0)
    if int(in_sentences.sum()) != int(solid_before[-1]):
        return None  # text outside the sentences
    groups = _GROUP[classes]
    joiners = np.flatnonzero(classes == _JOINER)
    joiners = joiners[(joiners > 0) & (joiners < size - 1)]
    groups[joiners[(classes[joiners - 1] == _DIGIT) & (classes[joiners + 1] == _DIGIT)]] = _NUMBER
    # a token starts where its group starts, and at each character that is a token alone
    breaks = np.empty(size, bool)
    breaks[0] = True
    np.not_equal(groups[1:], groups[:-1], out=breaks[1:])
    breaks |= groups == _ALONE
    breaks &= solid
    token_starts = np.flatnonzero(breaks)
    count = len(token_starts)
    firsts = np.searchsorted(token_starts, first)  # each sentence's first token
    lengths = np.empty(len(firsts), np.int64)
    lengths[:-1] = firsts[1:] - firsts[:-1]
    lengths[-1] = count - firsts[-1]
    kept = chars[solid]  # every character of a token, in order
    at = np.zeros(len(kept) + 1, np.int64)
    np.cumsum(_UTF8[kept], out=at[1:])
    offsets = at[np.append(solid_before[token_starts] - 1, len(kept))]
    data = kept.tobytes().decode("utf-32-le").encode("utf-8")
    found = np.full(count, outside, np.int64)
    if entities:
        labels = {e[2] for e in entities}
        label_ids = {label: (tags.get("B-" + label, -1), tags.get("I-" + label, -1)) for label in labels}
        low, high, begins, insides = np.array([(e[0], e[1], *label_ids[e[2]]) for e in entities], np.int64).T
        sentence = np.searchsorted(first, low, "right") - 1
        if (sentence < 0).any() or (high > last[sentence]).any():
            return None  # an entity outside the sentences or across a sentence's end
        if (high <= low).any() or not (solid[low].all() and solid[high - 1].all()) or (begins < 0).any():
            return None  # an empty entity, one edged with white space, a label without tags (validation refuses them)
        lo = np.searchsorted(token_starts, low, "right") - 1  # the token the entity starts in
        hi = np.searchsorted(token_starts, high)  # the first token from its end on
        if (lo[1:] < hi[:-1]).any():
            return None  # two entities in one token
        found[lo] = begins
        inner = hi - lo - 1  # tokens after the first
        total = int(inner.sum())
        if total:
            runs = np.repeat(lo + 1 - (np.cumsum(inner) - inner), inner)  # each inner token's entity's second token,
            found[runs + np.arange(total)] = np.repeat(insides, inner)  # less the inner tokens before it
    return DocArrays(data, offsets, lengths, found)


_INT32 = 2**31 - 1  # the largest offset of Arrow's string and list arrays (the large ones go beyond)


def _strings(offsets: Ints, data: bytes) -> Any:
    import pyarrow as pa

    if len(data) <= _INT32:
        return pa.StringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(data))
    return pa.LargeStringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(data))


def _lists(offsets: Ints, values: Any) -> Any:
    import pyarrow as pa

    if len(values) <= _INT32:
        return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32), pa.int32()), values)
    return pa.LargeListArray.from_arrays(pa.array(offsets, pa.int64()), values)


class _ListColumn:
    """A column of list rows kept as numpy pieces until it becomes one Arrow array (``to_arrow``)."""

    def __init__(self) -> None:
        self._lengths: list[Ints] = []  # items of each row, a piece at a time
        self._rows = 0

    def __len__(self) -> int:
        return self._rows

    def _add_lengths(self, lengths: Ints) -> None:
        self._lengths.append(lengths)
        self._rows += len(lengths)

    def _list_offsets(self) -> Ints:
        offsets = np.zeros(self._rows + 1, np.int64)
        if self._lengths:
            np.cumsum(np.concatenate(self._lengths), out=offsets[1:])
        return offsets

    def clear(self) -> None:
        self._lengths.clear()
        self._rows = 0

    def extend(self, rows: Sequence[Sequence[Any]]) -> None:
        for row in rows:
            self.append(row)

    def append(self, row: Sequence[Any]) -> None:  # pragma: no cover - each column has its own
        raise NotImplementedError

    @staticmethod
    def _as(array: Any, type_: Any) -> Any:
        return array if array.type == type_ else array.cast(type_)


class TokenColumn(_ListColumn):
    """The ``tokens`` of ``ner`` rows: a list of strings a row."""

    def __init__(self) -> None:
        super().__init__()
        self._data: list[bytes] = []
        self._offsets: list[Ints] = []  # each piece's token offsets in its data, and its end

    def add(self, arrays: DocArrays) -> None:
        self._data.append(arrays.data)
        self._offsets.append(arrays.offsets)
        self._add_lengths(arrays.lengths)

    def append(self, row: Sequence[str]) -> None:
        encoded = [token.encode("utf-8") for token in row]
        self._data.append(b"".join(encoded))
        self._offsets.append(np.fromiter(accumulate(map(len, encoded), initial=0), np.int64, len(encoded) + 1))
        self._add_lengths(np.array([len(row)], np.int64))

    def clear(self) -> None:
        super().clear()
        self._data.clear()
        self._offsets.clear()

    def to_arrow(self, type_: Any) -> Any:
        data = b"".join(self._data)
        offsets: Ints = np.zeros(1, np.int64)
        if self._offsets:
            bases = accumulate((len(piece) for piece in self._data[:-1]), initial=0)
            pieces = [piece[:-1] + base for piece, base in zip(self._offsets, bases, strict=True)]
            offsets = np.concatenate([*pieces, [len(data)]])
        strings = _strings(offsets, data)
        lists = _lists(self._list_offsets(), strings)
        return self._as(lists, type_)


class TagColumn(_ListColumn):
    """The ``ner_tags`` of ``ner`` rows: a list of tag ids a row."""

    def __init__(self) -> None:
        super().__init__()
        self._values: list[Ints] = []

    def add(self, arrays: DocArrays) -> None:
        self._values.append(arrays.tags)
        self._add_lengths(arrays.lengths)

    def append(self, row: Sequence[int]) -> None:
        self._values.append(np.asarray(row, np.int64).reshape(-1))
        self._add_lengths(np.array([len(row)], np.int64))

    def clear(self) -> None:
        super().clear()
        self._values.clear()

    def to_arrow(self, type_: Any) -> Any:
        import pyarrow as pa

        values = np.concatenate(self._values) if self._values else np.zeros(0, np.int64)
        lists = _lists(self._list_offsets(), pa.array(values, pa.int64()))
        return self._as(lists, type_)
