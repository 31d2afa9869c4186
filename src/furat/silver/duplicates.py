"""Document ids used more than once across the whole input of ``furat silver``.

Blocks are annotated independently, so no task sees every id; once every block is written, this
post-pass reads the ids of all blocks (``.silver/ids/<block>.parquet``, written with each block) in
block order and reports every repeat at its file and line. Block order depends only on the input, so
the findings are the same for any number of workers and tasks.

The pass holds about ``PART_IDS`` ids at once: more ids are first dealt into parts by a hash of the
id (CRC-32), each part an Arrow file on disk, and the parts are grouped one at a time; an id's repeats
are all in its part, so a part can be larger when one id is repeated very often. The findings do not
depend on the number of parts.
"""

from __future__ import annotations

import shutil
import tempfile
import zlib
from collections.abc import Generator, Sequence
from contextlib import ExitStack, closing
from pathlib import Path
from typing import Any

from furat.core.findings import Finding
from furat.silver.blocks import Block
from furat.silver.steps import STATE, ids_file

__all__ = ["PART_IDS", "duplicate_ids", "locate"]

PART_IDS = 2_000_000  # ids grouped at once, about (parts are dealt by hash): some 500 MB of peak memory


def _line_of(path: str, offset: int) -> int:
    """The 1-based line of a JSON Lines file that starts at byte ``offset``."""
    lines, left = 1, offset
    with open(path, "rb") as handle:
        while left > 0:
            chunk = handle.read(min(left, 1 << 20))
            if not chunk:
                break
            lines += chunk.count(b"\n")
            left -= len(chunk)
    return lines


def locate(where: str) -> tuple[str, int, str]:
    """(file, line, how to read the line) of an article's ``where``: ``file@byte`` for JSON Lines,
    ``file#group:row`` for Parquet (the line is the row of the file, from 1), a page's path."""
    if "@" in where and where.rsplit("@", 1)[1].isdigit():
        path, offset = where.rsplit("@", 1)
        return path, _line_of(path, int(offset)), "line"
    if "#" in where:
        import pyarrow.parquet as pq

        path, position = where.rsplit("#", 1)
        group, row = (int(n) for n in position.split(":"))
        meta = pq.ParquetFile(path).metadata
        before = sum(meta.row_group(g).num_rows for g in range(group))
        return path, before + row + 1, "row"
    return where, 0, "page"


def duplicate_ids(out: Path, blocks: Sequence[Block], part_ids: int = PART_IDS) -> list[Finding]:
    """A ``silver-duplicate-id`` finding for every document whose id an earlier document already has."""
    import pyarrow.parquet as pq

    files = [(block.index, path) for block in blocks if (path := ids_file(out, block.index)).is_file()]
    total = sum(pq.ParquetFile(path).metadata.num_rows for _, path in files)
    parts = -(-total // max(1, part_ids))
    wanted: set[str] = set()
    held: set[int] = set()
    with closing(_parts(out, files, parts)) as tables:
        for table in tables:
            repeated, blocks_of = _repeated(table)
            wanted.update(repeated)
            held.update(blocks_of)
    first: dict[str, str] = {}
    findings: list[Finding] = []
    for index in sorted(held):  # block order, then row order: the order of the input
        rows = pq.read_table(ids_file(out, index)).to_pylist()
        for row in rows:
            doc_id, where = row["id"], row["where"]
            if doc_id not in wanted:
                continue
            if doc_id not in first:
                first[doc_id] = where
                continue
            file, line, _ = locate(where)
            first_path, first_line, first_unit = locate(first[doc_id])
            at = f"{first_path} {first_unit} {first_line}" if first_line else first_path
            message = f"document id {doc_id!r} is used again (first at {at}); ids must be unique across all inputs"
            findings.append(Finding(file, line, "silver-duplicate-id", message))
    return findings


def _block_ids(index: int, path: Path) -> Any:
    """A block's ids, each with the block's index (an Arrow table)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    ids = pq.read_table(path, columns=["id"]).column("id")
    return pa.table({"id": ids, "block": pa.array([index] * len(ids), pa.int32())})


def _parts(out: Path, files: Sequence[tuple[int, Path]], parts: int) -> Generator[Any, None, None]:
    """Every block's ids as ``parts`` tables; an id is always in the same one (by its CRC-32).

    The parts are Arrow files in a folder of their own under ``.silver/``, removed when the tables are
    given (or on any error, once the caller closes this generator).
    """
    import numpy as np
    import pyarrow as pa

    if not files:
        return
    if parts <= 1:
        yield pa.concat_tables([_block_ids(index, path) for index, path in files])
        return
    (out / STATE).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="id-parts-", dir=out / STATE))
    try:
        schema = pa.schema([("id", pa.string()), ("block", pa.int32())])
        with ExitStack() as writers:
            streams = [
                writers.enter_context(pa.ipc.new_stream(str(work / f"{n:05d}.arrow"), schema)) for n in range(parts)
            ]
            for index, path in files:
                table = _block_ids(index, path)
                ids = table.column("id").to_pylist()
                keys = np.fromiter((zlib.crc32(i.encode("utf-8")) % parts for i in ids), np.int64, len(ids))
                order = np.argsort(keys, kind="stable")
                table = table.take(pa.array(order))
                bounds = np.searchsorted(keys[order], np.arange(parts + 1))
                for n in range(parts):
                    if bounds[n] < bounds[n + 1]:
                        streams[n].write_table(table.slice(bounds[n], bounds[n + 1] - bounds[n]))
        for n in range(parts):
            with pa.ipc.open_stream(str(work / f"{n:05d}.arrow")) as reader:
                yield reader.read_all()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _repeated(table: Any) -> tuple[list[str], set[int]]:
    """The ids ``table`` holds more than once, and the blocks that hold them."""
    import pyarrow.compute as pc

    counts = table.group_by("id").aggregate([("id", "count")])
    repeated = counts.filter(pc.greater(counts["id_count"], 1))["id"]
    if not len(repeated):
        return [], set()
    return repeated.to_pylist(), set(table.filter(pc.is_in(table["id"], value_set=repeated))["block"].to_pylist())
