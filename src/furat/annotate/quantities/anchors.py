"""Where a quantity can start: the recognizer's prefilter.

A mention starts at a run of digits or at a word of the lexicon (a number word, a unit word that is
its own count, a dual counted noun, عدة، أطنان), written with up to two proclitics (و ف ب ل ك) and the
article, with any marks or tatweel after its letters. ``candidate_starts(text)`` lists those places;
the parser reads the few tokens around each one. The words come from the lexicon's tables, so a word
added there is found here without a second list.

The places are those where one regular expression, ``reference_regex()`` (digits, or a word boundary
and a lexicon word), matches when it scans the text left to right. Scanning that expression costs a
try at every character of the text; ``candidate_starts`` finds the same places with two scans that the
regular-expression engine runs through faster: digit runs (it skips to the next digit), and a lexicon
word together with the character before it (a space or punctuation: never a letter, a digit or a mark),
which is tried once a word rather than at each of its letters. tests/test_quantities_fast.py compares
the two on every text of the repository and on generated text.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from furat.annotate.quantities.lexicon import DUAL_COUNTS, NUMBER_WORDS, SINGLE_OK, UNIT_WORDS, normalize
from furat.annotate.quantities.tokens import DIGIT_CLASS, MARKS, OPT_MARKS

__all__ = ["anchor_words", "candidate_starts", "reference_regex"]


def _cls(ch: str) -> str:
    return {"ا": "[اأإآٱ]", "ي": "[يىی]", "ه": "[هة]", "ك": "[كک]"}.get(ch, re.escape(ch))


def _trie_regex(words: set[str]) -> str:
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [_cls(ch) + OPT_MARKS + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body

    return emit(trie)


def anchor_words() -> set[str]:
    """The normalized lexicon words a mention can start at (after any proclitics and article)."""
    words = {w for w, e in NUMBER_WORDS.items() if not e.definite}
    words |= {
        w for w, u in UNIT_WORDS.items() if not u.definite and (u.form == "2" or (u.code in SINGLE_OK and len(w) > 3))
    }
    words |= {w[2:] for w, u in UNIT_WORDS.items() if u.definite and u.form == "2"}
    words |= set(DUAL_COUNTS) | {normalize("عدة"), normalize("أطنان"), "ضعف", "ضعفا"}  # أكثر من ضعف (D95)
    return words


_WORDS = anchor_words()
_FIRST = "".join(sorted({_cls(w[0]).strip("[]") for w in _WORDS}))
_TRIE = _trie_regex(_WORDS)


@cache
def reference_regex() -> re.Pattern[str]:
    """The definition of a candidate: where this expression matches, scanning left to right."""
    return re.compile(
        rf"{DIGIT_CLASS}+|\b(?=[وفبلكا{_FIRST}])(?<![{MARKS}])(?:[وفبلك]{OPT_MARKS}){{0,2}}(?:ال{OPT_MARKS})?"
        rf"{_TRIE}(?![^\W\d_])"
    )


# The same word as in reference_regex, its optional parts written as alternatives with an empty last
# one (the engine tries a branch faster than a repeated group); only where it starts matters.
_WORD = rf"(?:[وفبلك]{OPT_MARKS}(?:[وفبلك]{OPT_MARKS}|)|)(?:ال{OPT_MARKS}|){_TRIE}(?![^\W\d_])"
_DIGITS_RE = re.compile(rf"{DIGIT_CLASS}+")
# a word boundary before a letter, not after a mark: the character before is none of \w or a mark; the
# word is consumed with it (the next word's separator comes after the word's letters and marks)
_WORD_AFTER_RE = re.compile(rf"[^\w{MARKS}]({_WORD})")
_SEPARATOR_RE = re.compile(rf"[^\w{MARKS}]")


def candidate_starts(text: str) -> list[int]:
    """The offsets where ``reference_regex()`` matches in ``text``, in order (found faster).

    Matches of the reference expression never overlap one another's places: a digit run ends before
    a letter, and a word's match covers only its letters, marks and tatweel, none of which can come
    just before another candidate. So the digit runs and the words can be found apart and merged.
    """
    starts = [m.start() for m in _DIGITS_RE.finditer(text)]
    starts += [m.start(1) for m in _WORD_AFTER_RE.finditer(text)]
    # a word at the very start has no character before it: give it one. Its match reads no further
    # than the first separator (a word is letters, marks and tatweel), so the text up to it is enough.
    sep = _SEPARATOR_RE.search(text, 1)
    head = text if sep is None else text[: sep.end()]
    if _WORD_AFTER_RE.match("\n" + head) is not None:
        starts.append(0)
    starts.sort()
    return starts
