"""``furat validate``: one clear finding per defect, at the right line; nothing for valid data."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from furat.check.validate import _PROCLITIC_AL, _PROCLITIC_FIRST, seed_digests, validate_repo
from furat.core.codes import CODES
from furat.core.labels import load_labels
from furat.core.schemas import load_schema
from tests.conftest import DEFAULT_TARGET, FIXTURES, INVALID_CASES, place_case, run_furat


def test_the_repository_is_valid(root: Path) -> None:
    # the stance heuristics warn only on the passes made under guidelines 1.1 (agent-a, agent-b)
    assert [f for f in validate_repo(root) if f.level == "error" or "/agent-" not in f.path] == []


def test_the_valid_fixture_gives_no_finding(repo: Path) -> None:
    (repo / "annotations").mkdir(exist_ok=True)
    shutil.copyfile(FIXTURES / "valid" / "004_6a18982ae2c37ec8.json", repo / DEFAULT_TARGET)
    assert validate_repo(repo) == []


def test_each_invalid_fixture_gives_exactly_its_code_at_its_line(repo: Path, invalid_case: str) -> None:
    expected = place_case(repo, invalid_case)
    findings = validate_repo(repo)
    assert [(f.code, f.path, f.line) for f in findings] == [(expected["code"], expected["path"], expected["line"])]
    assert findings[0].level == "error"


def test_there_are_at_least_twenty_invalid_cases_and_each_code_is_declared() -> None:
    assert len(INVALID_CASES) >= 20
    assert {case["code"] for case in INVALID_CASES.values()} <= set(CODES)


def test_the_command_prints_file_line_code_pointer_and_exits_1(repo: Path) -> None:
    place_case(repo, "span-text-mismatch")
    result = run_furat("--root", str(repo), "validate")
    assert result.returncode == 1
    line = result.stderr.splitlines()[0]
    assert line.startswith("annotations/004_6a18982ae2c37ec8.json:17: error[span-text-mismatch] /entities/0: ")
    assert "'داعش' != text[15:19] '«داع'" in line
    assert "1 errors, 0 warnings" in result.stdout


def test_json_and_github_formats(repo: Path) -> None:
    place_case(repo, "dangling-holder")
    data = json.loads(run_furat("--root", str(repo), "validate", "--format", "json").stdout)
    assert [(d["code"], d["line"], d["pointer"]) for d in data] == [("dangling-holder", 97, "/stances/0/holder")]
    github = run_furat("--root", str(repo), "validate", "--format", "github").stdout
    assert github.startswith("::error file=annotations/004_6a18982ae2c37ec8.json,line=97,title=dangling-holder::")


def test_max_errors_limits_what_is_shown(repo: Path) -> None:
    data = json.loads((FIXTURES / "valid" / "004_6a18982ae2c37ec8.json").read_text(encoding="utf-8"))
    for entity in data["entities"]:
        entity["label"] = "PERSON"
    (repo / "annotations").mkdir()
    (repo / DEFAULT_TARGET).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run_furat("--root", str(repo), "validate", "--max-errors", "3")
    assert result.returncode == 1
    assert result.stderr.count("error[unknown-label]") == 3
    assert "12 errors" in result.stdout and "9 more not shown" in result.stdout


def test_paths_limit_the_report_to_those_files(repo: Path) -> None:
    place_case(repo, "low-gt-high")
    shutil.copytree(FIXTURES / "invalid" / "corpus-orphan", repo, dirs_exist_ok=True)
    result = run_furat("--root", str(repo), "validate", str(repo / DEFAULT_TARGET))
    assert result.returncode == 1
    assert "low-gt-high" in result.stderr and "corpus-orphan" not in result.stderr


def test_validation_never_writes(repo: Path) -> None:
    place_case(repo, "entity-overlap")
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in repo.rglob("*") if p.is_file()}
    run_furat("--root", str(repo), "validate")
    assert before == {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in repo.rglob("*") if p.is_file()}


def test_a_missing_path_is_an_io_error(repo: Path) -> None:
    result = run_furat("--root", str(repo), "validate", "annotations/nope.json")
    assert result.returncode == 2 and "error[io-error]" in result.stderr


def test_guideline_warnings_do_not_fail_validation(repo: Path) -> None:
    data = json.loads((FIXTURES / "valid" / "004_6a18982ae2c37ec8.json").read_text(encoding="utf-8"))
    corpus = json.loads((repo / "corpus" / "004_6a18982ae2c37ec8.json").read_text(encoding="utf-8"))
    start = corpus["text"].index("والمعروفة")
    data["entities"].append(
        {"id": "004_6a18982ae2c37ec8-e0099", "start": start, "end": start + 9, "text": "والمعروفة", "label": "ORG"}
    )
    (repo / "annotations").mkdir()
    (repo / DEFAULT_TARGET).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run_furat("--root", str(repo), "validate")
    assert result.returncode == 0
    assert "warning[proclitic-in-span]" in result.stderr


def test_schema_enums_are_derived_from_labels(root: Path) -> None:
    labels = load_labels(root / "schema" / "labels.json")
    defs = load_schema(root / "schema", "annotation").document["$defs"]
    assert defs["entity_label"]["enum"] == list(labels.entity_codes)
    assert defs["unit"]["enum"] == list(labels.unit_codes)
    assert defs["quantity_kind"]["enum"] == list(labels.kind_codes)
    assert defs["stance_target"]["enum"] == list(labels.target_codes)
    assert defs["stance_label"]["enum"] == list(labels.stance_codes)
    assert run_furat("schema", "--check").returncode == 0


def test_furat_schema_repairs_drift(repo: Path) -> None:
    shutil.copytree(FIXTURES / "invalid" / "schema-drift", repo, dirs_exist_ok=True)
    assert run_furat("--root", str(repo), "schema", "--check").returncode == 1
    assert run_furat("--root", str(repo), "schema").returncode == 0
    assert validate_repo(repo) == []
    enum = json.loads((repo / "schema" / "annotation.schema.json").read_text(encoding="utf-8"))["$defs"]["entity_label"]
    assert "MISC" in enum["enum"]


def test_every_unit_belongs_to_a_declared_kind(root: Path) -> None:
    labels = load_labels(root / "schema" / "labels.json")
    assert set(labels.unit_kind.values()) <= set(labels.kind_codes)
    assert all(label.definition_ar and label.definition_en for label in labels.entity_types + labels.stance_labels)


def test_contributing_lists_every_code(root: Path) -> None:
    guide = (root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"`{code}`" not in guide]
    assert missing == []


@pytest.mark.parametrize(
    ("surface", "flagged"),
    [
        ("والعراق", True),  # و + the article: the conjunction belongs outside the span
        ("فالحكومة", True),
        ("وبالمنظمة", True),
        ("للأمم المتحدة", True),  # ل + the article, contracted
        ("وكالة الأنباء السعودية", False),  # the name's own letters: وكالة is not و + ك + ال + ة
        ("بالي", False),  # a surname, not ب + ال + ي
        ("العراق", False),
    ],
)
def test_the_proclitic_warning_reads_the_letters_after_the_article(surface: str, flagged: bool) -> None:
    assert bool(_PROCLITIC_AL.match(surface)) is flagged


@settings(max_examples=500)
@given(st.text(alphabet="وفبكلاأمعرقة ", min_size=1, max_size=8))
def test_the_proclitic_warning_is_looked_for_only_after_the_letters_it_starts_with(surface: str) -> None:
    assert not _PROCLITIC_AL.match(surface) or surface[0] in _PROCLITIC_FIRST


@settings(max_examples=300)
@given(
    st.binary(max_size=40)
    | st.lists(st.sampled_from([b" ", b"\t", b"\n", b"\r", b"\x0b", b"\x0c", b"a", b"\xa0"])).map(b"".join)
)
def test_seed_digests_are_the_sha256_of_the_bytes_and_of_the_stripped_bytes(raw: bytes) -> None:
    assert seed_digests(raw) == (hashlib.sha256(raw).hexdigest(), hashlib.sha256(raw.strip()).hexdigest())


def test_seed_digests_of_every_seed(root: Path) -> None:
    seeds = [p for p in sorted((root / "seeds").iterdir()) if p.suffix != ".json"]
    assert seeds
    for path in seeds:
        raw = path.read_bytes()
        assert seed_digests(raw) == (hashlib.sha256(raw).hexdigest(), hashlib.sha256(raw.strip()).hexdigest())


@pytest.mark.parametrize("name", ["001_dc33664b38d03477.json", "a.b.json", ".json", "x", "..json", "a..json"])
def test_the_stem_of_a_file_name_is_the_stem_pathlib_gives(name: str) -> None:
    from furat.check.validate import _stem

    assert _stem(name) == Path(name).stem


@pytest.mark.parametrize("size", [0, 1, 4096, (1 << 20) + 7, 3 << 20])
def test_a_file_is_read_to_its_end(tmp_path: Path, size: int) -> None:
    import os

    from furat.check.reading import read_all

    path = tmp_path / "f.json"
    data = os.urandom(size)
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert read_all(fd) == data
    finally:
        os.close(fd)


def test_a_pipe_is_read_to_its_end() -> None:
    """A file whose size says nothing of its bytes (a pipe says 0) is read on to its end."""
    import os
    import threading

    from furat.check.reading import read_all

    data = os.urandom((1 << 20) + 5)
    read_end, write_end = os.pipe()

    def write() -> None:
        with os.fdopen(write_end, "wb") as out:
            out.write(data)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert read_all(read_end) == data
    finally:
        writer.join()
        os.close(read_end)


def test_a_delete_character_that_orjson_lets_through_is_a_finding(repo: Path) -> None:
    (repo / "annotations").mkdir()
    target = repo / DEFAULT_TARGET
    raw = (FIXTURES / "valid" / Path(DEFAULT_TARGET).name).read_bytes()
    assert b'"label": "' in raw
    target.write_bytes(raw.replace(b'"label": "', b'"label": "\x7f', 1))  # orjson reads DEL in a string
    findings = [(f.code, f.path, f.line) for f in validate_repo(repo)]
    line = raw[: raw.index(b'"label": "')].count(b"\n") + 1
    assert ("control-char", DEFAULT_TARGET, line) in findings


def test_a_folder_where_the_manifest_should_be_is_a_finding_not_a_crash(repo: Path) -> None:
    (repo / "seeds" / "manifest.json").unlink()
    (repo / "seeds" / "manifest.json").mkdir()
    findings = {(f.code, f.path) for f in validate_repo(repo)}
    assert ("io-error", "seeds/manifest.json") in findings
