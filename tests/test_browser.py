"""What an annotator does, in a real browser: log in, open a task, label an Arabic word, submit, pull.

Playwright drives Debian's chromium (``/usr/bin/chromium``; never a downloaded browser), headless, on
the session's Label Studio, or on the one ``furat studio up`` starts. Screenshots of the labeling
screen are saved to ``.studio/artifacts/`` (``labeling.png``: a word just labeled after emoji;
``gold.png``: imported gold of a real article; ``backend-predictions.png`` and ``studio-up.png``: a
task imported without predictions, pre-labeled by the ML backend; ``interactive.png``: a quantity
whose fields the backend filled when it was drawn).
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from furat.studio.pull import pull
from furat.studio.push import push
from furat.studio.server import free_port
from tests.studio_fixtures import (
    ARTIFACTS,
    CHROMIUM,
    EMOJI_TEXT,
    SERVER_VENV,
    START_TIMEOUT,
    Server,
    add_emoji_document,
    corpus_text,
    ml_backend,
    project_title,
    studio_server,
    unavailable,
)

__all__ = ["ml_backend", "studio_server"]  # fixtures, shared with test_studio.py

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WAIT_MS = 60_000
GOLD = Path(__file__).parent / "fixtures" / "valid" / "004_6a18982ae2c37ec8.json"


@pytest.fixture()
def browser_page() -> Iterator[Any]:
    """A page of a fresh headless chromium profile (its own --user-data-dir)."""
    if not CHROMIUM.is_file():
        unavailable(f"chromium is not at {CHROMIUM}", "apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed", "pip install playwright (no `playwright install`)")
    with tempfile.TemporaryDirectory(prefix="furat-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
            env={**os.environ, "HOME": profile},
        )
        context.set_default_timeout(WAIT_MS)
        # The frontend reports errors to a public Sentry: keep the test on loopback.
        context.route(
            "**/*", lambda route: route.abort() if "127.0.0.1" not in route.request.url else route.continue_()
        )
        try:
            yield context.new_page()
        finally:
            context.close()


def _open_task(page: Any, url: str, selector: str) -> None:
    """Open a task in the labeling view and wait for ``selector``.

    Right after the server starts, Label Studio sometimes opens a task on a fresh blank annotation
    instead of the existing one (see .studio/artifacts/slow-task.png); loading the page again shows it.
    """
    page.goto(url)
    for attempt in range(3):
        try:
            page.wait_for_selector(selector, state="attached", timeout=WAIT_MS // 3)
            return
        except Exception:
            if attempt == 2:
                raise
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "slow-task.png"))
            page.reload()


def _word_box(page: Any, word: str) -> dict[str, float]:
    """The on-screen box of ``word`` in the task text (the first line that has it)."""
    box: dict[str, float] | None = page.evaluate(
        """(word) => {
          for (const line of document.querySelectorAll('.lsf-richtext__line')) {
            const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              const i = n.data.indexOf(word);
              if (i < 0) continue;
              const range = document.createRange();
              range.setStart(n, i);
              range.setEnd(n, i + word.length);
              const r = range.getBoundingClientRect();
              return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
            }
          }
          return null;
        }""",
        word,
    )
    assert box is not None, f"{word!r} is not on the page"
    return box


def _line_layout(page: Any) -> dict[str, Any]:
    """Where the first (short) line's text sits in its container, and the styles that put it there.

    Waited for, not read once: Label Studio may still be swapping the previous task's text for this one's.
    """
    handle = page.wait_for_function(
        """() => {
          const line = document.querySelector('.lsf-richtext__line');
          const container = line && line.closest('.lsf-richtext__container');
          if (!container) return null;
          const range = document.createRange();
          range.selectNodeContents(line);
          const text = range.getBoundingClientRect(), box = container.getBoundingClientRect();
          const style = getComputedStyle(line);
          return {textLeft: text.left, textRight: text.right, boxLeft: box.left, boxRight: box.right,
                  direction: style.direction, unicodeBidi: style.unicodeBidi, whiteSpace: style.whiteSpace};
        }""",
        timeout=WAIT_MS,
    )
    layout: dict[str, Any] = handle.json_value()
    return layout


def _log_in(page: Any, url: str, username: str, password: str) -> None:
    """Log in with the login form's email and password fields."""
    page.goto(f"{url}/user/login/")
    page.fill("input[name=email]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(lambda url: "/user/login" not in url)


def _select(page: Any, words: str) -> None:
    """Drag over ``words`` from their right edge to their left, as a reader of Arabic selects."""
    box = _word_box(page, words)
    middle = (box["top"] + box["bottom"]) / 2
    page.mouse.move(box["right"] - 1, middle)
    page.mouse.down()
    page.mouse.move((box["left"] + box["right"]) / 2, middle, steps=5)
    page.mouse.move(box["left"] + 1, middle, steps=5)
    page.mouse.up()


def test_browser_annotator_labels_an_arabic_word_and_pull_gets_exactly_it(
    repo: Path,
    studio_server: Server,
    request: pytest.FixtureRequest,
    browser_page: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Without pre-annotations, so that what is highlighted is what the annotator did.
    monkeypatch.setattr("furat.studio.push._predictions", lambda root: ({}, None))
    doc_id = add_emoji_document(repo)
    text = corpus_text(repo, doc_id)
    (repo / "annotations").mkdir()
    shutil.copyfile(GOLD, repo / "annotations" / GOLD.name)
    settings = studio_server.settings(project_title(request))
    report = push(repo, settings, echo=lambda _: None)
    tasks = {t["data"]["doc_id"]: t for t in studio_server.client().projects.exports.as_json(report.project)}
    task = tasks[doc_id]
    page = browser_page

    # Log in as the admin, with the login form's email and password fields.
    page.goto(f"{studio_server.url}/user/login/")
    page.fill("input[name=email]", studio_server.creds.username)
    page.fill("input[name=password]", studio_server.creds.password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(lambda url: "/user/login" not in url)

    # The imported gold of a real article: every span is highlighted on exactly its words.
    gold_url = f"{studio_server.url}/projects/{report.project}/data?task={tasks[GOLD.stem]['id']}"
    _open_task(page, gold_url, ".lsf-richtext__container .htx-highlight")
    gold_in = json.loads(GOLD.read_text(encoding="utf-8"))
    shown = sorted(page.locator(".lsf-richtext__container .htx-highlight").all_text_contents())
    expected = [e["text"] for e in gold_in["entities"]]
    expected += [q["text"] for q in gold_in["quantities"]] + [
        q["counted"]["text"] for q in gold_in["quantities"] if q["counted"]
    ]
    expected += [t["text"] for t in gold_in["stances"]]
    assert shown == sorted(expected)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "gold.png"))

    # Open the task: the text reads right to left, right-aligned, wrapping naturally.
    _open_task(page, f"{studio_server.url}/projects/{report.project}/data?task={task['id']}", ".lsf-richtext__line")
    layout = _line_layout(page)
    assert (layout["direction"], layout["unicodeBidi"], layout["whiteSpace"]) == ("rtl", "plaintext", "pre-wrap")
    right_gap, left_gap = layout["boxRight"] - layout["textRight"], layout["textLeft"] - layout["boxLeft"]
    assert right_gap < 20 and left_gap > 5 * right_gap + 50, layout  # the short title line hugs the right edge

    # Select "الباغوز" (after the 🇺🇸 flag: two astral characters) from its right edge to its left, as
    # a reader of Arabic drags, with the GPE label chosen by its hotkey; then submit.
    word = "الباغوز"
    box = _word_box(page, word)
    page.keyboard.press("g")
    middle = (box["top"] + box["bottom"]) / 2
    page.mouse.move(box["right"] - 1, middle)
    page.mouse.down()
    page.mouse.move((box["left"] + box["right"]) / 2, middle, steps=5)
    page.mouse.move(box["left"] + 1, middle, steps=5)
    page.mouse.up()
    # The new region, and nothing else.
    region = page.locator(".htx-highlight", has_text=word)
    region.first.wait_for()
    assert region.all_text_contents() == [word]
    page.screenshot(path=str(ARTIFACTS / "labeling.png"))
    with page.expect_response(lambda r: "/annotations" in r.url and r.request.method == "POST") as created:
        page.get_by_role("button", name="Submit").click()
    assert created.value.status == 201

    # Pull: the span is exactly the word, at its code point offsets in the document.
    pull(repo, settings, echo=lambda _: None)
    gold = json.loads((repo / "annotations" / f"{doc_id}.json").read_text(encoding="utf-8"))
    start = text.index(word)
    assert [(e["start"], e["end"], e["text"], e["label"]) for e in gold["entities"]] == [
        (start, start + len(word), word, "GPE")
    ]
    assert gold["provenance"]["annotators"] == [{"id": "admin-at-furat.local", "kind": "human"}]


def test_browser_task_imported_without_predictions_shows_the_backends_predictions(
    repo: Path,
    studio_server: Server,
    ml_backend: str,
    request: pytest.FixtureRequest,
    browser_page: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from furat.studio.backend import Predictor, connect_backend
    from furat.studio.config import CONTROLS

    monkeypatch.setattr("furat.studio.push._predictions", lambda root: ({}, None))  # tasks without predictions
    settings = studio_server.settings(project_title(request))
    report = push(repo, settings, echo=lambda _: None)
    connect_backend(settings, report.project, ml_backend)
    client = studio_server.client()
    task = next(t for t in client.projects.exports.as_json(report.project) if t["data"]["doc_id"].startswith("003"))
    assert task["predictions"] == []
    # What the backend serves for it: every labeled region's text, and the entities among them.
    served = Predictor(repo).predict(task)
    expected = sorted(r["value"]["text"] for r in served["result"] if r.get("type") == "labels")
    entities = sorted(r["value"]["text"] for r in served["result"] if r.get("from_name") == CONTROLS["entity"])
    assert entities

    page = browser_page
    page.goto(f"{studio_server.url}/user/login/")
    page.fill("input[name=email]", studio_server.creds.username)
    page.fill("input[name=password]", studio_server.creds.password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(lambda url: "/user/login" not in url)
    url = f"{studio_server.url}/projects/{report.project}/data?task={task['id']}"
    _open_task(page, url, ".lsf-richtext__container .htx-highlight")
    highlights = ".lsf-richtext__container .htx-highlight"
    try:  # the regions are drawn one after another: wait until as many as the backend served are on the page
        page.wait_for_function(f"document.querySelectorAll({highlights!r}).length >= {len(expected)}")
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "backend-predictions.png"))
    shown = sorted(page.locator(highlights).all_text_contents())
    assert shown == expected and not Counter(entities) - Counter(shown)
    # stored on the task, from the backend (the page may ask for the task more than once while it loads)
    stored = list(client.predictions.list(task=task["id"]))
    assert stored and {p.model_version for p in stored} == {served["model_version"]}


def _read_until(process: subprocess.Popen[str], marker: str, timeout: float) -> str:
    """What ``process`` prints until a line with ``marker``; fails if it exits or ``timeout`` passes first."""
    assert process.stdout is not None
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in process.stdout or ():
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    output: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1.0)
        except queue.Empty:
            if process.poll() is not None and lines.empty():
                break  # it exited
            continue
        output.append(line)
        if marker in line:
            return "".join(output)
    pytest.fail(f"`furat studio up` did not print {marker!r}:\n{''.join(output)}", pytrace=False)


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_browser_studio_up_serves_predictions_for_a_task_imported_through_the_api(
    repo: Path, browser_page: Any
) -> None:
    """`furat studio up`, as an annotator runs it: the server and the ML backend, connected; a task that
    another tool imports straight into Label Studio opens pre-labeled; Ctrl-C (SIGTERM) stops both."""
    from furat.annotate.preannotate import MODEL_VERSION
    from furat.studio.backend import BACKEND_TITLE, Predictor
    from furat.studio.client import Studio, StudioSettings

    if not (SERVER_VENV / "bin" / "label-studio").is_file():
        unavailable(f"the Label Studio server is not installed at {SERVER_VENV}", "run scripts/setup-studio")
    studio_dir = repo / ".studio"
    studio_dir.mkdir(mode=0o700)
    (studio_dir / "venv").symlink_to(SERVER_VENV)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FURAT_STUDIO", "LABEL_STUDIO"))}
    up = subprocess.Popen(
        [sys.executable, "-m", "furat", "--root", str(repo), "studio", "up", "--no-install", "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        env=env,
    )
    try:
        printed = _read_until(up, "press Ctrl-C", START_TIMEOUT + 300)
        server_pid = int((studio_dir / "server.pid").read_text(encoding="utf-8"))
        backend_pid = int((studio_dir / "backend.pid").read_text(encoding="utf-8"))
        url = f"http://127.0.0.1:{port}"
        [backend_url] = [line.split()[3] for line in printed.splitlines() if line.startswith("ML backend at ")]
        assert f"Label Studio is ready: {url}" in printed and backend_url.startswith("http://127.0.0.1:")
        creds = json.loads((studio_dir / "credentials.json").read_text(encoding="utf-8"))

        # The project pre-labels from the backend `up` started and connected.
        studio = Studio(StudioSettings(url, creds["token"], "Furat", timeout=60.0))
        project_id = studio.find_project("Furat", None)
        assert project_id is not None
        client = studio.client
        [backend] = client.ml.list(project=project_id)
        assert (backend.url, backend.title, backend.is_interactive) == (backend_url, BACKEND_TITLE, True)
        project = client.projects.get(id=project_id)
        assert project.show_collab_predictions and project.model_version == BACKEND_TITLE

        # Another tool imports a task straight into Label Studio: an article that is not in the corpus.
        imported = client.projects.import_tasks(id=project_id, request=[{"data": {"text": EMOJI_TEXT}}])
        assert imported.prediction_count == 0
        [task] = [t for t in client.projects.exports.as_json(project_id) if "doc_id" not in t["data"]]
        assert task["predictions"] == []
        served = Predictor(repo).predict(task)
        expected = sorted(r["value"]["text"] for r in served["result"] if r.get("type") == "labels")
        assert "الباغوز" in expected and "نحو 200" in expected

        # The annotator opens it: what the backend serves is on the page.
        page = browser_page
        _log_in(page, url, creds["username"], creds["password"])
        highlights = ".lsf-richtext__container .htx-highlight"
        _open_task(page, f"{url}/projects/{project_id}/data?task={task['id']}", highlights)
        try:
            page.wait_for_function(f"document.querySelectorAll({highlights!r}).length >= {len(expected)}")
        finally:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "studio-up.png"))
        assert sorted(page.locator(highlights).all_text_contents()) == expected
        assert {p.model_version for p in client.predictions.list(task=task["id"])} == {MODEL_VERSION}
    finally:
        up.send_signal(signal.SIGTERM)
        try:
            up.wait(timeout=90)
        except subprocess.TimeoutExpired:
            up.kill()
            raise
    # Stopped cleanly: the server and the backend are gone, and so are their pid files.
    for _ in range(60):
        if not (_running(server_pid) or _running(backend_pid)):
            break
        time.sleep(0.5)
    assert not _running(server_pid) and not _running(backend_pid)
    assert not (studio_dir / "server.pid").exists() and not (studio_dir / "backend.pid").exists()


def test_browser_drawing_a_quantity_fills_its_fields_from_the_recognizer(
    repo: Path,
    studio_server: Server,
    ml_backend: str,
    request: pytest.FixtureRequest,
    browser_page: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With Auto-Annotation on, a quantity the annotator draws gets value, bounds, unit and approximate
    from the backend's recognizer: the page asks it (interactive-annotating) as soon as the region exists."""
    from furat.studio.backend import connect_backend

    monkeypatch.setattr("furat.studio.push._predictions", lambda root: ({}, None))  # nothing pre-labeled
    doc_id = add_emoji_document(repo)
    text = corpus_text(repo, doc_id)
    settings = studio_server.settings(project_title(request))
    report = push(repo, settings, echo=lambda _: None)
    connect_backend(settings, report.project, ml_backend, interactive=True)
    client = studio_server.client()
    # Only the interactive help: no predictions when the task opens, so every region is the annotator's.
    client.projects.update(id=report.project, show_collab_predictions=False)
    task = next(t for t in client.projects.exports.as_json(report.project) if t["data"]["doc_id"] == doc_id)

    page = browser_page
    _log_in(page, studio_server.url, studio_server.creds.username, studio_server.creds.password)
    _open_task(page, f"{studio_server.url}/projects/{report.project}/data?task={task['id']}", ".lsf-richtext__line")
    toggle = page.get_by_test_id("bottombar-auto-annotation-toggle")
    toggle.check()  # the labeling page's Auto-Annotation switch (shown when the backend is interactive)
    assert toggle.is_checked()

    words = "نحو 200"
    page.get_by_text("QUANTITY", exact=True).click()  # the label (its hotkey would go to the switch just used)
    with page.expect_response(lambda r: "/interactive-annotating" in r.url) as asked:
        _select(page, words)
    answer = asked.value.json()["data"]["result"]
    assert {
        r["from_name"]: r["value"].get("number", r["value"].get("choices"))
        for r in answer
        if r["from_name"] != "quantity"
    } == {
        "value": 200,
        "unit": ["count"],
        "approximate": ["approximate"],
    }
    region = page.locator(".htx-highlight", has_text=words)
    region.first.wait_for()
    assert region.all_text_contents() == [words]
    region.first.click()  # selected: the panel beside the text shows the filled fields
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "interactive.png"))
    with page.expect_response(lambda r: "/annotations" in r.url and r.request.method == "POST") as created:
        page.get_by_role("button", name="Submit").click()
    assert created.value.status == 201

    # What was submitted is the drawn span with the recognizer's fields, as pull reads it.
    pull(repo, settings, echo=lambda _: None)
    [quantity] = json.loads((repo / "annotations" / f"{doc_id}.json").read_text(encoding="utf-8"))["quantities"]
    start = text.index(words)
    assert (quantity["start"], quantity["end"], quantity["text"]) == (start, start + len(words), words)
    assert (quantity["value"], quantity["low"], quantity["high"]) == (200, None, None)
    assert (quantity["unit"], quantity["approximate"]) == ("count", True)
