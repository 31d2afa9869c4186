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
3. **Name rules** (``entity_rules``, ``entity_classes``) for names that no list holds: places after an
   administrative class word, spelled acronyms, persons by a given name or in apposition to a title,
   quoted outlets and nicknames, coordinated and bracketed names, a proper noun before a definite
   nationality adjective, outlets and companies after their descriptor, wars, teams and basins; and a
   name a rule found once is propagated to its other mentions in the document. A construct name runs
   over a place's name or a rare word (مصرف ليبيا المركزي، جبهة تحرير شعب تيغراي) and a ruler's name
   (جامعة الملك سعود), and ends after الله or before a verb.
4. **Partial names**: a later mention of a person by part of a name found earlier in the document
   (بالي after مصطفى بالي) is PER; the pieces of one name next to each other are one PER.

Overlaps keep the longest span (then the higher score): entities are flat (§2.6). A nationality
adjective that follows a definite noun (الناقلات السعودية) is NORP even where the same word alone is
a country's short name.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache

from furat.annotate.entity_classes import (
    basins,
    common_nouns,
    definite_outlets,
    named_after_trade,
    nisba_adjectives,
    places_by_context,
    teams,
    wars,
)
from furat.annotate.entity_rules import (
    GIVEN_NAMES,
    acronyms,
    apposition_people,
    bracketed,
    class_word_places,
    clubs,
    coordinated,
    given_name_people,
    honorific_name,
    merge_people,
    named_by_adjective,
    nicknames,
    official_names,
    quoted_outlets,
)
from furat.annotate.entity_words import (
    _PROCLITIC_1,
    _PROCLITIC_2,
    _TEXT,
    ARMY,
    EVENT_HEADS,
    FAC_HEADS,
    GENERIC,
    GIVEN,
    LANDSCAPE,
    LOC_DEFINITE_HEADS,
    LOC_HEADS,
    NAME_ENDINGS,
    NAME_PARTICLES,
    NAMED_BY_NISBA,
    ORG_DESCRIPTORS,
    ORG_HEADS,
    ORG_PROPER_HEADS,
    SPEAKERS,
    SPEECH,
    STOP,
    TITLES,
    Prediction,
    _bare,
    _definite,
    _folded,
    _head,
    _joined,
    _offset_after,
    _proper_noun,
    _proper_place,
    _unsuffixed,
    _written,
    _zipf,
    resolve,
)
from furat.annotate.gazetteers import Entry, Gazetteer, first_words, nisba_forms
from furat.annotate.normalize import Token, fold, tokens

__all__ = ["Prediction", "entities_with_and_without_rules", "find_entities"]

SCORE = {
    "EVENT-trigger": 0.6,
    "ORG-trigger": 0.7,
    "FAC-trigger": 0.7,
    "LOC-trigger": 0.7,
    "PER-title": 0.65,
    "PER-partial": 0.7,
}


@lru_cache(maxsize=1 << 14)
def _variants(norm: str) -> tuple[tuple[int, str], ...]:
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
    return tuple(out)


def _clitic_plausible(word: str, rest: str, stripped: int) -> bool:
    """Whether the letters before ``rest`` are proclitics and not part of another word (لجنة is not
    ل + جنة, كريم not ك + ريم): ك only before ال, and the whole word is not more frequent than the name."""
    if "ك" in word[:stripped] and not rest.startswith("ال"):
        return False
    if rest.startswith("ال") and word[stripped - 2 : stripped] == "لل":
        return True  # لل is ل + ال: للأمم المتحدة
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
    firsts = first_words(gazetteer)  # no name is longer than the longest that starts with its first word
    runs = _joined_runs(text, words)
    for i, first in enumerate(words):
        for stripped, head in _variants(first.norm):
            hit = None
            for n in range(min(firsts.get(head, 0), runs[i] + 1), 0, -1):  # names never run over punctuation
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


def _is_nisba(norm: str, gazetteer: Gazetteer) -> bool:
    entry = gazetteer.get((norm,))
    return entry is not None and entry.label == "NORP"


def _construct_end(
    text: str, words: Sequence[Token], i: int, limit: int = 7, gazetteer: Gazetteer | None = None
) -> int:
    """The index after the last word of an Arabic construct phrase starting at ``words[i]``: indefinite
    nouns up to the first definite word, then definite words and genitives (``و`` + definite only in
    the first two words: العدالة والتنمية). A place's name is definite by itself (مصرف ليبيا المركزي,
    with ``gazetteer``), and a ruler's title with a name is a person's name in the phrase (جامعة الملك سعود)."""
    j, seen_definite, proper = i, False, False
    indefinite_head = i > 0 and not words[i - 1].norm.startswith("ال")  # a definite noun has no genitive
    while j < len(words) and j - i < limit:
        w = words[j].norm
        if j > i and (not _joined(text, words[j - 1], words[j]) or words[j - 1].norm == "الله"):
            break  # أنصار الله المهربين: a name ends with الله
        if indefinite_head and honorific_name(text, words, j):
            j, seen_definite = j + 2, True
            continue
        if w in STOP or _bare(w) in STOP or w in TITLES or _bare(w) in TITLES:
            break
        if gazetteer is not None and (proper or not seen_definite) and _proper_noun(w, gazetteer):
            j, seen_definite, proper = j + 1, True, True  # تونس أفريقيا للأنباء
            continue
        proper = False
        if j > i and w in EVENT_HEADS:
            break  # the committee of a festival: لجنة [مهرجانات بعلبك الدولية]
        if w.startswith("وال") and len(w) > 4:
            before = words[j - 1].norm
            genitive = any(x.norm.startswith("ل") and not x.norm.startswith("ال") for x in words[i:j])
            if (j - i > 2 and not genitive) or j == i or before.endswith(("ي", "يه")) or w[1:] in ORG_HEADS:
                break  # لحقوق الإنسان والشعوب: a pair of genitives after ل
            j += 1
            continue
        nxt = words[j + 1].norm if j + 1 < len(words) and _joined(text, words[j], words[j + 1]) else ""
        nxt = "" if nxt in STOP else nxt  # إلى is not a definite word (الي)
        if gazetteer is not None and nxt and _proper_noun(nxt, gazetteer) and not _definite(w):
            nxt = "ال" + nxt  # a construct with a place: نقابة صيادلة مصر
        if _definite(w) and (w.startswith(("ال", "لل")) or nxt.startswith("ال")):
            seen_definite = True
            j += 1
            continue
        if seen_definite or w.startswith(("و", "ف", "ب")) or (w.startswith("س") and len(w) > 4 and w[1] in "يت"):
            break
        far = words[j + 2].norm if j + 2 < len(words) and nxt and _joined(text, words[j + 1], words[j + 2]) else ""
        chain = gazetteer is not None and nxt and nxt not in TITLES and far and _proper_noun(far, gazetteer)
        if not (nxt and (_definite(nxt) or nxt.startswith("وال") or chain)):
            break  # (a chain of two nouns before a name goes on: تحرير شعب تيغراي)
        j += 1
    return j


def _start(text: str, word: Token, head: str) -> int:
    stripped = len(word.norm) - len(head) if not head.startswith("ال") or word.norm.endswith(head) else 0
    if word.norm.startswith(("لل", "ولل", "فلل")) and head.startswith("ال"):
        stripped = len(word.norm) - len(head) + 2
    return _offset_after(text, word, stripped) if stripped > 0 else word.start


def _bare_name(text: str, words: Sequence[Token], i: int, feminine: bool = False) -> int:
    """The index after a run of rare words starting at ``i`` (a name after a descriptor: شركة ميرسك). After
    a feminine descriptor (شركة، قناة) an adjective ends in ة or تان, so a first word without it may be
    more frequent (شركة سوني)."""
    j = i
    while j < len(words) and j - i < 3:
        w = words[j].norm
        if (j > i and not _joined(text, words[j - 1], words[j])) or w in STOP or w.startswith("ال"):
            break
        if j > i and w.startswith("و"):
            break
        adjective = w.endswith(("ه", "تان", "تين")) or w in GENERIC
        if feminine and j == i and w.endswith("يه"):
            break  # an adjective after a feminine descriptor: حركة جهادية
        if w.isdigit() or _zipf(w) < 3.5:
            j += 1
        elif feminine and j == i and not adjective:  # شركة سوني، شركة طيران الإمارات, not منظمة أطباء بلا حدود
            nxt = words[j + 1].norm if j + 1 < len(words) and _joined(text, words[j], words[j + 1]) else ""
            if nxt.startswith("ال") and nxt not in STOP:
                return _construct_end(text, words, j)
            if nxt and not nxt.startswith("و") and nxt not in STOP:
                return i
            j += 1
        else:
            break
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
        if label == "ORG" and _head(words[i + 1].norm, EVENT_HEADS):
            continue  # the committee of a festival: لجنة [مهرجانات بعلبك الدولية]
        if head and head.startswith("ال") and not _definite(words[i + 1].norm):
            head = label = None  # المنظمة alone refers back; a name goes on with a definite word
        if head and label:
            end = _construct_end(text, words, i + 1, gazetteer=gazetteer)
            if end == i + 1 and head in ORG_PROPER_HEADS:  # جامعة ميكيلي، بورصة مسقط: the head stays inside
                end = i + 2 if _proper_place(words[i + 1].norm, gazetteer) else _bare_name(text, words, i + 1)
            content = [w for w in words[i + 1 : end] if not _is_nisba(w.norm, gazetteer) or head in NAMED_BY_NISBA]
            if content:  # a head with only a nationality adjective is a description (القوات الأوكرانية)
                key = f"{label}-trigger"
                start = _start(text, word, head)
                if _head(word.norm, ORG_DESCRIPTORS) and _proper_place(words[i + 1].norm, gazetteer) and end > i + 2:
                    start = words[i + 1].start  # a descriptor before a name: وكالة [تونس أفريقيا للأنباء]
                found.append(Prediction(start, words[end - 1].end, label, SCORE[key], key))
                continue
        if _head(word.norm, ORG_DESCRIPTORS) and not _definite(words[i + 1].norm):
            end = _bare_name(text, words, i + 1, feminine=_bare(word.norm).endswith(("ه", "تا", "تي")))
            if end > i + 1:
                # the descriptor says what the name is: above a GeoNames town of the same name (شركة نوكيا)
                found.append(Prediction(words[i + 1].start, words[end - 1].end, "ORG", 0.8, "ORG-trigger"))
    for match in _QUOTED.finditer(text):  # صحيفة «ماركا»
        found.append(Prediction(match.start(1), match.end(1), "ORG", 0.7, "ORG-trigger"))
    return found


def _place_name_word(text: str, words: Sequence[Token], k: int, gazetteer: Gazetteer) -> bool:
    w = words[k].norm
    if w in STOP or w in GENERIC or _is_nisba(w, gazetteer) or w.startswith("لل"):
        return False
    if w[:1] in "وف" and _zipf(w[1:]) >= 3.6:
        return False  # a second class word joined by و: جبال وصحراء
    if w.startswith("ال") or (w,) in gazetteer or w.isdigit() or _zipf(w) < 3.6 or honorific_name(text, words, k):
        return True
    nxt = words[k + 1].norm if k + 1 < len(words) and _joined(text, words[k], words[k + 1]) else ""
    clitic = nxt[:1] in "وفبلك" and _zipf(nxt[1:]) >= 3.0  # لطيران: a proclitic on a word
    two = nxt and not nxt.startswith("ال") and nxt not in STOP and not clitic and not w.endswith(("يه", "ي"))
    if two and (_zipf(w) < 4.6 or w in NAME_PARTICLES) and _zipf(nxt) < 3.8:
        return True  # two words of a name, the first also a word: ابن خلدون، راس لانوف، نيلسون مانديلا
    alone = not nxt or nxt in STOP or clitic
    if (
        alone
        and _zipf(w) < (4.0 if w.endswith("ه") else 4.2)
        and not w.endswith(("ي", "يه", "ا"))
        and w[:1] not in "وفبلك"
    ):
        return True  # a name that is also written as a word, alone before a function word: وادي حضرموت ثم
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
        entry = gazetteer.get((words[i + 1].norm,))
        if head in LANDSCAPE and entry is not None and entry.label == "GPE":
            continue  # صحراء [العراق]، ريف [دمشق]: a landscape word before a state or town is a description (§2.5)
        end = i + 3 if honorific_name(text, words, i + 1) else i + 2
        while end < len(words) and end - i < 5 and _joined(text, words[end - 1], words[end]):
            w = words[end].norm
            if w in GIVEN_NAMES and w not in STOP:
                end += 1  # a person's name in the place's: سد غولام محمد، مستشفى محمد السادس
                continue
            if label == "FAC" and _proper_place(w, gazetteer):
                end += 1  # the city in a facility's name: متحف اللوفر أبوظبي
                break
            if (
                w in STOP
                or w in GENERIC
                or w in TITLES
                or (w.startswith(("و", "ف", "ب", "ل")) and not w.startswith("ال") and _zipf(w[1:]) >= 3.0)
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
    """Whether ``norm`` can be a word of a person's name (first: its first word). A name written with
    أل or إل (أليكو، إلياس) does not begin with the article."""
    if norm in STOP or norm in TITLES or len(norm) < 2 or norm.isdigit():
        return False
    article = norm.startswith("ال") and not _written(norm).startswith(("أل", "إل", "آل"))
    if norm in NAME_PARTICLES or norm in GIVEN or (not first and norm in NAME_ENDINGS) or after_particle:
        return not first or not article
    if norm.startswith(("وال", "بال", "لل", "فال", "كال")) or (first and article):
        return False
    if first and norm[:1] in "وف" and _zipf(norm[1:]) >= 3.0 and _zipf(norm) < _zipf(norm[1:]):
        return False  # و or ف before a word (وأعلن), not a name that begins with the letter (فيكتور، وليد)
    if norm[:1] in "وفبلك" and len(norm) == 4 and _zipf(norm[1:]) >= 4.0 and _zipf(norm) < _zipf(norm[1:]):
        return False  # a short word with a proclitic (بنقل)
    if norm[:1] in "وفبلك" and len(norm) > 4 and _zipf(norm[1:]) >= 3.5:
        return False  # a word with a proclitic (بزيادة، بولاية، واتهمه)
    if norm.endswith(("ته", "ها", "هم", "هن")) and len(norm) > 4:
        return False  # a pronoun suffix (تحقيقاته)
    future = _zipf(norm[2:]) >= 3.0 or _zipf(norm[1:]) >= 3.0  # سيزور، سيستعد (يستعد)
    if norm.startswith(("سي", "ست")) and len(norm) > 4 and future:
        return False  # a future verb (سيزور)
    if not first and norm.endswith("ا") and _zipf(norm) >= 3.0:
        return False  # an adverbial accusative (قادما)
    return _zipf(norm) < (5.0 if first else 3.8 if article else 3.9)


def _continues(text: str, words: Sequence[Token], k: int) -> bool:
    """Whether ``words[k]`` goes on the name before it."""
    norm = words[k].norm
    if _name_word(norm, first=False, after_particle=words[k - 1].norm in NAME_PARTICLES):
        return True
    if norm in STOP or norm in TITLES or (not _name_word(norm, first=True) and not norm.startswith("ال")):
        return False
    nxt = words[k + 1].norm if k + 1 < len(words) and _joined(text, words[k], words[k + 1]) else ""
    inside = not norm.startswith("ال") and nxt[:1] not in "وفبلك"  # not ميرتس الحكومة بالتقاعس
    if nxt in NAME_ENDINGS or (inside and nxt and not nxt.startswith("ال") and nxt not in STOP and _zipf(nxt) < 3.0):
        return True  # a frequent word inside a name (فضل الله، رجب طيب أردوغان)
    preposition = nxt[:1] in "لب" and _zipf(nxt[1:]) >= 3.5  # عادل مرسي لصحيفة، فاي بالانتخابات
    if norm.endswith("ا") and len(norm) > 4 and _zipf(norm) >= 3.0:
        return False  # an adverbial accusative after a name (إندريك قادما من)
    return (not nxt or nxt in STOP or preposition) and not norm.startswith("ال") and _zipf(norm) < 4.8  # the last


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


def _speaker_name(norm: str) -> bool:
    """Whether a word after a verb of saying may be a name: not a frequent word, a plural or a speaker noun."""
    if norm in SPEAKERS or norm.endswith(("ون", "ين", "ات")) or norm.startswith("ال"):
        return False
    return _zipf(norm) < (3.0 if norm.endswith(("ي", "ه")) else 4.5)


def _joined_verb(norm: str) -> bool:
    """A verb or a word with a proclitic, which no title phrase holds (قالت، ويقول، بعد)."""
    return norm in STOP or norm in SPEECH or (norm[:1] in "يتوفس" and _zipf(norm) >= 3.0)


_THAT = _folded("إن أن إنه إنها أنه أنها")


def _person_triggers(text: str, words: Sequence[Token], taken: Sequence[Prediction]) -> list[Prediction]:
    in_entity = _covered(words, taken)
    blocked = _blocked(words, taken)
    found: list[Prediction] = []
    for i, word in enumerate(words):
        if blocked[i] or not _name_word(word.norm, first=True):
            continue
        j, steps, titled = i - 1, 0, False
        while j >= 0 and steps < 7 and _joined(text, words[j], words[j + 1]):
            norm = words[j].norm
            w = _bare(norm)
            if w in TITLES or norm in TITLES or _unsuffixed(norm) in TITLES:
                titled = True
                break
            definite = _definite(norm) or (w != norm and w.startswith("ال"))  # not بلدية read as ب + لدية
            # the indefinite head of a construct after a title or في: رئيس بلدية إسطنبول، المحلل في بنك …
            construct = (
                j > 0 and in_entity[j + 1] and (_bare(words[j - 1].norm) in TITLES or words[j - 1].norm in _ROLE_LINKS)
            )
            after_title = j > 0 and (_bare(words[j - 1].norm) in TITLES or words[j - 1].norm in TITLES)
            head = (
                after_title and _definite(words[j + 1].norm) and norm.isalpha() and not _joined_verb(norm)
            )  # مدير إدارة
            if not (in_entity[j] or definite or norm in _ROLE_LINKS or construct or head):
                break
            j, steps = j - 1, steps + 1
        if titled and i + 1 < len(words) and in_entity[i + 1] and _zipf(word.norm) >= 4.0 and word.norm not in GIVEN:
            continue  # the head of a construct with a name, not a person: رئيس بلدية إسطنبول
        nxt = words[i + 1].norm if i + 1 < len(words) and _joined(text, word, words[i + 1]) else ""
        named = word.norm in GIVEN_NAMES or word.norm in NAME_PARTICLES or nxt in NAME_ENDINGS  # عز الدين
        if titled and nxt.startswith("ال") and not named and _zipf(word.norm) >= 4.0 and _zipf(nxt) >= 3.5:
            continue  # the head of a construct, not a person: رئيس بعثة المنظمة
        previous = words[i - 1].norm if i else ""
        if titled and previous in _ROLE_LINKS:
            continue  # الوزير في تصريح، المتحدث باسم الوزارة: what follows في is not the person
        if titled and in_entity[i] and not (_bare(previous) in TITLES or previous in TITLES or _definite(previous)):
            continue  # a town after the head of a construct (بلدية إسطنبول) is not a person's first name
        if titled:
            end = _name_end(text, words, i, blocked)
            found.append(Prediction(word.start, words[end - 1].end, "PER", SCORE["PER-title"], "PER-title"))
            continue
        # وقال ساويرس إن …: a rare word between a verb of saying and إن / أن
        if i and words[i - 1].norm in SPEECH and _joined(text, words[i - 1], word) and _speaker_name(word.norm):
            end = _name_end(text, words, i, blocked)
            after = words[end].norm if end < len(words) and _joined(text, words[end - 1], words[end]) else ""
            told = after[:1] == "ل" and not after.startswith("لل") and _zipf(after[1:]) >= 3.5  # وقال بوريل لصحيفة
            if after in _THAT or told:
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


# Sources whose names are found by a rule, not a list: a name they find once is propagated.
_RULE_SOURCES = ("ORG-", "GPE-class", "LOC-class", "PER-")


def _propagated(
    text: str,
    words: Sequence[Token],
    found: Sequence[Prediction],
    candidates: Sequence[Prediction],
    labels: Sequence[str] = ("ORG", "GPE", "LOC"),
) -> list[Prediction]:
    """Other mentions of a name that a rule found in the document (سوني after شركتا سوني)."""
    names: Gazetteer = {}
    for p in found:
        if p.label not in labels or not p.source.startswith(_RULE_SOURCES) or p.score < 0.5:
            continue
        k = tuple(w.norm for w in tokens(text[p.start : p.end]))
        if p.label == "PER" and len(k) < 2 and (not k or _zipf(k[0]) >= 3.0):
            continue  # the parts of a person's name are linked by ``_partial_keys``; a rare name alone goes on
        if k and (len(k) > 1 or _zipf(k[0]) < 4.5) and not (len(k) == 1 and k[0] in STOP):
            names.setdefault(k, Entry(p.label, max(0.55, p.score - 0.02), "propagated"))
    if not names:
        return []
    return [p for p in _gazetteer_matches(text, words, names) if p not in candidates]


def _covered(words: Sequence[Token], taken: Sequence[Prediction]) -> list[bool]:
    """Whether each word lies inside one of ``taken``."""
    starts = [w.start for w in words]
    inside = [False] * len(words)
    for p in taken:
        k = bisect_left(starts, p.start)
        while k < len(words) and words[k].end <= p.end:
            inside[k] = True
            k += 1
    return inside


def _blocked(words: Sequence[Token], taken: Sequence[Prediction]) -> list[bool]:
    """Words inside an entity already found (a GeoNames match may be a person's name: فلاديمير)."""
    return _covered(words, [p for p in taken if p.source != "geonames"])


def find_entities(text: str, gazetteer: Gazetteer, rules: bool = True) -> list[Prediction]:
    """Entity predictions for ``text``: gazetteer matches, and with ``rules`` the trigger patterns and
    partial names."""
    return entities_with_and_without_rules(text, gazetteer, rules)[0 if rules else 1]


def entities_with_and_without_rules(
    text: str, gazetteer: Gazetteer, rules: bool = True
) -> tuple[list[Prediction], list[Prediction]]:
    """``find_entities`` with rules (empty unless ``rules``) and without: the words are read and the
    gazetteer matched once for both."""
    words = tokens(text)
    _TEXT.written = {}
    for word in words:
        _TEXT.written.setdefault(word.norm, word.plain)
    matches = _gazetteer_matches(text, words, gazetteer)
    listed = resolve(matches)
    if not rules:
        return [], listed
    candidates = common_nouns(text, words, matches)
    candidates += _org_triggers(text, words, gazetteer) + _place_triggers(text, words, gazetteer)
    candidates += definite_outlets(text, words, gazetteer) + wars(text, words, gazetteer)
    candidates += [p for rule in (teams, basins, named_after_trade) for p in rule(text, words, gazetteer)]
    candidates += class_word_places(text, words, gazetteer) + acronyms(text, words) + quoted_outlets(text)
    candidates += clubs(text, words, gazetteer)
    candidates += coordinated(text, words, resolve(candidates))
    candidates += bracketed(text, resolve(candidates)) + official_names(text, words, candidates)
    candidates += _propagated(text, words, resolve(candidates), candidates)
    candidates += places_by_context(text, words, resolve(candidates))
    first = resolve(candidates)
    people = _person_triggers(text, words, first)
    blocked = _blocked(words, first)
    people += given_name_people(text, words, blocked, _name_end)
    people += apposition_people(text, words, blocked, _name_word, _name_end)
    candidates += people + named_by_adjective(text, words, gazetteer, _blocked(words, resolve(candidates + people)))
    candidates += nicknames(text, resolve(candidates))
    candidates += _propagated(text, words, resolve(candidates), candidates, labels=("PER",))
    known = [p for p in resolve(candidates) if p.label == "PER"]
    partial = _partial_keys(text, known)
    if partial:
        linked = {k: Entry("PER", score, "PER-partial") for k, score in partial.items()}
        candidates += [p for p in _gazetteer_matches(text, words, linked) if p not in candidates]
    return nisba_adjectives(text, words, merge_people(text, words, resolve(candidates))), listed


def nisba_gazetteer(stems: Sequence[str]) -> Gazetteer:
    """NORP forms of the given nisba stems (for tests and callers' lists)."""
    return {(fold(f),): Entry("NORP", 0.9, "nisba") for s in stems for f in nisba_forms(s)}
