"""L4 checks of the stance rules that can be checked mechanically (GUIDELINES.md §4.5–§4.7).

- ``stance-duplicate`` (error): one stance per holder, target and sentence (§4.7). Stances whose holder
  is ``null`` are told apart by ``holder_kind`` (the author, a report, unnamed people).
- ``stance-not-clause`` (warning): the evidence should be a clause, with a verb or a nominal predicate
  (§4.5 rule 2). Arabic clauses cannot be recognised without a parser, so this is a heuristic that
  looks only at the words of the evidence (an attached و or ف is set aside first). The evidence counts
  as a clause when it has at least two words and one of them is

  1. a word that only stands in a clause: a complementizer (إن، أن، بأن ...), a negation or tense
     particle (لا، لم، لن، ليس، قد، سوف ...), a copula (كان، بات، أصبح، زال ...), an interrogative (هل), or a
     subject pronoun or demonstrative (هو، هي، هم، هذا ...);
  2. a word shaped like a verb: an imperfect (يـ and at least two more letters, تـ and at least three, or سيـ/ستـ), a
     perfect plural (ending in ـوا), a circumstantial participle ending in ـًا/ـا after مـ (محذرًا), or,
     as the first word, a feminine perfect of three to five letters ending in ـت (أعلنت، دعت);
  3. or the first word is definite (الـ): a definite subject with a predicate after it (a nominal
     sentence such as ``العراق الملاذ الأخير``).

  A bare noun (``الحذر``) or an indefinite noun phrase (``ضرورة مسك الحدود``، ``أنشطة ونوايا «داعش»``) is
  reported. The heuristic misses a definite noun phrase without a predicate and may report a clause
  whose only verb is a masculine singular perfect (``أعلن``) with no other clue; it only warns.
- ``stance-holder-unnamed`` (warning): a stance whose holder is ``unnamed`` or ``report`` while its
  paragraph names a speaker: a person or organisation mention right after a speech or attribution word
  (``قال``، ``أكد``، ``بحسب``، ``وفقًا لـ`` …) who holds no stance of their own in that paragraph. The
  text may then tie the words to a named holder (§4.6); an outlet that only relays is also reported.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["check_stance_rules", "is_clause"]

_WORD = re.compile(r"[\u0621-\u064A\u0660-\u0669\u0671-\u06D3\u0640\u064B-\u0652]+")
_HARAKAT = re.compile(r"[\u064B-\u0652\u0640]")
_CLAUSE_WORDS = frozenset(
    """إن أن بأن لأن كأن إنه أنه بأنه لأنه إنها أنها بأنها إنهم أنهم بأنهم أننا إننا لكن لكنه لكنها لكنهم
    لا لم لن ما ليس ليست ليسوا قد لقد سوف كان كانت كانوا يكون تكون بات باتت أصبح أصبحت صار زال زالت يزال
    تزال مازال مازالت هل أين متى كيف هو هي هم هما نحن هذا هذه ذلك تلك هؤلاء هناك ثمة""".split()
)
_SPEECH = frozenset(
    """قال قالت يقول تقول أكد أكدت يؤكد أعلن أعلنت يعلن أضاف أضافت يضيف ذكر ذكرت كشف كشفت أشار أشارت يشير
    حذر حذرت يحذر بين بينت أوضح أوضحت صرح يرى يرجح يشدد شدد بحسب حسب وفق وفقا وفقًا لدى""".split()
)

Add = Callable[[str, str, str], None]


def _words(span: str) -> list[str]:
    words: list[str] = _WORD.findall(span)
    return [_HARAKAT.sub("", w) for w in words] if _HARAKAT.search(span) else words


def _bare(word: str) -> str:
    """The word without an attached و or ف (never the whole word)."""
    return word[1:] if len(word) > 2 and word[0] in "وف" else word


def _verb_shaped(word: str) -> bool:
    if (len(word) >= 3 and word[0] == "ي") or (len(word) >= 4 and word[0] == "ت"):
        return True
    if word.startswith(("سي", "ست")) and len(word) >= 5:
        return True
    if len(word) >= 4 and word.endswith("وا"):
        return True
    return len(word) >= 4 and word[0] == "م" and word.endswith("ا") and not word.endswith("ايا")


def is_clause(span: str) -> bool:
    """The heuristic of ``stance-not-clause`` (module docstring): True when ``span`` looks like a clause."""
    words = [_bare(w) for w in _words(span)]
    if len(words) < 2:
        return False
    if not _CLAUSE_WORDS.isdisjoint(words) or any(map(_verb_shaped, words)):
        return True
    if 3 <= len(words[0]) <= 5 and words[0].endswith("ت") and not words[0].endswith("ات"):
        return True  # a feminine perfect verb opening the clause (أعلنت، دعت)
    return words[0].startswith("ال")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraphs are the lines of the corpus text (``furat ingest`` writes one per line)."""
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _named_speakers(text: str, entities: Sequence[dict[str, Any]]) -> list[tuple[int, str, str]]:
    """(start, id, text) of PER and ORG mentions that follow a speech or attribution word within two words."""
    found = []
    for entity in entities:
        if entity["label"] not in ("PER", "ORG"):
            continue
        before = [_bare(w) for w in _words(text[max(0, entity["start"] - 40) : entity["start"]])[-2:]]
        if any(w in _SPEECH or (w.startswith("ل") and w[1:] in _SPEECH) for w in before):
            found.append((entity["start"], entity["id"], entity["text"]))
    return found


def _guidelines_version(data: dict[str, Any]) -> tuple[int, ...]:
    """The guidelines version a file records (``"GUIDELINES.md 2.1"`` -> (2, 1)); () when it records none."""
    provenance = data.get("provenance")
    recorded = provenance.get("guidelines") if isinstance(provenance, dict) else None
    match = re.search(r"(\d+(?:\.\d+)*)\s*$", recorded) if isinstance(recorded, str) else None
    return tuple(int(part) for part in match.group(1).split(".")) if match else ()


# The evidence and holder rules these warnings check came with guidelines 2.0; a pass made under an
# earlier version is kept as it was made and is not warned about rules it could not follow.
WARN_FROM = (2, 0)


def check_stance_rules(add: Add, text: str, sentence_starts: Sequence[int], data: dict[str, Any]) -> None:
    """Report the L4 stance findings of one annotation file through ``add(code, message, pointer)``.

    The error (one stance per holder, target and sentence) holds for every file; the two heuristic
    warnings only for files made under guidelines 2.0 or later (``WARN_FROM``) or recording no version.
    """
    version = _guidelines_version(data)
    warn = not version or version >= WARN_FROM
    stances = [
        (index, stance)
        for index, stance in enumerate(data["stances"])
        if 0 <= stance["start"] < stance["end"] <= len(text) and text[stance["start"] : stance["end"]] == stance["text"]
    ]
    seen: dict[tuple[int, str, str], int] = {}
    unnamed = warn and any(stance.get("holder_kind") in ("unnamed", "report") for _, stance in stances)
    if unnamed:  # what the holder rule needs, worked out only for a file it applies to
        paragraphs = _paragraphs(text)
        para_starts = [p[0] for p in paragraphs]
        speakers = _named_speakers(text, data["entities"])
        surface = {entity["id"]: entity["text"] for entity in data["entities"]}
        holders = [(s["start"], surface.get(s["holder"])) for _, s in stances if s["holder"] is not None]
    for index, stance in stances:
        pointer = f"/stances/{index}"
        sentence = bisect.bisect_right(sentence_starts, stance["start"]) - 1
        key = (sentence, stance["target"], stance["holder"] or stance.get("holder_kind") or "")
        if key in seen:
            message = (
                f"a second stance of this holder on {stance['target']} in one sentence (first: /stances/{seen[key]})"
            )
            add("stance-duplicate", message, pointer)
        else:
            seen[key] = index
        if not warn:
            continue
        if not is_clause(stance["text"]):
            add(
                "stance-not-clause", f"evidence {stance['text']!r} looks like no clause (no verb or predicate)", pointer
            )
        if unnamed and stance.get("holder_kind") in ("unnamed", "report"):
            p_start, p_end = paragraphs[bisect.bisect_right(para_starts, stance["start"]) - 1]
            # a speaker who already holds a stance of their own in the paragraph is not this holder
            held = {name for start, name in holders if p_start <= start < p_end}
            named = [eid for start, eid, name in speakers if p_start <= start < p_end and name not in held]
            if named:
                message = f"holder is {stance['holder_kind']!r} but the paragraph names a speaker ({named[0]})"
                add("stance-holder-unnamed", message, pointer)
