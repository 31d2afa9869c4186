"""``furat build``: the Hugging Face dataset (Parquet + dataset card) from corpus + annotations.

What training code loads with ``datasets.load_dataset("dist/dataset", "<config>")``::

    dist/dataset/
      README.md                                  the dataset card: YAML (configs, dataset_info, licence,
                                                 tasks) + a short guide + DATASHEET.md copied in
      DATASHEET.md                               the datasheet (the card's licence_link points at it)
      croissant.json                             Croissant 1.0 + RAI metadata, label names included
      data/<config>/<split>-00000-of-00001.parquet

Configs (ARCHITECTURE.md, "Contracts"): ``documents``, ``entities``, ``quantities``, ``stance`` and ``ner``, each split
into ``train``/``validation``/``test`` by document, as ``seeds/manifest.json`` records it. Their
``datasets.Features`` are derived from the JSON Schemas in ``schema/`` (the contract) and every
``ClassLabel`` from ``schema/labels.json``; the Parquet files are written through ``datasets`` so the
label names and span structs survive. Only documents with an annotation file
(``annotations/<doc_id>.json``) give rows to the annotation configs: a document nobody has annotated
is not a document without entities. ``datasets`` cannot load a split without rows, so such splits
(and configs without any row) are left out of the card and the files, and the card says so.

The build refuses to run unless ``furat validate`` reports no error, refreshes the statistics of
``DATASHEET.md``, writes into a temporary folder next to ``dist/dataset`` and swaps it into place in
one step (``renameat2(RENAME_EXCHANGE)`` where the system has it), so ``dist/dataset`` is never absent.
Builds of one ``dist/`` are serialized by a lock on that folder (``build-locked`` when another one
holds it); the temporary folders of a killed build are removed by the next one. ``dist/`` and
``dist/dataset`` must be real folders: a symbolic link is refused before anything is read or deleted.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from furat import __version__
from furat.check.parallel import check_validate_parallel
from furat.check.validate import refuse_on_errors
from furat.core.findings import Finding, FuratError
from furat.core.folders import swap_into_place
from furat.core.labels import load_labels
from furat.core.repo import Repo, manifest_known
from furat.dataset.card import dataset_card
from furat.dataset.chunks import Joiner, Run, validate_and_write
from furat.dataset.croissant import CROISSANT, croissant_metadata, data_files
from furat.dataset.features import bio_names, config_features, config_layouts
from furat.dataset.ner_arrays import character_classes
from furat.dataset.summary import (
    CONFIGS,
    DATA_FILE,
    DIST,
    SPLITS,
    Summary,
)

__all__ = ["BuildResult", "build_dataset", "quiet_datasets"]


@dataclass(frozen=True)
class BuildResult:
    out: Path
    counts: dict[str, dict[str, int]]  # config -> split -> rows (configs and splits written)
    summary: Summary
    warnings: list[Finding]
    datasheet_changed: bool
    seconds: dict[str, float]


@contextlib.contextmanager
def quiet_datasets() -> Iterator[None]:
    """No progress bars or info logs from ``datasets`` while Furat talks to it."""
    import datasets

    bars_off = datasets.are_progress_bars_disabled()
    verbosity = datasets.logging.get_verbosity()
    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    try:
        yield
    finally:
        datasets.logging.set_verbosity(verbosity)
        if not bars_off:
            datasets.enable_progress_bars()


def _write_data(
    tmp: Path,
    root: Path,
    splits: list[tuple[str, str]],
    notes: list[Finding],
    seconds: dict[str, float],
    start: float,
    quiet: contextlib.ExitStack,
) -> tuple[dict[str, Any], dict[str, dict[str, int]], Summary, list[Finding], Mapping[str, Any]]:
    """Validate, and write every config's Parquet files and the summary, in one pass over the files.

    The documents are cut into runs checked and turned into rows on every core
    (``chunks.validate_and_write``), each run spilled to Arrow files as it goes, so memory stays flat.
    Refused (``build-refused``) when validation reports an error; else the warnings are returned. Rows
    are already encoded (labels as ids), so Arrow takes them as they are; the ``Features`` travel into
    the Parquet metadata, and ``load_dataset`` gives back the ClassLabel names and span structs. ``datasets``
    is imported while the workers make rows, and kept quiet by ``quiet`` from then on.
    """
    from furat.check.parallel import workers_available
    from furat.core.progress import progress
    from furat.dataset.datasheet import check_markers

    prepared: dict[str, Any] = {}

    def prepare() -> tuple[Mapping[str, Any], Mapping[str, int]]:
        # The workers make rows of each config's Layout: ``datasets`` is imported by this process only,
        # while they work (``datasets_features``). But pyarrow imports pandas, when it is there, on its
        # first ``pa.array`` of a list (to see whether it is a pandas object): that import is made here,
        # once, before the workers start, rather than in each of them.
        with contextlib.suppress(ImportError):
            import pandas  # noqa: F401
        character_classes()  # the tokens' character table, made once for every worker
        prepared["labels"] = labels = load_labels(root / "schema" / "labels.json")
        return config_layouts(root / "schema"), {name: i for i, name in enumerate(bio_names(labels))}

    def datasets_features() -> dict[str, Any]:
        if "features" not in prepared:  # ``datasets`` is imported here, and kept quiet to the end of the build
            quiet.enter_context(quiet_datasets())
            prepared["features"] = config_features(root / "schema")
        return prepared["features"]  # type: ignore[no-any-return]

    work = tmp / ".arrow"  # removed before the folder is renamed into place
    joiner: Joiner | None = None

    def finished(index: int, run: Run) -> None:
        nonlocal joiner
        if joiner is None:
            schemas = {config: feature.arrow_schema for config, feature in datasets_features().items()}
            joiner = Joiner(work, schemas, lambda config, split: tmp / DATA_FILE.format(config=config, split=split))
        joiner.add(index, run)
        bar.update(len(run[0]))

    with progress("build", total=len(splits), unit="doc") as bar:
        try:
            findings, runs = validate_and_write(root, work, splits, prepare, workers_available(), finished)
            warnings = refuse_on_errors(findings)  # a refused build finishes no file: its joins are abandoned
            # each config and split is one Parquet file, joined from the runs' files while the next runs
            # were made
            joined = joiner.close() if joiner is not None else {}
        except BaseException:
            if joiner is not None:
                joiner.abandon()
            raise
    labels, features = prepared["labels"], datasets_features()
    from datasets import DatasetInfo, SplitDict, SplitInfo

    seconds["check_and_rows"] = time.perf_counter() - start
    check_markers(root)  # a broken DATASHEET.md stops the build before anything is put in place
    summaries = [summary for run in runs for summary in run[0]]
    notes.extend(note for run in runs for note in run[1])
    infos: dict[str, Any] = {}
    counts: dict[str, dict[str, int]] = {}
    for config in CONFIGS:
        split_infos = SplitDict()
        size = download = 0
        per: dict[str, int] = {}
        for split in SPLITS:
            if (config, split) not in joined:
                continue
            path = tmp / DATA_FILE.format(config=config, split=split)
            rows, nbytes = joined[config, split]
            split_infos.add(SplitInfo(name=split, num_bytes=nbytes, num_examples=rows))
            size += nbytes
            download += path.stat().st_size
            per[split] = rows
        if per:
            infos[config] = DatasetInfo(
                config_name=config,
                features=features[config],
                splits=split_infos,
                download_size=download,
                dataset_size=size,
            )
            counts[config] = per
    shutil.rmtree(work, ignore_errors=True)
    return infos, counts, Summary(tuple(summaries), labels), warnings, features


def build_dataset(root: Path, out: Path | None = None, repo_id: str | None = None) -> BuildResult:
    """Validate, refresh DATASHEET.md's statistics, and write the dataset to ``out`` (``dist/dataset``).

    ``repo_id`` only changes the ``load_dataset`` example of the card (``furat publish`` passes it).
    """
    root = root.resolve()
    out = (out or root / DIST).absolute()
    _refuse_links(root, out)
    seconds: dict[str, float] = {}
    with _build_lock(out.parent):
        return _build(root, out, repo_id, seconds)


def _refuse_links(root: Path, out: Path) -> None:
    """``dist/`` and ``dist/dataset`` are folders of this machine, never links (a committed ``dist -> ..``)."""
    for path in (out, out.parent):
        if path.is_symlink():
            message = f"is a symbolic link (to {os.readlink(path)}); remove it: the build writes and deletes here"
            raise FuratError([Finding(path.as_posix(), 0, "symlink", message)], 2)
    if out.is_relative_to(root) and not out.parent.resolve().is_relative_to(root):
        message = f"resolves outside the repository ({out.parent.resolve()}); refusing to build there"
        raise FuratError([Finding(out.parent.as_posix(), 0, "outside-repo", message)], 2)


@contextlib.contextmanager
def _build_lock(folder: Path) -> Iterator[None]:
    """One build at a time in ``folder`` (an advisory lock on the folder itself); stray temporaries go."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no advisory locks: builds are not serialized
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            message = f"another furat build is writing {folder}; wait for it to finish, then build again"
            raise FuratError([Finding(folder.as_posix(), 0, "build-locked", message)], 2) from None
        for stray in folder.glob(".*-*"):  # the temporary folders of a build that was killed
            if stray.is_dir() and not stray.is_symlink() and (stray.name.endswith(".tmp") or "-old-" in stray.name):
                shutil.rmtree(stray, ignore_errors=True)
        yield
    finally:
        os.close(fd)


def _build(root: Path, out: Path, repo_id: str | None, seconds: dict[str, float]) -> BuildResult:
    """Validation and rows in one pass (``seconds["check_and_rows"]``), then the dataset's files (``"files"``).

    The manifest's splits are read first; when they cannot be (a manifest ``furat validate`` refuses),
    validation alone runs, so that its findings say what is wrong.
    """
    from furat.dataset.datasheet import refresh_datasheet

    start = time.perf_counter()
    repo = Repo(root)
    try:
        splits = repo.splits
    except FuratError:
        check_validate_parallel(root)  # names what is wrong with the manifest
        raise
    notes: list[Finding] = []
    # the manifest is read once, not once per part of the build; ``datasets`` is quiet from its import on
    with manifest_known(repo), contextlib.ExitStack() as quiet:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", suffix=".tmp", dir=out.parent))
        try:
            infos, counts, summary, warnings, features = _write_data(tmp, root, splits, notes, seconds, start, quiet)
            text, changed = refresh_datasheet(root, summary)
            card = dataset_card(summary, infos, {c: counts.get(c, {}) for c in CONFIGS}, text, repo_id)
            (tmp / "README.md").write_text(card, encoding="utf-8")
            (tmp / "DATASHEET.md").write_text(text, encoding="utf-8")
            croissant = croissant_metadata(features, data_files(tmp, counts), summary, __version__, repo_id)
            (tmp / CROISSANT).write_text(json.dumps(croissant, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            swap_into_place(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    seconds["files"] = time.perf_counter() - start - seconds["check_and_rows"]
    return BuildResult(out, counts, summary, [*warnings, *notes], changed, seconds)
