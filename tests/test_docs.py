"""Generated sections of documents: the label tables come from schema/labels.json only."""

from __future__ import annotations

import shutil
from pathlib import Path

from furat.core.labels import label_tables, load_labels
from furat.core.markers import fill_markers, marker_keys
from tests.conftest import run_furat


def test_markers_replace_only_what_is_between_them() -> None:
    text = "intro\n<!-- labels:units -->\nold\n<!-- /labels:units -->\noutro\n"
    assert (
        fill_markers(text, "labels", {"units": "new"})
        == "intro\n<!-- labels:units -->\nnew\n<!-- /labels:units -->\noutro\n"
    )
    assert marker_keys(text, "labels") == ["units"]


def test_tables_name_every_label(root: Path) -> None:
    labels = load_labels(root / "schema" / "labels.json")
    tables = label_tables(labels)
    assert all(f"`{code}`" in tables["entity_types"] for code in labels.entity_codes)
    assert all(f"`{code}`" in tables["units"] for code in labels.unit_codes)
    assert all(f"`{code}`" in tables["stance_targets"] for code in labels.target_codes)


def test_the_guidelines_tables_are_fresh(root: Path) -> None:
    if (root / "annotations" / "GUIDELINES.md").is_file():
        assert run_furat("docs", "--check").returncode == 0


def test_docs_check_fails_on_a_stale_table_and_docs_repairs_it(repo: Path) -> None:
    (repo / "annotations").mkdir(exist_ok=True)
    guide = repo / "annotations" / "GUIDELINES.md"
    guide.write_text(
        "# Guide\n<!-- labels:entity_types -->\n| stale |\n<!-- /labels:entity_types -->\n", encoding="utf-8"
    )
    assert run_furat("--root", str(repo), "docs", "--check").returncode == 1
    assert run_furat("--root", str(repo), "docs").returncode == 0
    assert "`EVENT`" in guide.read_text(encoding="utf-8")
    assert run_furat("--root", str(repo), "docs", "--check").returncode == 0
    shutil.rmtree(repo / "annotations")
