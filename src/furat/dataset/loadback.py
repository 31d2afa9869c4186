"""Loading the built dataset back with ``datasets.load_dataset``, as training code does."""

from __future__ import annotations

import tempfile
from pathlib import Path

from furat.core.findings import Finding, FuratError
from furat.dataset.build import quiet_datasets
from furat.dataset.summary import CONFIGS, DIST, SPLITS


def summary_after_build(root: Path) -> str:
    """Load every config of ``dist/dataset`` back with ``datasets.load_dataset``; rows per split."""
    from datasets import load_dataset

    dist = root.resolve() / DIST
    if not (dist / "README.md").is_file():
        raise FuratError([Finding(DIST.as_posix(), 0, "not-built", "no dataset here; run `furat build`")], 2)
    lines = [f"{DIST.as_posix()}, loaded back with datasets.load_dataset:"]
    rows: list[list[str]] = [["config", *SPLITS, "features"]]
    absent = []
    with tempfile.TemporaryDirectory(prefix="furat-load-") as cache, quiet_datasets():
        for config in CONFIGS:
            if not (dist / "data" / config).is_dir():
                absent.append(config)
                continue
            loaded = load_dataset(str(dist), config, cache_dir=cache)
            counts = [str(loaded[s].num_rows) if s in loaded else "-" for s in SPLITS]
            first = next(iter(loaded.values()))
            rows.append([config, *counts, ", ".join(first.features)])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        cells = [r[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(r[1:4], widths[1:4], strict=True)), r[4]]
        lines.append("  ".join(cells))
    if absent:
        lines.append(f"not built (no rows yet: no annotation files): {', '.join(absent)}")
    return "\n".join(lines)
