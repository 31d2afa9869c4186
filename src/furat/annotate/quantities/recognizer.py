"""Arabic quantity recognizer and normalizer.

``find_quantities(text)`` finds the amounts, counts, measures, sums of money, percentages, durations,
multipliers and fractions of a whole in Arabic news text and normalizes each to a number (or a range),
a unit code and a quantity kind from ``schema/labels.json`` (``furat quantities [FILE]`` prints them).

Conventions (annotations/GUIDELINES.md §3, and the decisions this module makes where the guidelines are
silent):

Span
    ``text[start:end]`` (code points, half-open) covers the approximation or bound words, the number
    and the unit word(s): ``نحو 600``, ``أكثر من 43``, ``ما يصل إلى 200 مليون دولار``,
    ``بين 20 ألفًا و 30 ألف``, ``ما بين ستة و12 شهرا``, ``من 3 إلى 5 سنوات``, ``نحو 5800 كيلومترا مربعا``,
    ``مئات الملايين من الدولارات``. A من before ``X-Y`` (``من 20-30 ألف``) is not part of the range and
    stays outside. Proclitics (و ف ب ل ك, one or two) attached to the first word stay outside
    (``بـ5 آلاف`` → ``5 آلاف``; ``وثلاثة`` → ``ثلاثة``; ``بألفين`` → ``ألفين``; ``بنحو 5%`` → ``نحو 5%``);
    the article ال stays inside (``الستة``, ``العامين``, ``الـ24 ساعة``), except after ل where it is
    written لل and the whole prefix stays outside. ``بحدود`` is kept whole (a fixed expression). When a
    definite cardinal follows its unit (``الأشهر الستة``) the unit word opens the span.

Counted noun
    For counts (and fractions of a whole, and vague masses) ``counted`` is the noun that is counted
    when it is adjacent: the word right after the number or unit (``600 مسلح``, ``77 قرية``,
    ``مئات المسلحين``), the noun after a partitive من (``اثنين من عناصر``, ``أطنان من الذهب``), or the
    definite noun a definite cardinal follows (``الدول الخمس``). It is never part of the span. After a
    stated number it must be indefinite (Arabic tamyiz); verbs, particles, adverbs and words carrying a
    proclitic are not counted nouns. A dual noun that is its own count (``شخصين``, ``جنديين``) is both the
    span and the counted noun. Measures (money, length, durations ...) have no counted noun.

Values
    ``value`` for one stated number; ``approximate`` for نحو، حوالي، قرابة، زهاء، بحدود، في حدود،
    (ما) يقارب/تقارب، ما يقرب من ... and a following تقريبا. Lower bounds (أكثر من، أزيد من، ما يزيد على،
    لا يقل عن، يتجاوز، على الأقل) set ``low`` only; upper bounds (أقل من، (ما) يصل/تصل إلى، حتى،
    لا/لن يزيد على، لا/لن يتجاوز، يقل عن، على الأكثر) set ``high`` only. A bound after the number (على الأقل،
    أو أكثر، بحد/كحد أقصى أو أدنى) is in the span right after the number or unit, outside it after the
    counted noun (D94). Numbers
    joined by و after a scale word are one number (مليون و200 ألف → 1 200 000). Ranges (بين X و Y،
    ما بين X و Y، من X إلى Y، X إلى Y، X-Y، X – Y، X أو Y) set ``low`` and ``high``. A bound verb with up
    to two words of subject before the number
    (``لا تزيد مساحتها على نصف كم مربع``، ``لا تتجاوز المهلة 6 أشهر``) still bounds it, but the span then
    starts at the number. Scale words multiply and distribute over a range (``20-30 ألف`` → 20000-30000;
    ``بين 5 و7 مليارات`` → 5e9-7e9). Duals are exact (``يومين`` = 2 days, ``ألفين`` = 2000, ``العامين``
    = 2 years, ``مرتين`` = 2 times); ``ونصف``/``وربع`` add to the last scale or unit (``مليون ونصف``,
    ``ساعة ونصف``). Fractions before a scale or unit are numbers (``نصف مليون`` = 500000, ``نصف ساعة``);
    otherwise they are fractions of a whole (``ربع أراضي سوريا`` → 0.25, unit ``fraction``), as are
    proportions (``واحد من كل ثلاثة``، ``واحد على 20``; D93 and ``numbers``).

Vague quantities
    A plural of a power of ten means "at least two, fewer than ten of them" (D63): عشرات → 20-100,
    مئات → 200-1000, آلاف/الألوف → 2000-10000, ملايين، مليارات likewise; ``value`` null and
    ``approximate`` true. A second plural scale multiplies (مئات الملايين → 2e8-1e9). عدة and بضع/بضعة
    mean 3 to 9 times the scale after them, or 1 before a counted noun or unit (D62: عدة مئات → 300-900,
    بضعة أيام → 3-9 days). ``أطنان`` alone is a vague mass (low 2 t). معظم، أغلب، غالبية (with or without
    a pronoun) are more than half of a whole: unit ``fraction``, low 0.5 (D65). Bare plural time words
    (``قبل أيام``) are not quantities. A number stated as an estimate (تشير التقديرات، يُقدَّر ... earlier in
    the sentence) is approximate (D64).

Units
    Currencies are ISO codes: دولار → USD; دينار → IQD unless أردني، كويتي، تونسي ...; ليرة → SYP unless
    تركية/لبنانية; ريال → SAR unless إيراني، قطري ...; جنيه → EGP unless إسترليني; يورو → EUR; يوان، ين،
    روبل، شيكل. A sum in a currency with no code (درهم alone, دينار صربي ...) or with no currency at all
    after تقدر/بقيمة (D29) is left out rather than mislabelled. Measures: درجة مئوية (and درجة after words
    of heat; تحت الصفر negates), دقيقة، ثانية، لتر، برميل، متر مكعب، كم في الساعة / كم/ساعة، ميغاواط
    (ساعة) ... as in labels.json. Anything counted that is not a unit is kind ``count``, unit ``count``.

Not quantities
    Years and dates (``عام 2014``، ``في 2014``، ``كانون الأول 2017``، ``12 آذار 2019``، ``الـ19 من``,
    ``22-يناير-2019``، ``2014-2017``), times of day (``الساعة 12:00``، ``10 صباحا``), identifiers
    (``اللواء 44``، ``القرار 2254``، ``العدد : 4384``، ``الصفحة 3``، phone numbers, codes such as
    ``إف-16``), ordinals (الثاني، الأولى، الحادي عشر، الـ40 after a noun), scores (``3-1``), the weekdays
    الأحد and الاثنين, أحد/إحدى meaning "one of", واحد/واحدة except after a unit (``يوم واحد``), and
    idioms (``ألف ليلة وليلة``، ``مجموعة العشرين``، ``القرن العشرين``). A bare four-digit number from
    1900 to 2100 with no unit, counted noun or bound is taken to be a year.

The recognizer is one left-to-right scan: ``anchors`` finds the candidates (digits and the words of the
number lexicon) with precompiled regular expressions, and a small parser reads the few tokens around
each candidate. The parts live beside this module: ``lexicon`` (word tables), ``anchors`` (the
candidates), ``tokens`` (the tokenizer), ``numbers`` (number words and digits), ``context`` (bounds
before a number, dates and identifiers) and ``units`` (units and counted nouns).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple

from furat.annotate.quantities.anchors import candidate_starts
from furat.annotate.quantities.context import (
    NEGATIVE,
    SUM_WORDS,
    Prefix,
    RootIndex,
    after_excludes,
    estimated,
    head_word,
    idiom_at,
    length_of_time,
    number_context,
    postfix,
    prefix,
    root_index,
    second_bound,
)
from furat.annotate.quantities.lexicon import (
    CLITIC_ARTICLES,
    CLITICS,
    CURRENCIES,
    DIGIT_TABLE,
    DUAL_COUNTS,
    DURATION_UNITS,
    GLUE,
    MONTHS,
    NOT_COUNTED_DEF,
    NUMBER_WORDS,
    ORDINALS,
    SCORE_WORDS,
    SINGLE_OK,
    STOP,
    UNIT_WORDS,
    WA,
    YEAR_HEADS,
    YEAR_PREPOSITIONS,
    NumberWord,
    UnitWord,
    bases,
)
from furat.annotate.quantities.numbers import (
    Num,
    half_after,
    is_scale_word,
    is_year_like,
    leading_decimal,
    lookup,
    number,
    words_number,
)
from furat.annotate.quantities.tokens import Fwd, Tok, prev_tokens, raw_offset
from furat.annotate.quantities.units import counted_noun, counted_word_ok, unit_at, unit_or_counted, word_may_count
from furat.core.annotation import Quantity, Span
from furat.core.labels import load_labels

__all__ = ["find_quantities"]


# --------------------------------------------------------------------------------------------------
# Unit kinds


@cache
def _unit_kinds() -> dict[str, str]:
    """Unit code -> quantity kind, from labels.json."""
    return load_labels().unit_kind


# --------------------------------------------------------------------------------------------------
# The parser


class _Mention(NamedTuple):
    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    unit: str
    approximate: bool
    counted: Span | None


def _digit_core(fwd: Fwd, t: Tok, prev: list[Tok]) -> tuple[Num | None, list[Tok]]:
    """The number at a digit token, and the words before it that may hold a prefix."""
    start = t.start
    unit: str | None = None
    definite = False
    p = prev[-1] if prev else None
    if p is not None and not t.gap:
        if p.kind == "w" and p.norm in CLITICS:
            prev = prev[:-1]  # و700، بـ5
        elif p.kind == "w" and p.norm in CLITIC_ARTICLES:
            start, definite, prev = p.start + raw_offset(p.text, len(p.norm) - 2), True, prev[:-1]  # الـ19
        elif p.kind == "p" and p.text in "%٪$":
            start, unit, prev = p.start, ("USD" if p.text == "$" else "percent"), prev[:-1]
        elif p.kind == "p" and p.text in "-\u2212" and (p.gap or len(prev) == 1):
            num = number(fwd, 0)  # -5: a negative number (a hyphen between words or digits is glue)
            if num is None or num.value is None:
                return None, prev
            return num._replace(start=p.start, value=-num.value, raw=-num.raw), prev[:-1]
        elif p.kind == "p" and p.text in ".\u066b" and (p.gap or len(prev) == 1):
            return leading_decimal(fwd, p.start), prev[:-1]  # .08
        elif p.kind != "p" or p.text in GLUE:
            return None, prev  # F16، سو-24، /2019، 12:00، 1.2.2019
    n1 = fwd.get(1)
    if n1 is not None and not n1.gap:
        if n1.kind == "w" and not is_scale_word(n1):
            return None, prev  # 2019م، 3rd (but ٤آلاف is 4000)
        if n1.text in ":/":
            return None, prev
        n2 = fwd.get(2)
        if n1.text in ".-\u2013\u2014" and n2 is not None and not n2.gap and (n2.kind == "w" or n1.text == "."):
            return None, prev  # 22-يناير-2019، 12.3.2019
    digits = t.text.translate(DIGIT_TABLE)
    if digits.isdigit() and (len(digits) >= 10 or (digits[0] == "0" and len(digits) > 1)):
        return None, prev  # phone numbers, codes
    context = number_context(prev, bare=False)
    if context == "date" and n1 is not None and n1.kind == "w" and is_scale_word(n1):
        context = ""  # هذا العام 11 مليون تلميذ: a year takes no scale word
    if context == "date" or after_excludes(fwd, 1):
        return None, prev
    num = number(fwd, 0)
    if num is None:
        return None, prev
    return (
        Num(
            start,
            num.end,
            num.nxt,
            num.value,
            num.low,
            num.high,
            num.raw,
            num.scale,
            num.kind,
            unit or num.unit,
            num.counted,
            definite,
            context == "id",
            num.closed,
        ),
        prev,
    )


def _word_core(
    text: str, fwd: Fwd, prev: list[Tok], hit: tuple[int, NumberWord] | None, first: Num | None
) -> tuple[Num | None, list[Tok]]:
    """The number at a word token, and the words before it that may hold a prefix; ``hit`` is the token's
    number-word entry (``lookup``) and ``first`` the number read from it (``number(fwd, 0)``) when it has one."""
    t0 = fwd.get(0)
    assert t0 is not None
    if hit is not None:
        e = hit[1]
        if e.cat == "t" and prev and prev[-1].kind == "w" and prev[-1].norm in ORDINALS:
            return None, prev  # الحادي عشر
        if t0.norm in ("الاثنين", "الاحد"):
            return None, prev  # weekdays
        if e.cat == "s" and e.form == "p" and prev and prev[-1].kind == "w":
            before = lookup(prev[-1])
            if before is not None and before[1].cat in ("v", "b"):
                return None, prev  # the second scale of مئات الملايين, left out with the first
        num = first
        if num is None and e.cat == "d" and e.form == "one":
            if prev and prev[-1].kind == "w" and prev[-1].norm in NEGATIVE:  # سالب واحد
                return Num(t0.start, t0.end, 1, 1.0, None, None, 1.0, 1.0, "words"), prev
            return _one_after_unit(fwd, prev), prev[:-1]
        if num is not None and num.kind == "words" and prev and prev[-1].kind == "w":
            head = head_word(prev[-1])
            if (head in YEAR_HEADS or head in MONTHS) and (num.value or 0) < 1e5:
                return None, prev  # عام ألفين (في رمضان مليارين is no year)
        return num, prev
    for stripped, base in bases(t0.norm):
        start = t0.start + raw_offset(t0.text, stripped)
        uw = UNIT_WORDS.get(base)
        if uw is not None:
            return _unit_word_core(text, fwd, prev, uw, start), prev
        if base in DUAL_COUNTS and stripped <= 1:
            span = Span(start, t0.end, text[start : t0.end])
            return Num(start, t0.end, 1, 2.0, None, None, 2.0, 1.0, "dual", counted=span), prev
    return None, prev


def _one_after_unit(fwd: Fwd, prev: list[Tok]) -> Num | None:
    """يوم واحد، شهر واحد: واحد counts only after a unit."""
    t0 = fwd.get(0)
    if t0 is None or not prev or prev[-1].kind != "w":
        return None
    p = prev[-1]
    uw = UNIT_WORDS.get(p.norm)
    if uw is None or uw.form != "1" or uw.definite or uw.code not in SINGLE_OK:
        return None
    return Num(p.start, t0.end, 1, 1.0, None, None, 1.0, 1.0, "words", unit=uw.code)


def _unit_word_core(text: str, fwd: Fwd, prev: list[Tok], uw: UnitWord, start: int) -> Num | None:
    """A unit word that is itself a quantity: a dual, أطنان, or a singular after a bound word."""
    t0 = fwd.get(0)
    assert t0 is not None
    if uw.form == "2" and (not uw.definite or uw.code in DURATION_UNITS):
        frac, j, ft = half_after(fwd, 1)
        end = ft.end if ft is not None else t0.end
        return Num(start, end, j, 2.0 + frac, None, None, 2.0, 1.0, "dual", unit=uw.code)
    if uw.form == "p" and uw.code == "t" and not uw.definite:
        return Num(start, t0.end, 1, None, 2.0, None, 2.0, 1.0, "vague", unit="t")
    if uw.form == "1" and uw.code == "times" and t0.norm.endswith(("ضعف", "ضعفا")) and prefix(text, prev).bound:
        return Num(start, t0.end, 1, 2.0, None, None, 2.0, 1.0, "dual", unit=uw.code)  # أكثر من ضعف: double (D95)
    if uw.form == "1" and not uw.definite and uw.code in SINGLE_OK:
        frac, j, ft = half_after(fwd, 1)
        if ft is not None:  # ساعة ونصف
            return Num(start, ft.end, j, 1.0 + frac, None, None, 1.0, 1.0, "dual", unit=uw.code)
        if prefix(text, prev).bound:  # أكثر من أسبوع
            return Num(start, t0.end, 1, 1.0, None, None, 1.0, 1.0, "dual", unit=uw.code)
        if uw.code in DURATION_UNITS and start == t0.start and length_of_time(fwd, prev):  # خلال أسبوع
            return Num(start, t0.end, 1, 1.0, None, None, 1.0, 1.0, "dual", unit=uw.code)
    return None


def _definite_after_noun(prev: list[Tok], num: Num) -> tuple[str | None, int, Span | None] | None:
    """A definite number after a definite noun: (unit code, span start, None) when the noun is a unit
    (الأشهر الستة), (None, -1, counted noun) when it is counted (الدول الخمس); None otherwise."""
    if not prev or prev[-1].kind != "w":
        return None
    p = prev[-1]
    for stripped, base in bases(p.norm):
        uw = UNIT_WORDS.get(base)
        if uw is not None and uw.definite and uw.form == "p":
            return uw.code, p.start + raw_offset(p.text, stripped), None
    if num.kind == "digits":
        return None
    base = next((b for _, b in bases(p.norm) if b.startswith("ال")), "")
    if not base or base in NOT_COUNTED_DEF or base in STOP or not counted_word_ok(p, True):
        return None
    if num.value is not None and num.value >= 11 and not base.endswith(("ات", "ين", "ون")):
        return None  # القرن العشرين، مجموعة العشرين
    return None, -1, Span(p.start, p.end, p.text)


class _Range(NamedTuple):
    low: float
    high: float
    end: int
    nxt: int
    sep: str  # "-", "الي", "او", "و"; "no" for a hyphenated pair that is no range (2-1, 2018-2019)


_NO_RANGE = _Range(0.0, 0.0, 0, 0, "no")


def _range(fwd: Fwd, num: Num, pre: Prefix) -> _Range | None:
    """A second number making ``num`` a range, ``_NO_RANGE`` for a pair that must be dropped, or None."""
    j = num.nxt
    sep = fwd.get(j)
    if sep is None or sep.nl:
        return None
    y: Num | None = None
    kind = ""
    if sep.kind == "p" and sep.text in "-\u2013\u2014~" and num.kind == "digits":
        kind, y = "-", number(fwd, j + 1, strip=False)
        if y is None or y.kind != "digits":
            return None
    elif sep.kind == "w" and sep.norm in ("الي", "حتي") and pre.kind in ("from", "between", ""):
        kind, y = "الي", number(fwd, j + 1, strip=False)
    elif sep.kind == "w" and sep.norm == "او":
        kind, y = "او", number(fwd, j + 1, strip=False)
    elif sep.kind == "w" and pre.kind == "between" and sep.norm == WA:
        kind, y = "و", number(fwd, j + 1, strip=False)
    elif sep.kind == "w" and pre.kind == "between" and sep.norm.startswith(WA):
        kind, y = "و", _joined_number(fwd, j)
    if y is None or y.value is None or y.kind not in ("digits", "words"):
        return None
    low, high = num.value, y.value
    assert low is not None
    if num.scale == 1.0 and y.scale > 1.0 and num.raw <= y.raw:
        low = num.raw * y.scale  # 20-30 ألف
    if kind == "-" and (is_year_like(num) or is_year_like(y) or not num.raw < y.raw):
        return _NO_RANGE
    if kind in ("او", "الي", "و") and not low < high:
        return None  # "from 30 to 20" is a change, not a range: the first number stands alone
    return _Range(low, high, y.end, y.nxt, kind)


def _joined_number(fwd: Fwd, j: int) -> Num | None:
    """A number written with the conjunction attached (``وثلاثين``) at token ``j``."""
    t = fwd.word(j)
    if t is None or not t.norm.startswith(WA):
        return None
    e = NUMBER_WORDS.get(t.norm[1:])
    if e is None or e.definite or e.cat in ("v", "b", "f"):
        return None
    num = words_number(fwd, j, e, t.start + raw_offset(t.text, 1))
    return num


@lru_cache(maxsize=8192)
def _may_start(norm: str) -> bool:
    """Whether a word (its lookup form) can open a mention at all (a cheap test before reading the context)."""
    if norm == "عده":
        return True
    return any(b in NUMBER_WORDS or b in UNIT_WORDS or b in DUAL_COUNTS for _, b in bases(norm))


@lru_cache(maxsize=8192)
def _is_year_preposition(norm: str) -> bool:
    """في، منذ، حتى ... with or without proclitics (وفي، ومنذ)."""
    return any(b in YEAR_PREPOSITIONS for _, b in bases(norm))


def _parse_at(text: str, pos: int, roots: RootIndex | None = None) -> _Mention | None:
    fwd = Fwd(text, pos)
    t0 = fwd.get(0)
    if t0 is None:
        return None
    if t0.kind == "n":
        prev = prev_tokens(text, pos)
        num, prev = _digit_core(fwd, t0, prev)
    else:
        if not _may_start(t0.norm):
            return None
        # what the word and the words after it decide comes first: most words that are no mention are
        # told apart before the words before them are read
        hit = lookup(t0)
        read = number(fwd, 0) if hit is not None else None
        if hit is None and not word_may_count(t0.norm):
            return None
        if hit is not None and read is None and not (hit[1].cat == "d" and hit[1].form == "one"):
            return None
        prev = prev_tokens(text, pos)
        num, prev = _word_core(text, fwd, prev, hit, read)
    if num is None or (prev and prev[-1].kind == "w" and prev[-1].norm in SCORE_WORDS):
        return None  # بنتيجة صفر-2: a score
    sign = 1.0
    if prev and prev[-1].kind == "w" and prev[-1].norm in NEGATIVE and num.value is not None:
        num = num._replace(start=prev[-1].start, value=-num.value, raw=-num.raw)  # سالب 5، ناقص واحد
        prev, sign = prev[:-1], -1.0
    # a definite number after a definite noun: الأشهر الستة، الدول الخمس، الساعات الـ48
    counted: Span | None = num.counted
    alone = False
    if num.definite and num.kind in ("words", "digits") and num.unit is None:
        found = _definite_after_noun(prev, num)
        if found is not None:
            code, ustart, counted = found
            if code is not None:
                num, prev = num._replace(start=ustart, unit=code), prev[:-1]
        else:
            alone = True  # الستة أشهر: needs a unit after it
    pre = prefix(text, prev)
    # ranges
    low: float | None = None
    high: float | None = None
    value: float | None = None
    ranged = False
    sep = ""
    j, end = num.nxt, num.end
    if num.value is not None and num.kind in ("digits", "words") and num.unit is None:
        rng = _range(fwd, num, pre)
        if rng is None and pre.kind == "between" and num.kind == "words":
            shorter = number(fwd, 0, split_last_and=True)
            if shorter is not None and shorter.end < num.end and shorter.value is not None:
                num = shorter._replace(start=num.start, value=sign * shorter.value, raw=sign * shorter.raw)
                rng = _range(fwd, num, pre)
        if rng is _NO_RANGE:
            return None
        if rng is not None:
            low, high, end, j, sep, ranged = rng.low, rng.high, rng.end, rng.nxt, rng.sep, True
    # the unit
    unit = num.unit
    if unit is None:
        found_unit = unit_at(fwd, j, definite_ok=num.kind == "vague")
        if found_unit is None:
            w = fwd.word(j)
            if w is not None and w.norm == "من":
                found_unit = unit_at(fwd, j + 1, definite_ok=True)
                if found_unit is not None and found_unit[0] not in CURRENCIES:
                    found_unit = None
        if found_unit is not None and not (found_unit[1] == "2" and num.kind != "vague"):
            code, _, end, j = found_unit
            if not code:
                return None  # a currency with no code in labels.json (دينار كويتي)
            unit = code
            if not ranged and num.value is not None:
                frac, j2, ft = half_after(fwd, j)
                if ft is not None:  # ثلاث سنوات ونصف
                    num, end, j = num._replace(value=num.value + frac), ft.end, j2
    if unit is None and num.kind in ("frac", "most"):
        unit = "fraction"
    if pre.kind == "between" and not ranged and unit and num.value is not None:  # بين 5 ساعات و7 ساعات
        w = fwd.word(j)
        y = (number(fwd, j + 1, strip=False) if w is not None and w.norm == WA else None) or _joined_number(fwd, j)
        u2 = None if y is None or y.value is None or y.unit else unit_at(fwd, y.nxt)
        if y is not None and y.value is not None and u2 is not None and u2[0] == unit and num.value < y.value:
            low, high, end, j, ranged = num.value, y.value, u2[2], u2[3], True
    # the counted noun
    if counted is None and not num.closed:
        if unit is None:
            counted = counted_noun(fwd, j, definite_ok=num.kind in ("vague", "frac"))
        elif unit == "fraction":
            counted = counted_noun(fwd, j, definite_ok=True)
        elif unit == "t" and num.kind == "vague":
            w = fwd.word(j)
            counted = counted_noun(fwd, j, True) if w is not None and w.norm == "من" else None
    unit = unit or "count"
    # a bare number that is rather a year or a name
    bare = unit == "count" and counted is None and not ranged and not pre.bound
    if bare and (is_year_like(num) or alone):
        return None
    if bare and num.kind == "digits" and number_context(prev, bare=True) == "id":
        return None
    if num.ident and unit in ("count", "percent", "fraction") and not ranged:
        return None  # اللواء 44، الفرقة 17 مدرعة
    if alone and unit == "count" and num.kind == "digits":
        return None  # النسخة الـ25 من البطولة: an ordinal
    big = num.scale >= 1e6 or (num.low or 0) >= 1e6
    if unit == "count" and counted is None and big and prev and prev[-1].kind == "w" and prev[-1].norm in SUM_WORDS:
        return None  # تقدر بمئات الملايين: a sum whose currency is not stated (D29)
    if is_year_like(num) and unit == "count" and not ranged and prev and _is_year_preposition(prev[-1].norm):
        until = counted is None and pre.kind == "high" and head_word(prev[-1]).endswith("حتي")
        if not pre.bound or until:
            return None  # في 2014 اجتاح التنظيم، حتى 2030
    # the prefix
    start = num.start
    if pre.inside and (pre.bound or (pre.kind == "between" and ranged) or (pre.kind == "from" and sep == "الي")):
        start = pre.start
    approx = num.kind == "vague" or pre.kind == "approx"
    if ranged:
        pass
    elif num.kind in ("vague", "most"):
        low, high = num.low, num.high
    elif pre.kind in ("low", "high"):
        low, high = (num.value, None) if pre.kind == "low" else (None, num.value)
        other = second_bound(fwd, j)
        first = num.value or 0.0
        second = 0.0 if other is None or other[1].value is None else other[1].value
        if other is not None and not (first < second if pre.kind == "low" else second < first):
            other = None  # أكثر من 40 وأقل من 10: two comparisons, no range
        if other is not None and other[0] != pre.kind and other[1].value is not None:
            low, high = (low, other[1].value) if pre.kind == "low" else (other[1].value, high)
            end, j = other[1].end, other[1].nxt
            if unit == "count" and counted is None:  # فوق 1000 وتحت 1500 متر
                unit, end, j, counted = unit_or_counted(fwd, end, j)
    else:
        value = num.value
    # تقريبا after the number, the unit or the counted noun
    if unit == "celsius":  # 4 درجات تحت الصفر
        below, zero = fwd.word(j), fwd.word(j + 1)
        if below is not None and zero is not None and below.norm == "تحت" and zero.norm == "الصفر":
            value, low, high = (None if x is None else -x for x in (value, high, low))
            end, j = zero.end, j + 2
    after = fwd.word(j)
    if after is not None and after.norm == "تقريبا":
        approx, end = True, after.end
    elif counted is not None and after is not None and after.start == counted.start and not approx:
        after2 = fwd.word(j + 1)
        approx = after2 is not None and after2.norm == "تقريبا"
    # a bound after the number: inside the span right after it, outside after the counted noun
    if value is not None:
        at = j + 1 if counted is not None and after is not None and after.start == counted.start else j
        kind, bound_end, after_bound = postfix(fwd, at, after_noun=at != j)
        if kind:
            low, high, value = (value, None, None) if kind == "low" else (None, value, None)
            end = bound_end if at == j else end
            if unit == "count" and counted is None and at == j:  # 5000 أو أكثر من المتظاهرين
                counted = counted_noun(fwd, after_bound, definite_ok=False)
    if not approx and estimated(text, start, roots):
        approx = True  # D64
    if idiom_at(text, start, end):
        return None  # ألف ليلة وليلة
    return _Mention(start, end, value, low, high, unit, approx, counted)


_URL_RE = re.compile(r"(?:https?://|www\.)\S+")


def find_quantities(text: str) -> list[Quantity]:
    """The quantity mentions in ``text``, sorted by start, non-overlapping."""
    kinds = _unit_kinds()
    out: list[Quantity] = []
    last_end = 0
    urls = [(u.start(), u.end()) for u in _URL_RE.finditer(text)] if "://" in text or "www." in text else []
    roots = root_index(text)
    for pos in candidate_starts(text):
        if pos < last_end:
            continue
        if urls and any(a <= pos < b for a, b in urls):
            continue  # digits inside a web address
        q = _parse_at(text, pos, roots)
        if q is None or q.start < last_end:
            continue
        out.append(
            Quantity(
                id="",  # a mention found in free text has no id; annotation files number them
                start=q.start,
                end=q.end,
                text=text[q.start : q.end],
                value=q.value,
                low=q.low,
                high=q.high,
                unit=q.unit,
                kind=kinds[q.unit],
                approximate=q.approximate,
                counted=q.counted,
            )
        )
        last_end = q.end
    return out
