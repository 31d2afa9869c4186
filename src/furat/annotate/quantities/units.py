"""What follows a number: its unit (with a currency's qualifier or a square) and the counted noun.

See annotations/GUIDELINES.md §3.6 (the counted noun) and §3.9 (money and units).
"""

from __future__ import annotations

from functools import lru_cache

from furat.annotate.quantities.lexicon import (
    COUNTED_W_OK,
    COUNTED_Y_OK,
    CUBE,
    CUBED,
    CURRENCY_QUALIFIERS,
    DUAL_COUNTS,
    DURATION_UNITS,
    ENERGY,
    MONTHS,
    NUMBER_WORDS,
    ORDINALS,
    REMOVED,
    SINGLE_OK,
    SQUARE,
    SQUARED,
    STOP,
    UNIT_WORDS,
    UnitForm,
    UnitWord,
    bases,
)
from furat.annotate.quantities.tokens import Fwd, Tok
from furat.core.annotation import Span

__all__ = ["counted_noun", "counted_word_ok", "unit_at", "unit_or_counted", "word_may_count"]

_DEGREES = frozenset(("درجه", "درجات", "درجتين", "درجتان"))
_CELSIUS = frozenset(("مئويه", "مئوي", "سيليزيه", "سلسيوس"))
_PREFIXED = {"كيلو": "kW", "ميغا": "MW", "ميجا": "MW", "غيغا": "GW", "جيجا": "GW"}  # + واط
_WATT = frozenset(("واط", "وات"))
_HOUR = frozenset(("ساعه", "ساعي", "الساعه", "س"))


def _heat_before(fwd: Fwd, start: int) -> bool:
    """Whether the words just before ``start`` speak of heat (درجات الحرارة), so درجة is a degree Celsius."""
    window = fwd.text[max(0, start - 60) : start]
    return "حرار" in "".join(ch for ch in window if ch not in REMOVED).replace("ة", "ه")


def _after_unit(fwd: Fwd, code: str, end: int, j: int) -> tuple[str, int, int]:
    """A unit's compound tail: كم في الساعة / كم/ساعة (speed), ميغاواط ساعة (energy), متر مكعب (volume)."""
    t2 = fwd.get(j)
    if t2 is None or t2.nl:
        return code, end, j
    if code == "km":
        t3 = fwd.get(j + 1)
        if t3 is not None and t3.kind == "w" and t3.norm in _HOUR and (t2.norm == "في" or t2.text == "/"):
            return "kmh", t3.end, j + 2
    if code in ENERGY and t2.kind == "w" and t2.norm in _HOUR:
        return ENERGY[code], t2.end, j + 1
    if code in CUBED and t2.kind == "w" and t2.norm in CUBE:
        return CUBED[code], t2.end, j + 1
    return code, end, j


def unit_at(fwd: Fwd, i: int, definite_ok: bool = False) -> tuple[str, UnitForm, int, int] | None:
    """A unit at token ``i``: (code, form, end offset, next index); code may be "" (unknown currency)."""
    t = fwd.get(i)
    if t is None or t.nl:
        return None
    if t.kind == "p":
        if t.text in "%٪":
            return "percent", "p", t.end, i + 1
        if t.text == "$":
            return "USD", "p", t.end, i + 1
        if t.text == "€":
            return "EUR", "p", t.end, i + 1
        if t.text == "°":
            t2 = fwd.get(i + 1)
            if t2 is not None and not t2.gap and t2.text in ("C", "م"):
                return "celsius", "p", t2.end, i + 2
            return "celsius", "p", t.end, i + 1
        return None
    if t.kind != "w":
        return None
    n = t.norm
    if n == "في":
        t2 = fwd.word(i + 1)
        if t2 is not None and t2.norm in ("المئه", "المائه"):
            return "percent", "p", t2.end, i + 2
        return None
    if n == "كيلو":
        t2 = fwd.word(i + 1)
        if t2 is not None and t2.norm in ("متر", "مترا", "مترات", "غرام", "غراما", "جرام", "جراما"):
            n, t = ("كيلومتر" if "متر" in t2.norm else "كيلوغرام"), t2
            i += 1
    if n in _PREFIXED:
        t2 = fwd.word(i + 1)
        if t2 is not None and t2.norm in _WATT:
            code, end, j = _after_unit(fwd, _PREFIXED[n], t2.end, i + 2)
            return code, "1", end, j
    if n in _DEGREES:
        t2 = fwd.word(i + 1)
        form: UnitForm = "2" if n.endswith(("ين", "ان")) else "p" if n.endswith("ات") else "1"
        if t2 is not None and t2.norm in _CELSIUS:
            return "celsius", form, t2.end, i + 2
        if _heat_before(fwd, t.start):
            return "celsius", form, t.end, i + 1
        return None
    uw = UNIT_WORDS.get(n)
    if uw is None or (uw.definite and not definite_ok):
        return None
    code, end, j = uw.code, t.end, i + 1
    code, end, j = _after_unit(fwd, code, end, j)
    if code in SQUARED:
        t2 = fwd.get(j)
        if t2 is not None and not t2.nl:
            squared_word = t2.kind == "w" and t2.norm in SQUARE  # كم مربع
            squared_sign = not t2.gap and t2.text in ("2", "٢", "²")  # كم2
            if squared_word or squared_sign:
                code, end, j = SQUARED[code], t2.end, j + 1
    family = uw.family or code
    if family in CURRENCY_QUALIFIERS:
        t2 = fwd.word(j)
        if t2 is not None and t2.norm in CURRENCY_QUALIFIERS[family]:
            qcode = CURRENCY_QUALIFIERS[family][t2.norm]
            code, end, j = qcode or "", t2.end, j + 1
    return code, uw.form, end, j


def counted_word_ok(t: Tok, definite_ok: bool) -> bool:
    """Whether a word can be a counted noun: not a stop word, verb, particle, number, unit or ordinal."""
    return _counted_ok(t.norm, t.text[0], definite_ok)


@lru_cache(maxsize=16384)
def _counted_ok(n: str, first: str, definite_ok: bool) -> bool:
    """``counted_word_ok`` of a word by its lookup form and its first letter as written."""
    if len(n) < 2 or n in STOP or n in MONTHS or n in NUMBER_WORDS or n in UNIT_WORDS:
        return False
    if not ("\u0621" <= first <= "\u064a"):
        return False
    if n.startswith("ال") and not definite_ok:
        return False
    if n.startswith(("لل", "بال", "وال", "فال", "كال")):
        return False
    if n[0] == "و" and not n.startswith(COUNTED_W_OK):
        return False
    if n[0] == "ف" and len(n) > 3 and (n[1] in "اتيسن" or n.startswith("فال")) and not n.startswith("فت"):
        return False
    if n[0] == "ي" and n not in COUNTED_Y_OK:
        return False
    if n.endswith("وا") and len(n) > 3:
        return False
    if n[0] == "س" and n[1:2] in ("ي", "ت", "ن") and n.endswith(("ون", "ان")):
        return False
    return n not in ORDINALS


def counted_noun(fwd: Fwd, i: int, definite_ok: bool) -> Span | None:
    """The counted noun at token ``i`` (or after a partitive من there)."""
    t = fwd.word(i)
    if t is None:
        return None
    if t.norm == "من":
        t2 = fwd.word(i + 1)
        if t2 is not None and counted_word_ok(t2, True):
            return Span(t2.start, t2.end, t2.text)
        return None
    if counted_word_ok(t, definite_ok):
        return Span(t.start, t.end, t.text)
    return None


def unit_or_counted(fwd: Fwd, end: int, j: int) -> tuple[str, int, int, Span | None]:
    """What follows the second number of a two-sided comparison at token ``j`` (its end at ``end``): its unit
    (``فوق 1000 وتحت 1500 متر``) as (code, end, next index, None), else ("count", end, j, counted noun)."""
    found = unit_at(fwd, j)
    if found is not None and found[0] and found[1] != "2":
        return found[0], found[2], found[3], None
    return "count", end, j, counted_noun(fwd, j, definite_ok=False)


def _unit_word_may_count(uw: UnitWord) -> bool:
    """Whether the recognizer may find a quantity at this unit word alone (whatever comes before it): a
    dual, أطنان, or a singular that a bound word or a length of time before it makes one."""
    if uw.form == "2":
        return not uw.definite or uw.code in DURATION_UNITS
    if uw.form == "p":
        return uw.code == "t" and not uw.definite
    return not uw.definite and (uw.code in SINGLE_OK or uw.code == "times")  # أكثر من ضعف


@lru_cache(maxsize=8192)
def word_may_count(norm: str) -> bool:
    """Whether a word that is no number word may open a mention: a unit word that can be its own quantity
    or a dual counted noun, looked up as the recognizer looks them up (the first base that is one decides)."""
    for stripped, base in bases(norm):
        uw = UNIT_WORDS.get(base)
        if uw is not None:
            return _unit_word_may_count(uw)
        if base in DUAL_COUNTS and stripped <= 1:
            return True
    return False
