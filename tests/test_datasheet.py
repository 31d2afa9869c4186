"""DATASHEET.md: statistics generated from the data between markers, a check that catches stale ones,
and a registry other modules fill. Scratch repositories only."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from furat.core.findings import FuratError
from furat.core.repo import Repo
from furat.dataset.build import build_dataset
from furat.dataset.datasheet import (
    DATASHEET,
    TABLES,
    check_datasheet,
    refresh_datasheet,
    render_tables,
    replace_tables,
)
from furat.dataset.prose import annotators_note, number_words, sample_note, sources_note
from furat.dataset.summary import count_tokens, summarize
from tests.conftest import call_furat as run
from tests.test_build import ROOT, make_scratch


def section(text: str, name: str) -> str:
    match = re.search(rf"<!-- stats:{name} -->\n(.*?)\n<!-- /stats:{name} -->", text, re.DOTALL)
    assert match, name
    return match.group(1)


def test_check_fails_on_a_stale_table_and_passes_after_furat_datasheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_scratch(tmp_path / "repo", annotations=False)
    assert run(repo, "datasheet") == 0
    assert run(repo, "datasheet", "--check") == 0
    capsys.readouterr()

    # gold arrives for one document: the tables the data decides are now stale
    (repo / "annotations" / "004_6a18982ae2c37ec8.json").write_bytes(
        (ROOT / "tests" / "fixtures" / "valid" / "004_6a18982ae2c37ec8.json").read_bytes()
    )
    assert run(repo, "datasheet", "--check") == 1
    err = capsys.readouterr().err
    stale = re.findall(r"^DATASHEET\.md:(\d+): error\[datasheet-stale\] the '(\w+)' table", err, re.MULTILINE)
    assert [name for _, name in stale] == ["documents", "entities", "quantities", "stances", "provenance"]
    text = (repo / DATASHEET).read_text(encoding="utf-8")
    for line, name in stale:  # each finding points at its table's opening marker
        assert text.split("\n")[int(line) - 1] == f"<!-- stats:{name} -->"

    assert run(repo, "datasheet") == 0
    assert run(repo, "datasheet", "--check") == 0
    text = (repo / DATASHEET).read_text(encoding="utf-8")
    example = json.loads((repo / "annotations" / "004_6a18982ae2c37ec8.json").read_text(encoding="utf-8"))
    orgs = sum(1 for e in example["entities"] if e["label"] == "ORG")
    assert f"| `ORG` (Organization) | 0 | 0 | {orgs} | {orgs} |" in section(text, "entities")
    assert _total_row(repo, annotated=1) in section(text, "documents")


def _total_row(repo: Path, annotated: int) -> str:
    """The documents table's total row, counted here from the corpus files."""
    documents = Repo(repo).documents()
    sentences = sum(len(doc.sentences) for doc in documents)
    tokens = sum(count_tokens(doc) for doc in documents)
    return f"| **total** | {len(documents)} | {annotated} | {sentences} | {tokens} |"


def test_only_the_tables_change(tmp_path: Path) -> None:
    repo = make_scratch(tmp_path / "repo")
    before = (repo / DATASHEET).read_text(encoding="utf-8")
    after, changed = refresh_datasheet(repo)
    assert changed
    strip = re.compile(r"(<!-- stats:([\w-]+) -->).*?(<!-- /stats:\2 -->)", re.DOTALL)
    assert strip.sub(r"\1\3", after) == strip.sub(r"\1\3", before)
    assert refresh_datasheet(repo) == (after, False)  # a second run changes nothing


def test_build_refreshes_the_datasheet(tmp_path: Path) -> None:
    repo = make_scratch(tmp_path / "repo")
    assert check_datasheet(repo)  # the example annotations make the repository's tables stale
    result = build_dataset(repo)
    assert result.datasheet_changed
    assert check_datasheet(repo) == []
    copied = (repo / "dist" / "dataset" / DATASHEET).read_text(encoding="utf-8")
    assert copied == (repo / DATASHEET).read_text(encoding="utf-8")


def test_tables_come_from_the_data(tmp_path: Path) -> None:
    repo = make_scratch(tmp_path / "repo")
    tables = render_tables(repo)
    assert tables["sources"].splitlines()[2] == (
        "| `000_2c93ad091d4aa1cc` | train | not stated | not stated | not stated "
        "| بعد تضييق الخناق عليهم في سوريا.. العراق الملاذ الأخير لداعش |"
    )
    assert "| `003_12e1ca8b4bf916c9` | train | ألترا صوت | فريق التحرير | 2019-01-22 |" in tables["sources"]
    assert tables["documents"].splitlines()[-1] == _total_row(repo, annotated=1)
    assert "| `count` (Count) | 0 | 0 | 2 | 2 |" in tables["quantities"]
    assert "| `fraction` (Fraction) | 0 | 0 | 1 | 1 |" in tables["quantities"]
    against = [line for line in tables["stances"].splitlines() if "`isis_defeated`" in line and "`against`" in line]
    assert against == [
        "| `isis_defeated` (ISIS has been defeated and its threat is over) | `against` | 0 | 0 | 1 | 1 |"
    ]
    assert tables["provenance"].splitlines()[2] == "| `example` | 1 | ai-agent: `furat-developers` |"


def test_tokens_are_those_of_the_ner_config(tmp_path: Path) -> None:
    from datasets import load_dataset

    repo = make_scratch(tmp_path / "repo")
    build_dataset(repo)
    ner = load_dataset(str(repo / "dist" / "dataset"), "ner", cache_dir=str(tmp_path / "cache"))
    tokens = sum(len(row["tokens"]) for row in ner["test"])
    test_row = section((repo / DATASHEET).read_text(encoding="utf-8"), "documents").splitlines()[4]
    assert test_row == f"| test | 1 | 1 | 14 | {tokens} |"


def test_without_annotations_the_tables_say_so(tmp_path: Path) -> None:
    repo = make_scratch(tmp_path / "repo", annotations=False)
    tables = render_tables(repo)
    assert tables["provenance"].startswith("No annotation files yet")
    assert tables["entities"].splitlines()[-1] == "| **total** | 0 | 0 | 0 | 0 |"


def test_agreement_and_preannotator_give_no_figure_until_the_data_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_scratch(tmp_path / "repo")  # the example annotations: no passes, no gold
    tables = render_tables(repo)
    assert tables["agreement"].startswith("_No document has two annotation passes yet")
    assert tables["preannotator"].startswith("_No gold annotations yet")
    for name in ("agreement", "preannotator"):
        assert not re.search(r"\d", tables[name])  # no figure at all until the data gives one

    seen: list[Path] = []

    def agreement(root: Path) -> str:
        seen.append(root)
        return "| measure | value |\n| --- | ---: |\n| entities F1 | 0.9 |"

    monkeypatch.setitem(TABLES, "agreement", agreement)
    text, _ = refresh_datasheet(repo)
    assert section(text, "agreement") == "| measure | value |\n| --- | ---: |\n| entities F1 | 0.9 |"
    assert seen == [repo]
    assert check_datasheet(repo) == []


def test_a_repository_without_gold_does_not_load_the_preannotator(tmp_path: Path) -> None:
    # its name lists and recognizer take a quarter of a second to load, at the end of every build
    repo = make_scratch(tmp_path / "repo")  # the example annotations: no gold
    code = (
        "import sys\nfrom pathlib import Path\nfrom furat.dataset.datasheet import render_tables\n"
        f"print(render_tables(Path({str(repo)!r}))['preannotator'])\n"
        "loaded = ('furat.annotate.preannotate', 'furat.annotate.quantities')\n"
        "print(sorted(m for m in sys.modules if m.startswith(loaded)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    table, loaded = done.stdout.strip().splitlines()
    assert table.startswith("_No gold annotations yet") and loaded == "[]"


def test_the_datasheet_calls_the_annotation_stage_for_its_tables() -> None:
    from furat.annotate.agreement import agreement_table
    from furat.annotate.evaluation import preannotator_table

    assert TABLES["agreement"] is agreement_table
    assert TABLES["preannotator"] is preannotator_table


def test_a_missing_or_stray_marker_is_a_finding(tmp_path: Path) -> None:
    repo = make_scratch(tmp_path / "repo")
    path = repo / DATASHEET
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("<!-- /stats:quantities -->", ""), encoding="utf-8")
    with pytest.raises(FuratError) as error:
        refresh_datasheet(repo)
    assert {f.code for f in error.value.findings} == {"datasheet-marker"}
    assert any("'quantities' table" in f.message for f in error.value.findings)
    with pytest.raises(FuratError):
        build_dataset(repo)  # the build stops before it writes anything
    assert not (repo / "dist" / "dataset").exists()
    assert path.read_text(encoding="utf-8") == text.replace("<!-- /stats:quantities -->", "")

    _, problems = replace_tables("<!-- stats:nobody -->\nx\n<!-- /stats:nobody -->\n", {})
    assert [(p.code, p.line) for p in problems] == [("datasheet-marker", 1), ("datasheet-marker", 3)]


def test_a_missing_datasheet_is_an_io_error(tmp_path: Path) -> None:
    repo = make_scratch(tmp_path / "repo")
    (repo / DATASHEET).unlink()
    with pytest.raises(FuratError) as error:
        run(repo, "datasheet", "--check")  # the CLI prints the finding and exits with its code
    assert (error.value.exit_code, error.value.findings[0].code) == (2, "io-error")


def test_the_datasheet_has_every_section_and_marker() -> None:
    text = (ROOT / DATASHEET).read_text(encoding="utf-8")
    for heading in (
        "## Motivation",
        "## Composition",
        "## Collection process",
        "## Preprocessing, cleaning and labeling",
        "## Uses",
        "## Distribution",
        "## Maintenance",
    ):
        assert f"\n{heading}\n" in text
    _, problems = replace_tables(text, {name: "" for name in TABLES})
    assert problems == []
    assert set(re.findall(r"<!-- stats:([\w-]+) -->", text)) == set(TABLES)


def test_the_datasheet_says_plainly_who_annotated_and_who_owns_the_text() -> None:
    text = " ".join((ROOT / DATASHEET).read_text(encoding="utf-8").split())
    assert annotators_note(ROOT) in text and "independent run of a large language model" in text
    assert "the copyright stays with their publishers. Furat has no licence from them and grants none" in text
    assert "Creative Commons Attribution 4.0" in text and "Apache-2.0" in text and "`license: other`" in text
    assert "`furat remove DOC`" in text


def test_the_annotator_note_names_the_model_and_not_a_file_in_parentheses() -> None:
    note = annotators_note(ROOT)
    assert "a large language model (Claude)" in note
    assert "(Claude, " not in note and note.count("ADJUDICATION.md") == 1  # cited once, as the source


def test_the_sentences_that_count_the_data_follow_the_data() -> None:
    summary = summarize(ROOT)
    total = len(Repo(ROOT).manifest)
    text = sources_note(ROOT, summary)
    unnamed = sum(1 for d in summary.documents if not d.meta.outlet)
    assert f"of the {number_words(total)} article" in text
    assert ("name no outlet" in text) == (unnamed > 0)
    assert all(d.meta.published in text for d in summary.documents if d.meta.published)
    assert sample_note(ROOT, summary).startswith(f"With {number_words(total)} articles")


def test_the_conventions_table_is_the_one_the_guidelines_state() -> None:
    from furat.dataset.datasheet import conventions_table

    guidelines = (ROOT / "annotations" / "GUIDELINES.md").read_text(encoding="utf-8")
    table = conventions_table(ROOT)
    assert table.startswith("| convention | Furat | OntoNotes")
    assert table in guidelines
    assert section((ROOT / DATASHEET).read_text(encoding="utf-8"), "conventions") == table
