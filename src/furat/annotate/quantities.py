"""Arabic quantity recognizer and normalizer.

``find_quantities(text)`` finds the amounts, counts, measures, sums of money, percentages, durations,
multipliers and fractions of a whole in Arabic news text and normalizes each to a number (or a range),
a unit code and a quantity kind from ``schema/labels.json``. ``main`` is ``furat quantities [FILE]``.

Conventions (DESIGN.md §5, and the decisions this module makes where the guidelines are silent):

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
    ما يقارب، ما يقرب من ... and a following تقريبا. Lower bounds (أكثر من، أزيد من، ما يزيد على،
    لا يقل عن، يتجاوز) set ``low`` only; upper bounds (أقل من، ما يصل إلى، لا يزيد/تزيد على، لا يتجاوز)
    set ``high`` only. Ranges (بين X و Y، ما بين X و Y، من X إلى Y، X إلى Y، X-Y، X – Y، X أو Y) set
    ``low`` and ``high``. A bound verb with up to two words of subject before the number
    (``لا تزيد مساحتها على نصف كم مربع``، ``لا تتجاوز المهلة 6 أشهر``) still bounds it, but the span then
    starts at the number. Scale words multiply and distribute over a range (``20-30 ألف`` → 20000-30000;
    ``بين 5 و7 مليارات`` → 5e9-7e9). Duals are exact (``يومين`` = 2 days, ``ألفين`` = 2000, ``العامين``
    = 2 years, ``مرتين`` = 2 times); ``ونصف``/``وربع`` add to the last scale or unit (``مليون ونصف``,
    ``ساعة ونصف``). Fractions before a scale or unit are numbers (``نصف مليون`` = 500000, ``نصف ساعة``);
    otherwise they are fractions of a whole (``ربع أراضي سوريا`` → 0.25, unit ``fraction``).

Vague quantities
    A plural of a power of ten means "at least two of them": عشرات → low 20, مئات → low 200,
    آلاف/الألوف → low 2000, ملايين → low 2 000 000, مليارات → low 2 000 000 000; ``high`` is null,
    ``value`` null and ``approximate`` true. A second plural scale multiplies by its unit
    (مئات الملايين → low 200 000 000; عشرات الآلاف → low 20 000). ``عدة مئات`` is read as مئات.
    بضع/بضعة means 3 to 9 (low 3, high 9, times any plural scale). ``أطنان`` alone is a vague mass
    (low 2 t). Bare plural time words (``قبل أيام``، ``منذ سنوات``) are not quantities.

Units
    Currencies are ISO codes: دولار → USD; دينار → IQD (this is an Iraqi-news corpus) unless أردني;
    ليرة → SYP unless تركية/لبنانية; ريال → SAR unless إيراني; جنيه → EGP unless إسترليني; يورو → EUR.
    A sum in a currency with no code in labels.json (درهم، دينار كويتي ...) is left out rather than
    mislabelled. Anything counted that is not a unit is kind ``count``, unit ``count``.

Not quantities
    Years and dates (``عام 2014``، ``في 2014``، ``كانون الأول 2017``، ``12 آذار 2019``، ``الـ19 من``,
    ``22-يناير-2019``، ``2014-2017``), times of day (``الساعة 12:00``، ``10 صباحا``), identifiers
    (``اللواء 44``، ``القرار 2254``، ``العدد : 4384``، ``الصفحة 3``، phone numbers, codes such as
    ``إف-16``), ordinals (الثاني، الأولى، الحادي عشر، الـ40 after a noun), scores (``3-1``), the weekdays
    الأحد and الاثنين, أحد/إحدى meaning "one of", واحد/واحدة except after a unit (``يوم واحد``), and
    idioms (``ألف ليلة وليلة``، ``مجموعة العشرين``، ``القرن العشرين``). A bare four-digit number from
    1900 to 2100 with no unit, counted noun or bound is taken to be a year.

The recognizer is one left-to-right scan: a precompiled regular expression finds the candidate words
(digits and the number lexicon), and a small parser reads the few tokens around each candidate.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from furat.core.annotation import Quantity, Span
from furat.core.labels import load_labels

__all__ = ["Quantity", "Span", "find_quantities", "main"]


# --------------------------------------------------------------------------------------------------
# Public records


@cache
def _unit_kinds() -> dict[str, str]:
    return load_labels().unit_kind


# --------------------------------------------------------------------------------------------------
# Characters, normalization, tokens

_MARKS = "\u064b-\u065f\u0670"  # harakat, tanwin, shadda, sukun, dagger alef
_M = f"[{_MARKS}\u0640]*"  # optional marks and tatweel after a letter
_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
_D = f"[{_DIGIT}]"
_NUM = (
    rf"{_D}{{1,3}}(?:[,\u066c]{_D}{{3}})+(?!{_D})(?:[.\u066b]{_D}+)?"  # 1,500,000 / 1٬500
    rf"|{_D}{{1,3}}(?:\.{_D}{{3}}){{2,}}(?!{_D})"  # 1.500.000
    rf"|{_D}+(?:[.\u066b]{_D}+|,{_D}{{1,2}}(?!{_D}))?"  # 99.5 / ٣٫٥ / 2,5
)
_WORD = rf"[^\W\d_]+(?:[{_MARKS}]+[^\W\d_]*)*"
_TOKEN_RE = re.compile(rf"(\s*)(?:({_NUM})|({_WORD})|(\S))")

_NORM_TABLE = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ة": "ه",
        "ک": "ك",
        "\u0640": None,
        "\u0670": None,
        **{chr(c): None for c in range(0x064B, 0x0660)},
    }
)
_DIGIT_TABLE = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
_REMOVED = frozenset(chr(c) for c in (*range(0x064B, 0x0660), 0x0670, 0x0640))


def _split(words: str) -> list[str]:
    return words.split()


def _norm(word: str) -> str:
    """Lookup form: no marks or tatweel, one alef, ي for ى, ه for ة."""
    return word.translate(_NORM_TABLE)


_WORD_FORMS: dict[str, str] = {}  # token text -> _norm(text), for the tokenizer


def _word_norm(word: str) -> str:
    form = _WORD_FORMS.get(word)
    if form is None:
        if len(_WORD_FORMS) > 50_000:
            _WORD_FORMS.clear()
        form = _WORD_FORMS[word] = word.translate(_NORM_TABLE)
    return form


def _raw_offset(raw: str, letters: int) -> int:
    """Index in ``raw`` just after its first ``letters`` normalized letters (and any marks after them)."""
    seen = 0
    i = 0
    while i < len(raw) and seen < letters:
        if raw[i] not in _REMOVED:
            seen += 1
        i += 1
    while i < len(raw) and raw[i] in _REMOVED:
        i += 1
    return i


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    kind: str  # "n" number, "w" word, "p" punctuation
    text: str
    norm: str
    gap: bool  # whitespace before the token
    nl: bool  # a line break before the token


_KINDS = ("", "", "n", "w", "p")


def _make_tok(m: re.Match[str]) -> _Tok:
    idx = m.lastindex or 4
    txt = m.group(idx)
    kind = _KINDS[idx]
    space = m.group(1)
    start = m.start(idx)
    return _Tok(start, start + len(txt), kind, txt, _word_norm(txt) if kind == "w" else txt, bool(space), "\n" in space)


class _Fwd:
    """Tokens from a position onwards, read on demand."""

    __slots__ = ("pos", "text", "toks")

    def __init__(self, text: str, pos: int) -> None:
        self.text = text
        self.pos = pos
        self.toks: list[_Tok] = []

    def get(self, i: int) -> _Tok | None:
        toks = self.toks
        while len(toks) <= i:
            m = _TOKEN_RE.match(self.text, self.pos)
            if m is None or m.lastindex is None or m.lastindex < 2:
                return None
            tok = _make_tok(m)
            if not toks and m.start(1) == m.end(1) and tok.start > 0:
                before = self.text[tok.start - 1]
                tok.gap, tok.nl = before.isspace(), before == "\n"
            toks.append(tok)
            self.pos = m.end()
        return toks[i]

    def word(self, i: int) -> _Tok | None:
        """Token ``i`` if it is a word on the same line."""
        t = self.get(i)
        if t is None or t.kind != "w" or t.nl:
            return None
        return t


_DIGIT_CHARS = frozenset("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")
_NUM_SEPARATORS = frozenset(".,٫٬")


def _prev_tokens(text: str, pos: int, limit: int = 3) -> list[_Tok]:
    """Up to ``limit`` tokens before ``pos`` on the same line, nearest last (read backwards)."""
    toks: list[_Tok] = []
    end = pos
    while len(toks) < limit:
        i = end
        while i > 0 and text[i - 1].isspace():
            i -= 1
        if i == 0 or "\n" in text[i:end]:
            break
        j = i - 1
        ch = text[j]
        if ch in _DIGIT_CHARS:
            while j > 0 and (
                text[j - 1] in _DIGIT_CHARS
                or (text[j - 1] in _NUM_SEPARATORS and j > 1 and text[j - 2] in _DIGIT_CHARS)
            ):
                j -= 1
            kind = "n"
        elif ch.isalpha() or ch in _REMOVED:
            while j > 0 and (text[j - 1].isalpha() or text[j - 1] in _REMOVED):
                j -= 1
            kind = "w"
        else:
            kind = "p"
        txt = text[j:i]
        gap = i < end
        if toks:
            toks[-1].gap = gap
            toks[-1].nl = "\n" in text[i:end]
        toks.append(_Tok(j, i, kind, txt, _word_norm(txt) if kind == "w" else txt, False, False))
        end = j
    if toks:  # whitespace before the farthest token
        last = toks[-1]
        before = text[last.start - 1] if last.start > 0 else "\n"
        last.gap, last.nl = before.isspace(), before == "\n"
    toks.reverse()
    return toks


# --------------------------------------------------------------------------------------------------
# Lexicons (keys are written naturally and normalized when the tables are built)


class _NW(NamedTuple):
    cat: str  # d unit digit, t ten, T tens, h hundreds, s scale, v vague, f fraction, b few (بضع)
    val: float
    form: str = ""  # scales: "1" singular, "2" dual, "p" plural; d: "teen" needs عشر, "one" واحد
    definite: bool = False


_NUMBER_WORDS: dict[str, _NW] = {}


def _add(words: str, entry: _NW, definite: bool = False) -> None:
    for w in words.split():
        _NUMBER_WORDS[_norm(w)] = entry._replace(val=float(entry.val))
        if definite:
            _NUMBER_WORDS[_norm("ال" + w)] = entry._replace(val=float(entry.val), definite=True)


_add("واحد واحدا واحدة", _NW("d", 1, "one"))
_add("أحد إحدى", _NW("d", 1, "teen"))
_add("اثنان اثنين اثنتان اثنتين ثنتان ثنتين", _NW("d", 2))
_add("اثنا اثني اثنتا اثنتي", _NW("d", 2, "teen"))
for _v, _forms in enumerate(
    ("ثلاث ثلاثة", "أربع أربعة", "خمس خمسة", "ست ستة", "سبع سبعة", "ثمان ثماني ثمانية", "تسع تسعة"), 3
):
    _add(_forms, _NW("d", _v), definite=True)
_add("عشر عشرة", _NW("t", 10), definite=True)
for _v, _forms in enumerate(
    (
        "عشرون عشرين",
        "ثلاثون ثلاثين",
        "أربعون أربعين",
        "خمسون خمسين",
        "ستون ستين",
        "سبعون سبعين",
        "ثمانون ثمانين",
        "تسعون تسعين",
    ),
    2,
):
    _add(_forms, _NW("T", _v * 10), definite=True)
_add("مئة مائة", _NW("h", 100))
_add("مئتان مئتين مئتا مئتي مائتان مائتين مائتا مائتي", _NW("h", 200))
for _v, _stems in enumerate(
    ("ثلاث ثلث", "أربع", "خمس", "ست", "سبع", "ثمان ثماني", "تسع"),
    3,
):
    for _stem in _stems.split():
        _add(f"{_stem}مئة {_stem}مائة", _NW("h", _v * 100))
_add("ألف ألفا", _NW("s", 1e3, "1"))
_add("ألفان ألفين ألفي", _NW("s", 1e3, "2"))
_add("آلاف ألوف", _NW("s", 1e3, "p"), definite=True)
_add("مليون مليونا", _NW("s", 1e6, "1"))
_add("مليونان مليونين مليوني", _NW("s", 1e6, "2"))
_add("ملايين", _NW("s", 1e6, "p"), definite=True)
_add("مليار مليارا بليون بليونا", _NW("s", 1e9, "1"))
_add("ملياران مليارين ملياري", _NW("s", 1e9, "2"))
_add("مليارات بلايين", _NW("s", 1e9, "p"), definite=True)
_add("تريليون ترليون", _NW("s", 1e12, "1"))
_add("تريليونات ترليونات", _NW("s", 1e12, "p"))
_add("عشرات", _NW("v", 20), definite=True)
_add("مئات", _NW("v", 200), definite=True)
_add("بضع بضعة", _NW("b", 3))
_add("نصف", _NW("f", 0.5), definite=True)
_add("ثلث", _NW("f", 1 / 3), definite=True)
_add("ربع", _NW("f", 0.25), definite=True)
_add("ثلثا ثلثي", _NW("f", 2 / 3), definite=True)
_add("أرباع", _NW("f", 0.25, "p"))
_add("أثلاث", _NW("f", 1 / 3, "p"))

# Vague low bounds for plural scales standing alone ("آلاف الأجانب").
_PLURAL_LOW = {1e3: 2e3, 1e6: 2e6, 1e9: 2e9, 1e12: 2e12}


class _UW(NamedTuple):
    code: str
    form: str  # "1" singular, "2" dual, "p" plural
    definite: bool = False


_UNIT_WORDS: dict[str, _UW] = {}


def _unit(code: str, singular: str = "", dual: str = "", plural: str = "", definite: str = "") -> None:
    for form, words in (("1", singular), ("2", dual), ("p", plural)):
        for w in words.split():
            _UNIT_WORDS[_norm(w)] = _UW(code, form)
    for w in definite.split():  # definite forms: "2" duals and "p" plurals, marked by the first letter
        form = "2" if _norm(w).endswith(("ين", "ان")) and not _norm(w).endswith("سنين") else "p"
        _UNIT_WORDS[_norm(w)] = _UW(code, form, True)


_unit("hour", "ساعة", "ساعتين ساعتان", "ساعات", "الساعتين الساعات")
_unit("day", "يوم يوما", "يومين يومان", "أيام", "اليومين الأيام")
_unit("week", "أسبوع أسبوعا", "أسبوعين أسبوعان", "أسابيع", "الأسبوعين الأسابيع")
_unit("month", "شهر شهرا", "شهرين شهران", "أشهر شهور", "الشهرين الأشهر الشهور")
_unit(
    "year",
    "سنة عام عاما",
    "سنتين سنتان عامين عامان",
    "سنوات سنين أعوام",
    "السنتين العامين السنوات السنين الأعوام",
)
_unit("km", "كيلومتر كيلومترا كم كلم", "كيلومترين", "كيلومترات")
_unit("m", "متر مترا", "مترين", "أمتار")
_unit("mi", "ميل ميلا", "ميلين", "أميال")
_unit("ha", "هكتار هكتارا", "", "هكتارات")
_unit("dunum", "دونم دونما", "دونمين", "دونمات دوانم")
_unit("t", "طن طنا", "طنين", "أطنان", "الأطنان")
_unit("kg", "كيلوغرام كيلوغراما كيلوجرام كيلوجراما كغ كلغ كجم", "", "كيلوغرامات كيلوجرامات")
_unit("percent", "بالمئة بالمائة بالمية")
_unit("times", "ضعف ضعفا مرة", "ضعفين ضعفان ضعفي مرتين مرتان", "أضعاف مرات")
_unit("USD", "دولار دولارا", "دولارين", "دولارات", "الدولارات الدولار")
_unit("IQD", "دينار دينارا", "دينارين", "دنانير", "الدنانير")
_unit("SYP", "ليرة", "ليرتين", "ليرات", "الليرات")
_unit("EUR", "يورو")
_unit("EGP", "جنيه جنيها", "جنيهين", "جنيهات")
_unit("SAR", "ريال ريالا", "ريالين", "ريالات")
# currencies with no code in labels.json: a mention in them is left out rather than mislabelled
_unit("", "درهم درهما تومان روبل روبلا يوان روبية فرنك فرنكا شيكل شيكلا بيزو", "", "دراهم روبلات روبيات فرنكات")

_CURRENCIES = frozenset({"USD", "IQD", "SYP", "EUR", "EGP", "SAR"})
_SQUARE = frozenset(_norm(w) for w in _split("مربع مربعا مربعة المربع المربعة مربعين"))
_SQUARED = {"km": "km2", "m": "m2"}
_DURATION_UNITS = frozenset({"hour", "day", "week", "month", "year"})
# Units that may stand alone after a bound word ("أكثر من أسبوع") or before واحد ("يوم واحد").
_SINGLE_OK = _DURATION_UNITS | _CURRENCIES | {"km", "m", "mi", "t", "kg"}

# Currency qualifiers: adjective → code (per currency word's default code), or None (not in labels).
_CURRENCY_QUALIFIERS: dict[str, dict[str, str | None]] = {}


def _qual(default: str, words: str, code: str | None) -> None:
    for w in words.split():
        for form in (w, "ال" + w):
            _CURRENCY_QUALIFIERS.setdefault(default, {})[_norm(form)] = code


_qual("USD", "أمريكي أميركي أمريكيا أميركيا", "USD")
_qual("USD", "كندي أسترالي استرالي سنغافوري نيوزيلندي", None)
_qual("IQD", "عراقي", "IQD")
_qual("IQD", "أردني", "JOD")
_qual("IQD", "كويتي بحريني ليبي تونسي جزائري صربي", None)
_qual("SYP", "سورية سوري", "SYP")
_qual("SYP", "تركية تركي", "TRY")
_qual("SYP", "لبنانية لبناني", "LBP")
_qual("EGP", "مصري", "EGP")
_qual("EGP", "إسترليني استرليني", "GBP")
_qual("EGP", "سوداني جنوب", None)
_qual("SAR", "سعودي", "SAR")
_qual("SAR", "إيراني", "IRR")
_qual("SAR", "قطري عماني يمني برازيلي", None)

_DUAL_COUNTS = frozenset(
    _norm(w)
    for w in _split(
        "شخصين شخصان جنديين جنديان طفلين طفلان قتيلين قتيلان جريحين جريحان عنصرين عنصران ضابطين"
        " ضابطان صاروخين صاروخان هجومين هجومان تفجيرين انفجارين سيارتين طائرتين قريتين مدينتين"
        " دولتين بلدين منزلين امرأتين رجلين شقيقين عبوتين جبهتين غارتين مروحيتين دبابتين حافلتين"
        " سجينين رهينتين قذيفتين"
    )
)

_MONTHS = frozenset(
    _norm(w)
    for w in _split(
        "يناير فبراير مارس أبريل إبريل ابريل مايو يونيو يونيه يوليو يوليه أغسطس اغسطس سبتمبر أكتوبر"
        " اكتوبر نوفمبر ديسمبر كانون شباط آذار اذار نيسان أيار حزيران تموز آب أيلول تشرين محرم رجب شعبان"
        " رمضان شوال"
    )
)
_YEAR_HEADS = frozenset(
    _norm(w)
    for w in _split(
        "عام العام عامي سنة السنة سنتي مطلع أوائل أواخر أواسط منتصف بداية بدايات نهاية نهايات خريف ربيع صيف شتاء"
        " موازنة ميزانية انتخابات دستور مونديال أولمبياد"
    )
)
_ID_HEADS = frozenset(
    _norm(w)
    for w in _split(
        "اللواء لواء الفرقة فرقة الفوج فوج الكتيبة كتيبة السرية الفيلق فيلق القرار قرار القانون قانون"
        " المادة مادة الفقرة فقرة البند بند العدد الصفحة صفحة ص رقم الرقم المرسوم مرسوم الطريق طريق"
        " الشارع شارع الجزء المجلد الحلقة الطبعة الإصدار الغرفة المبنى الطابق البوابة الكيلو المرتبة"
        " المركز الدرجة النقطة المرحلة الدورة الجولة الموديل طراز الطراز الهاتف هاتف واتساب تلفون جوال"
        " موبايل الخط الآية سورة المقعد"
    )
)
_YEAR_PREPOSITIONS = frozenset(_norm(w) for w in _split("في منذ حتى قبل بعد خلال مع مطلع"))
_LETTER_NAMES = frozenset(_split("آي إف اف إم سو ميغ ميج تي بي جي إس إتش كا"))
_TIME_AFTER = frozenset(_norm(w) for w in _split("صباحا صباح مساء مساءا ظهرا عصرا فجرا ليلا بتوقيت ص"))
_ORDINALS = frozenset(
    _norm(w)
    for w in _split(
        "حادي ثاني ثالث رابع خامس سادس سابع ثامن تاسع حادية ثانية ثالثة رابعة خامسة سادسة سابعة ثامنة تاسعة"
    )
    for w in (w, "ال" + w)
)
_PERIOD_AFTER = frozenset(_norm(w) for w in _split("الأول الثاني الثالث الرابع الأخير الأولى نهائي النهائي"))
_NOT_COUNTED_DEF = frozenset(  # definite nouns a definite cardinal after them does not count
    _norm(w)
    for w in _split(
        "القرن مجموعة المجموعة العقد الذكرى العيد القمة الدورة الفصل الباب الجزء المرحلة الطابق الساعة"
        " العام السنة اليوم الأسبوع الشهر المادة الفقرة البند الصف الحلقة"
    )
)
_STOP = frozenset(
    _norm(w)
    for w in _split(
        "في من إلى الى على عن مع أو أم ثم بل لكن أن إن أنه أنها إنه إنها ما لا لم لن قد كان كانت كانوا"
        " يكون تكون هو هي هم هن هذا هذه ذلك تلك هؤلاء الذي التي الذين حيث إذ إذا أي كل بعض جميع غير سوى"
        " فقط أيضا حتى منذ خلال بعد قبل نحو حوالي عند لدى بين تحت فوق دون ضد عبر وفق حسب بحسب وفقا مثل"
        " كما أكثر أقل تقريبا يوميا سنويا شهريا أسبوعيا أخرى آخر آخرين آخرون أخريات فيما بينما لأن كي"
        " لكي قال قالت ليس ليست هناك هنا الآن اليوم أمس غدا صباحا مساء ليلا نهارا مختلف عدة عدد أقصى"
        " أدنى أول أولى إضافية إضافي فأكثر فما نقدا نقدًا فحسب معا جميعا كلهم منهم منها منه بينهم"
        " أصل أجل إزاء لدي وسط داخل خارج قرب أمام وراء خلف حول ضمن عبر بشكل بنحو بحدود ألا إلا"
        " شخصيا تماما أبدا حاليا مؤخرا سابقا لاحقا جديد جديدة كبير كبيرة صغير صغيرة عديدة متتالية"
    )
)
_COUNTED_W_OK = tuple(  # nouns that begin with و (other و-initial words are و + a verb: وقتل، وأصيب)
    _norm(w)
    for w in _split(
        "وزير وزرا وحد وثيق وثائق وفد وفود وكال وسيل وسائل وظيف وظائف ولاي وجب وسيط وسطاء وديع ودائع"
        " وجهاء وافد ولد وكر أوكار ورش ورق وادي وفا وفي وقائع واقع"
    )
)
_COUNTED_Y_OK = frozenset(
    _norm(w) for w in _split("يزيدي يزيديا يزيديين يهودي يهوديا يهود يمني يمنيا يمنيين يتيم يتيما أيتام")
)
_IDIOMS = tuple(_norm(p) for p in ("ألف ليلة وليلة", "ألف ليلة و ليلة"))
_NOT_NUMBER = frozenset(_norm(w) for w in _split("لست لستم"))
_WA = "و"


def _emitted_units() -> frozenset[str]:
    """Every unit code the recognizer can emit (a test checks them against labels.json)."""
    codes = {u.code for u in _UNIT_WORDS.values() if u.code} | set(_SQUARED.values()) | {"count", "fraction", "percent"}
    codes |= {c for table in _CURRENCY_QUALIFIERS.values() for c in table.values() if c}
    return frozenset(codes)


def _bases(word: str) -> Iterator[tuple[int, str]]:
    """(letters stripped, remainder) for the word as written and without its proclitics."""
    yield 0, word
    n = len(word)
    if n > 2 and word[0] in "وف":
        yield 1, word[1:]
        if n > 3 and word[1] in "بك":
            yield 2, word[2:]
        if n > 4 and word.startswith("لل", 1):
            yield 3, "ال" + word[3:]
        elif n > 3 and word[1] == "ل":
            yield 2, word[2:]
    if n > 2 and word[0] in "بك":
        yield 1, word[1:]
    if n > 3 and word.startswith("لل"):
        yield 2, "ال" + word[2:]
    elif n > 2 and word[0] == "ل":
        yield 1, word[1:]


# --------------------------------------------------------------------------------------------------
# Candidate finder


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
        alts = [_cls(ch) + _M + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body

    return emit(trie)


def _anchor_words() -> set[str]:
    words = {w for w, e in _NUMBER_WORDS.items() if not e.definite}
    words |= {
        w for w, u in _UNIT_WORDS.items() if not u.definite and (u.form == "2" or (u.code in _SINGLE_OK and len(w) > 3))
    }
    words |= {w[2:] for w, u in _UNIT_WORDS.items() if u.definite and u.form == "2"}
    words |= set(_DUAL_COUNTS) | {_norm("عدة"), _norm("أطنان")}
    return words


def _anchor_regex() -> re.Pattern[str]:
    words = _anchor_words()
    first = "".join(sorted({_cls(w[0]).strip("[]") for w in words}))
    return re.compile(
        rf"{_D}+|\b(?=[وفبلكا{first}])(?<![{_MARKS}])(?:[وفبلك]{_M}){{0,2}}(?:ال{_M})?"
        rf"{_trie_regex(words)}(?![^\W\d_])"
    )


_ANCHOR_RE = _anchor_regex()


# --------------------------------------------------------------------------------------------------
# Prefixes (bounds and approximations before the number), matched on normalized words

_SUBJ = r"(?: \S+){0,2}?"
_PREFIX_RE = re.compile(
    r"(?:^| )(?P<pro>[وف]?[بلك]?)(?:"
    rf"(?P<high>اقل من|ما يقل عن|ما يصل (?:الي|حتي)|(?:ما )?(?:لا|الا) (?:يزيد|تزيد)(?P<s1>{_SUBJ}) (?:علي|عن)"
    rf"|(?:ما )?(?:لا|الا) (?:يتجاوز|تتجاوز)(?P<s2>{_SUBJ}))"
    rf"|(?P<low>اكثر من|ازيد من|(?:ما )?(?:يزيد|تزيد|يربو|تربو)(?P<s3>{_SUBJ}) (?:علي|عن)"
    rf"|(?:ما )?(?:لا|الا) (?:يقل|تقل)(?P<s4>{_SUBJ}) عن|(?:يتجاوز|تتجاوز)(?P<s5>{_SUBJ}))"
    r"|(?P<approx>نحو|حوالي|قرابه|زهاء|بحدود|في حدود|ما (?:يقارب|يناهز|يعادل)|يقارب|يناهز|"
    r"ما يقرب من|يقرب من|تقريبا)"
    r"|(?P<between>(?:ما )?بين)"
    r"|(?P<from>من)"
    r")$"
)
_SUBJECT_GROUPS = ("s1", "s2", "s3", "s4", "s5")
_PREFIX_VERBS = frozenset(_split("يزيد تزيد يقل تقل يتجاوز تتجاوز يربو تربو"))

_PREFIX_LAST = frozenset(
    _split("من عن علي الي حتي نحو حوالي الا قرابه زهاء بحدود حدود يقارب يناهز يعادل تقريبا بين يتجاوز تتجاوز")
) | frozenset(
    p + w for p in ("و", "ف", "ب", "ل", "وب", "ول", "فب", "فل") for w in _split("نحو حوالي قرابه زهاء بين بحدود")
)


class _Prefix(NamedTuple):
    kind: str  # "high" | "low" | "approx" | "between" | "from" | ""
    start: int  # span start if the prefix is inside the span, else -1
    inside: bool

    @property
    def bound(self) -> bool:
        """An approximation or a bound on one number (not a range opener)."""
        return self.kind in ("approx", "low", "high")


def _prefix(text: str, prev: list[_Tok]) -> _Prefix:
    last = prev[-1] if prev else None
    no_verb = all(t.norm not in _PREFIX_VERBS for t in prev)  # لا تزيد مساحتها على
    if last is not None and last.kind == "w" and last.norm not in _PREFIX_LAST and no_verb:
        return _Prefix("", -1, False)
    if len(prev) >= 3 and prev[0].kind == "w" and not prev[0].nl:
        prev = _prev_tokens(text, prev[0].start, 3) + prev
    words: list[_Tok] = []
    for t in reversed(prev):
        if t.kind != "w":
            break
        words.append(t)
        if t.nl or len(words) == 6:
            break
    if not words:
        return _Prefix("", -1, False)
    words.reverse()
    joined = " ".join(t.norm for t in words)
    m = _PREFIX_RE.search(joined)
    if m is None:
        return _Prefix("", -1, False)
    kind = ""
    for name in ("high", "low", "approx", "between", "from"):
        if m.group(name) is not None:
            kind = name
            break
    subject = any(m.group(g) for g in _SUBJECT_GROUPS)
    # Which token does the match start in?
    at = m.start("pro")
    pos = 0
    for t in words:
        if pos == at:
            start = t.start + _raw_offset(t.text, len(m.group("pro")))
            return _Prefix(kind, start, not subject)
        pos += len(t.norm) + 1
    return _Prefix("", -1, False)


# --------------------------------------------------------------------------------------------------
# Numbers


class _Num(NamedTuple):
    start: int
    end: int
    nxt: int  # index of the next token
    value: float | None  # None for vague quantities
    low: float | None  # vague: smallest value implied
    high: float | None
    raw: float  # before the scale word
    scale: float  # 1.0 when no scale word
    kind: str  # digits | words | vague | frac | dual | single
    unit: str | None = None
    counted: Span | None = None
    definite: bool = False
    ident: bool = False  # after an identifier head (اللواء، الكيلو): kept only with a unit


def _digits_value(s: str) -> float | None:
    s = s.translate(_DIGIT_TABLE)
    if "," in s:
        head, _, tail = s.partition(",")
        decimal_comma = len(tail) in (1, 2) and "," not in tail and "." not in tail  # 3,6 مليون
        s = head + "." + tail if decimal_comma else s.replace(",", "")
    elif s.count(".") > 1:
        s = s.replace(".", "")
    try:
        return float(s)
    except ValueError:
        return None


def _lookup(t: _Tok) -> tuple[int, _NW] | None:
    """The number-word entry for a word token, allowing proclitics; (letters stripped, entry)."""
    if t.norm in _NOT_NUMBER:
        return None
    for n, base in _bases(t.norm):
        e = _NUMBER_WORDS.get(base)
        if e is not None:
            return n, e
    return None


def _scale_after(fwd: _Fwd, i: int) -> tuple[float, int, _Tok | None]:
    """A scale word at token ``i``: (scale, next index, token) or (1.0, i, None)."""
    t = fwd.word(i)
    if t is not None:
        e = _NUMBER_WORDS.get(t.norm)
        if e is not None and e.cat == "s" and e.form != "2" and not e.definite:
            return e.val, i + 1, t
    return 1.0, i, None


def _half_after(fwd: _Fwd, i: int) -> tuple[float, int, _Tok | None]:
    """``ونصف`` / ``وربع`` / ``و نصف`` at token ``i``: (fraction, next index, last token)."""
    t = fwd.word(i)
    if t is None:
        return 0.0, i, None
    if t.norm == _WA:
        t2 = fwd.word(i + 1)
        if t2 is not None:
            e = _NUMBER_WORDS.get(t2.norm)
            if e is not None and e.cat == "f" and e.form == "" and not e.definite:
                return e.val, i + 2, t2
        return 0.0, i, None
    if t.norm.startswith(_WA):
        e = _NUMBER_WORDS.get(t.norm[1:])
        if e is not None and e.cat == "f" and e.form == "" and not e.definite:
            return e.val, i + 1, t
    return 0.0, i, None


def _evaluate(parts: list[tuple[_NW, bool]]) -> tuple[float, int]:
    """Value of a run of number words and how many of them form one valid number."""
    total = 0.0
    cur = 0.0
    last_scale = float("inf")
    prev_cat = ""
    for k, (e, joined) in enumerate(parts):
        cat, val = e.cat, e.val
        ok = True
        if k > 0 and e.definite:
            ok = False
        elif cat == "d":
            if e.form == "teen" and (k + 1 >= len(parts) or parts[k + 1][0].cat != "t" or parts[k + 1][1]):
                ok = False
            elif k == 0:
                cur = val
            elif joined and cur % 10 == 0 and (cur > 0 or total > 0):
                cur += val
            else:
                ok = False
        elif cat == "t":
            if k == 0:
                cur = val
            elif (not joined and prev_cat == "d" and cur % 100 < 10) or (  # ثلاثة عشر
                joined and cur % 100 == 0 and (cur > 0 or total > 0)  # مئة وعشرة
            ):
                cur += val
            else:
                ok = False
        elif cat == "T":
            if k == 0:
                cur = val
            elif joined and ((prev_cat == "d" and cur % 100 < 10) or (cur % 100 == 0 and (cur > 0 or total > 0))):
                cur += val
            else:
                ok = False
        elif cat == "h":
            if k == 0:
                cur = val
            elif not joined and val == 100 and prev_cat == "d" and 0 < cur < 10:
                cur *= 100
            elif joined and cur == 0 and total > 0:
                cur = val
            else:
                ok = False
        elif cat == "s":
            if val >= last_scale or joined:
                ok = False
            elif e.form == "2":
                if k == 0:
                    total, cur, last_scale = 2 * val, 0.0, val
                else:
                    ok = False
            elif cur == 0:
                if k == 0 and e.form == "1":
                    total, last_scale = val, val
                else:
                    ok = False
            elif e.form == "p" and cur > 10:
                ok = False
            else:
                total, cur, last_scale = total + cur * val, 0.0, val
        elif cat == "f" and e.form == "" and joined and k > 0 and not e.definite:
            if cur == 0 and total > 0 and last_scale != float("inf"):
                total += val * last_scale
            elif cur > 0:
                cur += val
            else:
                ok = False
            if ok:
                return total + cur, k + 1
        else:
            ok = False
        if not ok:
            return total + cur, k
        prev_cat = cat
    return total + cur, len(parts)


def _word_run(fwd: _Fwd, i: int, first: _NW) -> tuple[list[tuple[_NW, bool]], list[int]]:
    """The number words from token ``i``: entries (with "joined by و") and the token index after each."""
    parts: list[tuple[_NW, bool]] = [(first, False)]
    ends = [i + 1]
    j = i + 1
    while len(parts) < 12:
        t = fwd.word(j)
        if t is None:
            break
        if t.norm == _WA:
            t2 = fwd.word(j + 1)
            e = _NUMBER_WORDS.get(t2.norm) if t2 is not None else None
            if e is None or e.definite:
                break
            parts.append((e, True))
            j += 2
        else:
            e = _NUMBER_WORDS.get(t.norm)
            joined = False
            if e is None and t.norm.startswith(_WA):
                e = _NUMBER_WORDS.get(t.norm[1:])
                joined = True
            if e is None or e.definite:
                break
            parts.append((e, joined))
            j += 1
        ends.append(j)
    return parts, ends


def _number(fwd: _Fwd, i: int, strip: bool = True, split_last_and: bool = False) -> _Num | None:
    """The number at token ``i`` (digits or words, with any scale word), or None."""
    t = fwd.get(i)
    if t is None:
        return None
    if t.kind == "n":
        v = _digits_value(t.text)
        if v is None:
            return None
        scale, j, st = _scale_after(fwd, i + 1)
        if st is None:
            return _Num(t.start, t.end, j, v, None, None, v, 1.0, "digits")
        frac, j2, ft = _half_after(fwd, j)  # 3 ملايين ونصف
        if ft is not None:
            return _Num(t.start, ft.end, j2, (v + frac) * scale, None, None, v + frac, scale, "digits")
        return _Num(t.start, st.end, j, v * scale, None, None, v, scale, "digits")
    if t.kind != "w":
        return None
    if strip:
        hit = _lookup(t)
    else:
        e0 = _NUMBER_WORDS.get(t.norm)
        hit = None if e0 is None else (0, e0)
    if hit is None:
        return None
    stripped, e = hit
    start = t.start + _raw_offset(t.text, stripped)
    if e.cat == "v" or (e.cat == "s" and e.form == "p"):
        return _vague(fwd, i, start, e)
    if e.cat == "b":  # بضع، بضعة آلاف
        scale, j, st = _scale_after(fwd, i + 1)
        if st is not None and _NUMBER_WORDS[st.norm].form != "p":
            scale, j, st = 1.0, i + 1, None
        end = st.end if st is not None else t.end
        return _Num(start, end, j, None, 3 * scale, 9 * scale, 3, scale, "vague")
    if e.cat == "f":
        return _fraction(fwd, i, start, e)
    return _words_number(fwd, i, e, start, split_last_and)


def _words_number(fwd: _Fwd, i: int, e: _NW, start: int, split_last_and: bool = False) -> _Num | None:
    """A number written in words from token ``i`` (whose entry is ``e``)."""
    parts, ends = _word_run(fwd, i, e)
    value, n = _evaluate(parts)
    if split_last_and and n > 1:
        # inside "بين X و Y" with no Y after: give the last "و"-joined word back (بين خمسة وعشرين)
        joins = [k for k in range(1, n) if parts[k][1]]
        if joins:
            value, n = _evaluate(parts[: joins[-1]])
    if n == 0 or (e.form == "one" and n == 1):
        return None  # واحد alone counts only after a unit
    j = ends[n - 1]
    last = fwd.get(j - 1)
    assert last is not None
    scales = [p.val for p, _ in parts[:n] if p.cat == "s"]
    scale = max(scales, default=1.0)
    raw = value / scale
    nxt = fwd.word(j)
    if not scales and nxt is not None:  # ثلاثة أرباع
        fe = _NUMBER_WORDS.get(nxt.norm)
        if fe is not None and fe.cat == "f" and fe.form == "p":
            return _fraction(fwd, j, start, fe._replace(val=value * fe.val, form=""))
    return _Num(start, last.end, j, value, None, None, raw, scale, "words", definite=e.definite and n == 1)


def _vague(fwd: _Fwd, i: int, start: int, e: _NW) -> _Num:
    t = fwd.get(i)
    assert t is not None
    low = e.val if e.cat == "v" else _PLURAL_LOW[e.val]
    end, j = t.end, i + 1
    t2 = fwd.word(j)
    if t2 is not None:  # عشرات الآلاف، مئات الملايين، مئات ملايين
        e2 = _NUMBER_WORDS.get(t2.norm)
        if e2 is not None and e2.cat == "s" and e2.form == "p":
            low, end, j = low * e2.val, t2.end, j + 1
    return _Num(start, end, j, None, low, None, low, 1.0, "vague", definite=e.definite)


def _fraction(fwd: _Fwd, i: int, start: int, e: _NW) -> _Num | None:
    t = fwd.get(i)
    assert t is not None
    nxt = fwd.word(i + 1)
    if e.definite and nxt is not None and nxt.norm in _PERIOD_AFTER:
        return None  # النصف الأول، الربع الأخير: periods
    if nxt is not None and nxt.norm in _PERIOD_AFTER and nxt.norm.endswith("نهائي"):
        return None  # ربع نهائي
    scale, j, st = _scale_after(fwd, i + 1)
    if st is not None:  # نصف مليون
        return _Num(start, st.end, j, e.val * scale, None, None, e.val, scale, "words")
    return _Num(start, t.end, i + 1, e.val, None, None, e.val, 1.0, "frac", definite=e.definite)


# --------------------------------------------------------------------------------------------------
# Units and counted nouns


def _unit_at(fwd: _Fwd, i: int, definite_ok: bool = False) -> tuple[str, str, int, int] | None:
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
    uw = _UNIT_WORDS.get(n)
    if uw is None or (uw.definite and not definite_ok):
        return None
    code, end, j = uw.code, t.end, i + 1
    if code in _SQUARED:
        t2 = fwd.get(j)
        if t2 is not None and not t2.nl:
            squared_word = t2.kind == "w" and t2.norm in _SQUARE  # كم مربع
            squared_sign = not t2.gap and t2.text in ("2", "٢", "²")  # كم2
            if squared_word or squared_sign:
                code, end, j = _SQUARED[code], t2.end, j + 1
    if code in _CURRENCY_QUALIFIERS:
        t2 = fwd.word(j)
        if t2 is not None and t2.norm in _CURRENCY_QUALIFIERS[code]:
            qcode = _CURRENCY_QUALIFIERS[code][t2.norm]
            code, end, j = qcode or "", t2.end, j + 1
    return code, uw.form, end, j


def _counted_word_ok(t: _Tok, definite_ok: bool) -> bool:
    n = t.norm
    if len(n) < 2 or n in _STOP or n in _MONTHS or n in _NUMBER_WORDS or n in _UNIT_WORDS:
        return False
    if not ("\u0621" <= t.text[0] <= "\u064a"):
        return False
    if n.startswith("ال") and not definite_ok:
        return False
    if n.startswith(("لل", "بال", "وال", "فال", "كال")):
        return False
    if n[0] == "و" and not n.startswith(_COUNTED_W_OK):
        return False
    if n[0] == "ف" and len(n) > 3 and (n[1] in "اتيسن" or n.startswith("فال")) and not n.startswith("فت"):
        return False
    if n[0] == "ي" and n not in _COUNTED_Y_OK:
        return False
    if n.endswith("وا") and len(n) > 3:
        return False
    if n[0] == "س" and n[1:2] in ("ي", "ت", "ن") and n.endswith(("ون", "ان")):
        return False
    return n not in _ORDINALS


def _counted(fwd: _Fwd, i: int, definite_ok: bool) -> Span | None:
    """The counted noun at token ``i`` (or after a partitive من there)."""
    t = fwd.word(i)
    if t is None:
        return None
    if t.norm == "من":
        t2 = fwd.word(i + 1)
        if t2 is not None and _counted_word_ok(t2, True):
            return Span(t2.start, t2.end, t2.text)
        return None
    if _counted_word_ok(t, definite_ok):
        return Span(t.start, t.end, t.text)
    return None


# --------------------------------------------------------------------------------------------------
# Exclusions: dates, times, identifiers

_GLUE = frozenset("-/:.#+_\u2013\u2014@&*=")  # punctuation that makes digits part of a code or a date
_CLITICS = frozenset(_split("و ف ب ل ك وب ول وك فب فل فك"))
_CLITIC_ARTICLES = frozenset(_split("ال وال فال بال كال وبال فبال لل ولل فلل"))


def _head(t: _Tok) -> str:
    """A word without its proclitics, for the head-word lists (لعام → عام)."""
    for _, base in _bases(t.norm):
        if base in _ID_HEADS or base in _YEAR_HEADS or base in _MONTHS or base == "الساعه":
            return base
    return t.norm


def _is_latin(t: _Tok) -> bool:
    return t.text[0].isascii() and t.text[0].isalpha()


def _context(prev: list[_Tok], bare: bool) -> str:
    """What the words before a number make of it: "date" (a date, a year, a time of day), "id" (an
    identifier, unless a unit follows: سعر الكيلو 15 دولارا) or ""."""
    words: list[_Tok] = []
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
    head = _head(p1)
    if head in _YEAR_HEADS or head in _MONTHS or head == "الساعه":
        return "date"
    if len(words) > 1 and p1.norm in ("الاول", "الثاني") and words[1].norm in ("كانون", "تشرين"):
        return "date"
    if head in _ID_HEADS or p1.text in _LETTER_NAMES or _is_latin(p1):
        return "id"
    # قرار مجلس الأمن 2254: an identifier head a few words back, when nothing is counted
    return "id" if bare and any(_head(w) in _ID_HEADS for w in words[1:]) else ""


def _after_excludes(fwd: _Fwd, i: int) -> bool:
    """Words after a number that make it a day of the month or a time of day (token ``i`` follows it)."""
    n1 = fwd.word(i)
    if n1 is None:
        return False
    if n1.norm in _MONTHS or n1.norm in _TIME_AFTER or n1.text in ("هـ", "ه") or _is_latin(n1):
        return True
    if n1.norm == "من":
        n2 = fwd.word(i + 1)
        return n2 is not None and (n2.norm in _MONTHS or n2.norm in ("الشهر", "شهر"))
    return False


def _is_year_like(num: _Num) -> bool:
    v = num.value
    return num.kind == "digits" and num.scale == 1.0 and v is not None and v.is_integer() and 1900 <= v <= 2100


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


def _digit_core(fwd: _Fwd, t: _Tok, prev: list[_Tok]) -> tuple[_Num | None, list[_Tok]]:
    """The number at a digit token, and the words before it that may hold a prefix."""
    start = t.start
    unit: str | None = None
    definite = False
    p = prev[-1] if prev else None
    if p is not None and not t.gap:
        if p.kind == "w" and p.norm in _CLITICS:
            prev = prev[:-1]  # و700، بـ5
        elif p.kind == "w" and p.norm in _CLITIC_ARTICLES:
            start, definite, prev = p.start + _raw_offset(p.text, len(p.norm) - 2), True, prev[:-1]  # الـ19
        elif p.kind == "p" and p.text in "%٪$":
            start, unit, prev = p.start, ("USD" if p.text == "$" else "percent"), prev[:-1]
        elif p.kind != "p" or p.text in _GLUE:
            return None, prev  # F16، سو-24، /2019، 12:00، 1.2.2019
    n1 = fwd.get(1)
    if n1 is not None and not n1.gap:
        if n1.kind == "w":
            return None, prev  # 2019م، 3rd
        if n1.text in ":/":
            return None, prev
        n2 = fwd.get(2)
        if n1.text in ".-\u2013\u2014" and n2 is not None and not n2.gap and (n2.kind == "w" or n1.text == "."):
            return None, prev  # 22-يناير-2019، 12.3.2019
    digits = t.text.translate(_DIGIT_TABLE)
    if digits.isdigit() and (len(digits) >= 10 or (digits[0] == "0" and len(digits) > 1)):
        return None, prev  # phone numbers, codes
    context = _context(prev, bare=False)
    if context == "date" or _after_excludes(fwd, 1):
        return None, prev
    num = _number(fwd, 0)
    if num is None:
        return None, prev
    return num._replace(start=start, unit=unit or num.unit, definite=definite, ident=context == "id"), prev


def _word_core(text: str, fwd: _Fwd, prev: list[_Tok]) -> tuple[_Num | None, list[_Tok]]:
    """The number at a word token, and the words before it that may hold a prefix."""
    t0 = fwd.get(0)
    assert t0 is not None
    hit = _lookup(t0)
    if hit is not None:
        e = hit[1]
        if e.cat == "t" and prev and prev[-1].kind == "w" and prev[-1].norm in _ORDINALS:
            return None, prev  # الحادي عشر
        if t0.norm in ("الاثنين", "الاحد"):
            return None, prev  # weekdays
        num = _number(fwd, 0)
        if num is None and e.cat == "d" and e.form == "one":
            return _one_after_unit(fwd, prev), prev[:-1]
        if num is not None and num.kind == "words" and prev and prev[-1].kind == "w":
            head = _head(prev[-1])
            if head in _YEAR_HEADS or head in _MONTHS:
                return None, prev  # عام ألفين
        return num, prev
    if t0.norm == "عده":  # عدة مئات، عدة آلاف
        t1 = fwd.word(1)
        e1 = _NUMBER_WORDS.get(t1.norm) if t1 is not None else None
        if e1 is not None and not e1.definite and (e1.cat == "v" or (e1.cat == "s" and e1.form == "p")):
            return _vague(fwd, 1, t0.start, e1), prev
        return None, prev
    for stripped, base in _bases(t0.norm):
        start = t0.start + _raw_offset(t0.text, stripped)
        uw = _UNIT_WORDS.get(base)
        if uw is not None:
            return _unit_word_core(text, fwd, prev, uw, start), prev
        if base in _DUAL_COUNTS and stripped <= 1:
            span = Span(start, t0.end, text[start : t0.end])
            return _Num(start, t0.end, 1, 2.0, None, None, 2.0, 1.0, "dual", counted=span), prev
    return None, prev


def _one_after_unit(fwd: _Fwd, prev: list[_Tok]) -> _Num | None:
    """يوم واحد، شهر واحد: واحد counts only after a unit."""
    t0 = fwd.get(0)
    if t0 is None or not prev or prev[-1].kind != "w":
        return None
    p = prev[-1]
    uw = _UNIT_WORDS.get(p.norm)
    if uw is None or uw.form != "1" or uw.definite or uw.code not in _SINGLE_OK:
        return None
    return _Num(p.start, t0.end, 1, 1.0, None, None, 1.0, 1.0, "words", unit=uw.code)


def _unit_word_core(text: str, fwd: _Fwd, prev: list[_Tok], uw: _UW, start: int) -> _Num | None:
    """A unit word that is itself a quantity: a dual, أطنان, or a singular after a bound word."""
    t0 = fwd.get(0)
    assert t0 is not None
    if uw.form == "2" and (not uw.definite or uw.code in _DURATION_UNITS):
        frac, j, ft = _half_after(fwd, 1)
        end = ft.end if ft is not None else t0.end
        return _Num(start, end, j, 2.0 + frac, None, None, 2.0, 1.0, "dual", unit=uw.code)
    if uw.form == "p" and uw.code == "t" and not uw.definite:
        return _Num(start, t0.end, 1, None, 2.0, None, 2.0, 1.0, "vague", unit="t")
    if uw.form == "1" and not uw.definite and uw.code in _SINGLE_OK:
        frac, j, ft = _half_after(fwd, 1)
        if ft is not None:  # ساعة ونصف
            return _Num(start, ft.end, j, 1.0 + frac, None, None, 1.0, 1.0, "dual", unit=uw.code)
        if _prefix(text, prev).bound:  # أكثر من أسبوع
            return _Num(start, t0.end, 1, 1.0, None, None, 1.0, 1.0, "dual", unit=uw.code)
    return None


def _definite_after_noun(prev: list[_Tok], num: _Num) -> tuple[str | None, int, Span | None] | None:
    """A definite number after a definite noun: (unit code, span start, None) when the noun is a unit
    (الأشهر الستة), (None, -1, counted noun) when it is counted (الدول الخمس); None otherwise."""
    if not prev or prev[-1].kind != "w":
        return None
    p = prev[-1]
    for stripped, base in _bases(p.norm):
        uw = _UNIT_WORDS.get(base)
        if uw is not None and uw.definite and uw.form == "p":
            return uw.code, p.start + _raw_offset(p.text, stripped), None
    if num.kind == "digits":
        return None
    base = next((b for _, b in _bases(p.norm) if b.startswith("ال")), "")
    if not base or base in _NOT_COUNTED_DEF or base in _STOP or not _counted_word_ok(p, True):
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


def _range(fwd: _Fwd, num: _Num, pre: _Prefix) -> _Range | None:
    """A second number making ``num`` a range, ``_NO_RANGE`` for a pair that must be dropped, or None."""
    j = num.nxt
    sep = fwd.get(j)
    if sep is None or sep.nl:
        return None
    y: _Num | None = None
    kind = ""
    if sep.kind == "p" and sep.text in "-\u2013\u2014" and num.kind == "digits":
        kind, y = "-", _number(fwd, j + 1, strip=False)
        if y is None or y.kind != "digits":
            return None
    elif sep.kind == "w" and sep.norm in ("الي", "حتي") and pre.kind in ("from", "between", ""):
        kind, y = "الي", _number(fwd, j + 1, strip=False)
    elif sep.kind == "w" and sep.norm == "او":
        kind, y = "او", _number(fwd, j + 1, strip=False)
    elif sep.kind == "w" and pre.kind == "between" and sep.norm == _WA:
        kind, y = "و", _number(fwd, j + 1, strip=False)
    elif sep.kind == "w" and pre.kind == "between" and sep.norm.startswith(_WA):
        kind, y = "و", _joined_number(fwd, j)
    if y is None or y.value is None or y.kind not in ("digits", "words"):
        return None
    low, high = num.value, y.value
    assert low is not None
    if num.scale == 1.0 and y.scale > 1.0 and num.raw <= y.raw:
        low = num.raw * y.scale  # 20-30 ألف
    if kind == "-" and (_is_year_like(num) or _is_year_like(y) or not num.raw < y.raw):
        return _NO_RANGE
    if kind in ("او", "الي", "و") and not low < high:
        return None  # "from 30 to 20" is a change, not a range: the first number stands alone
    return _Range(low, high, y.end, y.nxt, kind)


def _joined_number(fwd: _Fwd, j: int) -> _Num | None:
    """A number written with the conjunction attached (``وثلاثين``) at token ``j``."""
    t = fwd.word(j)
    if t is None or not t.norm.startswith(_WA):
        return None
    e = _NUMBER_WORDS.get(t.norm[1:])
    if e is None or e.definite or e.cat in ("v", "b", "f"):
        return None
    num = _words_number(fwd, j, e, t.start + _raw_offset(t.text, 1))
    return num


def _may_start(t: _Tok) -> bool:
    """Whether a word can open a mention at all (a cheap test before reading the context)."""
    if t.norm == "عده":
        return True
    return any(b in _NUMBER_WORDS or b in _UNIT_WORDS or b in _DUAL_COUNTS for _, b in _bases(t.norm))


def _parse_at(text: str, pos: int) -> _Mention | None:
    fwd = _Fwd(text, pos)
    t0 = fwd.get(0)
    if t0 is None:
        return None
    if t0.kind == "w" and not _may_start(t0):
        return None
    prev = _prev_tokens(text, pos)
    if t0.kind == "n":
        num, prev = _digit_core(fwd, t0, prev)
    else:
        num, prev = _word_core(text, fwd, prev)
    if num is None:
        return None
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
    pre = _prefix(text, prev)
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
            shorter = _number(fwd, 0, split_last_and=True)
            if shorter is not None and shorter.end < num.end:
                num = shorter._replace(start=num.start)
                rng = _range(fwd, num, pre)
        if rng is _NO_RANGE:
            return None
        if rng is not None:
            low, high, end, j, sep, ranged = rng.low, rng.high, rng.end, rng.nxt, rng.sep, True
    # the unit
    unit = num.unit
    if unit is None:
        found_unit = _unit_at(fwd, j, definite_ok=num.kind == "vague")
        if found_unit is None:
            w = fwd.word(j)
            if w is not None and w.norm == "من":
                found_unit = _unit_at(fwd, j + 1, definite_ok=True)
                if found_unit is not None and found_unit[0] not in _CURRENCIES:
                    found_unit = None
        if found_unit is not None and not (found_unit[1] == "2" and num.kind != "vague"):
            code, _, end, j = found_unit
            if not code:
                return None  # a currency with no code in labels.json (دينار كويتي)
            unit = code
            if not ranged and num.value is not None:
                frac, j2, ft = _half_after(fwd, j)
                if ft is not None:  # ثلاث سنوات ونصف
                    num, end, j = num._replace(value=num.value + frac), ft.end, j2
    if unit is None and num.kind == "frac":
        unit = "fraction"
    # the counted noun
    if counted is None:
        if unit is None:
            counted = _counted(fwd, j, definite_ok=num.kind in ("vague", "frac"))
        elif unit == "fraction":
            counted = _counted(fwd, j, definite_ok=True)
        elif unit == "t" and num.kind == "vague":
            w = fwd.word(j)
            counted = _counted(fwd, j, True) if w is not None and w.norm == "من" else None
    unit = unit or "count"
    # a bare number that is rather a year or a name
    bare = unit == "count" and counted is None and not ranged and not pre.bound
    if bare and (_is_year_like(num) or alone):
        return None
    if bare and num.kind == "digits" and _context(prev, bare=True) == "id":
        return None
    if num.ident and unit in ("count", "percent") and not ranged:
        return None  # اللواء 44، الفرقة 17 مدرعة
    after_preposition = bool(prev) and any(b in _YEAR_PREPOSITIONS for _, b in _bases(prev[-1].norm))
    if _is_year_like(num) and unit == "count" and not ranged and not pre.bound and after_preposition:
        return None  # في 2014 اجتاح التنظيم
    # the prefix
    start = num.start
    if pre.inside and (pre.bound or (pre.kind == "between" and ranged) or (pre.kind == "from" and sep == "الي")):
        start = pre.start
    approx = num.kind == "vague" or pre.kind == "approx"
    if ranged:
        pass
    elif num.kind == "vague":
        low, high = num.low, num.high
    elif pre.kind == "low":
        low = num.value
    elif pre.kind == "high":
        high = num.value
    else:
        value = num.value
    # تقريبا after the number, the unit or the counted noun
    after = fwd.word(j)
    if after is not None and after.norm == "تقريبا":
        approx, end = True, after.end
    elif counted is not None and after is not None and after.start == counted.start:
        after2 = fwd.word(j + 1)
        approx = approx or (after2 is not None and after2.norm == "تقريبا")
    if _norm(text[start : end + 16]).startswith(_IDIOMS):
        return None  # ألف ليلة وليلة
    return _Mention(start, end, value, low, high, unit, approx, counted)


def find_quantities(text: str) -> list[Quantity]:
    """The quantity mentions in ``text``, sorted by start, non-overlapping."""
    kinds = _unit_kinds()
    out: list[Quantity] = []
    last_end = 0
    for m in _ANCHOR_RE.finditer(text):
        if m.start() < last_end:
            continue
        q = _parse_at(text, m.start())
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


# --------------------------------------------------------------------------------------------------
# Command line


def _error(code: str, name: str, message: str) -> int:
    print(f"furat quantities: error[{code}] {name}: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    """``furat quantities [FILE]``: one JSON object per mention, per line; 2 on usage or I/O errors."""
    args = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in args):
        print(
            "usage: furat quantities [FILE]\n\nPrint the quantity mentions in FILE (or standard input) as JSON lines."
        )
        return 0
    if len(args) > 1:
        return _error("usage", "-", f"expected at most one FILE, got {len(args)}")
    if args and args[0] != "-":
        name = args[0]
        try:
            data = Path(name).read_bytes()
        except FileNotFoundError:
            return _error("file-not-found", name, "no such file")
        except IsADirectoryError:
            return _error("io-error", name, "is a directory")
        except OSError as exc:
            return _error("io-error", name, exc.strerror or str(exc))
    else:
        name = "<stdin>"
        data = sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _error("encoding", name, f"not valid UTF-8 (byte {exc.start})")
    for q in find_quantities(text):
        mention = {key: value for key, value in q.to_json().items() if key != "id"}
        sys.stdout.write(json.dumps(mention, ensure_ascii=False) + "\n")
    return 0
