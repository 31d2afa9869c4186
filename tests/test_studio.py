"""Label Studio: the labeling config, offsets at the boundary, and push/pull against a real server.

The server tests start one real Label Studio per session (tests/studio_fixtures.py); they are
skipped when it is not installed (scripts/setup-studio) and fail in CI instead.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import socket
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from furat.check.validate import validate_repo
from furat.core.annotation import AnnotationSet, text_sha256
from furat.core.findings import FuratError
from furat.core.labels import load_labels
from furat.core.repo import Repo
from furat.studio.client import Studio, StudioSettings, record_server
from furat.studio.config import EXTRA_COLORS, EXTRA_HOTKEYS, RTL_CSS, label_config
from furat.studio.convert import (
    Problem,
    annotation_results,
    assign_ids,
    build_layers,
    layers_digest,
    parse_regions,
    region_span,
    utf16_value,
)
from furat.studio.pull import annotator_name, pull
from furat.studio.push import push
from tests.studio_fixtures import (
    Server,
    add_emoji_document,
    corpus_text,
    ml_backend,
    project_title,
    run_studio,
    studio_env,
    studio_server,
)

__all__ = ["ml_backend", "studio_server"]  # fixtures, shared with test_browser.py

FIXTURE = Path(__file__).parent / "fixtures" / "valid" / "004_6a18982ae2c37ec8.json"
LS_RESERVED_KEYS = {"u"}  # Label Studio's own single-key hotkey (unselect)


def _quiet(_: str) -> None:
    pass


# --- the labeling config -------------------------------------------------------------------------


def test_studio_config_is_derived_from_the_label_inventory(root: Path) -> None:
    labels = load_labels(root / "schema" / "labels.json")
    tree = ET.fromstring(label_config(labels, root / "schema"))
    label_tags = tree.findall(".//Labels/Label")
    choices = {c.get("name"): [x.get("value") for x in c.findall("Choice")] for c in tree.findall(".//Choices")}
    assert [lab.get("value") for lab in tree.findall(".//Labels[@name='entity']/Label")] == list(labels.entity_codes)
    assert choices["unit"] == list(labels.unit_codes)
    assert choices["target"] == list(labels.target_codes)
    assert choices["stance_label"] == list(labels.stance_codes)
    for entity in labels.entity_types:
        [tag] = [t for t in label_tags if t.get("value") == entity.code]
        assert (tag.get("background"), tag.get("hotkey")) == (entity.color, entity.hotkey)
    colours = [t.get("background") for t in label_tags]
    hotkeys = [t.get("hotkey") for t in label_tags]
    assert len(set(colours)) == len(colours) and len(set(hotkeys)) == len(hotkeys)
    assert not set(hotkeys) & LS_RESERVED_KEYS
    assert set(EXTRA_COLORS) == set(EXTRA_HOTKEYS)
    # per-region attributes of quantities and stances, shown only for their region
    for name in ("value", "low", "high", "unit", "approximate", "target", "stance_label", "holder_kind", "rule"):
        assert tree.find(f".//*[@name='{name}']").get("perRegion") == "true"  # type: ignore[union-attr]
    # right-to-left text that keeps white space (offsets!), on the classes Label Studio 1.23 renders
    assert ".lsf-richtext__line" in RTL_CSS and ".htx-text" not in RTL_CSS
    for rule in ("direction: rtl", "unicode-bidi: plaintext", "white-space: pre-wrap"):
        assert rule in RTL_CSS


def test_studio_config_command_prints_the_config() -> None:
    result = run_studio("config")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<View") and 'name="entity"' in result.stdout


# --- offsets at the boundary ---------------------------------------------------------------------

TEXT = "قال 🇺🇸 إن قوات سوريا الديمقراطية سيطرت على الباغوز"


def test_studio_region_offsets_in_code_points_or_utf16() -> None:
    word = "الباغوز"
    start = TEXT.index(word)
    end = start + len(word)
    # Label Studio 1.23 counts code points, like Furat
    assert region_span(TEXT, {"start": start, "end": end, "text": word}) == (start, end)
    # a client counting UTF-16 code units (the flag is two astral characters: 4 units, 2 code points)
    value = utf16_value(TEXT, start, end)
    assert (value["start"], value["end"]) == (start + 2, end + 2)
    assert region_span(TEXT, value) == (start, end)
    # the task's offset in the document is added
    assert region_span(TEXT, {"start": start, "end": end}, offset=100) == (start + 100, end + 100)
    # a selection with a trailing space loses it
    assert region_span(TEXT, {"start": start - 1, "end": end, "text": " " + word}) == (start, end)
    # offsets that land on neither reading are an error, never a guess
    problem = region_span(TEXT, {"start": start, "end": end, "text": "سوريا"})
    assert isinstance(problem, Problem) and problem.code == "studio-span-mismatch"
    assert isinstance(region_span(TEXT, {"start": 5, "end": 500}), Problem)


GOLD_FILES = [FIXTURE, *sorted((Path(__file__).parents[1] / "annotations").glob("*.json"))]


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_studio_results_round_trip_every_gold_file(root: Path, path: Path) -> None:
    """Every field of the project's gold survives a trip through Label Studio's result format."""
    gold = AnnotationSet.from_json(json.loads(path.read_text(encoding="utf-8")))
    text = corpus_text(root, gold.document)
    results = annotation_results(gold, text)
    regions, relations, problems = parse_regions(results, text)
    unit_kind = load_labels(root / "schema" / "labels.json").unit_kind
    layers = build_layers(gold.document, text, regions, relations, unit_kind, {}, None)
    assert problems == [] and layers.problems == []
    back = layers.annotation_set(gold.document, gold.text_sha256, gold.provenance)
    assert back.to_json() == gold.to_json()
    assert layers_digest(back) == layers_digest(gold)


def test_studio_ids_are_stable_for_the_same_region() -> None:
    doc = "d00"
    regions = [("zz", ("k1",), 5, 9), ("aa", ("k2",), 20, 25), (f"{doc}-e0007", ("k3",), 30, 31)]
    first = assign_ids(doc, "entities", regions, {}, {})
    # imported gold keeps its id; new regions number on after every id seen, in document order
    assert first == {f"{doc}-e0007": f"{doc}-e0007", "zz": f"{doc}-e0008", "aa": f"{doc}-e0009"}
    # remembered: a region drawn earlier in the text later does not renumber the others
    regions.append(("new", ("k4",), 0, 2))
    second = assign_ids(doc, "entities", regions, first, {})
    assert {k: second[k] for k in first} == first and second["new"] == f"{doc}-e0010"
    # nothing remembered (a fresh clone): the previous file's item with the same key lends its id
    third = assign_ids(doc, "entities", regions, {}, {("k1",): f"{doc}-e0003"})
    assert third["zz"] == f"{doc}-e0003"


def test_studio_annotator_names_are_safe_file_names() -> None:
    assert annotator_name("Ana.Lopez@Example.org") == "ana.lopez-at-example.org"
    odd = annotator_name("../../etc/passwd")
    assert odd.startswith("etc-passwd-") and "/" not in odd
    arabic, other = annotator_name("علي"), annotator_name("عمر")
    assert arabic.startswith("user-") and arabic != other


# --- failures without a server -------------------------------------------------------------------


def test_studio_unreachable_server_is_a_clear_error(repo: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket is closed
    env = {"FURAT_STUDIO_URL": f"http://127.0.0.1:{port}", "FURAT_STUDIO_TOKEN": "x" * 40, "FURAT_STUDIO_RETRIES": "1"}
    result = run_studio("--root", str(repo), "pull", env=env)
    assert result.returncode == 2
    assert "error[studio-unreachable]" in result.stderr and "Traceback" not in result.stderr
    assert not (repo / "annotations").exists()


def test_push_and_pull_use_the_server_studio_up_started_and_say_where_they_looked(repo: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    record_server(repo, f"http://127.0.0.1:{port}")  # what `furat studio up --port N` records
    env = {"FURAT_STUDIO_TOKEN": "x" * 40, "FURAT_STUDIO_RETRIES": "0"}
    result = run_studio("--root", str(repo), "push", env=env)
    assert result.returncode == 2 and "error[studio-unreachable]" in result.stderr
    assert f"http://127.0.0.1:{port} (from the server `furat studio up` started" in result.stderr
    assert "--url URL or FURAT_STUDIO_URL" in result.stderr and "check the token" not in result.stderr


@pytest.fixture()
def silent_server() -> Iterator[int]:
    """A loopback server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(listener.getsockname()[1])
    stop.set()
    thread.join(timeout=5)
    for conn in held:
        conn.close()
    listener.close()


def test_studio_timeout_is_a_clear_error(repo: Path, silent_server: int) -> None:
    env = {
        "FURAT_STUDIO_URL": f"http://127.0.0.1:{silent_server}",
        "FURAT_STUDIO_TOKEN": "x" * 40,
        "FURAT_STUDIO_TIMEOUT": "0.5",
        "FURAT_STUDIO_RETRIES": "1",
    }
    result = run_studio("--root", str(repo), "push", env=env)
    assert result.returncode == 2
    assert "error[studio-timeout]" in result.stderr and "Traceback" not in result.stderr


def test_studio_without_a_token_says_how_to_get_one(repo: Path) -> None:
    env = {"FURAT_STUDIO_TOKEN": "", "LABEL_STUDIO_API_KEY": "", "LABEL_STUDIO_USER_TOKEN": ""}
    result = run_studio("--root", str(repo), "push", env=env)
    assert result.returncode == 2 and "error[studio-auth]" in result.stderr


# --- against the real server ---------------------------------------------------------------------


def _region(rid: str, control: str, rtype: str, value: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"id": rid, "from_name": control, "to_name": "text", "type": rtype, "value": value | extra}


def _span(text: str, surface: str, after: str = "") -> dict[str, Any]:
    start = text.index(surface, text.index(after) if after else 0)
    return {"start": start, "end": start + len(surface), "text": surface}


def _tasks(client: Any, project: int) -> dict[str, dict[str, Any]]:
    return {t["data"]["doc_id"]: t for t in client.projects.exports.as_json(project)}


def _files(repo: Path) -> dict[str, bytes]:
    base = repo / "annotations"
    return (
        {p.relative_to(repo).as_posix(): p.read_bytes() for p in sorted(base.rglob("*.json"))} if base.is_dir() else {}
    )


def test_studio_round_trip_with_an_emoji_before_the_spans(
    repo: Path, studio_server: Server, request: pytest.FixtureRequest
) -> None:
    doc_id = add_emoji_document(repo)
    text = corpus_text(repo, doc_id)
    settings = studio_server.settings(project_title(request))
    report = push(repo, settings, echo=_quiet)
    assert report.created_tasks == 6
    client = studio_server.client()
    task = _tasks(client, report.project)[doc_id]
    assert task["data"]["sha256"] == text_sha256(text) and task["data"]["offset"] == 0

    # Two annotators, through the API. Ana's spans come after 🚀, 🇺🇸 (two astral characters) and 😟;
    # one region counts in UTF-16 code units, as a JavaScript client would.
    ana = client.users.create(username="ana", email="ana@example.org", password="ana-password-1")
    bo = client.users.create(username="bo", email="bo@example.org", password="bo-password-1")
    sdf = "قوات سوريا الديمقراطية"
    sdf_start = text.index(sdf)
    ana_result = [
        _region("a1", "entity", "labels", _span(text, "الفرات"), labels=["LOC"]),
        _region("a2", "entity", "labels", utf16_value(text, sdf_start, sdf_start + len(sdf)), labels=["ORG"]),
        _region("a3", "entity", "labels", _span(text, "الباغوز"), labels=["GPE"]),
        _region("a4", "entity", "labels", _span(text, "داعش"), labels=["ORG"]),
        _region("a5", "entity", "labels", _span(text, "أليكس يونجر"), labels=["PER"]),
        _region("a6", "quantity", "labels", _span(text, "نحو 200"), labels=["QUANTITY"]),
        _region("a6", "value", "number", _span(text, "نحو 200"), number=200),
        _region("a6", "unit", "choices", _span(text, "نحو 200"), choices=["count"]),
        _region("a6", "approximate", "choices", _span(text, "نحو 200"), choices=["approximate"]),
        _region("a7", "counted", "labels", _span(text, "مقاتل"), labels=["COUNTED"]),
        {"from_id": "a6", "to_id": "a7", "type": "relation", "direction": "right"},
        _region("a8", "stance", "labels", _span(text, "الهزيمة العسكرية لا تعني نهاية التهديد"), labels=["STANCE"]),
        _region(
            "a8", "target", "choices", _span(text, "الهزيمة العسكرية لا تعني نهاية التهديد"), choices=["isis_defeated"]
        ),
        _region(
            "a8", "stance_label", "choices", _span(text, "الهزيمة العسكرية لا تعني نهاية التهديد"), choices=["against"]
        ),
        {"from_id": "a5", "to_id": "a8", "type": "relation", "direction": "right"},
        _region("a9", "stance", "labels", _span(text, "يعلن النصر"), labels=["STANCE"]),
        _region("a9", "target", "choices", _span(text, "يعلن النصر"), choices=["isis_defeated"]),
        _region("a9", "stance_label", "choices", _span(text, "يعلن النصر"), choices=["favor"]),
        _region("a9", "holder_kind", "choices", _span(text, "يعلن النصر"), choices=["report"]),
    ]
    ana_annotation = client.annotations.create(id=task["id"], result=ana_result, completed_by=ana.id)
    client.annotations.create(
        id=task["id"],
        result=[_region("b1", "entity", "labels", _span(text, "داعش"), labels=["ORG"])],
        completed_by=bo.id,
    )
    # Bo submitted last, but the adjudicator marks Ana's annotation as ground truth: it is the gold.
    client.annotations.update(id=ana_annotation.id, ground_truth=True)

    pulled = pull(repo, settings, echo=_quiet)
    gold_path = repo / "annotations" / f"{doc_id}.json"
    passes = repo / "annotations" / "passes" / doc_id
    assert sorted(pulled.written) == sorted(
        [
            f"annotations/{doc_id}.json",
            f"annotations/passes/{doc_id}/ana-at-example.org.json",
            f"annotations/passes/{doc_id}/bo-at-example.org.json",
        ]
    )
    assert [f for f in validate_repo(repo) if f.level == "error"] == []

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    e = f"{doc_id}-e"

    def span(surface: str) -> dict[str, Any]:
        start = text.index(surface)
        return {"start": start, "end": start + len(surface), "text": surface}

    assert gold["entities"] == [
        {"id": f"{e}0001", **span("الفرات"), "label": "LOC"},
        {"id": f"{e}0002", **span(sdf), "label": "ORG"},
        {"id": f"{e}0003", **span("الباغوز"), "label": "GPE"},
        {"id": f"{e}0004", **span("داعش"), "label": "ORG"},
        {"id": f"{e}0005", **span("أليكس يونجر"), "label": "PER"},
    ]
    assert gold["quantities"] == [
        {
            "id": f"{doc_id}-q0001",
            **span("نحو 200"),
            "value": 200,
            "low": None,
            "high": None,
            "unit": "count",
            "kind": "count",
            "approximate": True,
            "counted": span("مقاتل"),
        }
    ]
    assert gold["stances"] == [
        {
            "id": f"{doc_id}-t0001",
            **span("يعلن النصر"),
            "target": "isis_defeated",
            "label": "favor",
            "holder": None,
            "holder_kind": "report",
        },
        {
            "id": f"{doc_id}-t0002",
            **span("الهزيمة العسكرية لا تعني نهاية التهديد"),
            "target": "isis_defeated",
            "label": "against",
            "holder": f"{e}0005",
        },
    ]
    for item in gold["entities"] + gold["quantities"] + gold["stances"]:
        assert text[item["start"] : item["end"]] == item["text"]
    provenance = gold["provenance"]
    assert provenance["status"] == "gold" and provenance["annotators"] == [
        {"id": "ana-at-example.org", "kind": "human"}
    ]
    assert provenance["tool"] == "label-studio 1.23.2" and "ground truth" in provenance["method"]
    assert provenance["passes"] == [
        f"annotations/passes/{doc_id}/ana-at-example.org.json",
        f"annotations/passes/{doc_id}/bo-at-example.org.json",
    ]
    ana_pass = json.loads((passes / "ana-at-example.org.json").read_text(encoding="utf-8"))
    bo_pass = json.loads((passes / "bo-at-example.org.json").read_text(encoding="utf-8"))
    assert ana_pass["provenance"]["status"] == "pass" and bo_pass["provenance"]["status"] == "pass"
    assert {k: ana_pass[k] for k in ("entities", "quantities", "stances")} == {
        k: gold[k] for k in ("entities", "quantities", "stances")
    }
    assert bo_pass["entities"] == [{"id": f"{e}0001", **span("داعش"), "label": "ORG"}]

    # Idempotence: a second pull changes nothing; a second push adds no task and leaves the work alone.
    before = _files(repo)
    again = pull(repo, settings, echo=_quiet)
    assert again.written == [] and _files(repo) == before
    tasks_before = _tasks(client, report.project)
    second = push(repo, settings, echo=_quiet)
    assert second.created_tasks == 0 and second.existing_tasks == 6
    assert _tasks(client, report.project) == tasks_before
    assert pull(repo, settings, echo=_quiet).written == [] and _files(repo) == before


def test_studio_push_imports_gold_and_pull_gives_it_back_unchanged(
    repo: Path, studio_server: Server, request: pytest.FixtureRequest
) -> None:
    (repo / "annotations").mkdir()
    shutil.copyfile(FIXTURE, repo / "annotations" / FIXTURE.name)
    settings = studio_server.settings(project_title(request))
    first = push(repo, settings, echo=_quiet)
    documents = len(Repo(repo).manifest)
    assert (first.created_tasks, first.gold_imported) == (documents, 1)
    client = studio_server.client()
    tasks = _tasks(client, first.project)
    [annotation] = tasks["004_6a18982ae2c37ec8"]["annotations"]
    assert annotation["ground_truth"] is True
    if importlib.util.find_spec("furat.annotate.preannotate"):  # pre-annotations, once per model version
        assert first.predictions_added == documents
        versions = Studio(settings).prediction_versions(first.project)
        assert all(len(v) == 1 for v in versions.values()) and len(versions) == documents
    second = push(repo, settings, echo=_quiet)
    assert (second.created_tasks, second.gold_imported, second.predictions_added) == (0, 0, 0)
    assert _tasks(client, first.project) == tasks

    before = FIXTURE.read_bytes()
    result = pull(repo, settings, echo=_quiet)
    assert result.written == [] and (repo / "annotations" / FIXTURE.name).read_bytes() == before
    assert not (repo / "annotations" / "passes").exists()  # imported gold is nobody's pass


def test_studio_conflict_stops_the_pull_and_force_resolves_it(
    repo: Path, studio_server: Server, request: pytest.FixtureRequest
) -> None:
    doc_id = add_emoji_document(repo)
    text = corpus_text(repo, doc_id)
    settings = studio_server.settings(project_title(request))
    report = push(repo, settings, echo=_quiet)
    client = studio_server.client()
    task = _tasks(client, report.project)[doc_id]
    first = [_region("x1", "entity", "labels", _span(text, "داعش"), labels=["ORG"])]
    annotation = client.annotations.create(id=task["id"], result=first)
    pull(repo, settings, echo=_quiet)
    gold_path = repo / "annotations" / f"{doc_id}.json"

    # Changed here ...
    local = json.loads(gold_path.read_text(encoding="utf-8"))
    local["entities"][0]["label"] = "NORP"
    gold_path.write_text(json.dumps(local, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    edited = gold_path.read_bytes()
    # ... and on the server.
    both = [*first, _region("x2", "entity", "labels", _span(text, "الباغوز"), labels=["GPE"])]
    client.annotations.update(id=annotation.id, result=both)

    env = studio_env(settings)
    result = run_studio("--root", str(repo), "pull", env=env)
    assert result.returncode == 1, result.stderr
    assert f"annotations/{doc_id}.json: error[studio-conflict]" in result.stderr and "Traceback" not in result.stderr
    assert gold_path.read_bytes() == edited  # nothing written

    forced = run_studio("--root", str(repo), "pull", "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    gold = AnnotationSet.from_json(json.loads(gold_path.read_text(encoding="utf-8")))
    assert [(x.text, x.label) for x in gold.entities] == [("الباغوز", "GPE"), ("داعش", "ORG")]


def test_studio_pull_of_a_single_submission_is_a_pass_until_two_passes_are_adjudicated(
    repo: Path, studio_server: Server, request: pytest.FixtureRequest
) -> None:
    doc_id = add_emoji_document(repo)
    text = corpus_text(repo, doc_id)
    settings = studio_server.settings(project_title(request))
    report = push(repo, settings, echo=_quiet)
    client = studio_server.client()
    task = _tasks(client, report.project)[doc_id]
    gold_path = repo / "annotations" / f"{doc_id}.json"

    def pulled() -> dict[str, Any]:
        pull(repo, settings, echo=_quiet)
        assert [f.text() for f in validate_repo(repo) if f.level == "error"] == []
        provenance: dict[str, Any] = json.loads(gold_path.read_text(encoding="utf-8"))["provenance"]
        return provenance

    # One annotator submits: the document's file is that one pass, not gold, and validate accepts it.
    ana = client.users.create(username="ana2", email="ana2@example.org", password="ana-password-2")
    about_200 = _span(text, "نحو 200")
    ana_result = [
        _region("g1", "entity", "labels", _span(text, "داعش"), labels=["ORG"]),
        _region("g2", "quantity", "labels", about_200, labels=["QUANTITY"]),
        _region("g2", "value", "number", about_200, number=200),
        _region("g2", "unit", "choices", about_200, choices=["count"]),
    ]
    ana_annotation = client.annotations.create(id=task["id"], result=ana_result, completed_by=ana.id)
    single = pulled()
    assert single["status"] == "pass" and "not adjudicated" in single["method"]
    assert single["passes"] == [f"annotations/passes/{doc_id}/ana2-at-example.org.json"]
    # A star on the only submission is no adjudication either.
    client.annotations.update(id=ana_annotation.id, ground_truth=True)
    starred = pulled()
    assert starred["status"] == "pass" and "single pass" in starred["method"]

    # A second annotator's pass, and the adjudicator's choice among the two: now it is gold.
    bo = client.users.create(username="bo2", email="bo2@example.org", password="bo-password-2")
    bo_result = [_region("g3", "entity", "labels", _span(text, "الباغوز"), labels=["GPE"])]
    client.annotations.create(id=task["id"], result=bo_result, completed_by=bo.id)
    gold = pulled()
    assert gold["status"] == "gold" and gold["annotators"] == [{"id": "ana2-at-example.org", "kind": "human"}]
    assert "adjudicated among 2 passes" in gold["method"] and len(gold["passes"]) == 2


def test_studio_stale_task_is_reported_and_nothing_is_written(
    repo: Path, studio_server: Server, request: pytest.FixtureRequest
) -> None:
    doc_id = add_emoji_document(repo)
    text = corpus_text(repo, doc_id)
    settings = studio_server.settings(project_title(request))
    report = push(repo, settings, echo=_quiet)
    client = studio_server.client()
    tasks = _tasks(client, report.project)
    client.annotations.create(
        id=tasks[doc_id]["id"], result=[_region("s1", "entity", "labels", _span(text, "داعش"), labels=["ORG"])]
    )
    other = "004_6a18982ae2c37ec8"
    other_text = corpus_text(repo, other)
    client.annotations.create(
        id=tasks[other]["id"], result=[_region("s2", "entity", "labels", _span(other_text, "داعش"), labels=["ORG"])]
    )
    # The corpus text of the emoji document changes after the task was made.
    corpus_file = repo / "corpus" / f"{doc_id}.json"
    data = json.loads(corpus_file.read_text(encoding="utf-8"))
    data["text"] = data["text"].replace("صواريخ", "قذائف")
    corpus_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    env = studio_env(settings)
    result = run_studio("--root", str(repo), "pull", env=env)
    assert result.returncode == 1
    assert "error[studio-task-stale]" in result.stderr and doc_id in result.stderr and "Traceback" not in result.stderr
    assert not (repo / "annotations").exists()

    rest = run_studio("--root", str(repo), "pull", "--skip-stale", env=env)
    assert rest.returncode == 0, rest.stderr
    assert (repo / "annotations" / f"{other}.json").is_file()
    assert not (repo / "annotations" / f"{doc_id}.json").exists()


def test_studio_bad_token_is_refused_clearly(repo: Path, studio_server: Server) -> None:
    env = {"FURAT_STUDIO_URL": studio_server.url, "FURAT_STUDIO_TOKEN": "0" * 40}
    result = run_studio("--root", str(repo), "push", env=env)
    assert result.returncode == 2
    assert "error[studio-auth]" in result.stderr and "Traceback" not in result.stderr
    with pytest.raises(FuratError, match="studio-auth"):
        push(repo, StudioSettings(studio_server.url, "0" * 40, "x"), echo=_quiet)


# --- the ML backend: predictions for a task imported without them ------------------------------


def test_studio_backend_pre_labels_a_task_imported_without_predictions(
    repo: Path, studio_server: Server, ml_backend: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx

    from furat.annotate.preannotate import MODEL_VERSION, curated_gazetteer, predict
    from furat.studio.backend import connect_backend
    from furat.studio.config import CONTROLS
    from furat.studio.tasks import documents

    monkeypatch.setattr("furat.studio.push._predictions", lambda root: ({}, None))  # push adds none
    settings = studio_server.settings(project_title(request))
    report = push(repo, settings, echo=_quiet)
    client = studio_server.client()
    doc = documents(repo)["002_76eb5b3d7b74ea79"]
    # A task made by another tool: the article's text only, without doc_id and without predictions.
    imported = client.projects.import_tasks(id=report.project, request=[{"data": {"text": doc.text}}])
    [task_id] = [t["id"] for t in client.projects.exports.as_json(report.project) if "doc_id" not in t["data"]]
    assert imported.prediction_count == 0 and not list(client.predictions.list(task=task_id))
    connect_backend(settings, report.project, ml_backend)
    connect_backend(settings, report.project, ml_backend)  # connecting again changes nothing
    assert len(client.ml.list(project=report.project)) == 1

    # Opening the task (what the labeling page does) asks the backend for its predictions.
    headers = {"Authorization": f"Token {studio_server.creds.token}"}
    opened = httpx.get(f"{studio_server.url}/api/tasks/{task_id}", headers=headers, timeout=60).json()
    [prediction] = opened["predictions"]
    assert prediction["model_version"] == MODEL_VERSION and 0 < prediction["score"] <= 1
    entities = [r for r in prediction["result"] if r.get("from_name") == CONTROLS["entity"]]
    found = {(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in entities}
    expected = {(e.start, e.end, e.label) for e in predict(doc, curated_gazetteer(), rules=True).entities}
    assert found == expected and found
    assert all(0 < r["score"] <= 1 for r in entities)
    again = httpx.get(f"{studio_server.url}/api/tasks/{task_id}", headers=headers, timeout=60).json()
    assert len(again["predictions"]) == 1  # one prediction per model version
