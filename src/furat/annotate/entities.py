"""Entity pre-annotation: gazetteer matches, trigger patterns and partial names, each with a score.

1. **Gazetteer matches** (``gazetteers``) on normalized words, after at most two attached proclitics
   (و ف then ب ل ك), which stay outside the span (guidelines §1.1); after لل the name without its
   article matches and the whole لل stays outside (§1.2, D1, D61). A tatweel after a proclitic stays
   outside with it (§1.3).
2. **Trigger patterns**: an organisation's head noun (وزارة، منظمة، مجلس …) starts an ORG that runs over
   its construct phrase (§2.4.2: the head is inside only when the rest is not a name on its own, so a
   head followed only by a nationality adjective — القوات الأوكرانية — is a description); a facility's
   or a natural place's class word (مطار، مخيم … / نهر، وادي …) starts a FAC or LOC with the class word
   inside (§2.5); a title or role (الرئيس، وزير الخارجية، المتحدث باسم …) is followed by a person's name,
   which is PER without the title (§2.2).
3. **Partial names**: a later mention of a person by part of a name found earlier in the document
   (بالي after مصطفى بالي) is PER.

Overlaps keep the longest span (then the higher score): entities are flat (§2.6). A nationality
adjective that follows a definite noun (الناقلات السعودية) is NORP even where the same word alone is
a country's short name.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from furat.annotate.gazetteers import Entry, Gazetteer, longest, nisba_forms
from furat.annotate.normalize import Token, fold, tokens

__all__ = ["Prediction", "find_entities"]

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
    "حيث إذ إذا بينما فيما وفي ومن باسم"
)
# Words that name a role; a person's name may follow (§2.2).
TITLES = _folded(
    "الرئيس رئيس الرئيسة رئيسة الوزير وزير وزيرة الوزيرة المتحدث متحدث المتحدثة الناطق القاضي الشيخ "
    "الأمير الملك الملكة العاهل السلطان المستشار المستشارة الجنرال العميد اللواء الفريق العقيد المقدم "
    "الرائد النقيب المشير المدرب اللاعب المهاجم المدافع الحارس النائب النائبة السفير السفيرة المحلل "
    "الخبير الباحث المحافظ محافظ المدير مدير الأمين زعيم الزعيم قائد القائد المبعوث المفوض المفوضة "
    "الممثل الممثلة الكاتب الكاتبة الصحفي الصحفية المراسل المحقق الدكتور الدكتورة البروفيسور رجل "
    "المزارع المواطن الناشط الناشطة المرشح مرشح المطرب المغني المغنية الفنان الفنانة البابا الإمام "
    "المرجع الحاخام الطبيب الطبيبة المهندس المحامي المحامية المخرج العالم الرياضي السيناتور حاكم "
    "الحاكم عمدة العمدة نائب الجنرالات المتحدثة السيد السيدة"
)
# Heads that begin an organisation's name when a construct phrase follows (§2.4.2).
ORG_HEADS = _folded(
    "وزارة منظمة مجلس لجنة هيئة قيادة اتحاد الاتحاد جامعة برنامج صندوق حزب الوكالة المنظمة المجلس "
    "اللجنة الهيئة البنك بنك الصندوق المراكز المركز جبهة حركة المحكمة محكمة البرلمان "
    "المفوضية مفوضية الجمعية جمعية الحرس مؤسسة المؤسسة وكالة قوات كتائب المرصد مرصد"
)
# Heads after which a bare name follows and the head stays outside (§2.4.2, §2.4.5).
ORG_DESCRIPTORS = _folded("حركة شركة صحيفة قناة وكالة موقع إذاعة نادي جماعة تنظيم مجلة منظمة")
ARMY = _folded("الجيش")
# Definite heads that with a nationality adjective alone are a name (الاتحاد الأوروبي، البنك المركزي is not).
NAMED_BY_NISBA = _folded("الاتحاد")
FAC_HEADS = _folded(
    "مطار معبر مخيم سجن قاعدة جامع مسجد مستشفى ملعب استاد ميناء مرفأ محطة جسر سد قصر برج منفذ أنبوب "
    "قلعة كنيسة كاتدرائية مصفاة منشأة مفاعل"
)
LOC_HEADS = _folded("نهر جبل جبال وادي مضيق خليج بحيرة بحر هضبة سهل صحراء بادية ريف رأس شبه")
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
EVENT_HEADS = _folded("مؤتمر مهرجان معرض بطولة كأس منتدى ملتقى")
# Definite class words of seas and oceans: البحر الأحمر, المحيط الهندي (§2.5).
LOC_DEFINITE_HEADS = _folded("البحر المحيط الخليج")

SCORE = {
    "EVENT-trigger": 0.6,
    "ORG-trigger": 0.7,
    "FAC-trigger": 0.7,
    "LOC-trigger": 0.7,
    "PER-title": 0.65,
    "PER-partial": 0.7,
}


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
    for folded, plain in written.items():  # a word without its proclitics: the end of a word of the text
        if folded.endswith(norm) and len(folded) > len(norm):
            return plain[len(plain) - len(norm) :]
    return norm


def _zipf(norm: str) -> float:
    return _frequency(_written(norm))


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


def _variants(norm: str) -> list[tuple[int, str]]:
    """(letters stripped, the word without them) for a word with its possible proclitics; لل gives
    the word with ال restored (its span starts after لل)."""
    out = [(0, norm)]
    for k in (0, 1):
        if k == 1 and not (norm[:1] in _PROCLITIC_1 and len(norm) > 3):
            break
        rest = norm[k:]
        if k == 1:
            out.append((1, rest))
        if rest.startswith("لل") and len(rest) > 3:
            out.append((k + 2, "ال" + rest[2:]))
        elif rest[:1] in _PROCLITIC_2 and len(rest) > 3:
            out.append((k + 1, rest[1:]))
    return out


def _clitic_plausible(word: str, rest: str, stripped: int) -> bool:
    """Whether the letters before ``rest`` are proclitics and not part of another word (لجنة is not
    ل + جنة, كريم not ك + ريم): ك only before ال, and the whole word is not more frequent than the name."""
    if "ك" in word[:stripped] and not rest.startswith("ال"):
        return False
    return _zipf(word) < 3.5 or _zipf(word) < _zipf(rest)


def _joined_runs(text: str, words: Sequence[Token]) -> list[int]:
    """For each word, how many words follow it joined (``_joined``) one to the next."""
    runs = [0] * len(words)
    for j in range(len(words) - 2, -1, -1):
        if _joined(text, words[j], words[j + 1]):
            runs[j] = runs[j + 1] + 1
    return runs


def _gazetteer_matches(text: str, words: Sequence[Token], gazetteer: Gazetteer) -> list[Prediction]:
    found: list[Prediction] = []
    most = longest(gazetteer)
    runs = _joined_runs(text, words)
    for i, first in enumerate(words):
        for stripped, head in _variants(first.norm):
            hit = None
            for n in range(min(most, runs[i] + 1), 0, -1):  # names never run over punctuation
                entry = gazetteer.get((head, *(w.norm for w in words[i + 1 : i + n])))
                if entry is not None:
                    hit = (n, entry)
                    break
            if hit is not None and stripped and not _clitic_plausible(first.norm, head, stripped):
                hit = None
            if hit is not None:
                n, entry = hit
                start = _offset_after(text, first, stripped) if stripped else first.start
                found.append(Prediction(start, words[i + n - 1].end, entry.label, entry.score, entry.source))
                break
    return found


def _bare(norm: str) -> str:
    """The word without one or two leading proclitics (و ف, then ب ل ك), if it has them."""
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


def _is_nisba(norm: str, gazetteer: Gazetteer) -> bool:
    entry = gazetteer.get((norm,))
    return entry is not None and entry.label == "NORP"


def _definite(norm: str) -> bool:
    """A definite word or a genitive with ل (الدولي، للتنمية، لحقوق)."""
    return norm.startswith(("ال", "لل")) or (norm.startswith("ل") and len(norm) > 3)


def _construct_end(text: str, words: Sequence[Token], i: int, limit: int = 7) -> int:
    """The index after the last word of an Arabic construct phrase starting at ``words[i]``: indefinite
    nouns up to the first definite word, then definite words and genitives (``و`` + definite only in
    the first two words: العدالة والتنمية)."""
    j, seen_definite = i, False
    while j < len(words) and j - i < limit:
        w = words[j].norm
        if j > i and not _joined(text, words[j - 1], words[j]):
            break
        if w in STOP or _bare(w) in STOP or w in TITLES or _bare(w) in TITLES:
            break
        if w.startswith("وال") and len(w) > 4:
            before = words[j - 1].norm
            if j - i > 2 or j == i or before.endswith(("ي", "يه")) or w[1:] in ORG_HEADS:
                break
            j += 1
            continue
        nxt = words[j + 1].norm if j + 1 < len(words) and _joined(text, words[j], words[j + 1]) else ""
        if _definite(w) and (w.startswith(("ال", "لل")) or nxt.startswith("ال")):
            seen_definite = True
            j += 1
            continue
        if seen_definite or w.startswith(("و", "ف", "ب")) or (w.startswith("س") and len(w) > 4 and w[1] in "يت"):
            break
        if not (nxt and (_definite(nxt) or nxt.startswith("وال"))):
            break
        j += 1
    return j


def _start(text: str, word: Token, head: str) -> int:
    stripped = len(word.norm) - len(head) if not head.startswith("ال") or word.norm.endswith(head) else 0
    if word.norm.startswith(("لل", "ولل", "فلل")) and head.startswith("ال"):
        stripped = len(word.norm) - len(head) + 2
    return _offset_after(text, word, stripped) if stripped > 0 else word.start


def _bare_name(text: str, words: Sequence[Token], i: int) -> int:
    """The index after a run of rare words starting at ``i`` (a name after a descriptor: شركة ميرسك)."""
    j = i
    while j < len(words) and j - i < 3:
        w = words[j].norm
        if (j > i and not _joined(text, words[j - 1], words[j])) or w in STOP or w.startswith("ال"):
            break
        if not (w.isdigit() or _zipf(w) < 3.5):
            break
        j += 1
    return j


_QUOTED = re.compile(r"(?:صحيفة|جريدة|مجلة|وكالة|قناة|موقع|إذاعة|شركة|حزب|حركة)\s*[«\"“]([^«»\"“”\n]{2,40}?)[»\"”]")


def _org_triggers(text: str, words: Sequence[Token], gazetteer: Gazetteer) -> list[Prediction]:
    found: list[Prediction] = []
    for i, word in enumerate(words[:-1]):
        joined = _joined(text, word, words[i + 1])
        if not joined:
            continue
        army = _head(word.norm, ARMY)
        if army and _is_nisba(words[i + 1].norm, gazetteer):
            found.append(Prediction(_start(text, word, army), words[i + 1].end, "ORG", 0.7, "ORG-trigger"))
            continue
        head = _head(word.norm, ORG_HEADS) or _head(word.norm, EVENT_HEADS)
        label = "ORG" if head and head in ORG_HEADS else "EVENT" if head else None
        if head and head.startswith("ال") and not _definite(words[i + 1].norm):
            head = label = None  # المنظمة alone refers back; a name goes on with a definite word
        if head and label:
            end = _construct_end(text, words, i + 1)
            content = [w for w in words[i + 1 : end] if not _is_nisba(w.norm, gazetteer) or head in NAMED_BY_NISBA]
            if content:  # a head with only a nationality adjective is a description (القوات الأوكرانية)
                key = f"{label}-trigger"
                found.append(Prediction(_start(text, word, head), words[end - 1].end, label, SCORE[key], key))
                continue
        if _head(word.norm, ORG_DESCRIPTORS) and not _definite(words[i + 1].norm):
            end = _bare_name(text, words, i + 1)
            if end > i + 1:
                found.append(Prediction(words[i + 1].start, words[end - 1].end, "ORG", 0.65, "ORG-trigger"))
    for match in _QUOTED.finditer(text):  # صحيفة «ماركا»
        found.append(Prediction(match.start(1), match.end(1), "ORG", 0.7, "ORG-trigger"))
    return found


def _place_name_word(text: str, words: Sequence[Token], k: int, gazetteer: Gazetteer) -> bool:
    w = words[k].norm
    if w in STOP or w in GENERIC or _is_nisba(w, gazetteer) or w.startswith("لل"):
        return False
    if w.startswith("ال") or (w,) in gazetteer or w.isdigit() or _zipf(w) < 3.6:
        return True
    nxt = words[k + 1].norm if k + 1 < len(words) and _joined(text, words[k], words[k + 1]) else ""
    return bool(nxt) and nxt.startswith("ال") and nxt not in STOP  # a construct: باب المندب، رأس الرجاء


def _place_triggers(text: str, words: Sequence[Token], gazetteer: Gazetteer) -> list[Prediction]:
    found: list[Prediction] = []
    for i, word in enumerate(words[:-1]):
        head = _head(word.norm, FAC_HEADS) or _head(word.norm, LOC_HEADS) or _head(word.norm, LOC_DEFINITE_HEADS)
        if head is None:
            continue
        label = "FAC" if head in FAC_HEADS else "LOC"
        if not _joined(text, word, words[i + 1]) or not _place_name_word(text, words, i + 1, gazetteer):
            continue
        if head in LOC_DEFINITE_HEADS and not words[i + 1].norm.startswith("ال"):
            continue
        end = i + 2
        while end < len(words) and end - i < 5 and _joined(text, words[end - 1], words[end]):
            w = words[end].norm
            if (
                w in STOP
                or w in GENERIC
                or w in TITLES
                or (w.startswith(("و", "ف", "ب", "ل")) and not w.startswith("ال"))
            ):
                break
            if not w.startswith("ال") and not w.isdigit() and _zipf(w) >= 4.2:
                break
            if not w.startswith("ال") and any(x.norm.startswith("ال") for x in words[i + 1 : end]):
                break  # after a definite word only definite adjectives go on (نهر الخابور مكتظ)
            if w.startswith("ال") and _is_nisba(w, gazetteer) and label == "LOC":
                break  # a direction or nationality adjective after a natural place stays outside
            end += 1
        key = f"{label}-trigger"
        found.append(Prediction(_start(text, word, head), words[end - 1].end, label, SCORE[key], key))
    return found


def _name_word(norm: str, first: bool, after_particle: bool = False) -> bool:
    """Whether ``norm`` can be a word of a person's name (first: its first word)."""
    if norm in STOP or norm in TITLES or len(norm) < 2:
        return False
    if norm in NAME_PARTICLES or norm in GIVEN or (not first and norm in NAME_ENDINGS) or after_particle:
        return not first or not norm.startswith("ال")
    if norm.startswith(("وال", "بال", "لل", "فال", "كال")) or (first and norm.startswith(("ال", "و", "ف"))):
        return False
    if norm[:1] in "وفبلك" and len(norm) > 4 and _zipf(norm[1:]) >= 3.5:
        return False  # a word with a proclitic (بزيادة، بولاية، واتهمه)
    if norm.endswith(("ته", "ها", "هم", "هن")) and len(norm) > 4:
        return False  # a pronoun suffix (تحقيقاته)
    if norm.startswith(("سي", "ست")) and len(norm) > 4 and _zipf(norm[2:]) >= 3.0:
        return False  # a future verb (سيزور)
    if not first and norm.endswith("ا") and _zipf(norm) >= 3.0:
        return False  # an adverbial accusative (قادما)
    return _zipf(norm) < (5.0 if first else 3.8 if norm.startswith("ال") else 3.9)


def _continues(text: str, words: Sequence[Token], k: int) -> bool:
    """Whether ``words[k]`` goes on the name before it."""
    norm = words[k].norm
    if _name_word(norm, first=False, after_particle=words[k - 1].norm in NAME_PARTICLES):
        return True
    if norm in STOP or norm in TITLES or (not _name_word(norm, first=True) and not norm.startswith("ال")):
        return False
    nxt = words[k + 1].norm if k + 1 < len(words) and _joined(text, words[k], words[k + 1]) else ""
    if nxt in NAME_ENDINGS or (nxt and not nxt.startswith("ال") and nxt not in STOP and _zipf(nxt) < 3.0):
        return True  # a frequent word inside a name (فضل الله، رجب طيب أردوغان)
    return (not nxt or nxt in STOP) and not norm.startswith("ال") and _zipf(norm) < 4.8  # the last word


def _name_end(text: str, words: Sequence[Token], i: int, blocked: Sequence[bool]) -> int:
    end = i + 1
    while end < len(words) and end - i < 5 and _joined(text, words[end - 1], words[end]):
        if blocked[end] or not _continues(text, words, end):
            break
        end += 1
    while end - 1 > i and words[end - 1].norm in NAME_PARTICLES:
        end -= 1
    return end


_ROLE_LINKS = _folded("باسم باسمها باسمه عن في")
SPEECH = _folded("قال وقال قالت وقالت أضاف وأضاف أكد وأكد أوضح وأوضح تابع وتابع صرح وصرح أشار وأشار")
_THAT = _folded("إن أن إنه إنها أنه أنها")


def _covered(words: Sequence[Token], spans: Sequence[tuple[int, int]]) -> list[bool]:
    """For each word, whether one of ``spans`` holds it whole: the longest reach of the spans that
    start at or before the word, in O((words + spans) log spans) rather than words x spans."""
    ordered = sorted(spans)
    starts = [s for s, _ in ordered]
    reach: list[int] = []
    for _, e in ordered:
        reach.append(max(e, reach[-1]) if reach else e)
    covered = []
    for w in words:
        k = bisect_right(starts, w.start)
        covered.append(k > 0 and reach[k - 1] >= w.end)
    return covered


def _person_triggers(text: str, words: Sequence[Token], taken: Sequence[Prediction]) -> list[Prediction]:
    in_entity = _covered(words, [(p.start, p.end) for p in taken])
    blocked = _covered(words, [(p.start, p.end) for p in taken if p.source != "geonames"])
    found: list[Prediction] = []
    for i, word in enumerate(words):
        if blocked[i] or not _name_word(word.norm, first=True):
            continue
        j, steps, titled = i - 1, 0, False
        while j >= 0 and steps < 7 and _joined(text, words[j], words[j + 1]):
            w = _bare(words[j].norm)
            if w in TITLES or words[j].norm in TITLES:
                titled = True
                break
            if not (in_entity[j] or _definite(w) or words[j].norm in _ROLE_LINKS):
                break
            j, steps = j - 1, steps + 1
        if titled:
            end = _name_end(text, words, i, blocked)
            found.append(Prediction(word.start, words[end - 1].end, "PER", SCORE["PER-title"], "PER-title"))
            continue
        # وقال ساويرس إن …: a rare word between a verb of saying and إن / أن
        if i and words[i - 1].norm in SPEECH and _joined(text, words[i - 1], word) and _zipf(word.norm) < 3.0:
            end = _name_end(text, words, i, blocked)
            after = words[end].norm if end < len(words) and _joined(text, words[end - 1], words[end]) else ""
            if after in _THAT:
                found.append(Prediction(word.start, words[end - 1].end, "PER", 0.5, "PER-speech"))
    return found


def _partial_keys(text: str, people: Sequence[Prediction]) -> dict[tuple[str, ...], float]:
    keys: dict[tuple[str, ...], float] = {}
    for p in people:
        parts = [w.norm for w in tokens(text[p.start : p.end])]
        if len(parts) < 2:
            continue
        for k in range(1, len(parts)):
            tail = tuple(parts[k:])
            if (tail[0] in NAME_PARTICLES and len(tail) == 1) or tail[-1] in STOP:
                continue
            if len(tail) == 1 and ((_zipf(tail[0]) >= 5.0 and tail[0].startswith("ال")) or len(tail[0]) < 3):
                continue
            keys.setdefault(tail, SCORE["PER-partial"])
        if len(parts) >= 2 and _zipf(parts[0]) < 3.0 and parts[0] not in NAME_PARTICLES:
            keys.setdefault((parts[0],), SCORE["PER-partial"])
    return keys


def _resolve(candidates: Sequence[Prediction]) -> list[Prediction]:
    """Non-overlapping predictions: the longest first, then the higher score, then the leftmost."""
    chosen: list[Prediction] = []
    for p in sorted(candidates, key=lambda c: (-(c.end - c.start), -c.score, c.start)):
        if all(p.end <= q.start or q.end <= p.start for q in chosen):
            chosen.append(p)
    return sorted(chosen, key=lambda c: c.start)


def _adjectives(text: str, words: Sequence[Token], found: list[Prediction]) -> list[Prediction]:
    """A GPE short name that is also a nisba (السعودية) right after a definite word is the adjective: NORP."""
    starts = {w.start: k for k, w in enumerate(words)}
    starts |= {w.start + 1: k for k, w in enumerate(words) if w.norm.startswith("و")}
    out = []
    for p in found:
        k = starts.get(p.start)
        own = words[k].norm[1:] if k and words[k].norm.startswith("وال") else words[k].norm if k else ""
        if p.label == "GPE" and k and own.startswith("ال") and own.endswith("يه"):
            before = words[k - 1].norm
            if _joined(text, words[k - 1], words[k]) and before.startswith(("ال", "وال")) and before not in STOP:
                p = Prediction(p.start, p.end, "NORP", 0.6, "nisba-context")
        out.append(p)
    return out


def find_entities(text: str, gazetteer: Gazetteer, rules: bool = True) -> list[Prediction]:
    """Entity predictions for ``text``: gazetteer matches, and with ``rules`` the trigger patterns and
    partial names."""
    words = tokens(text)
    _TEXT.written = {}
    for word in words:
        _TEXT.written.setdefault(word.norm, word.plain)
    candidates = _gazetteer_matches(text, words, gazetteer)
    if rules:
        candidates += _org_triggers(text, words, gazetteer) + _place_triggers(text, words, gazetteer)
        first = _resolve(candidates)
        people = _person_triggers(text, words, first)
        candidates += people
        known = [p for p in _resolve(candidates) if p.label == "PER"]
        partial = _partial_keys(text, known)
        if partial:
            linked = {k: Entry("PER", score, "PER-partial") for k, score in partial.items()}
            candidates += [p for p in _gazetteer_matches(text, words, linked) if p not in candidates]
    return _adjectives(text, words, _resolve(candidates)) if rules else _resolve(candidates)


def nisba_gazetteer(stems: Sequence[str]) -> Gazetteer:
    """NORP forms of the given nisba stems (for tests and callers' lists)."""
    return {(fold(f),): Entry("NORP", 0.9, "nisba") for s in stems for f in nisba_forms(s)}
