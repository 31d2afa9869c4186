"""``furat add`` and ``furat remove`` on scratch repositories, with invented test pages (never corpus)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from furat.core.repo import Repo
from furat.corpus.add import deterministic_split
from tests.conftest import FIXTURES, ROOT, run_furat

PAGES = FIXTURES / "pages"


@pytest.fixture()
def scratch(tmp_path: Path) -> Path:
    """A copy of the repository's data and documents, as a contributor's clone holds them."""
    for part in ("seeds", "schema", "corpus", "annotations"):
        shutil.copytree(ROOT / part, tmp_path / part)
    for name in ("DATASHEET.md", "README.md", "CONTRIBUTING.md"):
        shutil.copyfile(ROOT / name, tmp_path / name)
    return tmp_path


def _furat(repo: Path, *args: str) -> tuple[int, str, str]:
    result = run_furat("--root", str(repo), *args)
    return result.returncode, result.stdout, result.stderr


def test_add_a_new_outlet_page_then_the_pipeline_and_every_check_pass(scratch: Path) -> None:
    before = [e.id for e in Repo(scratch).manifest]
    page = PAGES / "panarab_portal.txt"
    code, out, err = _furat(scratch, "add", str(page), "--url", "https://example.org/fixture")
    assert code == 0, err
    entry = Repo(scratch).manifest[-1]
    digest = hashlib.sha256(page.read_bytes()).hexdigest()
    assert entry.id == f"{len(before):03d}_{digest[:16]}" and entry.sha256 == digest
    assert (scratch / "seeds" / entry.file).read_bytes() == page.read_bytes()
    assert entry.meta["published"] == "2019-03-14" and entry.meta["outlet"] == "شبكة المدار الإخبارية"
    assert "removed lines" in out and "breadcrumb" in out and "could not decide" in out
    steps = [
        ("ingest", "--check"),
        ("validate",),
        ("datasheet",),
        ("datasheet", "--check"),
        ("docs", "--check"),
        ("build", "--out", str(scratch / "dist")),
    ]
    for step in steps:
        code, out, err = _furat(scratch, *step)
        assert code == 0, (step, out, err)
    documents = sum(pq.read_table(p).num_rows for p in (scratch / "dist" / "data" / "documents").glob("*.parquet"))
    assert documents == len(before) + 1


def test_several_pages_at_once_get_distinct_numbers_and_one_story_one_split(scratch: Path) -> None:
    pages = [str(PAGES / f"{name}.txt") for name in ("gulf_daily", "nile_portal")]
    code, _, err = _furat(scratch, "add", *pages, "--story", "fixture-story")
    assert code == 0, err
    new = Repo(scratch).manifest[-2:]
    assert len({e.id[:3] for e in new}) == 2 and {e.split for e in new} == {deterministic_split("fixture-story")}


def test_a_refused_page_writes_nothing(scratch: Path, tmp_path: Path) -> None:
    manifest = (scratch / "seeds" / "manifest.json").read_bytes()
    seeds = sorted(p.name for p in (scratch / "seeds").iterdir())
    fresh = tmp_path / "fresh.txt"  # a page no repository holds yet
    fresh.write_bytes((PAGES / "atlas_magazine.txt").read_bytes() + f"{tmp_path.name}\n".encode())
    cp1256 = tmp_path / "cp1256.txt"
    cp1256.write_bytes("عنوان\nنص المقال".encode("cp1256"))
    duplicate = ROOT / "seeds" / Repo(ROOT).manifest[0].file
    for page, code in ((cp1256, "seed-encoding"), (duplicate, "seed-duplicate")):
        status, _, err = _furat(scratch, "add", str(fresh), str(page))
        assert status == 1 and f"error[{code}]" in err
    status, _, err = _furat(scratch, "add", str(fresh), "--outlet", "مجلة أخرى")
    assert status == 1 and "error[meta-conflict]" in err
    assert (scratch / "seeds" / "manifest.json").read_bytes() == manifest
    assert sorted(p.name for p in (scratch / "seeds").iterdir()) == seeds


def test_remove_takes_a_document_and_everything_made_from_it(scratch: Path) -> None:
    repo = Repo(scratch)
    doc_id = next(d for d in repo.pass_documents() if repo.gold_path(d).is_file())
    entry = next(e for e in repo.manifest if e.id == doc_id)
    code, out, err = _furat(scratch, "remove", doc_id)
    assert code == 0, err
    assert doc_id not in [e.id for e in Repo(scratch).manifest]
    for path in (f"seeds/{entry.file}", f"corpus/{doc_id}.json", f"annotations/{doc_id}.json"):
        assert not (scratch / path).exists() and path in out
    assert not (scratch / "annotations" / "passes" / doc_id).exists()
    for step in (("ingest", "--check"), ("validate",)):
        code, out, err = _furat(scratch, *step)
        assert code == 0, (step, out, err)


def test_the_review_lists_short_lines_around_the_body_that_it_could_not_tell_from_furniture(scratch: Path) -> None:
    code, out, err = _furat(scratch, "add", str(PAGES / "undecided" / "maghreb_news.txt"))
    assert code == 0, err
    suspects = out.split("kept lines that look like page furniture:")[1].split("could not decide")[0]
    assert "محمد الإدريسي" in suspects and "الرباط" in suspects
    assert "outlet: not found in the page; give --outlet" in out
