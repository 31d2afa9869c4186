"""``furat validate`` is the one gate: hostile or careless input gives a finding, never a skip or a traceback."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from furat.check.validate import validate_repo
from tests.conftest import DEFAULT_TARGET, FIXTURES, run_furat

VALID = FIXTURES / "valid" / "004_6a18982ae2c37ec8.json"


def _gold(repo: Path) -> Path:
    (repo / "annotations").mkdir(exist_ok=True)
    target = repo / DEFAULT_TARGET
    shutil.copyfile(VALID, target)
    return target


def _codes(repo: Path) -> list[tuple[str, str]]:
    return [(f.code, f.path) for f in validate_repo(repo)]


def _edit_text(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _manifest(repo: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((repo / "seeds" / "manifest.json").read_text(encoding="utf-8"))
    return data


def _write_manifest(repo: Path, data: dict[str, object]) -> None:
    (repo / "seeds" / "manifest.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


# -- strict JSON ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ('{"low": NaN}', "json-nonfinite", 1),
        ('{\n "low": 1,\n "high": -Infinity}', "json-nonfinite", 3),
        ('{"high": 1e999}', "json-nonfinite", 1),
        ('{"quantities": [1],\n "quantities": []}', "json-duplicate-key", 2),
        ('{"id": "a\\udc80"}', "json-surrogate", 1),
        ('{"id": "\\ud83d"}', "json-surrogate", 1),
        ("[" * 10_000 + "]" * 10_000, "json-depth", 1),
        ("[\n" * 65 + "]" * 65, "json-depth", 65),  # valid JSON, one level too deep
        ('{"a": "[[[", "b":\n' + "[" * 70 + "]" * 70 + ', "b": 1}', "json-depth", 2),  # deep before duplicate
        ('{"a": [1, 2', "json-truncated", 1),
        ('{"a" 1}', "json-syntax", 1),
    ],
)
def test_loads_strict_refuses_what_json_loads_lets_through(text: str, code: str, line: int) -> None:
    from furat.core.jsonio import StrictJsonError, loads_strict

    with pytest.raises(StrictJsonError) as caught:
        loads_strict(text)
    assert (caught.value.code, caught.value.line) == (code, line)


def test_loads_strict_counts_only_brackets_outside_strings() -> None:
    from furat.core.jsonio import loads_strict

    text = '{"a": "\\\\", "b": "\\"[{", "c": ' + "[" * 64 + '"]]]]\\\\"' + "]" * 64 + "}"
    assert loads_strict(text, max_depth=65)["b"] == '"[{'
    assert loads_strict("[" * 64 + "]" * 64) == json.loads("[" * 64 + "]" * 64)


def test_loads_strict_reads_what_furat_writes() -> None:
    from furat.core.jsonio import loads_strict

    text = VALID.read_text(encoding="utf-8")
    assert loads_strict(text) == json.loads(text)
    assert loads_strict('{"s": "\\ud83d\\ude00 \\\\udc80", "x": 1.5}') == {"s": "😀 \\udc80", "x": 1.5}


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ('"low": 20', '"low": NaN', "json-nonfinite"),
        ('"low": 20', '"low": Infinity', "json-nonfinite"),
        ('"low": 20', '"low": -Infinity', "json-nonfinite"),
        ('"quantities": [', '"quantities": [], "quantities": [', "json-duplicate-key"),
        ('"004_6a18982ae2c37ec8-e0001"', '"004_6a18982ae2c37ec8-e0001\\udc80"', "json-surrogate"),
        ('"start": 16, "end": 20', '"start": 16.0, "end": 20', "wrong-type"),
        ('"004_6a18982ae2c37ec8-e0001"', '"004_6a18982ae2c37ec8-e0001\\n"', "bad-id"),
    ],
)
def test_an_annotation_file_that_json_loads_accepts_is_still_refused(repo: Path, old: str, new: str, code: str) -> None:
    _edit_text(_gold(repo), old, new)
    assert (code, DEFAULT_TARGET) in _codes(repo)


def test_a_whole_number_written_as_16_0_is_a_number_where_numbers_are_allowed(repo: Path) -> None:
    target = _gold(repo)
    _edit_text(target, '"low": 20', '"low": 20.0')
    assert not [code for code, path in _codes(repo) if path == DEFAULT_TARGET]
    _edit_text(target, '"start": 16, "end": 20', '"start": 16, "end": 20.0')  # and an offset beside it
    assert ("wrong-type", DEFAULT_TARGET) in _codes(repo)


def test_the_members_a_schema_may_check_for_an_integer_are_found_through_references() -> None:
    from furat.core.schemas import _integer_members

    document = {
        "$defs": {
            "offset": {"type": "integer", "minimum": 0},
            "number": {"type": ["number", "null"]},
            "span": {"properties": {"start": {"$ref": "#/$defs/offset"}}},
        },
        "properties": {
            "a": {"$ref": "#/$defs/offset"},
            "b": {"$ref": "#/$defs/number"},
            "c": {"oneOf": [{"type": "string"}, {"type": ["integer", "null"]}]},
            "d": {"$ref": "#/$defs/span"},
        },
    }
    assert _integer_members(document) == frozenset({"a", "c", "d", "start"})
    # a schema elsewhere may say integer of a member named anywhere: no list, every place is checked again
    for elsewhere in (
        {"$ref": "other.schema.json"},
        {"$ref": "file:///tmp/object.schema.json#/$defs/n"},
        {"$ref": "#/$defs/missing"},
        {"$ref": "#count"},
        {"$dynamicRef": "#count"},
    ):
        assert _integer_members({**document, "properties": {"e": elsewhere}}) is None, elsewhere
    assert _integer_members({"additionalProperties": {"type": "integer"}}) is None  # any member may be checked
    assert (
        _integer_members({"patternProperties": {"^x": {"$ref": "#/$defs/i"}}, "$defs": {"i": {"type": "integer"}}})
        is None
    )
    assert _integer_members({"additionalProperties": False, "properties": {"x": {"type": "number"}}}) == frozenset()


def test_whole_numbers_where_numbers_are_allowed_are_decided_as_the_full_check_decides(root: Path) -> None:
    """``is_valid_as_fractions`` skips the second compiled check when no place is a member the schema may
    check for an integer: on every annotation file of the repository, with each whole number in turn put
    where the schema wants an integer, it decides as the check with every place read as a fraction."""
    from dataclasses import replace

    from furat.core.jsonio import loads_fast
    from furat.core.schemas import load_schema

    schema = load_schema(root / "schema", "annotation")
    full = replace(schema)
    full.__dict__["integer_members"] = None  # no shortcut: the second compiled check always runs
    outcomes: list[bool] = []
    for path in sorted((root / "annotations").rglob("*.json")):
        fast = loads_fast(path.read_bytes())
        assert fast is not None and schema.is_valid(fast.value)
        numbered = [q for q in fast.value["quantities"] if isinstance(q["value"], (int, float))][:3]
        for places in (
            fast.integral,
            [(q, "value") for q in numbered],
            *([(q, "value"), (q, "start")] for q in numbered),
        ):
            saved = [(obj, key, obj[key]) for obj, key in places]
            for obj, key in places:
                obj[key] = float(obj[key])
            outcome = schema.is_valid_as_fractions(fast.value, places)
            assert outcome == full.is_valid_as_fractions(fast.value, places), path
            outcomes.append(outcome)
            for obj, key, value in saved:
                obj[key] = value
    assert set(outcomes) == {True, False}  # both answers were given: quantities' values, and offsets


def test_a_trailing_newline_in_an_id_does_not_hide_the_rest_of_the_file(repo: Path) -> None:
    # jsonschema-rs rejects the id, Python's jsonschema accepted it ($ matches before a final \n): the
    # file used to be skipped with no finding, so a wrong span and low > high passed the gate.
    target = _gold(repo)
    _edit_text(target, '"004_6a18982ae2c37ec8-e0001"', '"004_6a18982ae2c37ec8-e0001\\n"')
    _edit_text(target, '"start": 16, "end": 20', '"start": 17, "end": 21')
    result = run_furat("--root", str(repo), "validate")
    assert result.returncode == 1
    assert "error[bad-id]" in result.stderr
    build = run_furat("--root", str(repo), "build")
    assert build.returncode == 1 and "build-refused" in build.stderr
    assert not (repo / "dist" / "dataset").exists()


def test_deep_nesting_in_an_annotation_file_is_a_finding(repo: Path) -> None:
    (repo / "annotations").mkdir()
    (repo / DEFAULT_TARGET).write_text("[" * 10_000 + "]" * 10_000, encoding="utf-8")
    assert ("json-depth", DEFAULT_TARGET) in _codes(repo)


# -- the repository's own files --------------------------------------------------------------------


def test_a_bom_in_labels_json_is_a_finding(repo: Path) -> None:
    labels = repo / "schema" / "labels.json"
    labels.write_bytes(b"\xef\xbb\xbf" + labels.read_bytes())
    result = run_furat("--root", str(repo), "validate")
    assert "Traceback" not in result.stderr
    assert "schema/labels.json:1: error[bom]" in result.stderr
    assert result.returncode == 1


def test_a_missing_annotation_schema_is_an_io_error_exit_2(repo: Path) -> None:
    (repo / "schema" / "annotation.schema.json").unlink()
    result = run_furat("--root", str(repo), "validate")
    assert "Traceback" not in result.stderr
    assert "schema/annotation.schema.json" in result.stderr and "[io-error]" in result.stderr
    assert result.returncode == 2


def test_an_unreadable_file_exits_2_as_the_readme_says(repo: Path) -> None:
    target = _gold(repo)
    target.unlink()
    target.mkdir()  # a folder named like an annotation file: reading it is an I/O error
    result = run_furat("--root", str(repo), "validate")
    assert "[io-error]" in result.stderr and "Traceback" not in result.stderr
    assert result.returncode == 2


def test_a_seed_path_that_is_a_folder_is_a_finding(repo: Path) -> None:
    entry = _manifest(repo)["documents"][0]  # type: ignore[index]
    seed = repo / "seeds" / entry["file"]
    seed.unlink()
    seed.mkdir()
    result = run_furat("--root", str(repo), "validate")
    assert "Traceback" not in result.stderr
    assert "error[seed-missing]" in result.stderr and result.returncode == 1


@pytest.mark.parametrize("target", ["another seed", "nothing"])
def test_a_seed_that_is_a_symbolic_link_is_refused_as_a_link_and_not_read(repo: Path, target: str) -> None:
    entries: list[dict[str, str]] = _manifest(repo)["documents"]  # type: ignore[assignment]
    seed, other = repo / "seeds" / entries[0]["file"], repo / "seeds" / entries[1]["file"]
    seed.unlink()
    os.symlink(other if target == "another seed" else repo / "seeds" / "gone.txt", seed)
    codes = _codes(repo)
    assert ("symlink", "seeds/manifest.json") in codes
    assert not {c for c, path in codes if path == "seeds/manifest.json"} & {"seed-missing", "seed-sha256-mismatch"}


def test_a_seed_that_is_a_named_pipe_is_a_finding_and_does_not_hold_validation_up(repo: Path) -> None:
    entries: list[dict[str, str]] = _manifest(repo)["documents"]  # type: ignore[assignment]
    seed = repo / "seeds" / entries[0]["file"]
    seed.unlink()
    os.mkfifo(seed)
    result = run_furat("--root", str(repo), "validate")
    assert "error[seed-missing]" in result.stderr and result.returncode == 1, result.stderr


def test_a_missing_seed_is_a_finding(repo: Path) -> None:
    (repo / "seeds" / _manifest(repo)["documents"][0]["file"]).unlink()  # type: ignore[index]
    assert ("seed-missing", "seeds/manifest.json") in _codes(repo)


# -- rules that only build knew ---------------------------------------------------------------------


def test_two_documents_of_one_story_in_different_splits_fail_validate(repo: Path) -> None:
    data = _manifest(repo)
    first, second = data["documents"][0], data["documents"][1]  # type: ignore[index]
    first["story"] = second["story"] = "one-story"
    second["split"] = "test" if first["split"] != "test" else "train"
    _write_manifest(repo, data)
    assert ("story-split", "seeds/manifest.json") in _codes(repo)


def test_the_same_seed_under_two_ids_fails_validate(repo: Path) -> None:
    data = _manifest(repo)
    documents: list[dict[str, object]] = data["documents"]  # type: ignore[assignment]
    copy = dict(documents[0], id="999_copy_of_000", file="999_copy_of_000.txt", split="test")
    shutil.copyfile(repo / "seeds" / str(documents[0]["file"]), repo / "seeds" / "999_copy_of_000.txt")
    documents.append(copy)
    _write_manifest(repo, data)
    assert ("duplicate-seed", "seeds/manifest.json") in _codes(repo)


def test_value_low_and_high_all_set_fails_validate(repo: Path) -> None:
    _edit_text(
        _gold(repo), '"value": null,\n      "low": 20,\n      "high": 100', '"value": 25,\n "low": 20,\n "high": 30'
    )
    assert ("value-and-range", DEFAULT_TARGET) in _codes(repo)


def test_an_empty_annotators_list_fails_validate(repo: Path) -> None:
    target = _gold(repo)
    data = json.loads(target.read_text(encoding="utf-8"))
    data["provenance"]["annotators"] = []
    target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert ("no-annotators", DEFAULT_TARGET) in _codes(repo)


def test_an_upper_case_extension_is_not_silently_ignored(repo: Path) -> None:
    (repo / "annotations").mkdir()
    shutil.copyfile(VALID, repo / "annotations" / "004_6a18982ae2c37ec8.JSON")
    assert ("file-extension", "annotations/004_6a18982ae2c37ec8.JSON") in _codes(repo)


def test_a_symlink_to_a_file_outside_the_repository_is_refused(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "004.json"
    shutil.copyfile(VALID, outside)
    (repo / "annotations").mkdir()
    os.symlink(outside, repo / DEFAULT_TARGET)
    assert ("symlink", DEFAULT_TARGET) in _codes(repo)


def test_a_manifest_id_or_file_that_leaves_the_repository_fails_validate(repo: Path) -> None:
    data = _manifest(repo)
    documents: list[dict[str, object]] = data["documents"]  # type: ignore[assignment]
    documents[0]["id"] = "../../../X"
    documents[1]["file"] = "../../secret.txt"
    _write_manifest(repo, data)
    codes = _codes(repo)
    assert ("bad-id", "seeds/manifest.json") in codes
    assert ("schema", "seeds/manifest.json") in codes


def test_an_unexpected_error_is_an_internal_error_finding_exit_2(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import furat.cli.corpus
    from furat.cli.main import main

    def broken(args: object) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setattr(furat.cli.corpus, "_cmd_summary", broken)
    assert main(["--root", str(repo), "summary"]) == 2
    err = capsys.readouterr().err
    assert "error[internal-error]" in err and "RuntimeError" in err and "report it" in err
    assert "Traceback" not in err


def test_ingest_check_on_a_corpus_file_that_is_not_utf8_reports_it_stale(repo: Path) -> None:
    # Found by the fuzz test: a UnicodeDecodeError escaped `furat ingest --check`.
    path = next((repo / "corpus").glob("001_*.json"))
    raw = path.read_bytes()
    path.write_bytes(raw[:40] + b"\x87" + raw[41:])
    result = run_furat("--root", str(repo), "ingest", "--check")
    assert result.returncode == 1 and "error[corpus-stale]" in result.stderr and "Traceback" not in result.stderr
    assert "internal-error" not in result.stderr


def test_a_labels_file_of_another_shape_is_a_finding_for_every_command(repo: Path) -> None:
    # Found by the fuzz test: `furat view` on a labels.json holding `null` ended in a TypeError.
    (repo / "schema" / "labels.json").write_text("null\n", encoding="utf-8")
    for command in (["view", "--out", str(repo / "dist" / "view")], ["validate"], ["build"]):
        result = run_furat("--root", str(repo), *command)
        assert result.returncode in (1, 2) and "Traceback" not in result.stderr, command
        assert "internal-error" not in result.stderr, (command, result.stderr)


def test_a_dangling_symlink_is_refused_as_a_link_not_as_unreadable(repo: Path) -> None:
    (repo / "annotations").mkdir()
    os.symlink(repo / "no-such-file.json", repo / DEFAULT_TARGET)
    codes = _codes(repo)
    assert ("symlink", DEFAULT_TARGET) in codes
    assert ("io-error", DEFAULT_TARGET) not in codes


def test_a_file_in_a_folder_that_links_out_of_the_repository_is_refused(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    shutil.copyfile(VALID, outside / Path(DEFAULT_TARGET).name)
    (repo / "annotations").mkdir()
    os.symlink(outside, repo / "annotations" / "passes")
    assert ("symlink", "annotations/passes") in _codes(repo)  # the folder itself: none of its files is read
