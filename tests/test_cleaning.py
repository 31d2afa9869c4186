"""Cleaning pages of outlets the rules have never seen: furniture out, every body line in, metadata found.

The pages in tests/fixtures/pages/ are invented test fixtures in the shapes of Arabic news sites; each
``.expected.json`` lists the paragraphs its clean text must hold and the metadata the page states.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from furat.core.findings import FuratError
from furat.corpus.furniture import looks_like_body, timestamp, words
from furat.corpus.ingest import build_corpus, clean_seed
from furat.corpus.rules import Rules, load_rules
from furat.corpus.textspan import normalize_text
from tests.conftest import FIXTURES, ROOT

PAGES = FIXTURES / "pages"
PAGE_NAMES = sorted(p.stem for p in PAGES.glob("*.txt"))


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load_rules(ROOT)


def _clean(name: str, rules: Rules) -> tuple[list[str], dict[str, str | None], set[int], list[str]]:
    raw = (PAGES / f"{name}.txt").read_text(encoding="utf-8")
    text, paragraphs, found, _, removed = clean_seed(raw, f"{name}.txt", rules)
    kept = [text[p.start : p.end] for p in paragraphs]
    return kept, found.meta, {r.line for r in removed}, [f.code for f in found.findings]


def test_there_are_several_fixture_pages() -> None:
    assert len(PAGE_NAMES) >= 4


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_body_line_is_kept_in_order_and_nothing_else(name: str, rules: Rules) -> None:
    expected = json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))
    kept, _, _, _ = _clean(name, rules)
    assert kept == [normalize_text(p)[0] for p in expected["paragraphs"]]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_furniture_line_is_removed(name: str, rules: Rules) -> None:
    expected = json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))
    _, _, removed, _ = _clean(name, rules)
    assert set(expected["furniture_lines"]) <= removed


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_title_outlet_author_date_and_dateline_are_found(name: str, rules: Rules) -> None:
    expected = json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))
    _, meta, _, _ = _clean(name, rules)
    assert {key: meta.get(key) for key in expected["meta"]} == expected["meta"]


def test_a_rule_that_matches_body_text_keeps_it_and_says_so(rules: Rules) -> None:
    kept, _, _, codes = _clean("nile_portal", rules)
    assert any("للتواصل معنا" in paragraph for paragraph in kept)  # the contact rule matches it
    assert codes == ["body-kept"]


def test_a_bare_read_also_mid_article_drops_only_its_links(rules: Rules) -> None:
    raw = "\n".join(
        [
            "عنوان المقال التجريبي للاختبار",
            "فقرة أولى من نص المقال فيها ما يكفي من الكلمات لتبدو فقرة من المتن.",
            "اقرأ أيضا:",
            "رابط إلى مقال آخر",
            "فقرة ثانية من نص المقال فيها ما يكفي من الكلمات لتبدو فقرة من المتن.",
            "فقرة ثالثة من نص المقال فيها ما يكفي من الكلمات لتبدو فقرة من المتن.",
        ]
    )
    text, paragraphs, _, _, removed = clean_seed(raw, "page.txt", rules)
    assert [(r.line, r.rule) for r in removed] == [(3, "read-also"), (4, "related-list")]
    assert len(paragraphs) == 4 and text.endswith(raw.split("\n")[-1])


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("نُشر في 14/3/2019 - 10:22", "2019-03-14"),
        ("٢٠١٩/٣/٢٥", "2019-03-25"),
        ("23-3-2019", "2019-03-23"),
        ("الأحد 24 آذار/مارس 2019", "2019-03-24"),
        ("آخر تحديث: 3/14/2019 09:10 ص", "2019-03-14"),
        ("18 رجب 1440 هـ", None),
        ("منذ 3 ساعات", None),
    ],
)
def test_timestamps_numeric_named_hijri_and_relative(line: str, published: str | None, rules: Rules) -> None:
    is_stamp, found, _ = timestamp(line, rules.timestamps, rules.months)
    assert is_stamp and found == published


def test_a_sentence_with_a_date_is_not_a_timestamp(rules: Rules) -> None:
    assert not timestamp("وقال الوزير في 14/3/2019 إن المشروع تأخر", rules.timestamps, rules.months)[0]


def test_words_keep_their_marks_and_body_text_has_a_shape() -> None:
    assert words("نُشر في") == ["نُشر", "في"]
    assert looks_like_body("وقال المتحدث إن العمل سيبدأ مطلع الشهر المقبل في المحافظات الثلاث.", 10)
    assert not looks_like_body("وزير الزراعة يعد بتعويض المزارعين المتضررين", 10)


def test_an_edit_to_one_rule_changes_only_the_documents_it_decides(repo: Path) -> None:
    before = {doc.id: doc.meta.rules_sha256 for doc in build_corpus(repo)}
    decided_by_size_picker = {doc.id for doc in build_corpus(repo) if any(r.rule == "size-picker" for r in doc.removed)}
    assert decided_by_size_picker and decided_by_size_picker != set(before)
    path = repo / "seeds" / "cleaning.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    rule = next(r for r in data["drop"] if r["rule"] == "size-picker")
    rule["pattern"] = rule["pattern"].replace("XXL|", "XXL|XXXL|")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    after = {doc.id: doc.meta.rules_sha256 for doc in build_corpus(repo)}
    assert {d for d in before if before[d] != after[d]} == decided_by_size_picker


def test_a_rule_the_schema_does_not_know_is_refused_with_where_it_is(repo: Path) -> None:
    path = repo / "seeds" / "cleaning.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["drop"][0]["heads_lists"] = True  # a misspelt option
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(FuratError) as raised:
        load_rules(repo)
    assert [(f.code, f.path) for f in raised.value.findings] == [("rule-shape", "seeds/cleaning.json")]
    assert "/drop/0" in raised.value.findings[0].message


def test_a_rules_file_missing_a_section_is_refused_even_without_the_schema(repo: Path) -> None:
    # an older repository: its cleaning.json has no timestamps section and it keeps no cleaning schema
    (repo / "schema" / "cleaning.schema.json").unlink()
    path = repo / "seeds" / "cleaning.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["timestamps"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(FuratError) as raised:
        load_rules(repo)
    assert [(f.code, f.path) for f in raised.value.findings] == [("rule-shape", "seeds/cleaning.json")]
    assert "'timestamps'" in raised.value.findings[0].message
