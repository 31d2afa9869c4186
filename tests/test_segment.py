"""Segmentation of Arabic news text: where sentences end and where they do not."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from furat.core.model import Document
from furat.corpus.segment import paragraph_spans, sentence_spans, token_spans, tokenize


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Full stop, question mark, exclamation mark, and the closing quote that goes with them.
        ("قتل خمسة دواعش. وفرضت القوات سيطرتها.", ["قتل خمسة دواعش.", "وفرضت القوات سيطرتها."]),
        ("أين ذهب مقاتلو داعش؟ وهو سؤال ينطوي على آخر", ["أين ذهب مقاتلو داعش؟", "وهو سؤال ينطوي على آخر"]),
        ('قالت إن "القوات موجودة". وأفادت المصادر', ['قالت إن "القوات موجودة".', "وأفادت المصادر"]),
        ('غرب كركوك". وقالت هيئة الحشد', ['غرب كركوك".', "وقالت هيئة الحشد"]),
        ('فيها؟". وتقع محافظة ديالى', ['فيها؟".', "وتقع محافظة ديالى"]),
        ("«إرهابية». وحذر الجنرال", ["«إرهابية».", "وحذر الجنرال"]),
        # Not a boundary: decimals, initials, one-letter abbreviations, headline ellipses, a comma after the quote.
        ("تحرير نحو 99.5 بالمئة من الأراضي", ["تحرير نحو 99.5 بالمئة من الأراضي"]),
        ("(أحمد الرباعي/أ.ف.ب) نقلت الوكالة", ["(أحمد الرباعي/أ.ف.ب) نقلت الوكالة"]),
        ("وقال د. محمد علي إن الوضع خطير.", ["وقال د. محمد علي إن الوضع خطير."]),
        ("في سوريا.. العراق الملاذ الأخير لداعش", ["في سوريا.. العراق الملاذ الأخير لداعش"]),
        ("هجرة داعشية إلى سورية... وفرصة عراقية", ["هجرة داعشية إلى سورية... وفرصة عراقية"]),
        ('نفعل الآن؟"، مبينًا "ما نريده"', ['نفعل الآن؟"، مبينًا "ما نريده"']),
        ("جهاز الاستخبارات البريطاني «إم آي 6» خلال مؤتمر", ["جهاز الاستخبارات البريطاني «إم آي 6» خلال مؤتمر"]),
        ("من 20-30 ألف مقاتل، ومن 5 – 6 أضعاف", ["من 20-30 ألف مقاتل، ومن 5 – 6 أضعاف"]),
        ("في عام 2014. وبعدها", ["في عام 2014.", "وبعدها"]),
        # A line break always ends a sentence.
        ("المعركة الأخيرة\nوقال مسؤول", ["المعركة الأخيرة", "وقال مسؤول"]),
    ],
)
def test_sentence_boundaries(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_tokens_split_numbers_and_punctuation_but_keep_clitics() -> None:
    assert tokenize('لـ"ألترا صوت" بـ5 آلاف ولداعش 99.5% (أ.ف.ب) ٣٫٥ مليون 😀') == [
        "لـ",
        '"',
        "ألترا",
        "صوت",
        '"',
        "بـ",
        "5",
        "آلاف",
        "ولداعش",
        "99.5",
        "%",
        "(",
        "أ.ف.ب",
        ")",
        "٣٫٥",
        "مليون",
        "😀",
    ]


def test_diacritics_stay_inside_their_word() -> None:
    assert tokenize("عسكريًّا أميركيّة") == ["عسكريًّا", "أميركيّة"]


TEXT = st.lists(
    st.one_of(
        st.characters(min_codepoint=0x0621, max_codepoint=0x064A),
        st.sampled_from([" ", " ", "\n", ".", "؟", "!", '"', "»", "«", "،", "..", "5", "9.5", "أ.ف.ب", "😀", "\u00a0"]),
    ),
    max_size=120,
).map("".join)


@settings(max_examples=500)
@given(TEXT)
def test_sentences_tile_every_paragraph(text: str) -> None:
    paragraphs = paragraph_spans(text)
    spans = sentence_spans(text, paragraphs)
    covered = {i for s, e in spans for i in range(s, e)}
    for p_start, p_end in paragraphs:
        inside = [(s, e) for s, e in spans if p_start <= s < p_end]
        assert inside[0][0] == p_start and inside[-1][1] == p_end
        for (_, e1), (s2, _) in itertools.pairwise(inside):
            assert text[e1:s2].strip() == "", "gaps between sentences are white space"
    for s, e in spans:
        assert s < e and text[s:e] == text[s:e].strip()
    non_space = {i for i, ch in enumerate(text) if not ch.isspace()}
    assert non_space <= covered, "every character is in a sentence"


# The token pattern written plainly: numbers, initials, words (letters and marks), any other character.
# segment._TOKEN is the same pattern rearranged to run faster; it must give the same tokens.
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
_PLAIN_TOKEN = re.compile(
    r"[0-9\u0660-\u0669\u06f0-\u06f9]+(?:[.,\u066b\u066c][0-9\u0660-\u0669\u06f0-\u06f9]+)*"
    r"|(?<![^\W\d_])[^\W\d_](?:\.[^\W\d_](?![^\W\d_]))+"
    rf"|(?:[^\W\d_]|[{_MARKS}])+"
    r"|\S"
)
MIXED = st.lists(
    st.one_of(
        st.characters(min_codepoint=0x0610, max_codepoint=0x06FF),
        st.sampled_from([*"abcé_ .,،٫٬-/\n\t\u0301\u00a0", "أ.ف.ب", "د.", "9.5", "٣٫٥", "5,800", "ـ"]),
    ),
    max_size=60,
).map("".join)


@settings(max_examples=2000)
@given(MIXED, st.integers(min_value=0, max_value=20))
def test_the_token_pattern_gives_the_tokens_of_its_plain_form(text: str, start: int) -> None:
    start = min(start, len(text))
    expected = [m.span() for m in _PLAIN_TOKEN.finditer(text, start)]
    assert token_spans(text, start) == expected
    assert tokenize(text[start:]) == _PLAIN_TOKEN.findall(text[start:])


def test_the_token_pattern_gives_the_tokens_of_its_plain_form_on_the_corpus(documents: dict[str, Document]) -> None:
    for doc in documents.values():
        assert token_spans(doc.text) == [m.span() for m in _PLAIN_TOKEN.finditer(doc.text)]


@settings(max_examples=300)
@given(TEXT)
def test_tokens_cover_every_non_space_character(text: str) -> None:
    covered = {i for s, e in token_spans(text) for i in range(s, e)}
    assert covered == {i for i, ch in enumerate(text) if not ch.isspace()}


def test_streamed_token_spans_are_the_token_spans(documents: dict[str, Document]) -> None:
    from furat.corpus.segment import iter_token_spans

    for doc in documents.values():
        assert list(iter_token_spans(doc.text)) == token_spans(doc.text)
        sentence = doc.sentences[-1]
        assert list(iter_token_spans(doc.text, sentence.start, sentence.end)) == token_spans(
            doc.text, sentence.start, sentence.end
        )


def test_token_texts_are_the_token_spans_cut_out(documents: dict[str, Document]) -> None:
    from furat.corpus.segment import token_texts

    for doc in documents.values():
        for sentence in doc.sentences:
            spans = token_spans(doc.text, sentence.start, sentence.end)
            assert token_texts(doc.text, sentence.start, sentence.end) == [doc.text[s:e] for s, e in spans]


@settings(max_examples=200)
@given(TEXT, st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=40))
def test_token_texts_agree_with_token_spans_anywhere(text: str, start: int, length: int) -> None:
    from furat.corpus.segment import token_texts

    end = min(len(text), start + length)
    start = min(start, end)
    assert token_texts(text, start, end) == [text[s:e] for s, e in token_spans(text, start, end)]


ODD = st.lists(
    st.one_of(
        st.characters(min_codepoint=0x0610, max_codepoint=0x06FF),
        st.sampled_from([*"ab_²½ .,،٫-\n\t\u0301\u00a0\u2028\u3000\x1c\x1f\u200b\u200c😀ـ", "أ.ف.ب", "9.5", "٣٫٥"]),
    ),
    max_size=60,
).map("".join)


@settings(max_examples=1000)
@given(st.one_of(MIXED, ODD), st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=60))
def test_token_texts_and_offsets_are_what_the_token_pattern_finds(text: str, start: int, length: int) -> None:
    """Runs of letters are taken whole and the rest is read by the pattern: the same tokens, at the same places."""
    from furat.corpus.segment import _TOKEN, token_offsets, token_texts

    end = min(len(text), start + length)
    start = min(start, end)
    matches = list(_TOKEN.finditer(text, start, end))
    assert token_texts(text, start, end) == [m.group() for m in matches]
    tokens, starts, ends = token_offsets(text, start, end)
    assert (tokens, starts, ends) == (
        [m.group() for m in matches],
        [m.start() for m in matches],
        [m.end() for m in matches],
    )


def test_token_offsets_on_the_corpus(documents: dict[str, Document]) -> None:
    from furat.corpus.segment import token_offsets

    for doc in documents.values():
        for sentence in doc.sentences:
            tokens, starts, ends = token_offsets(doc.text, sentence.start, sentence.end)
            assert list(zip(starts, ends, strict=True)) == token_spans(doc.text, sentence.start, sentence.end)
            assert tokens == [doc.text[s:e] for s, e in zip(starts, ends, strict=True)]
