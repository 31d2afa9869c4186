"""Document ids used more than once across the whole input of ``furat silver``.

Blocks are annotated independently, so no task sees every id; once every block is written, this
post-pass reads the ids of all blocks (``.silver/ids/<block>.parquet``, written with each block) in
block order and reports every repeat at its file and line. Block order depends only on the input, so
the findings are the same for any number of workers and tasks.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from furat.core.findings import Finding
from furat.silver.blocks import Block
from furat.silver.steps import ids_file

__all__ = ["duplicate_ids", "locate"]


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


def duplicate_ids(out: Path, blocks: Sequence[Block]) -> list[Finding]:
    """A ``silver-duplicate-id`` finding for every document whose id an earlier document already has."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    tables = []
    for block in blocks:
        path = ids_file(out, block.index)
        if path.is_file():
            ids = pq.read_table(path, columns=["id"]).column("id")
            tables.append(pa.table({"id": ids, "block": pa.array([block.index] * len(ids), pa.int32())}))
    if not tables:
        return []
    table = pa.concat_tables(tables)
    counts = table.group_by("id").aggregate([("id", "count")])
    repeated = counts.filter(pc.greater(counts["id_count"], 1))["id"]
    if not len(repeated):
        return []
    wanted = set(repeated.to_pylist())
    held = sorted(set(table.filter(pc.is_in(table["id"], value_set=repeated))["block"].to_pylist()))
    first: dict[str, str] = {}
    findings: list[Finding] = []
    for index in held:  # block order, then row order: the order of the input
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
