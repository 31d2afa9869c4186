"""The input of ``furat silver`` cut into blocks: the unit of work and of output.

A block is a byte range of a JSON Lines file (the lines that *start* inside it), a row group of a
Parquet file, or a run of pages of a folder. The cut depends only on the input and the block size,
never on the number of tasks or workers: block ``i`` always holds the same articles and always
becomes the same output files (``data/<config>/train-<i>-of-<n>.parquet``), so the output is the
same row for row however the work is spread.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

__all__ = ["PAGE_SUFFIXES", "Article", "Block", "plan_blocks", "read_block"]

Kind = Literal["jsonl", "parquet", "pages"]
PAGE_SUFFIXES = (".txt",)
_FIELDS = ("id", "text", "title", "outlet", "published", "url")


@dataclass(frozen=True)
class Block:
    index: int
    kind: Kind
    path: str  # the file (jsonl, parquet) or folder (pages)
    start: int  # byte offset (jsonl), row group (parquet), first page (pages)
    end: int  # byte offset (jsonl), row group + 1 (parquet), last page + 1 (pages)
    size: int  # input bytes of the block


@dataclass(frozen=True)
class Article:
    """One raw article: where it came from (for messages), and its fields as given."""

    where: str
    id: str | None
    raw: str
    meta: dict[str, str | None]


def _kind(path: Path) -> Kind:
    if path.is_dir():
        return "pages"
    if path.suffix == ".parquet":
        return "parquet"
    if path.suffix in (".jsonl", ".json", ".ndjson"):
        return "jsonl"
    raise ValueError(f"{path}: not a folder of pages, a .jsonl file or a .parquet file")


def _pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in PAGE_SUFFIXES)


def plan_blocks(inputs: Sequence[Path], block_bytes: int, pages_per_block: int = 1000) -> list[Block]:
    """The blocks of ``inputs``, in input order; reads only file sizes and Parquet footers."""
    import pyarrow.parquet as pq

    blocks: list[Block] = []

    def add(kind: Kind, path: Path, start: int, end: int, size: int) -> None:
        blocks.append(Block(len(blocks), kind, str(path), start, end, size))

    for path in inputs:
        kind = _kind(path)
        if kind == "jsonl":
            size = path.stat().st_size
            for start in range(0, size, block_bytes):
                add(kind, path, start, min(start + block_bytes, size), min(block_bytes, size - start))
        elif kind == "parquet":
            meta = pq.ParquetFile(path).metadata
            for group in range(meta.num_row_groups):
                add(kind, path, group, group + 1, meta.row_group(group).total_byte_size)
        else:
            pages = _pages(path)
            for start in range(0, len(pages), pages_per_block):
                chunk = pages[start : start + pages_per_block]
                add(kind, path, start, start + len(chunk), sum(p.stat().st_size for p in chunk))
    return blocks


def _article(where: str, record: dict[str, Any]) -> Article:
    meta = {key: (None if record.get(key) is None else str(record[key])) for key in _FIELDS[2:]}
    doc_id = record.get("id")
    text = record.get("text")
    return Article(where, None if doc_id is None else str(doc_id), text if isinstance(text, str) else "", meta)


def _jsonl(block: Block) -> Iterator[Article]:
    """The lines that start in ``[start, end)``: a line belongs to the block its first byte is in."""
    with open(block.path, "rb") as handle:
        handle.seek(max(block.start - 1, 0))
        if block.start:  # skip to the first line that starts at or after block.start
            handle.readline()
        while handle.tell() < block.end:
            offset = handle.tell()
            line = handle.readline()
            if not line:
                break
            if not line.strip():
                continue
            where = f"{block.path}@{offset}"
            try:
                record = json.loads(line)
            except ValueError:
                yield Article(where, None, "", {})
                continue
            yield _article(where, record if isinstance(record, dict) else {})


def _parquet(block: Block) -> Iterator[Article]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(block.path)
    columns = [name for name in _FIELDS if name in parquet.schema_arrow.names]
    n = 0
    for batch in parquet.iter_batches(batch_size=1000, row_groups=[block.start], columns=columns):
        for record in batch.to_pylist():  # a batch at a time, however large the row group
            yield _article(f"{block.path}#{block.start}:{n}", record)
            n += 1


def _page_id(path: Path, raw: bytes) -> str:
    from furat.core.repo import ID_PATTERN

    return path.stem if ID_PATTERN.match(path.stem) else "p_" + hashlib.sha256(raw).hexdigest()[:16]


def _page_articles(block: Block) -> Iterator[Article]:
    for path in _pages(Path(block.path))[block.start : block.end]:
        raw = path.read_bytes()
        text = raw.decode("utf-8", errors="replace")
        yield Article(str(path), _page_id(path, raw), text, {})


def read_block(block: Block) -> Iterator[Article]:
    """The raw articles of one block, in input order."""
    if block.kind == "jsonl":
        return _jsonl(block)
    if block.kind == "parquet":
        return _parquet(block)
    return _page_articles(block)
