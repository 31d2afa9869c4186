"""L4 stance rules of ``furat validate``: each rule catches its example; the gold and stance passes pass."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from furat.check.stance_rules import is_clause
from furat.check.validate import validate_repo
from tests.conftest import DEFAULT_TARGET, FIXTURES

DOC = "004_6a18982ae2c37ec8"


def _findings(repo: Path, edit: Any) -> list[tuple[str, str]]:
    """Validate the valid fixture (document 004) after ``edit`` changed its data."""
    data = json.loads((FIXTURES / "valid" / f"{DOC}.json").read_text(encoding="utf-8"))
    edit(data)
    (repo / "annotations").mkdir(exist_ok=True)
    (repo / DEFAULT_TARGET).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return [(f.code, f.pointer) for f in validate_repo(repo) if f.code.startswith("stance-")]


def _stance(data: dict[str, Any], evidence: str, **fields: Any) -> dict[str, Any]:
    text = json.loads((FIXTURES.parent.parent / "corpus" / f"{DOC}.json").read_text(encoding="utf-8"))["text"]
    start = text.index(evidence)
    stance = {"id": f"{DOC}-t{len(data['stances']) + 1:04d}", "start": start, "end": start + len(evidence)}
    stance |= {"text": evidence, "target": "isis_defeated", "label": "against", "holder": None}
    stance |= {"holder_kind": "author"} | fields
    data["stances"].append(stance)
    return stance


def test_clauses_and_phrases() -> None:
    assert is_clause("ولا يزال التنظيم يسيطر على مناطق بالصحراء")
    assert is_clause("الهزيمة العسكرية «لدولة الخلافة» لا تمثل نهاية للتهديد الإرهابي")
    assert is_clause("يدعو الخبراء المطلعون على هذه المعلومات إلى الحذر")
    assert is_clause("العراق الملاذ الأخير لداعش")  # a nominal sentence: definite subject, predicate
    assert not is_clause("الحذر")
    assert not is_clause("ضرورة مسك الحدود")
    assert not is_clause("أنشطة ونوايا «داعش»")


def test_a_bare_noun_as_evidence_is_a_warning(repo: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["stances"] = []
        _stance(data, "الحذر", holder_kind="unnamed")

    assert _findings(repo, edit) == [("stance-not-clause", "/stances/0")]


def test_two_stances_of_one_holder_on_one_target_in_one_sentence_is_an_error(repo: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["stances"] = []
        _stance(data, "ولا يزال التنظيم يسيطر على مناطق بالصحراء في وسط سوريا")
        _stance(data, "ويشن هجمات على غرار حرب العصابات")

    assert _findings(repo, edit) == [("stance-duplicate", "/stances/1")]


def test_other_holders_and_targets_in_one_sentence_are_no_duplicate(repo: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["stances"] = []
        _stance(data, "التنظيم الدموى لا يزال يشن هجمات")
        _stance(data, "إنه لا يزال يمثل خطرًا", holder_kind="unnamed")

    assert _findings(repo, edit) == []


def test_an_unnamed_holder_where_the_paragraph_names_the_speaker_is_a_warning(repo: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["stances"] = []  # أليكس يونجر is named after قال in this paragraph (s009)
        _stance(data, "نرى التنظيم لهذا السبب يتحول", holder_kind="unnamed")

    assert _findings(repo, edit) == [("stance-holder-unnamed", "/stances/0")]


def test_the_gold_and_the_stance_passes_give_no_stance_finding(root: Path) -> None:
    findings = [f for f in validate_repo(root) if f.code.startswith("stance-")]
    assert [f for f in findings if f.level == "error"] == []
    assert [f for f in findings if "/agent-" not in f.path] == []


def test_the_development_passes_give_no_stance_finding(tmp_path: Path) -> None:
    dev = tmp_path / "stance_dev"
    shutil.copytree(FIXTURES / "stance_dev", dev)
    assert [f for f in validate_repo(dev) if f.code.startswith("stance-")] == []


def test_a_file_made_under_guidelines_before_2_0_is_not_warned_but_still_checked(repo: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["provenance"]["guidelines"] = "GUIDELINES.md 1.1"
        data["stances"] = []
        _stance(data, "الحذر", holder_kind="unnamed")
        _stance(data, "الحذر", holder_kind="unnamed")

    assert _findings(repo, edit) == [("stance-duplicate", "/stances/1")]
