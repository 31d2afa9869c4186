"""The build's runs joined into Parquet files while the next runs are made (``dataset.chunks.Joiner``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from furat.dataset.chunks import Joiner, spill_path

SCHEMA = pa.schema([("id", pa.string())])


def _spill(work: Path, run: int, key: tuple[str, str], ids: list[str] | None) -> None:
    """Run ``run``'s Arrow file of ``key`` with rows ``ids``; a file that is not Arrow when None."""
    path = spill_path(work, run, *key)
    path.parent.mkdir(parents=True, exist_ok=True)
    if ids is None:
        path.write_bytes(b"not an Arrow stream")
        return
    with pa.ipc.new_stream(str(path), SCHEMA) as writer:
        writer.write_batch(pa.RecordBatch.from_pylist([{"id": i} for i in ids], schema=SCHEMA))


def _joiner(work: Path) -> Joiner:
    schemas = {"documents": SCHEMA, "ner": SCHEMA}
    return Joiner(work, schemas, lambda config, split: work / "out" / f"{config}-{split}.parquet")


def _run(*keys: tuple[str, str]) -> Any:
    return ([], [], dict.fromkeys(keys, 1))


def test_each_file_gets_its_runs_rows_in_the_order_the_runs_came(tmp_path: Path) -> None:
    train, test, ner = ("documents", "train"), ("documents", "test"), ("ner", "train")
    _spill(tmp_path, 0, train, ["a", "b"])
    _spill(tmp_path, 0, ner, ["a-s1"])
    _spill(tmp_path, 1, test, ["c"])
    _spill(tmp_path, 2, train, ["d"])
    _spill(tmp_path, 2, ner, ["d-s1", "d-s2"])
    joiner = _joiner(tmp_path)
    for index, run in enumerate([_run(train, ner), _run(test), _run(train, ner)]):
        joiner.add(index, run)
    written = joiner.close()
    assert written == {train: (3, written[train][1]), test: (1, written[test][1]), ner: (3, written[ner][1])}
    read = {p.stem: pq.read_table(p).column("id").to_pylist() for p in (tmp_path / "out").iterdir()}
    assert read == {"documents-train": ["a", "b", "d"], "documents-test": ["c"], "ner-train": ["a-s1", "d-s1", "d-s2"]}
    assert not list(tmp_path.glob("0000*/*.arrow"))  # each run's files removed once joined


def test_after_a_failed_join_nothing_more_is_joined_and_the_failure_is_raised(tmp_path: Path) -> None:
    key = ("documents", "train")
    for index, ids in enumerate([["a"], None, ["c"]]):
        _spill(tmp_path, index, key, ids)
    joiner = _joiner(tmp_path)
    for index in range(3):
        joiner.add(index, _run(key))
    with pytest.raises(pa.ArrowInvalid):
        joiner.close()
    assert spill_path(tmp_path, 2, *key).exists()  # added after the failure: not joined
    assert pq.read_table(tmp_path / "out" / "documents-train.parquet").column("id").to_pylist() == ["a"]


def test_a_run_added_after_a_failure_raises_it(tmp_path: Path) -> None:
    key = ("documents", "train")
    _spill(tmp_path, 0, key, None)
    _spill(tmp_path, 1, key, ["b"])
    joiner = _joiner(tmp_path)
    joiner.add(0, _run(key))
    joiner._thread.shutdown(wait=True)  # the first join has failed by now
    with pytest.raises(pa.ArrowInvalid):
        joiner.add(1, _run(key))
    joiner.abandon()
    assert spill_path(tmp_path, 1, *key).exists()
