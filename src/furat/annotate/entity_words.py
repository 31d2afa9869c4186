"""The words and helpers that the entity rules share: word lists (stop words, titles, heads of names),
the frequency of a word of the text (``wordfreq``), and proclitics.

Word lists are of the language (function words, titles, class words, frequent given names), not names
of the corpus.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from furat.annotate.gazetteers import Gazetteer
from furat.annotate.normalize import Token, fold

__all__ = ["Prediction", "resolve"]

_PROCLITIC_1 = "وف"
_PROCLITIC_2 = "بلك"


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words.split())


# Function words and frequent non-name words that end or refuse a name.
STOP = _folded(
    "إن أن إنه إنها أنه أنها في على من إلى عن مع قد لم لن ما لا هذا هذه ذلك التي الذي الذين بعد قبل خلال "
    "عند بين حتى منذ أو ثم كما بل لكن وقال وقالت قال قالت وأضاف أضاف وأكد أكد أعلن وأعلن كان كانت يوم "
    "السابق السابقة الحالي الحالية المتقاعد الأسبق المستقيل الجديد الجديدة المقبل الماضي الحاكم الحاكمة "
    "المعارض المعارضة التابع التابعة الداعم الأسبوع الشهر العام اليوم أمس الأحد الاثنين الثلاثاء "
    "الأربعاء الخميس الجمعة السبت صباح مساء ليلة نحو أكثر أقل كل بعض جميع عدد إنهم لدى لصالح ضد عبر "
    "حيث إذ إذا بينما فيما وفي ومن باسم دعا ودعا بدا وبدا"
)
# Words that name a role; a person's name may follow (§2.2).
TITLES = _folded(
    "الرئيس رئيس الرئيسة رئيسة الوزير وزير وزيرة الوزيرة المتحدث متحدث المتحدثة الناطق القاضي الشيخ "
    "الأمير الملك الملكة العاهل السلطان المستشار المستشارة الجنرال العميد اللواء الفريق العقيد المقدم "
    "الرائد النقيب المشير المدرب اللاعب المهاجم المدافع الحارس النائب النائبة السفير السفيرة المحلل "
    "الخبير الباحث المحافظ محافظ المدير مدير الأمين زعيم الزعيم قائد القائد المبعوث المفوض المفوضة "
    "الممثل الممثلة الكاتب الكاتبة الصحفي الصحفية المراسل المحقق الدكتور الدكتورة البروفيسور رجل "
    "المزارع المواطن الناشط الناشطة المرشح مرشح المطرب المغني المغنية الفنان الفنانة البابا الإمام "
    "المرجع الحاخام الطبيب الطبيبة المهندس المحامي المحامية المخرج الرياضي السيناتور حاكم "
    "الحاكم عمدة العمدة نائب الجنرالات المتحدثة السيد السيدة المدعي نقيب النقيب أستاذ أستاذة الأستاذ "
    "المطرب الروائي الشاعر الأديب المؤرخ الملحن الموسيقار الرسام المصور الأكاديمي النجم المندوب مندوب "
    "القنصل الجناح لاعب الظهير الوسيط المفاوض محامي المؤسس رئيسة المرشد الداعية المطران البطريرك "
    "الكاردينال عميد العميدة"
)
# The feminine of each title (المطربة، القاضية، الخبيرة): the same role held by a woman.
_NOT_FEMININE = _folded("محافظ")  # محافظة is a governorate
TITLES = TITLES | frozenset(t + "ه" for t in TITLES if not t.endswith("ه") and len(t) > 3 and t not in _NOT_FEMININE)
# Titles of rulers and honorifics that begin a person's name inside the name of a place or an institution
# (جامعة الملك سعود، جسر الشيخ زايد، مستشفى الأمير حمزة).
HONORIFICS = _folded("الملك الملكة السلطان الشيخ الشيخة الأمير الأميرة الإمام السيدة")
# Heads that begin an organisation's name when a construct phrase follows (§2.4.2).
ORG_HEADS = _folded(
    "وزارة منظمة مجلس لجنة هيئة قيادة اتحاد الاتحاد جامعة برنامج صندوق حزب الوكالة المنظمة المجلس "
    "اللجنة الهيئة البنك بنك الصندوق المراكز المركز جبهة حركة المحكمة محكمة البرلمان "
    "المفوضية مفوضية الجمعية جمعية الحرس مؤسسة المؤسسة وكالة قوات كتائب المرصد مرصد بورصة البورصة "
    "مصرف المصرف نقابة النقابة الجامعة الشركة مجموعة معهد أكاديمية سلطة ائتلاف"
)
# Heads of an institution whose name may be a proper noun without the article: the head stays inside
# (جامعة ميكيلي، مصرف ليبيا، بورصة مسقط, §2.4.2 b); the other heads are descriptors before such a name.
ORG_PROPER_HEADS = _folded("جامعة مصرف بورصة مجموعة مؤسسة برنامج صندوق معهد أكاديمية")
# Heads after which a bare name follows and the head stays outside (§2.4.2, §2.4.5).
ORG_DESCRIPTORS = _folded("حركة شركة شركتا شركتي صحيفة قناة وكالة موقع إذاعة نادي جماعة تنظيم مجلة منظمة حزب نقابة")
ARMY = _folded("الجيش")
# Definite heads that with a nationality adjective alone are a name (الاتحاد الأوروبي، البنك المركزي is not).
NAMED_BY_NISBA = _folded("الاتحاد")
FAC_HEADS = _folded(
    "مطار معبر مخيم سجن قاعدة جامع مسجد مستشفى ملعب استاد ميناء مرفأ محطة جسر سد قصر برج منفذ أنبوب "
    "قلعة كنيسة كاتدرائية مصفاة منشأة مفاعل متحف مسرح فندق نفق ساحة شارع مجمع منجم"
)
LOC_HEADS = _folded("نهر جبل جبال وادي مضيق خليج بحيرة بحر هضبة سهل صحراء بادية ريف رأس شبه دلتا محمية واحة شلالات")
# Landscape words that before a state or a town are a description of its land (صحراء العراق، ريف دمشق).
LANDSCAPE = _folded("صحراء بادية ريف سهل جبال")
# Adjectives after a class word that make a description, not a name (قاعدة عسكرية).
GENERIC = _folded(
    "عسكرية عسكري جوية جوي بحرية بحري كبير كبيرة صغير صغيرة جديد جديدة قديم قديمة رئيسي رئيسية "
    "دولي دولية تابع تابعة قريب قريبة محلي محلية مؤقت مؤقتة آخر أخرى"
)
NAME_PARTICLES = _folded("عبد أبو أبي بن بنت آل ابن أم")
# Words that end a compound name or a ruler's name (عبد الله، نور الدين، عبد الله الثاني).
NAME_ENDINGS = _folded("الله الدين الرحمن الأول الثاني الثالث الرابع الخامس السادس السابع الثامن")
# Frequent given names, which are also common words or frequent in text (a name may go on after them).
GIVEN = _folded(
    "محمد أحمد علي حسن حسين إبراهيم خالد عمر يوسف مصطفى محمود سعيد سعد صالح عادل سالم جمال كمال نبيل "
    "طارق رشيد مراد أكرم طيب رجب سلمان فيصل فهد زايد عباس جعفر كريم نجيب هشام وليد ماجد منصور ناصر "
    "عزيز رائد رشاد أسامة يحيى عيسى موسى هارون داود سليمان إسماعيل فاطمة مريم عائشة زينب ليلى سارة "
    "نور هدى أمل ريما رانيا"
)
EVENT_HEADS = _folded("مؤتمر مهرجان مهرجانات معرض بطولة كأس منتدى ملتقى قمة دوري ماراثون رالي أولمبياد")
# Definite class words of seas and oceans: البحر الأحمر, المحيط الهندي (§2.5).
LOC_DEFINITE_HEADS = _folded("البحر المحيط الخليج")


# Verbs of saying before a speaker's name.
SPEECH = _folded(
    "قال وقال قالت وقالت أضاف وأضاف أكد وأكد أوضح وأوضح تابع وتابع صرح وصرح أشار وأشار يقول ويقول تقول وتقول "
    "ذكر وذكر رأى ويرى يرى اعتبر واعتبر كتب وكتب"
)
# Who speaks in news without being named: nouns between a verb of saying and إن that are not names.
SPEAKERS = _folded(
    "مسؤول مسؤولة مصدر مصادر شاهد شهود محلل محللون خبير خبراء دبلوماسي دبلوماسيون متحدث متحدثة مراسل "
    "بيان تقرير سكان ساكن مواطن مواطنون ناشط ناشطون نشطاء طبيب أطباء ضابط جندي مقاتل مقاتلون موظف موظفون "
    "عامل عمال مسعف مسعفون باحث باحثون مراقبون مراقب آخرون آخر البعض بعضهم أحدهم كثيرون مسؤولون"
)


@dataclass(frozen=True)
class Prediction:
    """An entity found in the text, with its score (0-1) and how it was found."""

    start: int
    end: int
    label: str
    score: float
    source: str


# The written form of each normalized word of the text being read (per thread): word frequencies are of
# words as written (ة, not ه).
_TEXT = threading.local()


def _written(norm: str) -> str:
    written: dict[str, str] = getattr(_TEXT, "written", {})
    if norm in written:
        return written[norm]
    # a word without its proclitics: the end of a word of the text (the first such word, in text order),
    # found in an index of every word's endings made once per text
    ends: tuple[dict[str, str], dict[str, tuple[str, str]]] | None = getattr(_TEXT, "ends", None)
    if ends is None or ends[0] is not written:
        index: dict[str, tuple[str, str]] = {}
        for folded, plain in written.items():
            for cut in range(1, len(folded)):
                index.setdefault(folded[cut:], (folded, plain))
        ends = _TEXT.ends = (written, index)
    found = ends[1].get(norm)
    return found[1][len(found[1]) - len(norm) :] if found else norm


def _zipf(norm: str) -> float:
    """The frequency of a word of the text being read, as written there; kept for the text's words."""
    written = getattr(_TEXT, "written", None)
    memo: tuple[dict[str, str] | None, dict[str, float]] | None = getattr(_TEXT, "zipf", None)
    if memo is None or memo[0] is not written:
        memo = _TEXT.zipf = (written, {})
    value = memo[1].get(norm)
    if value is None:
        value = memo[1][norm] = _frequency(_written(norm))
    return value


@cache
def _frequency(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "ar"))


def _joined(text: str, a: Token, b: Token) -> bool:
    """Whether ``b`` follows ``a`` with only spaces between (a name never runs over punctuation)."""
    gap = text[a.end : b.start]
    return gap.isspace() and "\n" not in gap


def _offset_after(text: str, token: Token, letters: int) -> int:
    """The offset in the text after the first ``letters`` kept letters of ``token`` and any tatweel or
    diacritics right after them."""
    i, kept = token.start, 0
    while i < token.end and kept < letters:
        if fold(text[i]):
            kept += 1
        i += 1
    while i < token.end and not fold(text[i]):
        i += 1
    return i


@lru_cache(maxsize=1 << 14)
def _bare(norm: str) -> str:
    """The word without one or two leading proclitics (و ف, then ب ل ك), if it has them.

    Kept for the most recent words: the rules ask it of every word several times.
    """
    if norm[:1] in _PROCLITIC_1 and len(norm) > 3:
        norm = norm[1:]
    if norm.startswith("لل") and len(norm) > 3:
        return "ال" + norm[2:]
    if norm[:1] in _PROCLITIC_2 and len(norm) > 3 and not norm.startswith("ال"):
        norm = norm[1:]
    return norm


def _head(norm: str, heads: frozenset[str]) -> str | None:
    """``norm`` or ``norm`` without its proclitics, if it is one of ``heads``."""
    if norm in heads:
        return norm
    bare = _bare(norm)
    return bare if bare in heads else None


def _definite(norm: str) -> bool:
    """A definite word or a genitive with ل (الدولي، للتنمية، لحقوق)."""
    return norm.startswith(("ال", "لل")) or (norm.startswith("ل") and len(norm) > 3)


def _unsuffixed(norm: str) -> str:
    """A noun without its possessive pronoun (نقيبها → نقيب، رئيستها → رئيسه)."""
    for suffix in ("ها", "هم"):  # not ه, which is also ة folded (مؤسسة)
        if norm.endswith(suffix) and len(norm) > len(suffix) + 2:
            stem = norm[: -len(suffix)]
            return stem[:-1] + "ه" if stem.endswith("ت") else stem
    return norm


def _proper_place(norm: str, gazetteer: Gazetteer) -> bool:
    """A place's name without the article and without a proclitic (ليبيا، مسقط), definite by itself."""
    entry = gazetteer.get((norm,))
    return entry is not None and entry.label in ("GPE", "LOC") and not norm.startswith("ال")


def _proper_noun(norm: str, gazetteer: Gazetteer) -> bool:
    """A place's name or a rare word without a proclitic, definite by itself in a construct (تحرير شعب تيغراي)."""
    rare = len(norm) > 3 and norm[:1] not in "وفبل" and not norm.startswith("ال") and _zipf(norm) < 2.0
    return rare or _proper_place(norm, gazetteer)


def resolve(candidates: Sequence[Prediction]) -> list[Prediction]:
    """Non-overlapping predictions: the longest first, then the higher score, then the leftmost.

    The spans taken so far are kept sorted by start; they do not overlap, so their ends are sorted too,
    and a new span overlaps one of them exactly when it overlaps the last one that starts before its end.
    """
    ordered = sorted(candidates, key=lambda c: (-(c.end - c.start), -c.score, c.start))
    if any(p.end <= p.start for p in ordered):  # an empty span (the rules make none): the plain test
        chosen: list[Prediction] = []
        for p in ordered:
            if all(p.end <= q.start or q.end <= p.start for q in chosen):
                chosen.append(p)
        return sorted(chosen, key=lambda c: c.start)
    taken: list[Prediction] = []
    starts: list[int] = []
    for p in ordered:
        k = bisect_left(starts, p.end)  # taken[:k] start before p ends
        if not k or taken[k - 1].end <= p.start:
            taken.insert(k, p)
            starts.insert(k, p.start)
    return taken
