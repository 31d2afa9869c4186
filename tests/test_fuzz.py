"""Every command that reads the repository, on mutated seeds, manifest, corpus and annotation files.

Hypothesis mutates a scratch copy of the repository (JSON values swapped for hostile ones, text spliced,
files cut short, replaced by folders or by links to a folder outside) and runs the commands that read
what was mutated. Whatever the input: no traceback, exit 0, 1 or 2, and nothing outside the scratch
repository is created, changed or removed (its parent folder and a sentinel folder are compared before
and after). The run is derandomized and bounded, so it is the same on every machine and in CI.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from furat.cli.main import main
from tests.conftest import ROOT

FILES = [
    "seeds/manifest.json",
    "seeds/cleaning.json",
    "seeds/000_2c93ad091d4aa1cc.txt",
    "corpus/000_2c93ad091d4aa1cc.json",
    "corpus/001_dc33664b38d03477.json",
    "annotations/000_2c93ad091d4aa1cc.json",
    "annotations/passes/000_2c93ad091d4aa1cc/agent-a.json",
    "schema/labels.json",
]
# The commands that read those files; every path they write is inside the repository.
COMMANDS: list[list[str]] = [
    ["validate"],
    ["ingest", "--check"],
    ["ingest"],
    ["summary"],
    ["show", "000"],
    ["coverage"],
    ["agreement"],
    ["datasheet", "--check"],
    ["preannotate", "--out", "{repo}/dist/pre"],
    ["view", "--out", "{repo}/dist/view", "000_2c93ad091d4aa1cc"],
    ["export", "--format", "brat", "--out", "{repo}/dist/brat"],
    ["build"],
]


def _hostile(sentinel: Path) -> list[Any]:
    deep: Any = []
    for _ in range(200):
        deep = [deep]
    return [
        None,
        16.0,
        -1,
        10**30,
        1e308,
        "",
        "../../../X",
        "../sentinel/X",
        str(sentinel / "X"),
        "\udc80",
        "000_2c93ad091d4aa1cc\n",
        "a" * 300,
        {"a": 1},
        [],
        deep,
        True,
        "000_2c93ad091d4aa1cc",
    ]


TEXTS = ["NaN", "-Infinity", "1e999", '"\\udc80"', "[" * 5000, "{", "\ufeff", "\r\n", "\x00", "\\", '"a": 1, "a": 2, ']


def _paths(value: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield here
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:8]):
            yield from _paths(item, (*here, index))


def _set(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    value[path[0]] = _set(value[path[0]], path[1:], new)
    return value


def _mutate(data: st.DataObject, repo: Path, sentinel: Path) -> str:
    rel = data.draw(st.sampled_from(FILES), label="file")
    path = repo / rel
    kind = data.draw(st.sampled_from(["value", "splice", "cut", "folder", "link", "remove"]), label="kind")
    if not path.is_file() or path.is_symlink():
        return rel
    if kind == "value" and path.suffix == ".json":
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            return rel
        where = data.draw(st.sampled_from(list(_paths(value))), label="where")
        new = data.draw(st.sampled_from(_hostile(sentinel)), label="new")
        path.write_text(json.dumps(_set(value, where, new), indent=1), encoding="utf-8")
    elif kind in ("value", "splice"):
        raw = path.read_bytes()
        at = data.draw(st.integers(0, len(raw)), label="at")
        cut = data.draw(st.integers(0, 8), label="cut")
        text = data.draw(st.sampled_from(TEXTS), label="text").encode("utf-8", "surrogatepass")
        path.write_bytes(raw[:at] + text + raw[at + cut :])
    elif kind == "cut":
        raw = path.read_bytes()
        path.write_bytes(raw[: data.draw(st.integers(0, len(raw)), label="at")])
    elif kind == "folder":
        path.unlink()
        path.mkdir()
    elif kind == "link":
        path.unlink()
        path.symlink_to(sentinel / "secret.txt")
    else:
        path.unlink()
    return rel


def _snapshot(folder: Path, skip: str | None = None) -> dict[str, str]:
    out = {}
    for here, dirs, files in os.walk(folder):
        if skip in dirs:
            dirs.remove(skip)
        for name in [*dirs, *files]:
            path = Path(here) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink() or path.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest() + str(path.stat().st_mode)
    return out


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the template repository, and a sentinel folder that nothing may touch."""
    base = tmp_path_factory.mktemp("fuzz")
    template = base / "template"
    for part in ("seeds", "schema", "corpus", "annotations"):
        shutil.copytree(ROOT / part, template / part)
    shutil.copyfile(ROOT / "DATASHEET.md", template / "DATASHEET.md")
    (base / "sentinel").mkdir()
    (base / "sentinel" / "secret.txt").write_text("not Furat's\n", encoding="utf-8")
    return base


@settings(
    max_examples=int(os.environ.get("FURAT_FUZZ_EXAMPLES", "600")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_no_command_fails_badly_on_mutated_files(place: Path, data: st.DataObject) -> None:
    case = place / "case"
    repo, sentinel = case / "repo", place / "sentinel"
    shutil.rmtree(case, ignore_errors=True)
    shutil.copytree(place / "template", repo, symlinks=True)
    mutated = [_mutate(data, repo, sentinel) for _ in range(data.draw(st.integers(1, 6), label="mutations"))]
    reads = {rel.split("/")[0] for rel in mutated}
    commands = [c for c in COMMANDS if c[0] in _READERS_OF(reads)]
    command = data.draw(st.sampled_from(commands), label="command")
    before = _snapshot(place, skip="case"), _snapshot(sentinel), sorted(p.name for p in case.iterdir())
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            code = main(["--root", str(repo), *(arg.format(repo=repo) for arg in command)])
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    after = _snapshot(place, skip="case"), _snapshot(sentinel), sorted(p.name for p in case.iterdir())
    assert code in (0, 1, 2), (command, mutated, err.getvalue())
    assert "Traceback" not in err.getvalue()
    assert "internal-error" not in err.getvalue(), (command, mutated, err.getvalue())
    assert after == before, (command, mutated)


def _READERS_OF(parts: set[str]) -> set[str]:
    every = {c[0] for c in COMMANDS}
    if parts & {"seeds", "schema"}:
        return every
    return every - {"ingest"}
