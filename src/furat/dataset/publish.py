"""``furat publish --repo-id ORG/NAME``: upload ``dist/dataset`` to the Hugging Face Hub.

Publishing always builds first (which validates first), so what is uploaded is what the repository
holds now. The token comes from the ``HF_TOKEN`` environment variable and nowhere else; ``--dry-run``
builds and lists what would be uploaded, and needs no token and no network.

Annotation files whose provenance status is not ``gold`` (``example``, ``prediction``, one annotator's
``pass``) are refused unless ``--allow-non-gold`` says so: the card would otherwise present them as
the dataset's annotations.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from furat.core.findings import Finding, FuratError
from furat.dataset.build import BuildResult, build_dataset

__all__ = ["PublishPlan", "plan_upload", "publish"]

_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}$")


@dataclass(frozen=True)
class PublishPlan:
    repo_id: str
    folder: Path
    files: list[tuple[str, int]]  # path inside the repository, size in bytes
    build: BuildResult

    def text(self) -> str:
        lines = [f"{path}  ({size:,} bytes)" for path, size in self.files]
        total = sum(size for _, size in self.files)
        return "\n".join([*lines, f"{len(self.files)} files, {total:,} bytes -> datasets/{self.repo_id}"])


def _check_repo_id(repo_id: str) -> None:
    if not _REPO_ID.match(repo_id) or ".." in repo_id or "--" in repo_id:
        message = f"--repo-id {repo_id!r} is not a Hub dataset id of the form ORG/NAME"
        raise FuratError([Finding("furat publish", 0, "usage", message)], 2)


def _check_gold(root: Path, allow_non_gold: bool) -> None:
    """Refuse, before anything is built, annotation files whose provenance status is not ``gold``."""
    if allow_non_gold:
        return
    folder = root / "annotations"
    problems = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            status = json.loads(path.read_text(encoding="utf-8"))["provenance"]["status"]
        except (OSError, ValueError, KeyError, TypeError):
            continue  # furat validate, which the build runs next, says what is wrong with it
        if status != "gold":
            message = f"provenance status is {status!r}, not 'gold'; publish adjudicated gold only"
            problems.append(Finding(f"annotations/{path.name}", 0, "not-gold", message + " (or --allow-non-gold)"))
    if problems:
        raise FuratError(problems, 1)


def plan_upload(root: Path, repo_id: str, allow_non_gold: bool = False) -> PublishPlan:
    """Validate, build ``dist/dataset`` (with ``repo_id`` in the card's example) and list its files."""
    _check_repo_id(repo_id)
    root = root.resolve()
    _check_gold(root, allow_non_gold)
    result = build_dataset(root, repo_id=repo_id)  # refuses unless furat validate is clean
    files = sorted(
        (path.relative_to(result.out).as_posix(), path.stat().st_size)
        for path in result.out.rglob("*")
        if path.is_file()
    )
    return PublishPlan(repo_id, result.out, files, result)


def publish(
    root: Path, repo_id: str, *, dry_run: bool = False, private: bool = False, allow_non_gold: bool = False
) -> PublishPlan:
    """Build, then upload ``dist/dataset`` to ``datasets/<repo_id>`` with ``huggingface_hub``.

    The dataset repository is created when it does not exist (``private`` applies then). Files of an
    earlier upload that this build no longer has (a split that lost its rows) are deleted.
    """
    token = os.environ.get("HF_TOKEN", "").strip()
    if not dry_run and not token:
        message = "HF_TOKEN is not set: export a Hugging Face token with write access (or use --dry-run)"
        raise FuratError([Finding("furat publish", 0, "hf-token-missing", message)], 2)
    _check_repo_id(repo_id)
    plan = plan_upload(root, repo_id, allow_non_gold)
    if dry_run:
        return plan
    from huggingface_hub import HfApi

    api = HfApi(token=token)
    try:
        api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        api.upload_folder(
            repo_id=repo_id,
            repo_type="dataset",
            folder_path=plan.folder,
            commit_message="Furat: dataset built by `furat publish`",
            delete_patterns=["data/*"],
        )
    except Exception as exc:  # the Hub client's errors change with its HTTP library (requests, httpx, httpx2)
        reason = " ".join(str(exc).split())[:300] or type(exc).__name__
        message = f"upload to datasets/{repo_id} failed ({type(exc).__name__}): {reason}"
        raise FuratError([Finding("furat publish", 0, "hub-error", message)], 2) from None
    return plan
