"""What the words around a number make of it: a bound, an approximation or a range opener before it
(``prefix``), or a date, a time of day or an identifier (``number_context``, ``after_excludes``).

Prefixes are matched on normalized words (``lexicon.normalize``), see annotations/GUIDELINES.md §3.2
(span) and §3.3 (values); exclusions follow §3.1 and §3.8.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import Literal, NamedTuple

from furat.annotate.quantities.lexicon import (
    ID_HEADS,
    IDIOMS,
    LETTER_NAMES,
    MONTHS,
    TIME_AFTER,
    WA,
    YEAR_HEADS,
    bases,
    normalize,
    split_words,
)
from furat.annotate.quantities.numbers import Num, lookup, number
from furat.annotate.quantities.tokens import Fwd, Tok, prev_tokens, raw_offset

__all__ = [
    "NEGATIVE",
    "SUM_WORDS",
    "Context",
    "Prefix",
    "PrefixKind",
    "RootIndex",
    "after_excludes",
    "estimated",
    "head_word",
    "idiom_at",
    "length_of_time",
    "number_context",
    "postfix",
    "prefix",
    "root_index",
    "second_bound",
]

# --------------------------------------------------------------------------------------------------
# Prefixes (bounds and approximations before the number), matched on normalized words

_SUBJ = r"(?: \S+){0,2}?"
_PREFIX_RE = re.compile(
    r"(?:^| )(?P<pro>[وف]?[بلك]?)(?:"
    rf"(?P<high>(?:اقل|اصغر|ادني|اخفض) من(?: او (?:يساوي|تساوي))?|لا اكثر من|تحت|دون"
    rf"|(?:ما )?(?:يقل|تقل)(?P<s6>{_SUBJ}) عن"
    rf"|(?:ما )?(?:يصل|تصل) (?:الي|حتي)|علي الاكثر(?: او (?:يساوي|تساوي))?|حتي"
    rf"|(?:ما )?(?:لا|الا|لن|لم) (?:يزيد|تزيد)(?P<s1>{_SUBJ}) (?:علي|عن)"
    rf"|(?:ما )?(?:لا|الا|لن|لم) (?:يتجاوز|تتجاوز)(?P<s2>{_SUBJ}))"
    rf"|(?P<low>(?:اكثر|اكبر|اعلي) من(?: او (?:يساوي|تساوي))?|لا اقل من|يفوق|تفوق|فوق|ازيد من"
    rf"|علي الاقل(?: او (?:يساوي|تساوي))?"
    rf"|(?:ما )?(?:يزيد|تزيد|يربو|تربو|ينيف|ينوف|تنيف)(?P<s3>{_SUBJ}) (?:علي|عن)"
    rf"|(?:ما )?(?:لا|الا|لن|لم) (?:يقل|تقل)(?P<s4>{_SUBJ}) عن|(?:يتجاوز|تتجاوز|تجاوز|تجاوزت)(?P<s5>{_SUBJ}))"
    r"|(?P<approx>نحو|حوالي|قرابه|زهاء|بحدود|في حدود|ما (?:يقارب|يناهز|يعادل)|يقارب|تقارب|يناهز|تناهز|"
    r"ما يقرب من|يقرب من|تقريبا)"
    r"|(?P<between>(?:ما )?بين)"
    r"|(?P<from>من)"
    r")$"
)
_SUBJECT_GROUPS = ("s1", "s2", "s3", "s4", "s5", "s6")
_BOUND_VERBS = split_words("يزيد تزيد يقل تقل يتجاوز تتجاوز تجاوز تجاوزت يربو تربو ينيف ينوف تنيف")
_PREFIX_VERBS = frozenset(p + w for p in ("", "و", "ف") for w in _BOUND_VERBS)  # ويتجاوز عدد الزوار

_PREFIX_LAST = frozenset(
    split_words(
        "من عن علي الي حتي نحو حوالي الا قرابه زهاء بحدود حدود يقارب تقارب يناهز تناهز يعادل تقريبا بين يتجاوز"
        " تتجاوز تجاوز تجاوزت الاقل الاكثر يساوي تساوي تحت فوق دون يفوق تفوق"
    )
) | frozenset(
    p + w for p in ("و", "ف", "ب", "ل", "وب", "ول", "فب", "فل") for w in split_words("نحو حوالي قرابه زهاء بين بحدود")
)


# an upper bound, a lower bound, an approximation, a range opener (بين، من), or none
PrefixKind = Literal["high", "low", "approx", "between", "from", ""]


class Prefix(NamedTuple):
    """The bound, approximation or range opener before a number."""

    kind: PrefixKind
    start: int  # span start if the prefix is inside the span, else -1
    inside: bool

    @property
    def bound(self) -> bool:
        """An approximation or a bound on one number (not a range opener)."""
        return self.kind in ("approx", "low", "high")


_NO_PREFIX = Prefix("", -1, False)

# A prefix of four words or more ends with one of these words, or has one of these verbs among its last
# three (ما لا يتجاوز عددهم): only then can words before the last three change what ``_PREFIX_RE`` finds.
_LONG_LAST = frozenset(split_words("يساوي تساوي علي عن"))
_LONG_VERBS = frozenset(split_words("يتجاوز تتجاوز تجاوز تجاوزت"))  # past: وتجاوز عدد الضحايا 600


def _reaches_back(prev: list[Tok]) -> bool:
    """Whether a prefix ending with the last three tokens ``prev`` may start before them."""
    return prev[-1].norm in _LONG_LAST or any(t.norm in _LONG_VERBS for t in prev[-3:])


def prefix(text: str, prev: list[Tok]) -> Prefix:
    """The prefix the words ``prev`` before a number end with (bound verbs may have a short subject)."""
    last = prev[-1] if prev else None
    if last is not None and last.kind == "w" and last.norm not in _PREFIX_LAST:
        for t in prev:
            if t.norm in _PREFIX_VERBS:
                break  # لا تزيد مساحتها على: a verb before
        else:
            return _NO_PREFIX
    if len(prev) >= 3 and prev[0].kind == "w" and not prev[0].nl and _reaches_back(prev):
        prev = prev_tokens(text, prev[0].start, 3) + prev
    words: list[Tok] = []
    for t in reversed(prev):
        if t.kind != "w":
            break
        words.append(t)
        if t.nl or len(words) == 6:
            break
    if not words:
        return _NO_PREFIX
    words.reverse()
    joined = " ".join(t.norm for t in words)
    m = _PREFIX_RE.search(joined)
    if m is None:
        return _NO_PREFIX
    kind: PrefixKind = ""
    names: tuple[PrefixKind, ...] = ("high", "low", "approx", "between", "from")
    for name, found in zip(names, m.group(*names), strict=True):
        if found is not None:
            kind = name
            break
    subject = any(m.group(*_SUBJECT_GROUPS))
    # Which token does the match start in?
    at = m.start("pro")
    pos = 0
    for t in words:
        if pos == at:
            start = t.start + raw_offset(t.text, len(m.group("pro")))
            return Prefix(kind, start, not subject)
        pos += len(t.norm) + 1
    return Prefix("", -1, False)


# --------------------------------------------------------------------------------------------------
# Exclusions: dates, times, identifiers

Context = Literal["date", "id", ""]


@lru_cache(maxsize=16384)
def _head(norm: str) -> str:
    for _, base in bases(norm):
        if base in ID_HEADS or base in YEAR_HEADS or base in MONTHS or base == "الساعه":
            return base
    return norm


def head_word(t: Tok) -> str:
    """A word without its proclitics, for the head-word lists (لعام → عام)."""
    return _head(t.norm)


def _is_latin(t: Tok) -> bool:
    return t.text[0].isascii() and t.text[0].isalpha()


_ID_PAIRS = frozenset((("مجلس", "الامن"), ("في", "عددها"), ("في", "عدده")))


def number_context(prev: list[Tok], bare: bool) -> Context:
    """What the words before a number make of it: "date" (a date, a year, a time of day), "id" (an
    identifier, unless a unit follows: سعر الكيلو 15 دولارا) or ""."""
    words: list[Tok] = []
    for t in reversed(prev):
        if t.kind == "p" and t.text in ":(#/" and not words:
            continue  # العدد : 4384، كانون الثاني/يناير 2018
        if t.kind != "w":
            break
        words.append(t)
        if len(words) == 3:
            break
    if not words:
        return ""
    p1 = words[0]
    head = head_word(p1)
    if head in YEAR_HEADS or head in MONTHS or head == "الساعه":
        return "date"
    if len(words) > 1 and p1.norm in ("الاول", "الثاني") and words[1].norm in ("كانون", "تشرين"):
        return "date"
    if head in ID_HEADS or p1.text in LETTER_NAMES or _is_latin(p1):
        return "id"
    if len(words) > 1 and (words[1].norm, p1.norm) in _ID_PAIRS:
        return "id"  # قرار مجلس الأمن 2254 بوقف، في عددها 9812 (an issue of a paper; وعددهم 800 counts)
    # قرار مجلس الأمن 2254: an identifier head a few words back, when nothing is counted
    return "id" if bare and any(head_word(w) in ID_HEADS for w in words[1:]) else ""


def after_excludes(fwd: Fwd, i: int) -> bool:
    """Words after a number that make it a day of the month or a time of day (token ``i`` follows it)."""
    n1 = fwd.word(i)
    if n1 is None:
        return False
    if n1.norm in MONTHS or n1.norm in TIME_AFTER or n1.text in ("هـ", "ه") or _is_latin(n1):
        return True
    if n1.norm == "من":
        n2 = fwd.word(i + 1)
        return n2 is not None and (n2.norm in MONTHS or n2.norm in ("الشهر", "شهر"))
    return False


# --------------------------------------------------------------------------------------------------
# Bounds after the number, and estimates (annotations/GUIDELINES.md §3.3, D64)


_RATE_WORDS = frozenset(split_words("يوميا سنويا شهريا اسبوعيا"))


def postfix(fwd: Fwd, j: int, after_noun: bool = False) -> tuple[PrefixKind, int, int]:
    """A bound at token ``j`` after a number: على الأقل، أو أكثر، فأكثر، فما فوق (low), على الأكثر، أو أقل
    (high); (kind, end offset, next index), or ("", -1, j). After the counted noun a rate word may come
    first (``5 آلاف سيارة سنويا على الأقل``)."""
    t = fwd.word(j)
    if t is None:
        return "", -1, j
    if after_noun and t.norm in _RATE_WORDS:
        t2 = fwd.word(j + 1)
        if t2 is None or t2.norm not in ("علي", "او", "بحد", "كحد"):
            return "", -1, j
        found = postfix(fwd, j + 1)
        return found if found[0] else ("", -1, j)
    if t.norm in ("فاكثر", "واكثر"):
        t2 = fwd.word(j + 1)
        if t2 is not None and t2.norm == "من":
            t3 = fwd.get(j + 2)
            if t3 is not None and (t3.kind == "n" or lookup(t3) is not None):
                return "", -1, j  # 1200 قتيل وأكثر من 3 آلاف جريح: a second number, not a bound on 1200
        return "low", t.end, j + 1
    if t.norm not in ("علي", "او", "فما", "بحد", "كحد"):
        return "", -1, j
    t2 = fwd.word(j + 1)
    if t2 is None:
        return "", -1, j
    pair = (t.norm, t2.norm)
    t3 = fwd.word(j + 2)
    if t.norm == "او" and t3 is not None and t3.norm == "من":
        t4 = fwd.get(j + 3)
        kind: PrefixKind = "low" if t2.norm in ("اكثر", "اكبر") else "high" if t2.norm == "اقل" else ""
        if t4 is None or t4.nl or (t4.kind == "p" and t4.text in ".،,؛;!?؟"):  # 200 أو أكبر من.
            return kind, t3.end, j + 3
        if t4.kind == "w" and lookup(t4) is None:  # 5000 أو أكثر من المتظاهرين: من is partitive
            return kind, t2.end, j + 2
        return "", -1, j  # 5000 أو أقل من 6000: a second comparison, not a bound on 5000
    if pair in (("علي", "الاقل"), ("او", "اكثر"), ("او", "اكبر"), ("فما", "فوق"), ("او", "يزيد")):
        return "low", t2.end, j + 2
    if pair in (("بحد", "ادني"), ("كحد", "ادني")):
        return "low", t2.end, j + 2
    if pair in (("علي", "الاكثر"), ("او", "اقل"), ("بحد", "اقصي"), ("كحد", "اقصي")):
        return "high", t2.end, j + 2
    return "", -1, j


_ESTIMATE_CUES = frozenset(
    normalize(w)
    for w in split_words(
        "التقديرات تقديرات التقدير يقدر تقدر يقدرون تقدرها يقدرها يقدره قدرت قدروا قدرتها المقدر المقدرة"
        " تقديراتها تقديراته تقديرها تقديره"
    )
)
_CLAUSE_END = re.compile(r"(?<![0-9٠-٩])\.|\.(?![0-9٠-٩])|[!?؟؛\n]")
_WORDS = re.compile(r"[^\W\d_]+")
_ROOT = re.compile("ق[\u064b-\u065f]*د[\u064b-\u065f]*(?:ي)?ر")
# where ``normalize(text)`` holds a match of _ROOT: normalizing deletes marks and tatweel and writes ى and
# ی as ي (nothing else becomes ق، د، ي or ر), so the clause need not be normalized to be ruled out
_GONE = "[\u064b-\u065f\u0670\u0640]*"  # what normalizing deletes (lexicon.REMOVED), any number of times
_ROOT_UNNORMALIZED = re.compile(f"ق{_GONE}د{_GONE}(?:[يىی]{_GONE})?ر")


class RootIndex(NamedTuple):
    """Where a text has the root ق د ر as written (``_ROOT`` on the whole text), found once per text so
    that ``estimated`` need not search a window of the text for each number. Matches of ``_ROOT`` never
    overlap (each holds one ق, at its start), so their ends are sorted like their starts."""

    starts: list[int]
    ends: list[int]


def root_index(text: str) -> RootIndex:
    """The root index of ``text`` (see ``RootIndex``)."""
    spans = [m.span() for m in _ROOT.finditer(text)]
    return RootIndex([a for a, _ in spans], [b for _, b in spans])


def estimated(text: str, start: int, roots: RootIndex | None = None) -> bool:
    """Whether the sentence states the number at ``start`` as an estimate: a cue (تشير التقديرات، يُقدَّر،
    قدّرت ...) before it in the same sentence (D64). The cue stays outside the span. ``roots`` (from
    ``root_index(text)``) gives the same answer faster when many numbers of one text are asked about."""
    left = max(0, start - 300)
    if roots is not None:
        k = bisect_left(roots.starts, left)
        if k == len(roots.starts) or roots.ends[k] > start:
            return False  # no match of the root in the window: the first one after its start ends beyond it
    window = text[left:start]
    if roots is None and _ROOT.search(window) is None:
        return False  # no word of the root ق د ر: no cue (the common case, checked first)
    last = _CLAUSE_END.search(window[::-1])  # the last clause end: the expression reads alike both ways
    if last is not None:
        window = window[len(window) - last.start() :]
    if _ROOT_UNNORMALIZED.search(window) is None:
        return False  # the root only in an earlier sentence (every cue holds it: a test checks)
    clause = normalize(window)
    words = [m.group() for m in _WORDS.finditer(clause)]
    for k, word in enumerate(words):
        if "ق" in word and any(base in _ESTIMATE_CUES for _, base in bases(word)):
            after = words[k + 1] if k + 1 < len(words) else ""
            # a cue whose complement is a word with ب (تقدر بمساحة بريطانيا) estimates that, not a later number
            if len(after) > 2 and after[0] == "ب" and not after.startswith(("بنحو", "بحوالي", "بحدود", "بما")):
                continue
            return True
    return False


_IDIOM_HEADS = frozenset(idiom[:1] for idiom in IDIOMS)
_IDIOM_LAMS = min(idiom.count("ل") for idiom in IDIOMS)  # normalizing neither adds nor removes a ل


@lru_cache(maxsize=4096)
def _may_open_idiom(ch: str) -> bool:
    """Whether a mention starting with ``ch`` may open an idiom: its lookup form begins one (or is empty)."""
    head = normalize(ch)
    return not head or head in _IDIOM_HEADS or "" in _IDIOM_HEADS


def idiom_at(text: str, start: int, end: int) -> bool:
    """Whether the mention at ``start`` opens an idiom (ألف ليلة وليلة); its first letter decides most."""
    if not _may_open_idiom(text[start]) or text.count("ل", start, end + 16) < _IDIOM_LAMS:
        return False
    return normalize(text[start : end + 16]).startswith(IDIOMS)


# --------------------------------------------------------------------------------------------------
# Lengths of time, negatives, two-sided comparisons, unstated sums

LENGTH_OPENERS = frozenset(normalize(w) for w in ("خلال", "لمدة", "طوال", "طيلة", "مدة", "غضون"))


def length_of_time(fwd: Fwd, prev: list[Tok]) -> bool:
    """A singular time unit after خلال، لمدة، طوال ... measuring a length of time (خلال أسبوع, §3.8), not
    naming a period (خلال شهر رمضان، خلال عام 2014، خلال أسبوع الآلام)."""
    if not prev or prev[-1].kind != "w" or all(b not in LENGTH_OPENERS for _, b in bases(prev[-1].norm)):
        return False
    nxt = fwd.get(1)
    if nxt is None or nxt.nl or nxt.kind == "p":
        return True
    return nxt.kind == "w" and not nxt.norm.startswith("ال") and nxt.norm not in MONTHS and lookup(nxt) is None


NEGATIVE = frozenset(("سالب", "ناقص"))
SECOND_BOUND = re.compile(
    r"^(?P<high>(?:اقل|اصغر|ادني|اخفض) من(?: او (?:يساوي|تساوي))?|(?:لا )?(?:يزيد|تزيد) عن|تحت|دون|علي الاكثر"
    r"|لا (?:اكثر|اكبر) من)$"
    r"|^(?P<low>(?:اكثر|اكبر|اعلي) من(?: او (?:يساوي|تساوي))?|(?:لا )?(?:يقل|تقل) عن|فوق|علي الاقل"
    r"|لا (?:اقل|اصغر) من)$"
)


def second_bound(fwd: Fwd, j: int) -> tuple[str, Num] | None:
    """The other side of a two-sided comparison after a bounded number, at token ``j``:
    ``أكبر من 10 [وأصغر من 20]``, ``فوق 1000 [وتحت 1500]``, ``على الأكثر 100 [وعلى الأقل 20]``."""
    t = fwd.word(j)
    if t is None or not t.norm.startswith(WA):
        return None
    words: list[str] = [] if t.norm == WA else [t.norm[1:]]
    k = j + 1
    while len(words) <= 4:
        m = SECOND_BOUND.match(" ".join(words))
        if m is not None:
            num = number(fwd, k, strip=False)
            if num is not None and num.value is not None and num.kind in ("digits", "words", "frac"):
                return ("high" if m.group("high") else "low"), num
        w = fwd.word(k)
        if w is None:
            return None
        words.append(w.norm)
        k += 1
    return None


SUM_WORDS = frozenset(normalize(w) for w in ("تقدر", "يقدر", "قيمة", "بقيمة", "قيمتها", "قيمته", "بمبلغ", "مبلغ"))
