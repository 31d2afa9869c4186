"""Entity rules for names known by their descriptor, their class word or their context, and two filters
of matches by their context.

- **Outlets and companies**: the definite name after a newspaper's, channel's or publisher's descriptor
  (لصحيفة القبس → القبس, the descriptor outside, §2.4.2, §2.4.5); a company named by a definite word and a
  genitive (شركة النصر للسيارات, the head inside: the rest is not a name alone); a rare name after a
  descriptor and its trade (شركة الطيران لوفتهانزا → لوفتهانزا): ORG.
- **Wars** named after a place or by a rare name (حرب كوسوفو): EVENT, حرب inside (§2.7); a kind of war
  (حرب العصابات) is a description.
- **Teams**: the name after فريق when it holds a rare word, and a definite name before الرياضي (ORG).
- **Basins and forests**: the name after حوض or غابات is the LOC, the head a description.
- **A GeoNames town that is a noun** before an indefinite adjective (سلالة جديدة) is the noun: dropped.
- **Nisba adjectives in context**: a country's short name that is a nisba after a definite noun is NORP
  (الناقلات السعودية); a direction adjective after a place or a compass noun is not (الشمال الغربي, §2.3).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from furat.annotate.entity_words import (
    GENERIC,
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
from furat.annotate.normalize import Token

__all__ = [
    "basins",
    "common_nouns",
    "definite_outlets",
    "named_after_trade",
    "nisba_adjectives",
    "places_by_context",
    "teams",
    "wars",
]


_OUTLETS = _folded("صحيفة صحيفتا جريدة مجلة قناة إذاعة دار")
_COMPANIES = _folded("شركة شركتا مؤسسة")


def definite_outlets(text: str, words: Sequence[Token], gazetteer: Gazetteer) -> list[Prediction]:
    """لصحيفة الشروق، دار الساقي → the outlet or publisher's name after its descriptor (§2.4.2, §2.4.5);
    شركة النيل للأدوية → a company whose name is not a name without its head (§2.4.2 b): ORG."""
    found: list[Prediction] = []
    for i, word in enumerate(words[:-1]):
        outlet, company = _head(word.norm, _OUTLETS), _head(word.norm, _COMPANIES)
        if not (outlet or company) or not _joined(text, word, words[i + 1]):
            continue
        end, own_name = i + 1, False
        while end < len(words) and end - i <= 2 and (end == i + 1 or _joined(text, words[end - 1], words[end])):
            w = words[end].norm
            entry = gazetteer.get((w,))
            place = entry is not None and entry.label in ("GPE", "LOC") and company is not None  # شركة النيل للأدوية
            # an indefinite قناة has no definite adjective: a nisba right after it is the channel's name (قناة العربية)
            own_name = entry is not None and entry.label == "NORP" and end == i + 1 and outlet is not None
            if own_name and w.startswith("ال"):
                end += 1
                break
            if not w.startswith("ال") or w in STOP or (_zipf(w) >= 4.3 and not company):
                break  # a common word (موقع الحادث); a company's name is checked by its genitive below
            if entry is not None and entry.label != "ORG" and not place:
                break  # a nationality adjective or a place (قناة السويس)
            end += 1
        if end == i + 1:
            continue
        after = words[end].norm if end < len(words) and _joined(text, words[end - 1], words[end]) else ""
        genitive = after.startswith("لل") and len(after) > 4 and after not in STOP
        if company and genitive:
            found.append(
                Prediction(
                    _offset_after(text, word, len(word.norm) - len(company)), words[end].end, "ORG", 0.7, "ORG-company"
                )
            )
        elif own_name and not genitive:
            found.append(Prediction(words[i + 1].start, words[i + 1].end, "ORG", 0.96, "ORG-outlet"))  # above the nisba
        elif outlet and not genitive and all(_zipf(x.norm) < 4.3 for x in words[i + 1 : end]):
            found.append(Prediction(words[i + 1].start, words[end - 1].end, "ORG", 0.7, "ORG-outlet"))
    return found


_WARS = _folded("حرب")


def wars(text: str, words: Sequence[Token], gazetteer: Gazetteer) -> list[Prediction]:
    """حرب تيغراي: a war named after a place or by a rare name, with حرب inside, is an EVENT (§2.7); a war
    with a common noun (حرب العصابات) or with the article is a description."""
    found: list[Prediction] = []
    for i, word in enumerate(words[:-1]):
        if _head(word.norm, _WARS) is None or not _joined(text, word, words[i + 1]):
            continue
        w = words[i + 1].norm
        entry = gazetteer.get((w,))
        place = entry is not None and entry.label in ("GPE", "LOC")
        if w.startswith("ال") or w in STOP or not (place or _zipf(w) < 2.5):
            continue
        start = _offset_after(text, word, len(word.norm) - len("حرب"))
        found.append(Prediction(start, words[i + 1].end, "EVENT", 0.6, "EVENT-war"))
    return found


_TEAM = _folded("فريق فريقا فريقي")
_SPORTING = _folded("الرياضي الرياضية")


def teams(text: str, words: Sequence[Token], gazetteer: Gazetteer) -> list[Prediction]:
    """فريق شباب بلوزداد الجزائري → شباب بلوزداد; الوداد الرياضي: a sports club (ORG). After فريق the name
    must hold a rare word (فريق إنقاذ إسباني is a description)."""
    found: list[Prediction] = []
    for i, word in enumerate(words):
        if word.norm in _SPORTING and i and _joined(text, words[i - 1], word):
            before = words[i - 1].norm
            entry = gazetteer.get((before,))
            if before.startswith("ال") and before not in STOP and _zipf(before) < 4.0 and entry is None:
                found.append(Prediction(words[i - 1].start, word.end, "ORG", 0.65, "ORG-club"))
            continue
        if _head(word.norm, _TEAM) is None or i + 1 >= len(words) or not _joined(text, word, words[i + 1]):
            continue
        end = i + 1
        while end < len(words) and end - i <= 3 and (end == i + 1 or _joined(text, words[end - 1], words[end])):
            w = words[end].norm
            entry = gazetteer.get((w,))
            if w in STOP or w in TITLES or w in GENERIC or (entry is not None and entry.label == "NORP"):
                break
            if w.startswith("ال") or (w[:1] in "وفبل" and _zipf(w[1:]) >= 3.0):
                break
            end += 1
        if end > i + 1 and any(_zipf(x.norm) < 3.0 for x in words[i + 1 : end]):
            found.append(Prediction(words[i + 1].start, words[end - 1].end, "ORG", 0.65, "ORG-club"))
    return found


_PARTICIPLE_MIN = 4


def common_nouns(text: str, words: Sequence[Token], found: Sequence[Prediction]) -> list[Prediction]:
    """A GeoNames town that is also a noun, followed by an indefinite adjective (معسكر مغلق، سلالة جديدة),
    is the noun: the match is dropped."""
    starts = {w.start: k for k, w in enumerate(words)}
    names = {p.start for p in found}
    out: list[Prediction] = []
    for p in found:
        k = starts.get(p.start)
        if p.source == "geonames" and k is not None and k + 1 < len(words) and words[k].end == p.end:
            nxt = words[k + 1].norm
            named = words[k + 1].start in names  # كييف موسكو: two names, not a noun and its adjective
            shape = nxt.startswith("م") and nxt[1:2] not in "اوي" and len(nxt) >= _PARTICIPLE_MIN  # مغلق، مدمر
            participle = shape and _zipf(nxt) >= 3.0 and not named
            if _joined(text, words[k], words[k + 1]) and (nxt in GENERIC or participle):
                continue
        out.append(p)
    return out


_NISBA_DIRECTIONS = _folded("غربي شرقي شمالي جنوبي")
_PLACE_DIRECTIONS = _folded("الغربي الشرقي الشمالي الجنوبي الغربية الشرقية الشمالية الجنوبية")
_COMPASS = _folded("الشمال الجنوب الشرق الغرب والشمال والجنوب والشرق والغرب")
_PLACES = ("GPE", "LOC", "FAC")
# Nouns of land and of its parts: a direction adjective after them is where, not who (الحدود الشرقية).
_LAND = _folded(
    "الضفة الصحراء الساحل السواحل الحدود المنطقة المناطق الأطراف الضاحية الجبهة الجهة الناحية الأراضي الريف "
    "المحافظات الأحياء الأقاليم البلاد القطاع الجزء الشاطئ الحي البوابة"
)


def _land(norm: str) -> bool:
    return norm in _LAND or (norm[:1] in "وفبل" and norm[1:] in _LAND)


def nisba_adjectives(text: str, words: Sequence[Token], found: list[Prediction]) -> list[Prediction]:
    """A GPE short name that is also a nisba (السعودية) right after a definite word is the adjective: NORP."""
    starts = {w.start: k for k, w in enumerate(words)}
    starts |= {w.start + 1: k for k, w in enumerate(words) if w.norm.startswith("و")}
    out: list[Prediction] = []
    for p in found:
        k = starts.get(p.start)
        own = words[k].norm[1:] if k and words[k].norm.startswith("وال") else words[k].norm if k else ""
        if p.label == "GPE" and k and own.startswith("ال") and own.endswith("يه"):
            before = words[k - 1].norm
            if _joined(text, words[k - 1], words[k]) and before.startswith(("ال", "وال")) and before not in STOP:
                p = Prediction(p.start, p.end, "NORP", 0.6, "nisba-context")
        direction = p.label == "NORP" and k is not None and _bare(words[k].norm) in _NISBA_DIRECTIONS
        if direction and k is not None and k + 1 < len(words) and _joined(text, words[k], words[k + 1]):
            continue  # غربي العراق: a direction before a place, not a people (§2.5)
        place_direction = p.label == "NORP" and k and _bare(own) in _PLACE_DIRECTIONS
        after_place = out and out[-1].end == words[k - 1].end and out[-1].label in _PLACES if k else False
        if (
            place_direction
            and k
            and _joined(text, words[k - 1], words[k])
            and (words[k - 1].norm in _COMPASS or after_place or _land(words[k - 1].norm))
        ):
            continue  # الشمال الغربي، نينوى الشمالية، الضفة الغربية: the direction of a place, not a people (§2.3)
        out.append(p)
    return out


_BASINS = _folded("حوض غابات غابة")


def basins(text: str, words: Sequence[Token], gazetteer: Gazetteer) -> list[Prediction]:
    """حوض الأمازون، غابات الكونغو: the basin or forest of a river or land is a description, the name after
    it is the LOC, and a known state or town keeps its own label."""
    found: list[Prediction] = []
    for i, word in enumerate(words[:-1]):
        if _head(word.norm, _BASINS) is None or not _joined(text, word, words[i + 1]):
            continue
        w = words[i + 1].norm
        entry = gazetteer.get((w,))
        if w.startswith("ال") and w not in STOP and _zipf(w) < 4.0 and (entry is None or entry.label == "LOC"):
            found.append(Prediction(words[i + 1].start, words[i + 1].end, "LOC", 0.6, "LOC-basin"))
    return found


def named_after_trade(text: str, words: Sequence[Token], gazetteer: Gazetteer) -> list[Prediction]:
    """شركة الشحن هاباغ لويد، شركة النفط بتروبراس: a descriptor and its trade, then a rare name: the name is
    the organisation (ORG), the descriptor and the trade outside (§2.4.2)."""
    found: list[Prediction] = []
    for i, word in enumerate(words[:-2]):
        if _head(word.norm, ORG_DESCRIPTORS) is None or not _joined(text, word, words[i + 1]):
            continue
        trade, first = words[i + 1].norm, words[i + 2].norm
        if (
            not trade.startswith("ال")
            or trade in STOP
            or (trade,) in gazetteer
            or not _joined(text, words[i + 1], words[i + 2])
        ):
            continue
        if (
            first.startswith("ال")
            or first in STOP
            or (first[:1] in "وفبل" and _zipf(first[1:]) >= 3.0)
            or _zipf(first) >= 4.0
            or (first,) in gazetteer
        ):
            continue
        end = i + 3
        if end < len(words) and _joined(text, words[end - 1], words[end]):
            nxt = words[end].norm
            clitic = nxt[:1] in "وفبل" and _zipf(nxt[1:]) >= max(3.0, _zipf(nxt))  # بنسبة, not لويد
            if not nxt.startswith("ال") and nxt not in STOP and not clitic and _zipf(nxt) < 4.3:
                end += 1
        found.append(Prediction(words[i + 2].start, words[end - 1].end, "ORG", 0.6, "ORG-trade"))
    return found


_AT = _folded("في قرب")
_FROM_TO = _folded("في من إلى")


def _rare_name(norm: str) -> bool:
    """A word that is rare in text and looks like a name: not a plural, not a word after a proclitic."""
    if norm in STOP or norm.endswith(("ين", "ون", "ات", "ها", "هم")) or len(norm) < 3:  # not قتالها
        return False
    if norm[:1] in "وفبلك" and _zipf(norm[1:]) >= 3.0:
        return False
    return _zipf(norm) < 3.0


def places_by_context(text: str, words: Sequence[Token], found: Sequence[Prediction]) -> list[Prediction]:
    """مستشفى ابن خلدون في لحج: a rare word after في or قرب right after a facility or an organisation is the
    town it is in; في هاتاي ومرعش: a rare word after في joined by و to a town is a town too (GPE)."""
    starts = [w.start for w in words]
    inside = [False] * len(words)
    for p in found:
        for k in range(bisect_left(starts, p.start), len(words)):
            if words[k].end > p.end:
                break
            inside[k] = True
    ends = {w.end: k for k, w in enumerate(words)}
    towns = {p.start for p in found if p.label == "GPE"}
    out: list[Prediction] = []
    for p in found:
        e = ends.get(p.end)
        if p.label not in ("FAC", "ORG") or e is None or e + 2 >= len(words) or words[e + 1].norm not in _AT:
            continue
        w = words[e + 2]
        joined = _joined(text, words[e], words[e + 1]) and _joined(text, words[e + 1], w)
        if joined and not inside[e + 2] and _rare_name(w.norm):
            out.append(Prediction(w.start, w.end, "GPE", 0.55, "GPE-context"))
    for k in range(1, len(words) - 1):
        nxt = words[k + 1]
        coordinated = nxt.norm.startswith("و") and _offset_after(text, nxt, 1) in towns and _joined(text, words[k], nxt)
        if coordinated and words[k - 1].norm in _FROM_TO and not inside[k] and _rare_name(words[k].norm):
            out.append(Prediction(words[k].start, words[k].end, "GPE", 0.55, "GPE-context"))
    town_ends = {p.end for p in found if p.label == "GPE"}
    for k in range(2, len(words)):
        word = words[k]
        after_town = words[k - 1].end in town_ends and words[k - 1].start in towns and words[k - 2].norm in _FROM_TO
        after_town = after_town and _joined(text, words[k - 1], word)
        if after_town and word.norm.startswith("و") and not inside[k] and _rare_name(word.norm[1:]):
            out.append(
                Prediction(_offset_after(text, word, 1), word.end, "GPE", 0.55, "GPE-context")
            )  # في ماردين وأنطاكيا
    return out
