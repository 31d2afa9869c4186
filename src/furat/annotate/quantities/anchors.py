"""Where a quantity can start: the recognizer's prefilter.

A mention starts at a run of digits or at a word of the lexicon (a number word, a unit word that is
its own count, a dual counted noun, عدة، أطنان), written with up to two proclitics (و ف ب ل ك) and the
article, with any marks or tatweel after its letters. ``candidate_starts(text)`` lists those places;
the parser reads the few tokens around each one. The words come from the lexicon's tables, so a word
added there is found here without a second list.

The places are those where one regular expression, ``reference_regex()`` (digits, or a word boundary
and a lexicon word), matches when it scans the text left to right. Scanning that expression costs a
try at every character of the text; ``candidate_starts`` finds the same places with one scan of the
reversed text that the regular-expression engine runs through faster: it tries only at the characters
that may follow a candidate (no letter), and reads the lexicon words backwards, from their last letter.
Read forwards, a word is tried once for each way its first letters may be split into proclitics, article
and lexicon word (وال... three times); read backwards it is tried once, and the proclitics and article
are only read once its last letters have made a lexicon word. tests/test_quantities_fast.py compares
the two on every text of the repository and on generated text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from furat.annotate.quantities.lexicon import DUAL_COUNTS, NUMBER_WORDS, SINGLE_OK, UNIT_WORDS, normalize
from furat.annotate.quantities.tokens import DIGIT_CLASS, MARKS, OPT_MARKS

__all__ = ["anchor_words", "candidate_starts", "reference_regex"]


def _cls(ch: str) -> str:
    return {"ا": "[اأإآٱ]", "ي": "[يىی]", "ه": "[هة]", "ك": "[كک]"}.get(ch, re.escape(ch))


def _trie(words: Iterable[str]) -> dict[str, Any]:
    """``words`` as a trie: each letter a key, ``""`` where a word ends."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return trie


def _trie_regex(words: set[str]) -> str:
    trie = _trie(words)

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


def _reversed_trie(words: set[str]) -> str:
    """``words`` read from their last letter: a trie of the reversed words. Marks and tatweel come after
    a letter in the text, so before it when read backwards (between the letters, not before the last)."""
    trie = _trie(w[::-1] for w in words)

    def emit(node: dict[str, Any]) -> str:
        alts = [_cls(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = OPT_MARKS + "(?:" + "|".join(alts) + ")"  # marks only before a letter: none before a word
        return "(?:" + body + "|)" if "" in node else body

    return "(?:" + "|".join(_cls(ch) + emit(sub) for ch, sub in sorted(trie.items()) if ch) + ")"


_DIGITS = frozenset(re.findall(DIGIT_CLASS, "".join(map(chr, range(0x700)))))  # Western, Arabic-Indic, Persian
_LETTER_RE = re.compile(r"[^\W\d_]")
_PLANE_END = "\uffff"  # the last character of the Basic Multilingual Plane


def _no_letter_class() -> str:
    r"""The characters of the Basic Multilingual Plane that are no letter (``[\W\d_]``), and every character
    beyond that plane, as a class body.

    Spelled out, the class is a table that the engine looks a character up in at once, where ``\w`` asks
    for the character's Unicode category. Beyond the plane (emoji and the like, rare in news text) the
    class takes letters too: ``candidate_starts`` drops a match that starts at one.
    """
    ranges: list[list[int]] = []
    for ch in re.findall(r"[\W\d_]", "".join(map(chr, range(0x10000)))):
        code = ord(ch)
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    ranges.append([0x10000, 0x10FFFF])
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


# A candidate read on the reversed text, from the character after it (no letter: a space, punctuation, a
# digit or a mark):
# - a lexicon word (group 1): any tatweel after it, the lexicon word from its last letter, the article and
#   up to two proclitics; the character before the word is then no word character and no mark, or the
#   text starts there. A mark right after a word's last letter may end the word, as it does in
#   reference_regex, whose lookahead asks only for no letter after the word;
# - a run of digits (group 2), from its last digit (the character after it is no digit): the run but its
#   first digit, which stays to be read as the character after a word written against it (عام2019).
_CANDIDATE_BEFORE_RE = re.compile(
    f"[{_no_letter_class()}](?:(\u0640*{_reversed_trie(_WORDS)}"
    rf"(?:{OPT_MARKS}لا|)(?:{OPT_MARKS}[وفبلك](?:{OPT_MARKS}[وفبلك]|)|)(?=[^\w{MARKS}]|\Z))"
    rf"|(?<={DIGIT_CLASS})(?<!{DIGIT_CLASS}{DIGIT_CLASS})((?:{DIGIT_CLASS}(?={DIGIT_CLASS}))*))"
)


def candidate_starts(text: str) -> list[int]:
    """The offsets where ``reference_regex()`` matches in ``text``, in order (found on the reversed text).

    Matches of the reference expression never overlap one another's places: a digit run ends before
    a letter, and a word's match covers only its letters, marks and tatweel, none of which can come
    just before another candidate.
    """
    reverse = "\n" + text[::-1]  # a line break after the text: the character after a candidate at its end
    size = len(reverse)  # the character at offset i of ``reverse`` is at offset size - 1 - i of the text
    starts: list[int] = []
    search = _CANDIDATE_BEFORE_RE.search
    m = search(reverse)
    while m is not None:
        at, end = m.span()
        after = reverse[at]
        if after > _PLANE_END and _LETTER_RE.match(after):
            m = search(reverse, at + 1)  # a letter beyond the plane: no character after a candidate
            continue
        if m.lastindex == 2:  # digits; the first one was left unread unless the run is one digit long
            starts.append(size - end - (1 if reverse[end : end + 1] in _DIGITS else 0))
        else:
            if after in _DIGITS and reverse[at - 1] not in _DIGITS:
                starts.append(size - 1 - at)  # one digit, written against the word before it
            starts.append(size - end)  # the word's first character
        m = search(reverse, end)
    starts.reverse()
    return starts
