"""Paragraphs, sentences and tokens of Arabic news text, as code point spans.

Sentences end at ``.`` ``!`` ``?`` ``؟`` (with the closing quotes or brackets that follow) and at
line breaks, but not at decimal points (99.5), inside initials (أ.ف.ب), at a one-letter
abbreviation (د. محمد), at a two- or three-dot ellipsis inside a line (a headline connective:
"في سوريا.. العراق"), nor where a comma follows the closing quote (``الآن؟"، مبينًا``).
Everything is regular expressions scanned once, so segmentation runs at tens of MB/s.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

__all__ = [
    "Span",
    "iter_token_spans",
    "paragraph_spans",
    "sentence_spans",
    "token_offsets",
    "token_spans",
    "token_texts",
    "tokenize",
]

Span = tuple[int, int]

_CLOSERS = "\"'»”’)\\]}"
# A boundary is the end of a terminator run plus its closers, followed by white space and then by
# something that can start a sentence (not a comma or another closer).
# A boundary is a terminator run plus its closers, followed by spaces (captured: the next sentence
# starts after them) and then by something that can start a sentence (not a comma or a closer).
# Every branch starts with its terminator character, so the scan only stops at those characters.
_BOUNDARY = re.compile(
    r"(?:"
    r"\.(?<![.\s(\[«]\.)(?<!\b[^\W\d_]\.)(?!\.)"  # one dot; not after a one-letter word (أ.ف.ب، د.)
    r"|\.(?<!\.\.)\.\.?\.?(?=[" + _CLOSERS + r"]*[ \t]*$)"  # an ellipsis only where its line ends
    r"|[!?؟][!?؟.]*"
    r"|…(?=[" + _CLOSERS + r"]*[ \t]*$)"
    r")[" + _CLOSERS + r"]*"
    r"(?=([ \t]+)[^\s،,;؛:" + _CLOSERS + r"])",
    re.MULTILINE,
)
_LINE = re.compile(r"[^\n]+")

# The parts of a token, as the expression below and the ``ner`` config's array tokenizer
# (``furat.dataset.ner_arrays``) both read them: a letter, the marks a word may hold, a digit (character
# class bodies), and the characters that join digits into one number.
LETTER = r"[^\W\d_]"  # \w without digits and _: letters, and numbers that are not digits (²)
MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9"
NUMBER_JOINERS = ".,\u066b\u066c"  # 99.5 ، 5,800 ، ٣٫٥
# A word's characters are letters and marks; a number's are digits: the two never start alike, so their
# order does not matter. Initials are tried first but only where a letter and a dot start them, and a
# word is a possessive run of letter runs and mark runs: the same tokens, found in about 0.7 of the time.
_TOKEN = re.compile(
    rf"(?={LETTER}\.)(?<!{LETTER}){LETTER}(?:\.{LETTER}(?!{LETTER}))+"  # initials: أ.ف.ب
    rf"|(?:{LETTER}+|[{MARKS}]+)++"  # a word, with its clitics and diacritics
    rf"|[{DIGITS}]+(?:[{NUMBER_JOINERS}][{DIGITS}]+)*"  # a number
    r"|\S",  # anything else, one character at a time
)


def paragraph_spans(text: str) -> list[Span]:
    """One span per non-blank line, without the line's outer white space."""
    spans = []
    for match in _LINE.finditer(text):
        start, _end = match.span()
        line = match.group()
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
    return spans


def sentence_spans(text: str, paragraphs: list[Span] | None = None) -> list[Span]:
    """Sentence spans in document order; they tile each paragraph up to white space."""
    # One scan over the whole text, then the boundaries are dealt out to the paragraphs.
    boundaries = [(m.end(), m.end(1)) for m in _BOUNDARY.finditer(text)]
    ends = [end for end, _ in boundaries]
    sentences: list[Span] = []
    for p_start, p_end in paragraph_spans(text) if paragraphs is None else paragraphs:
        start = p_start
        for i in range(bisect.bisect_right(ends, p_start), bisect.bisect_left(ends, p_end)):
            end, next_start = boundaries[i]
            sentences.append((start, end))
            start = next_start
        sentences.append((start, p_end))
    return sentences


def token_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Token spans of ``text[start:end]``: words keep attached clitics; numbers and punctuation stand alone."""
    return [m.span() for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]


def token_offsets(text: str, start: int, end: int) -> tuple[list[str], list[int], list[int]]:
    """The tokens of ``text[start:end]`` (``token_texts``), with the start and the end of each.

    Tokens come in order and never hold white space, so each one is the first occurrence of its text
    from where the one before it ended: ``str.find`` gives its start at C speed.
    """
    tokens = token_texts(text, start, end)
    starts, ends = [], []
    find, at = text.find, start
    for token in tokens:
        at = find(token, at)
        starts.append(at)
        at += len(token)
        ends.append(at)
    return tokens, starts, ends


def iter_token_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[Span]:
    """``token_spans`` one at a time: for a whole corpus, without holding every span."""
    for match in _TOKEN.finditer(text, start, len(text) if end is None else end):
        yield match.span()


def token_texts(text: str, start: int, end: int) -> list[str]:
    """The tokens of ``text[start:end]`` as strings: ``token_spans`` cut out.

    No token holds white space, and every one that can touch the edge of a run of non-space characters
    looks only at letters beyond it: so the tokens are those of each run alone. A run of letters
    (``str.isalpha``, most words of a text) is one word, and is taken as it is; the expression reads the
    rest. Where ``start`` follows a non-space character, the expression reads the whole stretch.
    """
    if start and not text[start - 1].isspace():
        return _TOKEN.findall(text, start, end)
    tokens: list[str] = []
    append, extend, findall = tokens.append, tokens.extend, _TOKEN.findall
    for run in text[start:end].split():
        if run.isalpha():
            append(run)
        else:
            extend(findall(run))
    return tokens


def tokenize(text: str) -> list[str]:
    """The tokens of ``text`` as strings."""
    return [m.group() for m in _TOKEN.finditer(text)]
