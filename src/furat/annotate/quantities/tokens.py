"""The tokenizer: words, numbers and punctuation with their offsets, read forwards or backwards.

Tokens carry their text as written and, for words, its lookup form (``lexicon.normalize``), whether
whitespace or a line break comes before them, and code-point offsets into the text. The recognizer
reads a few tokens after a candidate with a ``Fwd`` cursor (on demand) and a few before it with
``prev_tokens`` (backwards, on the same line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from furat.annotate.quantities.lexicon import REMOVED, normalize

__all__ = ["DIGIT_CLASS", "MARKS", "OPT_MARKS", "Fwd", "Tok", "TokKind", "prev_tokens", "raw_offset"]

_MARKS = "\u064b-\u065f\u0670"  # harakat, tanwin, shadda, sukun, dagger alef
_M = f"[{_MARKS}\u0640]*"  # optional marks and tatweel after a letter
_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
_D = f"[{_DIGIT}]"
_B = "[\u200e\u200f\u202a-\u202e\u2066-\u2069]?"  # a bidirectional mark beside a separator
_NUM = (
    rf"{_D}{{1,3}}(?:[,\u066c\u060c]{_D}{{3}})+(?!{_D})(?:{_B}[.\u066b]{_D}+|{_B},{_B}{_D}{{1,2}}(?!{_D}))?"  # ١،٢٣٤
    rf"|{_D}{{1,3}}(?:[\u202f\u00a0]{_D}{{3}})+(?!{_D})(?:[.\u066b]{_D}+)?"  # 1 234 567 with narrow spaces
    rf"|{_D}{{1,3}}(?: {_D}{{3}}){{2,}}(?![{_DIGIT}])(?:[.\u066b]{_D}+)?"  # 1 414 021 100: two groups or more
    rf"|{_D}{{1,3}}(?:\.{_D}{{3}}){{2,}}(?!{_D})"  # 1.500.000
    rf"|{_D}+(?:{_B}[.\u066b,]{_B}{_D}+)?"  # 99.5 / ٣٫٥ / 2,5 / ٠,٢٣٤٥٦
)
MARKS = _MARKS  # a character class body: the marks that may follow a letter
OPT_MARKS = _M
DIGIT_CLASS = _D  # one digit, Western, Arabic-Indic or Persian

TokKind = Literal["n", "w", "p"]  # number, word, punctuation

_WORD = rf"[^\W\d_]+(?:[{_MARKS}]+[^\W\d_]*)*"
# a word first: most tokens are words, and a word's first letter is no digit (the alternatives exclude
# one another, so their order changes no token)
_TOKEN_RE = re.compile(rf"(\s*)(?:({_WORD})|({_NUM})|(\S))")

_WORD_FORMS: dict[str, str] = {}  # token text -> normalize(text), for the tokenizer


def _word_norm(word: str) -> str:
    form = _WORD_FORMS.get(word)
    if form is None:
        if len(_WORD_FORMS) > 50_000:
            _WORD_FORMS.clear()
        form = _WORD_FORMS[word] = normalize(word)
    return form


def raw_offset(raw: str, letters: int) -> int:
    """Index in ``raw`` just after its first ``letters`` normalized letters (and any marks after them)."""
    seen = 0
    i = 0
    while i < len(raw) and seen < letters:
        if raw[i] not in REMOVED:
            seen += 1
        i += 1
    while i < len(raw) and raw[i] in REMOVED:
        i += 1
    return i


@dataclass(slots=True)
class Tok:
    start: int
    end: int
    kind: TokKind
    text: str
    norm: str
    gap: bool  # whitespace before the token
    nl: bool  # a line break before the token


_KINDS: dict[int, TokKind] = {2: "w", 3: "n", 4: "p"}  # by regex group


class Fwd:
    """Tokens from a position onwards, read on demand."""

    __slots__ = ("pos", "text", "toks")

    def __init__(self, text: str, pos: int) -> None:
        self.text = text
        self.pos = pos
        self.toks: list[Tok] = []

    def get(self, i: int) -> Tok | None:
        toks = self.toks
        if i < len(toks):
            return toks[i]
        text = self.text
        while len(toks) <= i:
            m = _TOKEN_RE.match(text, self.pos)
            if m is None:
                return None
            idx = m.lastindex
            if idx is None or idx < 2:
                return None
            start, end = m.span(idx)  # the token follows its whitespace
            txt = m.group(idx)
            space = m.group(1)
            if not space:  # no whitespace matched
                before = text[start - 1] if start > 0 and not toks else ""  # the first token: look before
                gap, nl = before.isspace(), before == "\n"
            else:
                gap, nl = True, space != " " and "\n" in space
            if idx == 2:
                tok = Tok(start, end, "w", txt, _WORD_FORMS.get(txt) or _word_norm(txt), gap, nl)
            else:
                tok = Tok(start, end, _KINDS[idx], txt, txt, gap, nl)
            toks.append(tok)
            self.pos = end
        return toks[i]

    def word(self, i: int) -> Tok | None:
        """Token ``i`` if it is a word on the same line."""
        toks = self.toks
        t = toks[i] if i < len(toks) else self.get(i)
        if t is None or t.kind != "w" or t.nl:
            return None
        return t


_DIGIT_CHARS = frozenset("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")
_NUM_SEPARATORS = frozenset(".,٫٬")


def prev_tokens(text: str, pos: int, limit: int = 3) -> list[Tok]:
    """Up to ``limit`` tokens before ``pos`` on the same line, nearest last (read backwards)."""
    toks: list[Tok] = []
    end = pos
    while len(toks) < limit:
        i = end
        if i > 1 and text[i - 1] == " " and not text[i - 2].isspace():
            i -= 1  # the common case: one space
        else:
            while i > 0 and text[i - 1].isspace():
                i -= 1
            if i == 0 or (i < end and "\n" in text[i:end]):
                break
        j = i - 1
        ch = text[j]
        kind: TokKind
        if ch in _DIGIT_CHARS:
            while j > 0 and (
                text[j - 1] in _DIGIT_CHARS
                or (text[j - 1] in _NUM_SEPARATORS and j > 1 and text[j - 2] in _DIGIT_CHARS)
            ):
                j -= 1
            kind = "n"
        elif ch.isalpha() or ch in REMOVED:
            k = text.rfind(" ", j - 32 if j > 32 else 0, j) + 1
            if k and text[k:j].isalpha():
                j = k  # the common case: letters back to a space
            else:
                while j > 0 and (text[j - 1].isalpha() or text[j - 1] in REMOVED):
                    j -= 1
            kind = "w"
        else:
            kind = "p"
        txt = text[j:i]
        if toks:  # whitespace between this token and the one after it (never a line break: see above)
            toks[-1].gap = i < end
        norm = (_WORD_FORMS.get(txt) or _word_norm(txt)) if kind == "w" else txt
        toks.append(Tok(j, i, kind, txt, norm, False, False))
        end = j
    if toks:  # whitespace before the farthest token
        last = toks[-1]
        before = text[last.start - 1] if last.start > 0 else "\n"
        last.gap, last.nl = before.isspace(), before == "\n"
    toks.reverse()
    return toks
