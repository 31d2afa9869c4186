"""``furat publish``: the real code path up to the network, with a fake at the ``HfApi`` boundary."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from huggingface_hub import DatasetCard, HfApi

from furat.core.findings import FuratError
from furat.dataset.publish import publish
from furat.dataset.summary import DIST
from tests.conftest import call_furat as run
from tests.test_build import INVALID, make_scratch


class FakeHub:
    """Records what ``HfApi`` is asked to do instead of doing it; what a real upload would send."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | bool | None, tuple[Any, ...], dict[str, Any]]] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        hub = self

        def create_repo(self: HfApi, *args: Any, **kwargs: Any) -> str:
            hub.calls.append(("create_repo", self.token, args, kwargs))
            return f"https://huggingface.co/datasets/{args[0]}"

        def upload_folder(self: HfApi, *args: Any, **kwargs: Any) -> str:
            folder = Path(kwargs["folder_path"])
            kwargs["files"] = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
            kwargs["card"] = (folder / "README.md").read_text(encoding="utf-8")
            hub.calls.append(("upload_folder", self.token, args, kwargs))
            return "commit"

        monkeypatch.setattr(HfApi, "create_repo", create_repo)
        monkeypatch.setattr(HfApi, "upload_folder", upload_folder)


@pytest.fixture()
def hub(monkeypatch: pytest.MonkeyPatch) -> FakeHub:
    fake = FakeHub()
    fake.install(monkeypatch)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_TOKEN", "hf_test_token")
    return fake


def test_publish_builds_then_uploads_dist_dataset(tmp_path: Path, hub: FakeHub) -> None:
    repo = make_scratch(tmp_path / "repo")
    plan = publish(repo, "furat-org/furat", allow_non_gold=True)
    (create, token_a, args_a, kwargs_a), (upload, token_b, args_b, kwargs_b) = hub.calls
    assert (create, token_a, args_a) == ("create_repo", "hf_test_token", ("furat-org/furat",))
    assert kwargs_a == {"repo_type": "dataset", "private": False, "exist_ok": True}
    assert (upload, token_b, args_b) == ("upload_folder", "hf_test_token", ())
    assert kwargs_b["repo_id"] == "furat-org/furat" and kwargs_b["repo_type"] == "dataset"
    assert Path(kwargs_b["folder_path"]) == (repo / DIST).resolve() == plan.folder
    assert kwargs_b["delete_patterns"] == ["data/*"]  # a split that lost its rows disappears from the Hub
    assert kwargs_b["files"] == [
        "DATASHEET.md",
        "README.md",
        "croissant.json",
        *(f"data/{c}/{s}-00000-of-00001.parquet" for c in ("documents",) for s in ("test", "train", "validation")),
        "data/entities/test-00000-of-00001.parquet",
        "data/ner/test-00000-of-00001.parquet",
        "data/quantities/test-00000-of-00001.parquet",
        "data/stance/test-00000-of-00001.parquet",
    ]
    assert [path for path, _ in plan.files] == kwargs_b["files"]
    card = DatasetCard(kwargs_b["card"])
    assert card.data["license"] == "other"
    assert 'load_dataset("furat-org/furat", "ner")' in card.text  # the card's example names the repository


def test_publish_refuses_non_gold_annotations_unless_allowed(tmp_path: Path, hub: FakeHub) -> None:
    repo = make_scratch(tmp_path / "repo")
    with pytest.raises(FuratError) as error:
        publish(repo, "furat-org/furat")
    [finding] = error.value.findings
    assert (finding.code, finding.path, error.value.exit_code) == (
        "not-gold",
        "annotations/004_6a18982ae2c37ec8.json",
        1,
    )
    assert "'example'" in finding.message
    assert hub.calls == [] and not (repo / "dist").exists()  # refused before anything is built


def test_a_missing_token_is_a_clear_error_before_anything_is_built(
    tmp_path: Path, hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_scratch(tmp_path / "repo")
    monkeypatch.delenv("HF_TOKEN")
    with pytest.raises(FuratError) as error:
        run(repo, "publish", "--repo-id", "furat-org/furat", "--allow-non-gold")
    [finding] = error.value.findings
    assert (finding.code, error.value.exit_code) == ("hf-token-missing", 2)
    assert "HF_TOKEN" in finding.message
    assert hub.calls == [] and not (repo / "dist").exists()


def test_dry_run_lists_what_would_be_uploaded_without_token_or_network(
    tmp_path: Path, hub: FakeHub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_scratch(tmp_path / "repo", annotations=False)
    monkeypatch.delenv("HF_TOKEN")
    assert run(repo, "publish", "--repo-id", "furat-org/furat", "--dry-run") == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        out[0] == f"dry run: would upload {(repo / DIST).resolve()} to https://huggingface.co/datasets/furat-org/furat"
    )
    assert [line.split()[0] for line in out[1:-1]] == [
        "DATASHEET.md",
        "README.md",
        "croissant.json",
        "data/documents/test-00000-of-00001.parquet",
        "data/documents/train-00000-of-00001.parquet",
        "data/documents/validation-00000-of-00001.parquet",
    ]
    assert out[-1].startswith("6 files, ") and out[-1].endswith(" bytes -> datasets/furat-org/furat")
    assert hub.calls == []


def test_publish_refuses_unless_validate_passes(tmp_path: Path, hub: FakeHub) -> None:
    repo = make_scratch(tmp_path / "repo")
    shutil.copyfile(INVALID / "unknown-label.json", repo / "annotations" / "004_6a18982ae2c37ec8.json")
    with pytest.raises(FuratError) as error:
        publish(repo, "furat-org/furat", allow_non_gold=True)
    assert [f.code for f in error.value.findings] == ["unknown-label", "build-refused"]
    assert error.value.exit_code == 1
    assert hub.calls == [] and not (repo / DIST).exists()


def test_a_bad_repo_id_is_a_usage_error(tmp_path: Path, hub: FakeHub) -> None:
    repo = make_scratch(tmp_path / "repo")
    for repo_id in ("furat", "a/b/c", "org/", "org/na me"):
        with pytest.raises(FuratError) as error:
            publish(repo, repo_id, allow_non_gold=True)
        assert (error.value.findings[0].code, error.value.exit_code) == ("usage", 2)
    assert hub.calls == []


def test_a_hub_error_is_reported_as_a_finding(tmp_path: Path, hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_scratch(tmp_path / "repo", annotations=False)

    def refused(self: HfApi, *args: Any, **kwargs: Any) -> str:
        raise OSError("403 Forbidden: you do not have write access")

    monkeypatch.setattr(HfApi, "upload_folder", refused)
    with pytest.raises(FuratError) as error:
        publish(repo, "furat-org/furat")
    [finding] = error.value.findings
    assert (finding.code, error.value.exit_code) == ("hub-error", 2)
    assert "403 Forbidden" in finding.message


def test_an_unreachable_hub_is_a_hub_error_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # huggingface_hub on httpx raises httpx.ConnectError, which is not an OSError.
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket is closed
    repo = make_scratch(tmp_path / "repo", annotations=False)
    monkeypatch.setenv("HF_TOKEN", "hf_test_token")
    monkeypatch.setattr("huggingface_hub.constants.ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.setattr("huggingface_hub.hf_api.constants.ENDPOINT", f"http://127.0.0.1:{port}")
    with pytest.raises(FuratError) as error:
        publish(repo, "furat-org/furat")
    [finding] = error.value.findings
    assert (finding.code, error.value.exit_code) == ("hub-error", 2)
    assert "ConnectError" in finding.message or "connect" in finding.message.lower()
