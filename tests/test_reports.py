"""CI reports of findings: SARIF 2.1.0 for code scanning and a Markdown job summary."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from furat.core.codes import CODES
from tests.conftest import ROOT, call_furat

# The parts of the SARIF 2.1.0 schema (OASIS, sarif-schema-2.1.0.json) that furat's log uses: the
# required properties of sarifLog, run, tool, toolComponent, reportingDescriptor, result and message,
# and the types of the locations.
LEVELS = {"enum": ["none", "note", "warning", "error"]}
SARIF_SUBSET = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tool"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id"],
                                            "properties": {
                                                "shortDescription": {"required": ["text"]},
                                                "help": {"required": ["text"]},
                                                "defaultConfiguration": {"properties": {"level": LEVELS}},
                                            },
                                        },
                                    }
                                },
                            }
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["message"],
                            "properties": {
                                "level": LEVELS,
                                "message": {"type": "object", "required": ["text"]},
                                "ruleIndex": {"type": "integer", "minimum": 0},
                                "locations": {
                                    "type": "array",
                                    "items": {
                                        "properties": {
                                            "physicalLocation": {
                                                "properties": {
                                                    "artifactLocation": {"required": ["uri"]},
                                                    "region": {
                                                        "properties": {"startLine": {"type": "integer", "minimum": 1}}
                                                    },
                                                }
                                            }
                                        }
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


def invalid_repo(tmp_path: Path, copies: int = 12) -> Path:
    """A scratch repository with ``copies`` broken passes of a gold file (more findings than GitHub shows)."""
    repo = tmp_path / "repo"
    for part in ("seeds", "schema", "corpus", "annotations"):
        shutil.copytree(ROOT / part, repo / part)
    gold = sorted((ROOT / "annotations").glob("*.json"))[0]
    data = json.loads(gold.read_text("utf-8"))
    folder = repo / "annotations" / "passes" / gold.stem
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        broken = json.loads(json.dumps(data))
        broken["provenance"] = {"status": "pass", "annotators": [{"id": f"x{i}", "kind": "human"}]}
        broken["entities"][i]["text"] = "x" + broken["entities"][i]["text"][1:]
        (folder / f"x{i}.json").write_text(json.dumps(broken, ensure_ascii=False, indent=1), "utf-8")
    (folder / "bom.json").write_bytes(b"\xef\xbb\xbf" + gold.read_bytes())
    return repo


def test_sarif_has_one_rule_per_registered_code_and_one_result_per_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = invalid_repo(tmp_path)
    assert call_furat(repo, "validate", "--format", "json") == 1
    findings = json.loads(capsys.readouterr().out)
    assert call_furat(repo, "validate", "--format", "sarif") == 1
    log = json.loads(capsys.readouterr().out)
    jsonschema.validate(log, SARIF_SUBSET)
    [run] = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(CODES)
    assert all(rule["help"]["text"] for rule in rules)
    results = run["results"]
    assert len(results) == len(findings) > 10  # no cap, unlike inline annotations
    for result, finding in zip(results, sorted(findings, key=lambda f: f["level"] != "error"), strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding["code"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == finding["path"]
        assert location.get("region", {}).get("startLine", 0) == finding["line"]


def test_the_job_summary_counts_findings_by_code_and_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = invalid_repo(tmp_path)
    assert call_furat(repo, "validate", "--format", "json") == 1
    findings = json.loads(capsys.readouterr().out)
    assert call_furat(repo, "validate", "--format", "summary") == 1
    summary = capsys.readouterr().out
    errors = sum(1 for f in findings if f["level"] == "error")
    assert f"{errors} errors, {len(findings) - errors} warnings" in summary
    for code in {f["code"] for f in findings}:
        count = sum(1 for f in findings if f["code"] == code)
        assert f"| `{code}` | {CODES[code].level} | {count} |" in summary


def test_the_repository_gives_no_error_in_sarif(capsys: pytest.CaptureFixture[str]) -> None:
    assert call_furat(ROOT, "validate", "--format", "sarif") == 0
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert [r for r in results if r["level"] == "error"] == []
