"""Entity rules for names that no list holds: places after an administrative class word, spelled
acronyms, persons by a given name, quoted outlets, coordinated names, and the propagation of a name
found once to its other mentions in the same document.

- **Class words of a GPE** (إقليم، مدينة، بلدة، قرية، ولاية، محافظة …) before a rare word: the word (and a
  rare word after it) is a GPE, the class word outside (guidelines §2.5); after جزيرة / جزر a LOC.
- **Spelled acronyms**: two or more Latin letter names written in Arabic (إتش إس بي سي، بي واي دي) are the
  name of an organisation (ORG, §2.4.5); after an organisation's descriptor one letter and a number
  (حركة إم 23) too.
- **Given names**: a frequent given name (Arabic, or a foreign one as Arabic news writes it) followed by
  a word that can be a name is a person (§2.2), also without a title.
- **Apposition**: a name followed by a comma and a title (بلينكن، وزير الخارجية الأمريكي) is a person.
- **Nicknames**: a quoted name after المعروف بـ / الملقب بـ right after a person is the same person (PER).
- **Quoted outlets**: a short quoted name after ل or لـ in a sentence with a verb of saying or a noun
  of statement (قال لـ«...»، في تصريح لـ«...») is the outlet spoken to: ORG (§2.4.5).
- **Abbreviations in brackets** after an organisation's name (الاتحاد الدولي لكرة القدم (فيفا)) are
  a separate mention of it (§1.4, §2.4.5): ORG.
- **A proper noun before a definite adjective**: an Arabic adjective agrees with its noun in
  definiteness, so a rare word without the article followed by a feminine nationality adjective with it
  (تسلا الأمريكية، إيرباص الأوروبية) is a name, definite by itself: feminine, an organisation (ORG).
- **A state's official adjective** (الكونغو الديمقراطية، كوريا الشعبية) is part of its name: one GPE
  (§2.5, official names are whole).
- **Clubs**: the words after نادي up to a function word, a nationality adjective or a comma are the
  club's name (نادي ريال مدريد الإسباني → ريال مدريد), the descriptor outside (§2.4.2).
- **Coordination**: a rare word joined by و to an organisation found by its descriptor
  (شركتا سوني وهوندا) is an organisation too.
- **Propagation**: a name that a rule found once is the same entity wherever else the document writes
  it (with its proclitics outside).

The given names are a list of the language, not of the corpus: frequent Arabic given names and the
usual Arabic spelling of frequent foreign ones, without those that are also frequent common words
(جمال، كامل، أمل; wordfreq Zipf 4.5 or more) or that name a common idea (جهاد، إيمان). Names that occur
in the entity development sets (``tests/fixtures/preannotate_dev*``) were not added to the list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from furat.annotate.entity_words import (
    GENERIC,
    GIVEN,
    HONORIFICS,
    NAME_PARTICLES,
    ORG_DESCRIPTORS,
    STOP,
    TITLES,
    Prediction,
    _bare,
    _folded,
    _head,
    _joined,
    _offset_after,
    _zipf,
)
from furat.annotate.gazetteers import Gazetteer
from furat.annotate.normalize import Token, fold

__all__ = [
    "GIVEN_NAMES",
    "acronyms",
    "apposition_people",
    "bracketed",
    "class_word_places",
    "clubs",
    "coordinated",
    "given_name_people",
    "honorific_name",
    "merge_people",
    "named_by_adjective",
    "nicknames",
    "official_names",
    "quoted_outlets",
]

DIRECTIONS = _folded("شمال جنوب شرق غرب")
GPE_CLASS = _folded("إقليم مدينة بلدة قرية ولاية محافظة مقاطعة قضاء ناحية العاصمة منطقة")
ISLAND_CLASS = _folded("جزيرة جزر أرخبيل")
GIVEN_NAMES = GIVEN | _folded(
    "محمود مصطفى عمر عثمان خالد وليد هشام ياسر ياسين أيمن أنور أمجد إياد باسل بسام بشار بشير بلال ثامر "
    "جاسم جواد حازم حسام حسين حمزة حمود حيدر خليل رامي زياد زكريا زهير سامر سمير سهيل شادي طلال عاطف "
    "عامر عدنان عزت عصام عماد عمرو فادي فاروق فراس فؤاد قاسم لؤي مازن ماهر مجدي محسن مختار مروان معاذ "
    "معتز مهدي مهند نبيل نزار نضال هاني هيثم وائل إلياس أسعد أشرف إدريس أيوب تامر توفيق حمدي راشد رفيق "
    "رمزي شوقي صبري صفوان طلعت ظافر عاصم عزمي علاء فهمي فوزي قحطان لطفي مأمون مدحت مسعود مشعل منذر مؤيد "
    "نايف نواف هاشم همام يعقوب تميم نوري فاطمة مريم عائشة زينب خديجة سعاد سلمى سميرة شيماء عبير غادة "
    "فريدة لبنى لمياء مها نادية نجلاء نهى هالة ياسمين بثينة حنان رنا روان رزان سوسن عفاف غدير لينا ميساء "
    "نسرين هيفاء جون جورج ديفيد مايكل دونالد جوزيف توماس ريتشارد روبرت ويليام بيتر جيمس ستيفن أندرو "
    "كريستوفر ماثيو دانيال فرانسوا نيكولا ميشيل أنغيلا أنجيلا بوريس ريشي تيريزا هيلاري نانسي كامالا مايك "
    "ماركو ماريو سيرغي سيرجي ديمتري أليكسي إيغور يوري أندريه ألكسندر أليكسندر نيكولاي ميخائيل دميتري "
    "تشين وانغ جاك أوليفر هاري تشارلز إدوارد فيليب كارلوس خوان خوسيه بيدرو ميغيل دييغو فرناندو "
    "أليخاندرو غابرييل سيرجيو فيليبي جيرالد رونالد باراك هنري إريك آلان "
    "حامد زيد حاتم غسان منير نعيم وسام يزن حسان رياض طه عدي غازي فتحي معن إيهاب بهاء تيسير خضر رامز "
    "زاهر شفيق صفاء ضياء فاتن فدوى لمى مايا منال ميرفت ميسون نادين نجوى نوال هبة هند وداد يارا رغد "
    "جنى دانة رحاب رشا سناء صفية عبلة علياء غالية مروة نهلة هيام"
)
# Latin letters as Arabic writes their names; في، أو، إن are also words, so a run does not start with them.
LETTERS = _folded("إيه اي بي سي دي إي إف جي إتش آي جيه كيه كي إل إم إن أو كيو آر إس تي يو في دبليو إكس واي زد زي")
_LETTER_WORDS = _folded("في أو إن")
# How a person's name runs on from its first word: the index after its last word (``entities._name_end``).
NameEnd = Callable[[str, Sequence[Token], int, Sequence[bool]], int]
# Whether a word can be a word of a person's name (``entities._name_word``; first: its first word).
NameWord = Callable[[str, bool], bool]
SPEECH_VERBS = _folded("قال وقال قالت وقالت أكد وأكد أضاف وأضاف أعلن وأعلن صرح وصرح أوضح وأوضح")
_SPEECH_TO = re.compile(
    r"(?:قال|قالت|أكد|أكدت|أضاف|أضافت|صرح|صرحت|أوضح|أوضحت|كشف|كشفت|تحدث|تحدثت|أفاد|أفادت"
    r"|تصريح|تصريحات|حديث|مقابلة|مقال)"
    r"(?:\s+\S+){0,3}?\s+(?:ل|لـ)\s*[«\"“]([^«»\"“”\n]{2,30}?)[»\"”]"
)


def honorific_name(text: str, words: Sequence[Token], j: int) -> bool:
    """Whether ``words[j]`` is a ruler's title or an honorific before a given name or a rare word, inside a
    longer name: جامعة الملك سعود، جسر الشيخ زايد (the person's name is part of the place's, §2.6)."""
    if words[j].norm not in HONORIFICS or j + 1 >= len(words) or not _joined(text, words[j], words[j + 1]):
        return False
    nxt = words[j + 1].norm
    return (
        nxt in GIVEN_NAMES
        or nxt in NAME_PARTICLES
        or (not nxt.startswith("ال") and nxt not in STOP and nxt not in TITLES and _zipf(nxt) < 5.0)
    )


def _not_a_name(norm: str) -> bool:
    """A word that goes on a sentence, not a name: an adverbial accusative (اجتماعا), a verb in the
    imperfect or the future (ستواجه، يعقد)."""
    if norm.endswith("ا") and _zipf(norm) >= 2.5:
        return True
    if norm.startswith(("سي", "ست")) and len(norm) > 4 and _zipf(norm[2:]) >= 3.0:
        return True
    return norm[:1] in "يت" and _zipf(norm) >= 3.0


def class_word_places(text: str, words: Sequence[Token], gazetteer: Gazetteer) -> list[Prediction]:
    """إقليم دارفور → GPE دارفور; جزيرة سومطرة → LOC سومطرة."""
    found: list[Prediction] = []
    for i, word in enumerate(words[:-1]):
        head = _head(word.norm, GPE_CLASS) or _head(word.norm, ISLAND_CLASS)
        if head is None or not _joined(text, word, words[i + 1]):
            continue
        end = i + 1
        if words[end].norm in DIRECTIONS and end + 1 < len(words) and _joined(text, words[end], words[end + 1]):
            end += 1  # a direction that begins the name: إقليم جنوب كيفو
        while end < len(words) and end - i <= 3 and _joined(text, words[end - 1], words[end]):
            w = words[end].norm
            entry = gazetteer.get((w,))
            if w in STOP or w in TITLES or w in GENERIC or (entry is not None and entry.label == "NORP"):
                break
            written = words[end].plain  # ى is not ي here: سقطرى is a name, نائية an adjective
            adjective = written.endswith(("ي", "ية")) and not w.startswith("ال")  # قرية نائية، بلدة حدودية
            known = entry is not None and entry.label in ("GPE", "LOC") and end == i + 1  # إقليم السند
            if not w.isdigit() and not known and _zipf(w) >= (2.5 if adjective else 3.3 if w.startswith("ال") else 4.0):
                break
            if end > i + 1 and _not_a_name(w):
                break
            if end > i + 1 and (w.startswith(("و", "ب", "ل", "ف")) and not w.startswith("ال")):
                break
            end += 1
        if end > i + 1 and words[end - 1].norm in DIRECTIONS:
            end -= 1
        if end > i + 1:
            label = "LOC" if head in ISLAND_CLASS else "GPE"
            found.append(Prediction(words[i + 1].start, words[end - 1].end, label, 0.6, f"{label}-class"))
    return found


def acronyms(text: str, words: Sequence[Token]) -> list[Prediction]:
    """Runs of spelled Latin letters: إتش إس بي سي، تي إس إم سي; after حركة also إم 23."""
    found: list[Prediction] = []
    i = 0
    while i < len(words):
        first = words[i].norm
        clitic = first[:1] == "و" and first[1:] in LETTERS and first[1:] not in _LETTER_WORDS
        if (first not in LETTERS or first in _LETTER_WORDS) and not clitic:
            i += 1
            continue
        end = i + 1
        while end < len(words) and words[end].norm in LETTERS and _joined(text, words[end - 1], words[end]):
            end += 1
        while end - i > 1 and words[end - 1].norm in _folded("في أو"):
            end -= 1
        if end - i > 2 and words[end - 1].norm == fold("إن") and words[end - 2].norm != fold("إن"):
            end -= 1  # إيه بي سي إن … : the conjunction, not a letter (سي إن إن keeps it)
        after_head = i > 0 and _head(words[i - 1].norm, ORG_DESCRIPTORS) is not None
        number = end < len(words) and words[end].norm.isdigit() and _joined(text, words[end - 1], words[end])
        if number and (end - i > 1 or after_head):
            end += 1
        if end - i > 1:
            start = _offset_after(text, words[i], 1) if clitic else words[i].start
            found.append(Prediction(start, words[end - 1].end, "ORG", 0.6, "ORG-acronym"))
        i = end
    return found


def given_name_people(
    text: str, words: Sequence[Token], blocked: Sequence[bool], name_end: NameEnd
) -> list[Prediction]:
    """A given name and the words of a name after it (نزار قباني، جون كيري): PER."""
    found: list[Prediction] = []
    for i, word in enumerate(words[:-1]):
        if blocked[i] or word.norm not in GIVEN_NAMES or word.norm in STOP or not _joined(text, word, words[i + 1]):
            continue
        nxt = words[i + 1].norm
        if nxt in STOP or nxt in TITLES or blocked[i + 1]:
            continue
        end = name_end(text, words, i, blocked)
        for k in range(i + 2, end):  # a verb after the name in a headline: نجيب ساويرس يستثمر
            w = words[k].norm
            if w[:1] in "يت" and w not in GIVEN_NAMES and _zipf(w) >= 2.0:
                end = k
                break
        if end > i + 1:
            found.append(Prediction(word.start, words[end - 1].end, "PER", 0.6, "PER-given"))
    return found


_HE = _folded("وهو وهي")  # وقال سامر خوري، وهو صاحب متجر، إن …


def apposition_people(
    text: str, words: Sequence[Token], blocked: Sequence[bool], name_word: NameWord, name_end: NameEnd
) -> list[Prediction]:
    """وقال لافروف، وزير الخارجية، إن …: a name before a comma and a title."""
    found: list[Prediction] = []
    for i, word in enumerate(words[:-1]):
        if blocked[i] or not name_word(word.norm, True):
            continue
        before = words[i - 1].norm if i and _joined(text, words[i - 1], word) else ""
        if before and before not in STOP and before not in SPEECH_VERBS:
            continue  # inside a phrase, not the start of a name
        end = name_end(text, words, i, blocked)
        if end >= len(words) or text[words[end - 1].end : words[end].start].strip() not in ("،", ","):
            continue
        title = words[end].norm
        if title in TITLES or _bare(title) in TITLES or (title in _HE and before in SPEECH_VERBS):
            found.append(Prediction(word.start, words[end - 1].end, "PER", 0.6, "PER-apposition"))
    return found


_NICKNAME = re.compile(r"\s+(?:المعروف|المعروفة|الملقب|الملقبة)\s+(?:بـ|ب)\s*[«\"“]([^«»\"“”\n]{2,30}?)[»\"”]")


def nicknames(text: str, found: Sequence[Prediction]) -> list[Prediction]:
    """محمد حمدان دقلو المعروف بـ«حميدتي»: the nickname of a person is PER."""
    out: list[Prediction] = []
    for p in found:
        match = _NICKNAME.match(text, p.end) if p.label == "PER" else None
        if match:
            out.append(Prediction(match.start(1), match.end(1), "PER", 0.6, "PER-nickname"))
    return out


def quoted_outlets(text: str) -> list[Prediction]:
    """وقال لـ«بلومبرغ» إن …: the outlet spoken to."""
    return [Prediction(m.start(1), m.end(1), "ORG", 0.6, "ORG-quoted") for m in _SPEECH_TO.finditer(text)]


_BRACKET = re.compile(r"\s*\(\s*([^()\d\n]{2,25}?)\s*\)")


def bracketed(text: str, found: Sequence[Prediction]) -> list[Prediction]:
    """منظمة الصحة العالمية (الصحة): the abbreviation in brackets after an organisation is ORG too."""
    out: list[Prediction] = []
    for p in found:
        match = _BRACKET.match(text, p.end) if p.label == "ORG" else None
        if match and len(match.group(1).split()) <= 3:
            out.append(Prediction(match.start(1), match.end(1), "ORG", 0.6, "ORG-bracket"))
    return out


def named_by_adjective(
    text: str, words: Sequence[Token], gazetteer: Gazetteer, blocked: Sequence[bool]
) -> list[Prediction]:
    """تسلا الأمريكية، توتال إنرجيز الفرنسية: rare words without the article before a definite feminine
    nationality adjective are the name of an organisation."""
    found: list[Prediction] = []
    for k, word in enumerate(words):
        entry = gazetteer.get((word.norm,))
        if k == 0 or entry is None or entry.label != "NORP" or not word.norm.startswith("ال"):
            continue
        if not word.norm.endswith("يه") or not _joined(text, words[k - 1], word):
            continue
        start = k
        while start > 0 and k - start < 2 and not blocked[start - 1] and _joined(text, words[start - 1], words[start]):
            w = words[start - 1].norm
            if (
                w.startswith(("ال", "لل", "وال", "فال", "بال", "كال"))
                or w in STOP
                or w in TITLES
                or w in GENERIC
                or w.isdigit()
                or (w,) in gazetteer
            ):
                break
            if w[:1] in "وفبل" and _zipf(w[1:]) >= 3.0:
                break  # a proclitic on a word: وبي، لشركة
            if _zipf(w) >= 3.6 or _head(w, ORG_DESCRIPTORS):
                break
            start -= 1
        if start < k:
            found.append(Prediction(words[start].start, words[k - 1].end, "ORG", 0.55, "ORG-adjective"))
    return found


_OFFICIAL = _folded("الديمقراطية الديموقراطية الشعبية الاتحادية")


def official_names(text: str, words: Sequence[Token], found: Sequence[Prediction]) -> list[Prediction]:
    """A country of the lists followed by الديمقراطية: the whole is the GPE."""
    ends = {w.end: k for k, w in enumerate(words)}
    out: list[Prediction] = []
    for p in found:
        k = ends.get(p.end)
        if p.label != "GPE" or k is None or k + 1 >= len(words) or p.source not in ("cldr", "iso", "curated"):
            continue
        if words[k + 1].norm in _OFFICIAL and _joined(text, words[k], words[k + 1]):
            out.append(Prediction(p.start, words[k + 1].end, "GPE", p.score, p.source))
    return out


_CLUB = _folded("نادي ناديا ناديي")


def clubs(text: str, words: Sequence[Token], gazetteer: Gazetteer) -> list[Prediction]:
    """نادي الرجاء الرياضي → الرجاء الرياضي; نادي ريال مدريد الإسباني → ريال مدريد: ORG."""
    found: list[Prediction] = []
    for i, word in enumerate(words[:-1]):
        if _head(word.norm, _CLUB) is None or not _joined(text, word, words[i + 1]):
            continue
        definite = words[i + 1].norm.startswith("ال")
        end = i + 1
        while end < len(words) and end - i <= 3 and (end == i + 1 or _joined(text, words[end - 1], words[end])):
            w = words[end].norm
            entry = gazetteer.get((w,))
            if (
                w in STOP
                or (w in TITLES and not definite)
                or (entry is not None and entry.label == "NORP" and end > i + 1)
            ):
                break  # a definite title word is the club's adjective: نادي الرجاء الرياضي
            if definite != w.startswith("ال") or (w[:1] in "وفبل" and not definite and _zipf(w[1:]) >= 3.0):
                break
            end += 1
        if end > i + 1:
            found.append(Prediction(words[i + 1].start, words[end - 1].end, "ORG", 0.75, "ORG-club"))
    return found


def coordinated(text: str, words: Sequence[Token], found: Sequence[Prediction]) -> list[Prediction]:
    """شركتا سوني وهوندا: a rare word after و that follows an organisation named after its descriptor."""
    ends = {w.end: k for k, w in enumerate(words)}
    out: list[Prediction] = []
    for p in found:
        k = ends.get(p.end)
        if p.label != "ORG" or p.source != "ORG-trigger" or k is None or k + 1 >= len(words):
            continue
        start = next((j for j in range(k, -1, -1) if words[j].start <= p.start), k)
        if start == 0 or not (_head(words[start - 1].norm, ORG_DESCRIPTORS)):
            continue
        nxt = words[k + 1]
        rest = nxt.norm[1:]
        joined = nxt.norm.startswith("و") and len(rest) > 2 and _joined(text, words[k], nxt) and _bare(nxt.norm) == rest
        if joined and not rest.startswith("ال") and rest not in STOP and _zipf(rest) < 4.0:
            out.append(Prediction(_offset_after(text, nxt, 1), nxt.end, "ORG", 0.8, "ORG-coordinated"))
    return out


def _surname(text: str, before: Prediction, word: Token) -> bool:
    """Whether the nisba ``word`` right after ``before`` is a person's surname: ``before`` is a person
    named by one given name, and the nisba has the article."""
    given = fold(text[before.start : before.end]) in GIVEN_NAMES
    return before.label == "PER" and given and word.norm.startswith("ال")


def merge_people(text: str, words: Sequence[Token], found: list[Prediction]) -> list[Prediction]:
    """One person's name found in two pieces (أكرم + إمام أوغلو): the pieces are one PER; a given name
    right before a person's name found elsewhere is its first word; and a definite nisba after a given
    name is the surname (هشام البلوشي، أحمد المصري, §2.2)."""
    starts = {w.start: k for k, w in enumerate(words)}
    out: list[Prediction] = []
    for p in found:
        k = starts.get(p.start)
        gap = text[out[-1].end : p.start] if out else "x"
        if gap.isspace() and "\n" not in gap and p.label == "PER" and out[-1].label == "PER":
            last = out.pop()
            p = Prediction(last.start, p.end, "PER", max(last.score, p.score), last.source)
        elif (
            gap.isspace()
            and "\n" not in gap
            and p.label == "NORP"
            and k is not None
            and _surname(text, out[-1], words[k])
        ):
            last = out.pop()  # a nisba after a given name is the surname (هشام البلوشي, §2.2)
            p = Prediction(last.start, p.end, "PER", last.score, last.source)
        elif (
            p.label in ("PER", "NORP")
            and k
            and words[k - 1].norm in GIVEN_NAMES
            and _joined(text, words[k - 1], words[k])
        ):
            free = not out or out[-1].end <= words[k - 1].start
            surname = p.label == "PER" or (words[k].norm.startswith("ال") and words[k].end == p.end)  # أحمد المصري
            p = Prediction(words[k - 1].start, p.end, "PER", p.score, p.source) if free and surname else p
        out.append(p)
    return out
