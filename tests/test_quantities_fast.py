"""The quantity recognizer's fast paths give what their plain definitions give.

The candidate finder (``anchors.candidate_starts``) must find exactly the places where the one regular
expression that defines a candidate (``anchors.reference_regex``) matches, and the tokenizer's short cuts
must give the tokens that reading one character at a time gives: on the seed articles, every sentence
of the case tables and of the Recognizers-Text suite, and on generated text that mixes lexicon words,
proclitics, marks, tatweel, digits and punctuation.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from furat.annotate.quantities.anchors import anchor_words, candidate_starts, reference_regex
from furat.annotate.quantities.context import (
    _CLAUSE_END,
    _ESTIMATE_CUES,
    _PREFIX_LAST,
    _PREFIX_RE,
    _PREFIX_VERBS,
    _ROOT,
    _ROOT_UNNORMALIZED,
    _SUBJECT_GROUPS,
    Prefix,
    estimated,
    prefix,
    root_index,
)
from furat.annotate.quantities.context import _WORDS as _WORDS_RE
from furat.annotate.quantities.lexicon import REMOVED, bases, normalize
from furat.annotate.quantities.numbers import lookup, number
from furat.annotate.quantities.recognizer import _word_core
from furat.annotate.quantities.tokens import Fwd, Tok, TokKind, prev_tokens, raw_offset
from furat.annotate.quantities.units import word_may_count

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


def _sentences(name: str) -> list[str]:
    """The sentences of a case table (quantities_cases.tsv and the development sets quantities_dev*.tsv)."""
    rows = [line.split("\t") for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    rows = [row for row in rows if row[0] and not row[0].startswith("#")]
    column = rows[0].index("sentence")
    return [row[column] for row in rows[1:] if row[column]]


def _peer_inputs() -> list[str]:
    texts: list[str] = []
    for model in ("NumberModel", "NumberRangeModel", "PercentModel"):
        cases = json.loads((DATA / "recognizers_text" / f"{model}.json").read_text(encoding="utf-8-sig"))
        texts += [case["Input"] for case in cases]
    return texts


SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
CORPUS_TEXTS = [json.loads(p.read_bytes())["text"] for p in sorted((ROOT / "corpus").glob("*.json"))]
SENTENCES = (
    _sentences("quantities_cases.tsv")
    + _sentences("quantities_dev.tsv")
    + _sentences("quantities_dev2.tsv")
    + _sentences("quantities_dev3.tsv")
    + _peer_inputs()
)


def _reference_starts(text: str) -> list[int]:
    return [m.start() for m in reference_regex().finditer(text)]


def test_the_texts_are_there() -> None:
    assert SEED_TEXTS and CORPUS_TEXTS
    assert len(SENTENCES) > len(SEED_TEXTS)


@pytest.mark.parametrize("group", ["seeds", "corpus", "sentences"])
def test_candidates_are_the_reference_matches(group: str) -> None:
    texts = {"seeds": SEED_TEXTS, "corpus": CORPUS_TEXTS, "sentences": SENTENCES}[group]
    for text in texts:
        assert candidate_starts(text) == _reference_starts(text), text[:80]


def test_candidates_in_a_sentence() -> None:
    text = "قُتل 5 أشخاص وأُصيب العشرات، وبثلاثة آلاف دولار، الـ24 ساعة، F16 وخمسـة أيام"
    starts = candidate_starts(text)
    words = [text[s:].split()[0].rstrip("،") for s in starts]
    # digits (also inside F16), number words with their proclitics and article, unit words; not قُتل
    assert words == ["5", "العشرات", "وبثلاثة", "آلاف", "دولار", "24", "ساعة", "16", "وخمسـة", "أيام"]
    assert starts == _reference_starts(text)


def test_candidates_after_characters_beyond_the_basic_plane() -> None:
    # an emoji is no letter: a word after it is a candidate; a mathematical letter is one: the word after
    # it is inside a word
    text = "😀خمسة أيام 𝐀خمسة 😀5 و😀ثلاثة"
    words = [text[s:].split()[0] for s in candidate_starts(text)]
    assert words == ["خمسة", "أيام", "5", "ثلاثة"]
    assert candidate_starts(text) == _reference_starts(text)


def test_candidates_beside_marks_and_tatweel() -> None:
    # a mark before a word's first letter (no word boundary), a mark between a word and more letters (the
    # word ends at the mark), tatweel after a word and inside it, a word at the very start and end
    texts = ["َأربعة", "خمسةَسمير", "خمسةـ أيام", "خمسةـَس", "خمسـة", "وَالخمسة", "ثلاثة", "عدة\u0651"]
    for text in texts:
        assert candidate_starts(text) == _reference_starts(text), text
    assert candidate_starts("خمسةَسمير") == [0]
    assert candidate_starts("َأربعة") == []


def test_candidates_of_digits_against_words() -> None:
    # digits and words written against one another: each run of digits is a candidate, and a word is one
    # when the digits after it leave it a word end
    texts = ["عام2019", "2019عام", "٣خمسة", "خمسة٣", "F16", "5 و6", "1", "12", "ثلاثة12أيام", "عام1 عام12"]
    for text in texts:
        assert candidate_starts(text) == _reference_starts(text), text
    assert candidate_starts("خمسة2019 و5") == [0, 4, 10]  # خمسة، 2019، 5


_WORDS = sorted(anchor_words())
_PIECES = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from(["و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "لل", "ـ", "الـ", "بـ"]),
    st.sampled_from(["\u064e", "\u0651", "\u064b", "\u0670", "\u06e1", "ـ", "²", "_", "x", "ک", "ی"]),
    st.sampled_from([" ", "  ", "\n", "،", ".", "-", "/", ":", "(", "%", "\u00a0", "\u202f", "😀", "𝐀"]),
    st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩۱۲", min_size=1, max_size=4),
    st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآ", min_size=1, max_size=5),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=30))
def test_candidates_on_generated_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert candidate_starts(text) == _reference_starts(text)


# --------------------------------------------------------------------------------------------------
# Reading backwards: prev_tokens takes a short cut for a word that runs back to a space


def _prev_tokens_char_by_char(text: str, pos: int, limit: int = 3) -> list[Tok]:
    """prev_tokens as first written: one character at a time."""
    toks: list[Tok] = []
    end = pos
    while len(toks) < limit:
        i = end
        while i > 0 and text[i - 1].isspace():
            i -= 1
        if i == 0 or "\n" in text[i:end]:
            break
        j = i - 1
        ch = text[j]
        kind: TokKind
        if ch in DIGITS:
            while j > 0 and (text[j - 1] in DIGITS or (text[j - 1] in ".,٫٬" and j > 1 and text[j - 2] in DIGITS)):
                j -= 1
            kind = "n"
        elif ch.isalpha() or ch in REMOVED:
            while j > 0 and (text[j - 1].isalpha() or text[j - 1] in REMOVED):
                j -= 1
            kind = "w"
        else:
            kind = "p"
        txt = text[j:i]
        if toks:
            toks[-1].gap = i < end
            toks[-1].nl = "\n" in text[i:end]
        toks.append(Tok(j, i, kind, txt, normalize(txt) if kind == "w" else txt, False, False))
        end = j
    if toks:
        last = toks[-1]
        before = text[last.start - 1] if last.start > 0 else "\n"
        last.gap, last.nl = before.isspace(), before == "\n"
    toks.reverse()
    return toks


DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"


def test_reading_backwards_from_every_candidate() -> None:
    for text in SEED_TEXTS + SENTENCES:
        for pos in candidate_starts(text):
            assert prev_tokens(text, pos) == _prev_tokens_char_by_char(text, pos), text[max(0, pos - 40) : pos]


def test_reading_backwards_over_marks_and_long_words() -> None:
    text = "بلغ عددُهم نحو " + "ا" * 40 + " 5 وقُتِلَ 3"
    for pos in range(len(text) + 1):
        assert prev_tokens(text, pos, 4) == _prev_tokens_char_by_char(text, pos, 4)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30), st.integers(min_value=0, max_value=200), st.integers(1, 6))
def test_reading_backwards_on_generated_text(pieces: list[str], at: int, limit: int) -> None:
    text = " ".join(pieces)
    pos = min(at, len(text))
    assert prev_tokens(text, pos, limit) == _prev_tokens_char_by_char(text, pos, limit)


# --------------------------------------------------------------------------------------------------
# Estimates: the cue is looked for only in a sentence that holds the root ق د ر


def test_every_estimate_cue_holds_the_root() -> None:
    assert _ESTIMATE_CUES
    assert all(_ROOT.search(cue) and "ق" in cue for cue in _ESTIMATE_CUES)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="قدريىیهة اـ\u064e\u0651\u064b\u0670", max_size=14))
def test_the_root_is_found_in_a_clause_before_it_is_normalized(clause: str) -> None:
    assert (_ROOT_UNNORMALIZED.search(clause) is None) == (_ROOT.search(normalize(clause)) is None), clause


def test_the_root_under_marks_tatweel_and_other_yehs() -> None:
    for clause in ("يُقَدَّر", "تقـديرات", "التقدیر", "قدر", "التقديرات"):
        assert _ROOT_UNNORMALIZED.search(clause) is not None
    assert _ROOT_UNNORMALIZED.search("قد رأى") is None


def _estimated_reading_every_word(text: str, start: int) -> bool:
    """context.estimated as first written: every word of the sentence is looked up."""
    window = text[max(0, start - 300) : start]
    if _ROOT.search(window) is None:
        return False
    ends = [m.end() for m in _CLAUSE_END.finditer(window)]
    if ends:
        window = window[ends[-1] :]
    words = [m.group() for m in _WORDS_RE.finditer(normalize(window))]
    for k, word in enumerate(words):
        if any(base in _ESTIMATE_CUES for _, base in bases(word)):
            after = words[k + 1] if k + 1 < len(words) else ""
            if len(after) > 2 and after[0] == "ب" and not after.startswith(("بنحو", "بحوالي", "بحدود", "بما")):
                continue
            return True
    return False


def test_estimates_as_reading_every_word() -> None:
    texts = SEED_TEXTS + SENTENCES + ["قدّر الخبراء الخسائر. وقُـدّرت الأضرار بنحو 5 ملايين", "يقدر عددهم بمساحة 5 كم"]
    for text in texts:
        roots = root_index(text)
        for pos in candidate_starts(text):
            expected = _estimated_reading_every_word(text, pos)
            assert estimated(text, pos) == expected, text[max(0, pos - 60) : pos]
            assert estimated(text, pos, roots) == expected, text[max(0, pos - 60) : pos]


# --------------------------------------------------------------------------------------------------
# Prefixes: the three words before the last three are read only when a prefix can reach back to them

_BOUNDS = [
    "ما لا يزيد عددهم على 5 آلاف",
    "لا تزيد مساحتها على نصف كم مربع",
    "لن تتجاوز المهلة الممنوحة 6 أشهر",
    "وقال إن الكلفة ما لا يتجاوز 300 مليون دولار",
    "بلغ عددهم أقل من أو يساوي 40 شخصا",
    "كان عددهم على الأقل أو يساوي 12 جنديا",
    "قتل ما يزيد عددهم عن 100 مسلح",
    "وأصيب ما لا يقل عددهم عن 20 مدنيا",
    "وصل عدد النازحين إلى ما يقرب من مليون شخص",
    "فقد تراوحت بين 20 و30 ألفا",
    "ويتجاوز عدد سكان المدينة 500 ألف نسمة",
]


def _prefix_reading_six_words(text: str, prev: list[Tok]) -> Prefix:
    """context.prefix as first written: the three words before ``prev`` are always read."""
    last = prev[-1] if prev else None
    no_prefix = last is not None and last.kind == "w" and last.norm not in _PREFIX_LAST
    if no_prefix and all(t.norm not in _PREFIX_VERBS for t in prev):
        return Prefix("", -1, False)
    if len(prev) >= 3 and prev[0].kind == "w" and not prev[0].nl:
        prev = prev_tokens(text, prev[0].start, 3) + prev
    words: list[Tok] = []
    for t in reversed(prev):
        if t.kind != "w":
            break
        words.append(t)
        if t.nl or len(words) == 6:
            break
    if not words:
        return Prefix("", -1, False)
    words.reverse()
    m = _PREFIX_RE.search(" ".join(t.norm for t in words))
    if m is None:
        return Prefix("", -1, False)
    kind = next(name for name in ("high", "low", "approx", "between", "from") if m.group(name) is not None)
    subject = any(m.group(g) for g in _SUBJECT_GROUPS)
    pos = 0
    for t in words:
        if pos == m.start("pro"):
            return Prefix(kind, t.start + raw_offset(t.text, len(m.group("pro"))), not subject)  # type: ignore[arg-type]
        pos += len(t.norm) + 1
    return Prefix("", -1, False)


def test_prefixes_as_reading_six_words() -> None:
    found = 0
    for text in SEED_TEXTS + SENTENCES + _BOUNDS:
        for pos in candidate_starts(text):
            prev = prev_tokens(text, pos)
            expected = _prefix_reading_six_words(text, prev)
            assert prefix(text, prev) == expected, text[max(0, pos - 60) : pos]
            found += expected.kind != ""
    assert found


# --------------------------------------------------------------------------------------------------
# A word candidate dropped before the words before it are read would have been dropped after reading them


def test_words_dropped_early_are_no_mentions() -> None:
    dropped = 0
    for text in SEED_TEXTS + SENTENCES:
        for pos in candidate_starts(text):
            fwd = Fwd(text, pos)
            t0 = fwd.get(0)
            if t0 is None or t0.kind != "w":
                continue
            hit = lookup(t0)
            first = number(fwd, 0) if hit is not None else None
            early = (hit is None and not word_may_count(t0.norm)) or (
                hit is not None and first is None and not (hit[1].cat == "d" and hit[1].form == "one")
            )
            if early:
                dropped += 1
                assert _word_core(text, fwd, prev_tokens(text, pos), hit, first)[0] is None, text[pos : pos + 40]
    assert dropped
