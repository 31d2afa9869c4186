"""Numbers: digits, number words and their evaluation, fractions and vague plurals.

``number(fwd, i)`` reads the number at token ``i`` of a forward cursor (digits or words, with any
scale word, ``ونصف`` and the like after it) into a ``Num``: its value, or for a vague quantity
(عشرات، مئات الآلاف، بضعة) the low and high it implies (annotations/GUIDELINES.md §3.3 and §3.4).
Numbers are read as they are said (D93): a decimal with فاصلة (اثنين فاصلة خمسة), a whole number and a
fraction (ثلاثة و خمس، عشرون وثلاثة أخماس), dozens (ثلاث دزينات), joined and multiplying scales (مليون
وألفين، ألف مليون), and a proportion (واحد من كل ثلاثة، واحد على 20، جزء من مئة) as a fraction of a whole.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal, NamedTuple

from furat.annotate.quantities.lexicon import (
    DIGIT_TABLE,
    NOT_NUMBER,
    NUMBER_WORDS,
    PERIOD_AFTER,
    PLURAL_LOW,
    WA,
    NumberWord,
    bases,
)
from furat.annotate.quantities.tokens import Fwd, Tok, prev_tokens, raw_offset
from furat.core.annotation import Span

__all__ = [
    "Num",
    "NumKind",
    "digits_value",
    "half_after",
    "is_scale_word",
    "is_year_like",
    "leading_decimal",
    "lookup",
    "number",
    "proportion",
    "scale_after",
    "vague",
    "words_number",
]

# dual: a dual noun or unit (يومين), its own count; most: معظم، أغلب، غالبية (more than half, D65)
NumKind = Literal["digits", "words", "vague", "frac", "dual", "most"]


class Num(NamedTuple):
    start: int
    end: int
    nxt: int  # index of the next token
    value: float | None  # None for vague quantities
    low: float | None  # vague: smallest value implied
    high: float | None
    raw: float  # before the scale word
    scale: float  # 1.0 when no scale word
    kind: NumKind
    unit: str | None = None
    counted: Span | None = None
    definite: bool = False
    ident: bool = False  # after an identifier head (اللواء، الكيلو): kept only with a unit
    closed: bool = False  # a pronoun is attached (نصفهم، معظمهم): no counted noun follows


@lru_cache(maxsize=8192)
def digits_value(s: str) -> float | None:
    """The value of a number written in digits: thousands separators, a decimal point or comma."""
    s = s.translate(DIGIT_TABLE)
    for sep in ("\u060c", " ", "\u202f", "\u00a0"):  # Arabic comma and spaces between digit groups
        s = s.replace(sep, "")
    if not s.isascii():  # bidirectional marks beside a separator (25799\u202a,\u202a52)
        s = "".join(ch for ch in s if ch.isascii())
    if "," in s:
        parts = s.split(",")
        thousands = "." in s or (all(len(p) == 3 for p in parts[1:]) and parts[0] != "0")
        s = s.replace(",", "") if thousands else ".".join(parts) if len(parts) == 2 else ""  # 3,6 مليون
    elif s.count(".") > 1:
        s = s.replace(".", "")
    try:
        return float(s)
    except ValueError:
        return None


def _lookup(norm: str) -> tuple[int, NumberWord] | None:
    if norm in NOT_NUMBER:
        return None
    for n, base in bases(norm):
        e = NUMBER_WORDS.get(base)
        if e is not None:
            return n, e
    return None


_LOOKUPS: dict[str, tuple[int, NumberWord] | None] = {}  # lookup form -> entry (None too): words recur


def lookup(t: Tok) -> tuple[int, NumberWord] | None:
    """The number-word entry for a word token, allowing proclitics; (letters stripped, entry)."""
    norm = t.norm
    if norm in _LOOKUPS:
        return _LOOKUPS[norm]
    if len(_LOOKUPS) > 50_000:
        _LOOKUPS.clear()
    found = _LOOKUPS[norm] = _lookup(norm)
    return found


def scale_after(fwd: Fwd, i: int) -> tuple[float, int, Tok | None]:
    """A scale word at token ``i``: (scale, next index, token) or (1.0, i, None)."""
    t = fwd.word(i)
    if t is not None:
        e = NUMBER_WORDS.get(t.norm)
        if e is not None and e.cat == "s" and e.form != "2" and not e.definite:
            return e.val, i + 1, t
    return 1.0, i, None


_DEFINITE_SCALES = {"الالف": 1e3, "المليون": 1e6, "المليار": 1e9, "البليون": 1e9}
_SCALES_AGAIN = _DEFINITE_SCALES | {"مليون": 1e6, "مليار": 1e9, "بليون": 1e9}  # ثلاثة ملايين ونصف مليون


def _scale_named_again(fwd: Fwd, i: int, scale: float) -> Tok | None:
    """The scale said again after ونصف (مليونين ونصف المليون): its definite singular at token ``i``."""
    t = fwd.word(i)
    return t if t is not None and _SCALES_AGAIN.get(t.norm) == scale else None


def half_after(fwd: Fwd, i: int) -> tuple[float, int, Tok | None]:
    """``ونصف`` / ``وربع`` / ``و نصف`` at token ``i``: (fraction, next index, last token)."""
    t = fwd.word(i)
    if t is None:
        return 0.0, i, None
    if t.norm == WA:
        t2 = fwd.word(i + 1)
        if t2 is not None:
            e = NUMBER_WORDS.get(t2.norm)
            if e is not None and e.cat == "f" and e.form == "" and not e.definite:
                return e.val, i + 2, t2
        return 0.0, i, None
    if t.norm.startswith(WA):
        e = NUMBER_WORDS.get(t.norm[1:])
        if e is not None and e.cat == "f" and e.form == "" and not e.definite:
            return e.val, i + 1, t
    return 0.0, i, None


def _evaluate(parts: list[tuple[NumberWord, bool]]) -> tuple[float, int]:
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
        elif cat == "d" and e.form == "frac" and joined and cur % 10 != 0:  # ثلاثة و خمس: three and a fifth
            return total + cur + 1 / val, k + 1
        elif cat == "d" and val == 0 and k > 0:
            ok = False  # ثلاثمائة و صفر: a zero is a number of its own
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
            times = 2.0 if e.form == "2" else 1.0
            if joined and e.form != "p" and cur == 0 and total > 0 and val < last_scale:
                total, last_scale = total + times * val, val  # مليون وألفين
            elif joined and e.form != "p" and val == 12 and cur > 0:
                cur += times * val  # ثلاث مائة ودزينتين
            elif not joined and e.form != "2" and prev_cat == "s" and cur == 0 and total > 0 and val >= last_scale:
                total *= val  # مائة ألف تريليون، ألف مليون
                last_scale = total
            elif val >= last_scale or joined:
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
            elif e.form == "p" and cur > 10 and cur != 100:  # مائة آلاف is read as مائة ألف
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


def _word_run(fwd: Fwd, i: int, first: NumberWord) -> tuple[list[tuple[NumberWord, bool]], list[int]]:
    """The number words from token ``i``: entries (with "joined by و") and the token index after each."""
    parts: list[tuple[NumberWord, bool]] = [(first, False)]
    ends = [i + 1]
    j = i + 1
    while len(parts) < 12:
        t = fwd.word(j)
        if t is None:
            break
        if t.norm == WA:
            t2 = fwd.word(j + 1)
            e = NUMBER_WORDS.get(t2.norm) if t2 is not None else None
            if e is None or e.definite:
                break
            parts.append((e, True))
            j += 2
        else:
            e = NUMBER_WORDS.get(t.norm)
            joined = False
            if e is None and t.norm.startswith(WA):
                e = NUMBER_WORDS.get(t.norm[1:])
                joined = True
            if e is None or e.definite:
                break
            parts.append((e, joined))
            j += 1
        ends.append(j)
    return parts, ends


def number(fwd: Fwd, i: int, strip: bool = True, split_last_and: bool = False) -> Num | None:
    """The number at token ``i`` (digits or words, with any scale word, a spoken decimal or a proportion
    after it), or None."""
    num = _number(fwd, i, strip, split_last_and)
    if num is None or num.kind not in ("digits", "words") or num.value is None:
        return num
    t = fwd.word(num.nxt)
    if t is None or t.norm not in _AFTER_NUMBER:
        return num
    return _decimal(fwd, num) or proportion(fwd, num) or num


def _number(fwd: Fwd, i: int, strip: bool = True, split_last_and: bool = False) -> Num | None:
    """The number at token ``i`` (digits or words, with any scale word), or None."""
    t = fwd.get(i)
    if t is None:
        return None
    if t.kind == "n":
        v = digits_value(t.text)
        if v is None:
            return None
        h = fwd.word(i + 1)
        if h is not None and h.norm in ("مئه", "مائه"):  # ٣ مئة و ٢١، 322 مائة
            number_after = compound(fwd, Num(t.start, h.end, i + 2, v * 100, None, None, v * 100, 100.0, "digits"), 100)
            scale, j, st = scale_after(fwd, number_after.nxt)
            if st is None:
                return number_after
            assert number_after.value is not None
            return Num(t.start, st.end, j, number_after.value * scale, None, None, number_after.value, scale, "digits")
        scale, j, st = scale_after(fwd, i + 1)
        if st is None:
            return Num(t.start, t.end, j, v, None, None, v, 1.0, "digits")
        frac, j2, ft = half_after(fwd, j)  # 3 ملايين ونصف
        if ft is not None:
            again = _scale_named_again(fwd, j2, scale)  # 3 ملايين ونصف المليون
            if again is not None:
                ft, j2 = again, j2 + 1
            return Num(t.start, ft.end, j2, (v + frac) * scale, None, None, v + frac, scale, "digits")
        return compound(fwd, Num(t.start, st.end, j, v * scale, None, None, v, scale, "digits"), scale)
    if t.kind != "w":
        return None
    if strip:
        hit = lookup(t)
    else:
        e0 = NUMBER_WORDS.get(t.norm)
        hit = None if e0 is None else (0, e0)
    if hit is None:
        return None
    stripped, e = hit
    start = t.start + raw_offset(t.text, stripped)
    if e.cat == "s" and e.form == "p" and e.val not in PLURAL_LOW:
        return None  # دزينات alone: not a power of ten (D63)
    if e.cat == "v" or (e.cat == "s" and e.form == "p"):
        return vague(fwd, i, start, e)
    if e.cat == "b" and e.val == 1:  # نيف وعشرون: 21 to 29 (D95)
        t1 = fwd.word(i + 1)
        e1 = NUMBER_WORDS.get(t1.norm[1:]) if t1 is not None and t1.norm.startswith(WA) else None
        if t1 is None or e1 is None or e1.cat != "T" or e1.definite:
            return None
        return Num(start, t1.end, i + 2, None, e1.val + 1, e1.val + 9, e1.val + 1, 1.0, "vague")
    if e.cat == "b":  # بضع، بضعة آلاف، عدة مئات (D62: 3 to 9 times the scale)
        scale, j, st = 1.0, i + 1, None
        t1 = fwd.word(i + 1)
        e1 = NUMBER_WORDS.get(t1.norm) if t1 is not None else None
        if t1 is not None and e1 is not None and not e1.definite:
            if e1.cat == "s" and e1.form in ("1", "p"):
                scale, j, st = e1.val, i + 2, t1
            elif e1.cat == "v":
                scale, j, st = e1.val / 2, i + 2, t1  # عشرات → 10، مئات → 100
            elif e1.cat == "t":  # بضعة عشر: 13 to 19 (D95)
                return Num(start, t1.end, i + 2, None, 13.0, 19.0, 13.0, 1.0, "vague")
        end = st.end if st is not None else t.end
        return Num(start, end, j, None, 3 * scale, 9 * scale, 3, scale, "vague")
    if e.cat == "m" and e.form != "pron":  # بأغلبية (98) صوتا: the number says how large (D95)
        after = fwd.get(i + 2) if (t1 := fwd.get(i + 1)) is not None and t1.text == "(" else fwd.get(i + 1)
        if after is not None and (after.kind == "n" or NUMBER_WORDS.get(after.norm) is not None):
            return None
    if e.cat == "m":  # معظم، أغلبهم، غالبية (D65): more than half of a whole
        return Num(start, t.end, i + 1, None, 0.5, None, 0.5, 1.0, "most", closed=e.form == "pron")
    if e.cat == "f":
        return _fraction(fwd, i, start, e)
    if e.cat == "r":  # جزء من مئة: one part in a hundred (D93)
        return proportion(fwd, Num(start, t.end, i + 1, 1.0, None, None, 1.0, 1.0, "words"), part=True)
    return words_number(fwd, i, e, start, split_last_and)


def words_number(fwd: Fwd, i: int, e: NumberWord, start: int, split_last_and: bool = False) -> Num | None:
    """A number written in words from token ``i`` (whose entry is ``e``)."""
    parts, ends = _word_run(fwd, i, e)
    value, n = _evaluate(parts)
    if split_last_and and n > 1:
        # inside "بين X و Y" with no Y after: give the last "و"-joined word back (بين خمسة وعشرين)
        joins = [k for k in range(1, n) if parts[k][1]]
        if joins:
            value, n = _evaluate(parts[: joins[-1]])
    if n == 0:
        return None
    if e.form == "one" and n == 1:  # واحد alone counts only after a unit, or in a proportion (D93)
        one = fwd.get(i)
        assert one is not None
        return proportion(fwd, Num(start, one.end, i + 1, 1.0, None, None, 1.0, 1.0, "words"))
    j = ends[n - 1]
    last = fwd.get(j - 1)
    assert last is not None
    scales = [p.val for p, _ in parts[:n] if p.cat == "s"]
    if scales and parts[n - 1][0].cat == "f" and parts[n - 1][1]:
        again = _scale_named_again(fwd, j, scales[-1])  # مليونين ونصف المليون
        if again is not None:
            j, last = j + 1, again
    scale = max(scales, default=1.0)
    raw = value / scale
    mixed = _mixed_tail(fwd, parts, ends, n, value)
    if mixed is not None:  # ثلاث وعشرون وثلاثة أخماس = 23.6؛ واحد وعشرون خمس = 21/5
        v, end, j = mixed
        return Num(start, end, j, v, None, None, v, 1.0, "words")
    nxt = fwd.word(j)
    tail_d = n > 1 and parts[n - 1][1] and parts[n - 1][0].cat == "d"
    if (not scales or tail_d) and nxt is not None:  # ثلاثة أرباع؛ مائة وثلاثة أرباع = 100 + 3/4
        fe = NUMBER_WORDS.get(nxt.norm)
        if fe is not None and fe.cat == "f" and fe.form == "p":
            head = 0.0
            if tail_d:
                head = value - parts[n - 1][0].val
                value = parts[n - 1][0].val
            frac = _fraction(fwd, j, start, fe._replace(val=value * fe.val, form=""))
            if frac is None or head == 0.0:
                return frac
            assert frac.value is not None
            total = head + frac.value
            return frac._replace(value=total, raw=total, kind="words")
    if n == 1 and e.cat == "d" and t_is_fraction_word(fwd, i, nxt):  # خمس الفطيرة: a fifth
        return _fraction(fwd, i, start, NumberWord("f", 1 / e.val, definite=False))
    num = Num(start, last.end, j, value, None, None, raw, scale, "words", definite=e.definite and n == 1)
    return compound(fwd, num, min(scales)) if scales else num


def _mixed_tail(
    fwd: Fwd, parts: list[tuple[NumberWord, bool]], ends: list[int], n: int, value: float
) -> tuple[float, int, int] | None:
    """A fraction that ends a number in words after its first ``n`` words: و + a count of a plural fraction
    (ثلاث وعشرون [وثلاثة أخماس]), or a fraction word counted by a number from 11 on (واحد وعشرون [خمس]):
    (value, end offset, next index), or None."""
    if n < len(parts) and parts[n][1] and parts[n][0].cat == "d" and parts[n][0].form != "one":
        after = fwd.word(ends[n])
        fe = NUMBER_WORDS.get(after.norm) if after is not None else None
        if after is not None and fe is not None and fe.cat == "f" and fe.form == "p":
            return value + parts[n][0].val * fe.val, after.end, ends[n] + 1
    if value >= 11 and n < len(parts) and not parts[n][1] and all(p.cat != "s" for p, _ in parts[:n]):
        e, _ = parts[n]
        frac = 1 / e.val if e.cat == "d" and e.form == "frac" else e.val if e.cat == "f" and e.form == "" else 0.0
        last = fwd.get(ends[n] - 1)
        if frac and not e.definite and last is not None:
            return value * frac, last.end, ends[n]
    return None


_PROPORTION = frozenset(("من", "علي"))
_PARTS = frozenset(("جزء", "اجزاء"))
_OF_ALL = frozenset(("كل", "اصل"))  # واحد من كل ثلاثة، ثلاثة من أصل خمسة
_AFTER_NUMBER = _PROPORTION | _PARTS | {"فاصله"}  # the words a decimal or a proportion goes on with


def proportion(fwd: Fwd, num: Num, part: bool = False) -> Num | None:
    """``num`` as the numerator of a proportion after it (D93): X من (كل/أصل) Y، X على Y، X جزء/أجزاء من Y,
    with X smaller than Y; a fraction of a whole X/Y. X على Y is always a ratio; X من Y is one when كل/أصل or
    جزء says so or no noun follows Y (ثلاثة من خمسة), and ``3 من 40 مسلحا`` or ``واحد من 10 دول`` (X of the Y
    things) stays counts. After a whole number, جزء من Y divides only the tail under a hundred: مائتان وثلاثة
    جزء من مائة = 200.03. None when there is none."""
    x = num.value
    if x is None or num.scale != 1.0:
        return None
    j = num.nxt
    t = fwd.word(j)
    if t is not None and t.norm in _PARTS and not part:
        part, j, t = True, j + 1, fwd.word(j + 1)
    if t is None or t.norm not in _PROPORTION or (part and t.norm != "من"):
        return None
    j += 1
    of_all = fwd.word(j)
    said = part or t.norm == "علي"  # X من Y N: X of the Y things (واحد من 10 دول), unless كل، أصل or جزء
    if of_all is not None and of_all.norm in _OF_ALL and t.norm == "من":
        said, j = True, j + 1
    y = _number(fwd, j, strip=False)
    if y is None or y.kind not in ("digits", "words") or y.value is None or y.value <= 0:
        return None
    if num.kind == "digits" and (is_year_like(num) or is_year_like(y)):
        return None
    head = 0.0
    if not x < y.value and part and x > 100:
        head, x = x - x % 100, x % 100  # مئتان وواحد وسبعون جزء من مئة = 200.71
    if not 0 < x < y.value:
        return None
    if not said and (_noun_after(fwd, y.nxt) or _change_to(fwd.text, num.start)):
        return None
    value = head + x / y.value
    return Num(num.start, y.end, y.nxt, value, None, None, value, 1.0, "words" if head else "frac")


def _change_to(text: str, start: int) -> bool:
    """Whether إلى/حتى comes just before the number at ``start``: انخفض إلى 9 من 12 is a change, not 9/12."""
    before = prev_tokens(text, start, 1)
    return bool(before) and before[-1].kind == "w" and any(b in ("الي", "حتي") for _, b in bases(before[-1].norm))


def _noun_after(fwd: Fwd, j: int) -> bool:
    """Whether a word that is no number or particle follows at token ``j`` (a counted noun or a unit)."""
    t = fwd.word(j)
    return t is not None and not t.norm.startswith(("ال", "و")) and t.norm not in ("او", "في", "من", "علي")


def _decimal(fwd: Fwd, num: Num) -> Num | None:
    """A decimal said in words (D93): X فاصلة Y = X.Y (خمسة فاصلة خمسة = 5.5, مائتين فاصلة ثلاثة من مائة =
    200.03), with a scale word after it."""
    t = fwd.word(num.nxt)
    if t is None or t.norm != "فاصله" or num.value is None or num.scale != 1.0 or not num.value.is_integer():
        return None
    y = number(fwd, num.nxt + 1, strip=False)
    if y is None or y.value is None or y.scale != 1.0 or y.kind not in ("digits", "words", "frac") or y.value < 0:
        return None
    if y.value < 1:
        frac = y.value
    else:
        first = fwd.get(num.nxt + 1)
        places = len(first.text) if first is not None and y.kind == "digits" else len(str(int(y.value)))
        frac = y.value / 10**places
    value = num.value + frac if num.value >= 0 else num.value - frac
    scale, j, st = scale_after(fwd, y.nxt)
    end = st.end if st is not None else y.end
    return Num(num.start, end, j, value * scale, None, None, value, scale, "words" if num.kind == "words" else "digits")


def compound(fwd: Fwd, num: Num, last_scale: float) -> Num:
    """``num`` with the smaller numbers joined to it by و after its scale word: مليون و200 ألف، 5 آلاف و300."""
    while True:
        t = fwd.get(num.nxt)
        if t is not None and t.kind == "n" and not t.nl and last_scale > 100:
            h = fwd.word(num.nxt + 1)  # ٤ آلاف ٣ مائة و ٢١: hundreds in digits after a larger scale
            at = num.nxt if h is not None and h.norm in ("مئه", "مائه") else -1
        elif t is not None and t.kind == "w" and t.norm == WA:
            at = num.nxt + 1
        else:
            return num
        nxt = fwd.get(at) if at >= 0 else None
        if nxt is None or nxt.nl or nxt.kind != "n":
            return num
        y = number(fwd, at, strip=False)
        if y is None or y.value is None or y.kind != "digits" or not 0 < y.value < last_scale or num.value is None:
            return num
        num = num._replace(end=y.end, nxt=y.nxt, value=num.value + y.value)
        if y.scale == 1.0:
            return num
        last_scale = y.scale


_FRACTION_STEMS = frozenset(("خمس", "سبع", "تسع"))  # five/fifth, seven/seventh, nine/ninth: one spelling


def t_is_fraction_word(fwd: Fwd, i: int, nxt: Tok | None) -> bool:
    """Whether خمس/سبع/تسع at token ``i`` is a fraction: before a definite noun (a cardinal's counted noun
    is indefinite: خمس سنوات) or at the end of the text."""
    t = fwd.get(i)
    if t is None or t.norm not in _FRACTION_STEMS:
        return False
    if nxt is None:
        after = fwd.get(i + 1)
        return after is None or (after.kind == "p" and after.text in ".؟?!")
    return nxt.norm.startswith("ال") and NUMBER_WORDS.get(nxt.norm) is None


def vague(fwd: Fwd, i: int, start: int, e: NumberWord) -> Num:
    """A plural of a power of ten (عشرات، آلاف) at token ``i``, with a second plural scale after it."""
    t = fwd.get(i)
    assert t is not None
    low = e.val if e.cat == "v" else PLURAL_LOW[e.val]
    end, j = t.end, i + 1
    t2 = fwd.word(j)
    if t2 is not None:  # عشرات الآلاف، مئات الملايين، مئات ملايين
        e2 = NUMBER_WORDS.get(t2.norm)
        if e2 is not None and e2.cat == "s" and e2.form == "p":
            low, end, j = low * e2.val, t2.end, j + 1
    # D63: at least two of the power of ten, fewer than ten of it
    return Num(start, end, j, None, low, 5 * low, low, 1.0, "vague", definite=e.definite)


def _fraction(fwd: Fwd, i: int, start: int, e: NumberWord) -> Num | None:
    """A fraction word at token ``i``: a number before a scale (نصف مليون), else a fraction of a whole."""
    t = fwd.get(i)
    assert t is not None
    if e.form == "pron":  # نصفهم، ثلثاهم
        return Num(start, t.end, i + 1, e.val, None, None, e.val, 1.0, "frac", closed=True)
    nxt = fwd.word(i + 1)
    if e.definite and nxt is not None and nxt.norm in PERIOD_AFTER:
        return None  # النصف الأول، الربع الأخير: periods
    if nxt is not None and nxt.norm in PERIOD_AFTER and nxt.norm.endswith("نهائي"):
        return None  # ربع نهائي
    if nxt is not None and nxt.norm in ("قرن", "عقد", "قرون", "عقود"):
        return None  # ربع قرن: a length of time in a unit not in labels.json (D95)
    scale, j, st = scale_after(fwd, i + 1)
    if st is not None:  # نصف مليون
        return Num(start, st.end, j, e.val * scale, None, None, e.val, scale, "words")
    return Num(start, t.end, i + 1, e.val, None, None, e.val, 1.0, "frac", definite=e.definite)


def is_scale_word(t: Tok) -> bool:
    """Whether a word is a scale word (ألف، آلاف، مليون ...): ٤آلاف is 4000 with a space left out."""
    e = NUMBER_WORDS.get(t.norm)
    return e is not None and e.cat == "s" and not e.definite


def leading_decimal(fwd: Fwd, start: int) -> Num | None:
    """The digits at token 0 as a decimal written without its leading zero (``.08``), the point at ``start``."""
    t, after = fwd.get(0), fwd.get(1)
    if t is None or not t.text.isdecimal() or (after is not None and not after.gap):
        return None
    value = digits_value("0." + t.text)
    return None if value is None else Num(start, t.end, 1, value, None, None, value, 1.0, "digits")


def is_year_like(num: Num) -> bool:
    """A bare four-digit number from 1900 to 2100 (a year unless a unit, a counted noun or a bound says otherwise)."""
    v = num.value
    return num.kind == "digits" and num.scale == 1.0 and v is not None and v.is_integer() and 1900 <= v <= 2100
