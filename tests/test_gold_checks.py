"""What gold means, checked by ``furat validate``: provenance (two passes adjudicated, or a named decision)
and coverage (every number of a gold file is in a quantity or an exclusion)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from furat.check.coverage import gold_checks
from furat.check.validate import validate_repo
from furat.core.repo import Repo
from tests.conftest import ROOT


def _gold_repo(tmp_path: Path) -> tuple[Path, str]:
    for part in ("seeds", "schema", "corpus", "annotations"):
        shutil.copytree(ROOT / part, tmp_path / part)
    return tmp_path, next(iter(Repo(tmp_path).gold_sets()))


def _edit(path: Path, change: dict[str, object]) -> dict[str, object]:
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    data.update(change)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return data


def test_the_gold_files_are_gold_by_their_provenance_and_cover_their_numbers() -> None:
    assert Repo(ROOT).gold_sets() and gold_checks(ROOT) == []


def test_a_single_submission_marked_gold_is_refused_until_a_named_adjudicator_decides(tmp_path: Path) -> None:
    repo, doc_id = _gold_repo(tmp_path)
    path = repo / "annotations" / f"{doc_id}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    provenance = dict(data["provenance"], passes=data["provenance"]["passes"][:1])
    _edit(path, {"provenance": provenance})
    assert [f.code for f in validate_repo(repo) if f.level == "error"] == ["gold-provenance"]
    decided = dict(provenance, decision={"by": "a named adjudicator", "reason": "checked every mention by hand"})
    _edit(path, {"provenance": decided})
    assert [f for f in validate_repo(repo) if f.level == "error"] == []


def test_a_number_no_quantity_covers_is_a_validate_finding(tmp_path: Path) -> None:
    repo, doc_id = _gold_repo(tmp_path)
    path = repo / "annotations" / f"{doc_id}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    dropped = data["quantities"][0]
    _edit(path, {"quantities": data["quantities"][1:], "stances": data["stances"]})
    findings = [f for f in validate_repo(repo) if f.code == "number-uncovered"]
    assert findings and all(f.path == f"annotations/{doc_id}.json" for f in findings)
    assert any(f"[{dropped['start']}," in f.message or dropped["text"] in f.message for f in findings)
