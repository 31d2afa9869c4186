"""Ingestion of the real seed articles, and what happens to bad seeds."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import unicodedata
from pathlib import Path

import pytest

from furat.core.model import Document
from furat.core.repo import Repo
from furat.corpus.ingest import build_corpus, check_corpus, write_corpus
from furat.corpus.textspan import SourceMap, normalize_text
from tests.conftest import run_furat

BOILERPLATE = [
    "Accessibility links",
    "XS",
    "SM",
    "MD",
    "LG",
    "آراؤكم",
    "إظهار التعليقات",
    "واتساب",
    "0012022773659",
    "اقرأ/ي أيضًا",
    "مقالات متعلقة",
    "العدد : 4384",
    "الصفحة :",
    "Sunday 3rd of March",
    "22-يناير-2019",
    "بقلم علي قيس",
    "ألترا صوت-فريق التحرير",
    "بغداد / المدى",
    "أ.ف.ب)",
    "وكالة الصحافة الفرنسية",
    "لماذا لن تنتهي",
    "ماذا بعد هزيمة داعش؟",
    "\uf06f",
    "\u00a0",
]


def test_every_manifest_entry_is_a_document_in_manifest_order(root: Path, documents: dict[str, Document]) -> None:
    assert list(documents) == [entry.id[:3] for entry in Repo(root).manifest]


def test_every_paragraph_and_sentence_lies_inside_the_text(documents: dict[str, Document]) -> None:
    for doc in documents.values():
        for seg in (*doc.paragraphs, *doc.sentences):
            assert 0 <= seg.start < seg.end <= len(doc.text), seg
            assert doc.text[seg.start : seg.end] == doc.text[seg.start : seg.end].strip()


def test_sentences_tile_their_paragraph(documents: dict[str, Document]) -> None:
    for doc in documents.values():
        for para in doc.paragraphs:
            inside = [s for s in doc.sentences if para.start <= s.start < para.end]
            assert inside and inside[0].start == para.start and inside[-1].end == para.end
            assert all(s.end <= para.end for s in inside)
            for a, b in itertools.pairwise(inside):
                assert doc.text[a.end : b.start].strip() == ""
        assert len(doc.sentences) == sum(1 for _ in doc.sentences) and doc.sentences[0].start == 0


def test_no_boilerplate_remains(documents: dict[str, Document]) -> None:
    for doc in documents.values():
        for junk in BOILERPLATE:
            assert junk not in doc.text, (doc.id, junk)


def test_pull_quotes_and_captions_are_out_of_the_text_but_recorded(documents: dict[str, Document]) -> None:
    doc = documents["003"]
    pull_quotes = [r for r in doc.removed if r.role == "pull_quote"]
    assert [r.line for r in pull_quotes] == [9, 27, 47]
    for quote in pull_quotes:
        assert quote.text not in doc.text
    assert "تنظيم داعش في سوريا" in documents["000"].meta.captions
    assert documents["000"].text.count("تنظيم داعش في سوريا") == 0


def test_the_body_repeats_that_the_author_wrote_stay(documents: dict[str, Document]) -> None:
    # 000 says twice that ISIS fighters fled with "ما يصل إلى 200 مليون دولار": both are body text
    # (each ends a sentence with a full stop), not a pull quote.
    assert documents["000"].text.count("ما يصل إلى 200 مليون دولار") == 2


def test_metadata_stated_in_the_text(documents: dict[str, Document]) -> None:
    mada, ultra, irfaa = documents["002"].meta, documents["003"].meta, documents["001"].meta
    assert (mada.outlet, mada.published, mada.section, mada.issue, mada.dateline) == (
        "المدى",
        "2019-03-03",
        "سياسية",
        "4384",
        "بغداد / المدى",
    )
    assert (ultra.outlet, ultra.author, ultra.published) == ("ألترا صوت", "فريق التحرير", "2019-01-22")
    assert (irfaa.author, irfaa.outlet) == ("علي قيس", "إرفع صوتك")
    # 000 and 004 name no outlet, author or date anywhere in their text: nothing is invented.
    for short in ("000", "004"):
        meta = documents[short].meta
        assert (meta.outlet, meta.author, meta.published) == (None, None, None)
    assert documents["004"].meta.title.startswith("تحرير آخر جيوب «داعش» بسوريا")


def test_titles_and_headings_are_paragraphs_of_their_kind(documents: dict[str, Document]) -> None:
    doc = documents["000"]
    kinds = {doc.text[p.start : p.end]: p.kind for p in doc.paragraphs}
    assert kinds[doc.meta.title] == "title"
    assert kinds["محاولات الهروب"] == "heading"
    assert doc.paragraphs[0].kind == "title"


def test_every_corpus_offset_traces_back_to_its_seed(root: Path, documents: dict[str, Document]) -> None:
    for doc in documents.values():
        raw = (root / "seeds" / doc.meta.seed_file).read_text(encoding="utf-8")
        smap = SourceMap(list(doc.source_map), len(doc.text), len(raw))
        for para in doc.paragraphs:
            start, end = smap.raw_span(para.start, para.end)
            assert normalize_text(raw[start:end])[0] == doc.text[para.start : para.end]
        for word in re.finditer(r"\S+", doc.text):
            start, end = smap.raw_span(*word.span())
            assert unicodedata.normalize("NFC", raw[start:end]) == word.group()


def test_ids_are_readable_and_stable(documents: dict[str, Document]) -> None:
    doc = documents["004"]
    assert doc.paragraphs[0].id == "004_6a18982ae2c37ec8-p000"
    assert doc.sentences[3].id == "004_6a18982ae2c37ec8-s003"


def test_ingest_is_deterministic_and_check_sees_staleness(repo: Path) -> None:
    write_corpus(repo)
    first = {p.name: p.read_bytes() for p in (repo / "corpus").glob("*.json")}
    write_corpus(repo)
    assert first == {p.name: p.read_bytes() for p in (repo / "corpus").glob("*.json")}
    assert check_corpus(repo) == []
    path = repo / "corpus" / "001_dc33664b38d03477.json"
    path.write_text(path.read_text(encoding="utf-8").replace("علي قيس", "علي"), encoding="utf-8")
    result = run_furat("--root", str(repo), "ingest", "--check")
    assert result.returncode == 1
    assert "corpus/001_dc33664b38d03477.json:" in result.stderr and "error[corpus-stale]" in result.stderr


def test_the_committed_corpus_is_fresh(root: Path) -> None:
    assert check_corpus(root) == []


def _rewrite_seed(repo: Path, data: bytes, update_manifest: bool = True) -> None:
    seed = repo / "seeds" / "000_2c93ad091d4aa1cc.txt"
    seed.write_bytes(data)
    if update_manifest:
        manifest = json.loads((repo / "seeds" / "manifest.json").read_text(encoding="utf-8"))
        manifest["documents"][0]["sha256"] = hashlib.sha256(data).hexdigest()
        (repo / "seeds" / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


ORIGINAL = (Path(__file__).resolve().parents[1] / "seeds" / "000_2c93ad091d4aa1cc.txt").read_bytes()


@pytest.mark.parametrize(
    ("case", "data", "update_manifest", "code", "line"),
    [
        ("windows-1256", ORIGINAL.decode("utf-8").encode("cp1256", errors="replace"), True, "seed-encoding", 1),
        ("bom", b"\xef\xbb\xbf" + ORIGINAL, True, "seed-bom", 1),
        ("crlf", ORIGINAL.replace(b"\n", b"\r\n"), True, "seed-crlf", 1),
        ("empty", b"", True, "seed-empty", 1),
        ("blank", b" \n\n\xc2\xa0\n", True, "seed-empty", 1),
        ("edited", ORIGINAL.replace("داعش".encode(), "داعس".encode(), 1), False, "seed-sha256-mismatch", 0),
    ],
)
def test_a_bad_seed_gets_one_clear_error_and_writes_nothing(
    repo: Path, case: str, data: bytes, update_manifest: bool, code: str, line: int
) -> None:
    before = {p: p.read_bytes() for p in (repo / "corpus").iterdir()}
    _rewrite_seed(repo, data, update_manifest)
    result = run_furat("--root", str(repo), "ingest")
    assert result.returncode == 1, result.stderr
    errors = result.stderr.strip().splitlines()
    where = f"seeds/000_2c93ad091d4aa1cc.txt:{line}:" if line else "seeds/000_2c93ad091d4aa1cc.txt:"
    assert len(errors) == 1 and errors[0].startswith(where) and f"error[{code}]" in errors[0], errors
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in (repo / "corpus").iterdir()} == before, "corpus/ untouched, no temp files"


def test_a_manifest_that_is_not_json_names_its_line(repo: Path) -> None:
    (repo / "seeds" / "manifest.json").write_text('{\n  "documents": [\n    {"id": "x",,}\n  ]\n}\n', encoding="utf-8")
    result = run_furat("--root", str(repo), "ingest")
    assert result.returncode == 1
    assert result.stderr.startswith("seeds/manifest.json:3: error[json-syntax]")


def test_a_missing_seed_is_an_io_error(repo: Path) -> None:
    (repo / "seeds" / "004_6a18982ae2c37ec8.txt").unlink()
    result = run_furat("--root", str(repo), "ingest")
    assert result.returncode == 2
    assert "seeds/004_6a18982ae2c37ec8.txt: error[io-error]" in result.stderr


def test_manifest_and_text_disagreeing_is_reported(repo: Path) -> None:
    path = repo / "seeds" / "manifest.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"2019-03-03"', '"2019-03-04"'), encoding="utf-8")
    result = run_furat("--root", str(repo), "ingest")
    assert result.returncode == 1
    assert "error[meta-conflict]" in result.stderr and "2019-03-03" in result.stderr


def test_build_corpus_reads_only(root: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in (root / "corpus").iterdir()}
    build_corpus(root)
    assert {p: p.stat().st_mtime_ns for p in (root / "corpus").iterdir()} == before
