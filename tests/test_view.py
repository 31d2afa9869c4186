"""``furat view``: the static site, its nesting of overlapping spans, and the pages in a real browser.

The browser test opens the built pages in Debian's headless chromium through Playwright (never a
downloaded browser) and saves a screenshot of a document page to the test's tmp folder and, when it
can, to ``.studio/artifacts/viewer.png`` (git-ignored).
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from furat.cli.main import main
from furat.core.annotation import AnnotationSet
from furat.dataset.summary import iter_documents, read_splits, summarize
from furat.view.markup import Element, Mark, Node, Text, boundaries, nest, render
from tests.conftest import ROOT
from tests.studio_fixtures import CHROMIUM, unavailable

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACT = ROOT / ".studio" / "artifacts" / "viewer.png"


def _shape(nodes: list[Node]) -> list[Any]:
    """A tree from ``nest`` as nested lists: ``(start, end)`` for text, ``[id, start, end, children]``."""
    return [
        (node.start, node.end)
        if isinstance(node, Text)
        else [node.mark.id, node.start, node.end, _shape(node.children)]
        for node in nodes
    ]


def test_nest_splits_at_every_boundary_and_nests_properly() -> None:
    #         0         1         2
    #         0123456789012345678901234
    text = "abcdefghijklmnopqrstuvwxy"
    marks = [
        Mark("stance", "S", 2, 14, rank=1),  # the evidence, holding E1 and the start of X
        Mark("entity", "E1", 4, 8, rank=3),  # nested in S
        Mark("quantity", "Q", 8, 10, rank=2),  # adjacent to E1, also in S
        Mark("entity", "X", 12, 18, rank=3),  # crosses the end of S
        Mark("entity", "Z", 20, 20, rank=3),  # empty: dropped
        Mark("sentence", "s", 0, 25, rank=0),  # the whole text
    ]
    assert boundaries(marks, 0, 25) == [0, 2, 4, 8, 10, 12, 14, 18, 20, 25]
    assert _shape(nest(marks, 0, 25)) == [
        [
            "s",
            0,
            25,
            [
                (0, 2),
                [
                    "S",
                    2,
                    14,
                    [(2, 4), ["E1", 4, 8, [(4, 8)]], ["Q", 8, 10, [(8, 10)]], (10, 12), ["X", 12, 14, [(12, 14)]]],
                ],
                ["X", 14, 18, [(14, 18)]],
                (18, 25),
            ],
        ]
    ]
    html = render(text, marks, 0, 25)
    assert 'data-id="X" data-start="12" data-end="14"' in html and 'data-id="X" data-start="14" data-end="18"' in html
    assert html.count(' id="X"') == 1  # the anchor only on the piece where X begins
    # Clipped to a range (a paragraph): the pieces stay inside it.
    assert _shape(nest(marks, 5, 13)) == [
        [
            "s",
            5,
            13,
            [["S", 5, 13, [["E1", 5, 8, [(5, 8)]], ["Q", 8, 10, [(8, 10)]], (10, 12), ["X", 12, 13, [(12, 13)]]]]],
        ]
    ]


def test_nest_escapes_text_and_keeps_every_character() -> None:
    text = "<b>قال «داعش» & 5</b>"
    start = text.index("داعش")
    marks = [Mark("entity", "e", start, start + 4)]
    html = str(render(text, marks, 0, len(text)))
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp;" in html
    pieces = nest(marks, 0, len(text))
    assert pieces == [
        Text(0, start),
        Element(marks[0], start, start + 4, [Text(start, start + 4)]),
        Text(start + 4, len(text)),
    ]
    assert html.replace(
        '<span id="e" class="entity" data-layer="entity" data-id="e" data-start="8" data-end="12">', ""
    ) == ("&lt;b&gt;قال «داعش</span>» &amp; 5&lt;/b&gt;")


class _Pieces(HTMLParser):
    """The text of every ``data-id`` piece of a page, joined per (layer, id), in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str] | None] = []
        self.text: dict[tuple[str, str], str] = defaultdict(str)
        self.offsets: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "span":
            return
        found = dict(attrs)
        key = (str(found["data-layer"]), str(found["data-id"])) if "data-id" in found else None
        if key:
            self.offsets[key].append((int(str(found["data-start"])), int(str(found["data-end"]))))
        self.open.append(key)

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for key in self.open:
            if key:
                self.text[key] += data


def _expected(gold: AnnotationSet) -> dict[tuple[str, str], tuple[int, int, str]]:
    items: dict[tuple[str, str], tuple[int, int, str]] = {}
    for layer, spans in (("entity", gold.entities), ("quantity", gold.quantities)):
        items.update({(layer, s.id): (s.start, s.end, s.text) for s in spans})
    items.update({("stance", s.id): (s.start, s.end, s.text) for s in gold.stances})
    return items


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("view") / "site"
    assert main(["--root", str(ROOT), "view", "--out", str(out)]) == 0
    return out


def test_view_writes_a_page_per_document_with_every_annotation(site: Path) -> None:
    documents = list(iter_documents(ROOT, read_splits(ROOT)))
    assert sorted(p.name for p in site.iterdir()) == sorted(["index.html", *(f"{d.id}.html" for _, d, _ in documents)])
    for _, doc, gold in documents:
        page = (site / f"{doc.id}.html").read_text(encoding="utf-8")
        assert '<html lang="ar" dir="rtl">' in page
        parser = _Pieces()
        parser.feed(page)
        sentences = [key for key in parser.text if key[0] == "sentence"]
        assert len(sentences) == len(doc.sentences)
        assert f"s{len(doc.sentences) - 1:03d}" in page
        for key, pieces in parser.offsets.items():
            assert "".join(doc.text[a:b] for a, b in pieces) == parser.text[key], key
        if gold is None:
            continue
        for key, (start, end, text) in _expected(gold).items():
            assert parser.text[key] == text, key
            pieces = parser.offsets[key]
            assert (pieces[0][0], pieces[-1][1]) == (start, end), key
        for quantity in gold.quantities:
            if quantity.counted:
                assert parser.text[("counted", f"{quantity.id}/counted")] == quantity.counted.text


def test_view_index_reports_the_summary_and_links_every_document(site: Path) -> None:
    summary = summarize(ROOT)
    index = (site / "index.html").read_text(encoding="utf-8")
    row = f'<tr data-split="all"><td class="ltr">all</td><td class="n">{len(summary.documents)}</td>'
    assert row in index
    total = sum(sum(d.entities.values()) for d in summary.documents)
    assert f"<b>{total}</b>" in index
    for doc in summary.documents:
        assert f'href="{doc.id}.html"' in index
    for label in summary.labels.entity_types:
        count = sum(d.entities.get(label.code, 0) for d in summary.documents)
        assert f'<g data-code="{label.code}" data-count="{count}">' in index
    assert "<script" not in index and "<svg" in index


def test_view_gives_unannotated_documents_a_text_only_page_and_writes_all_or_nothing(repo: Path) -> None:
    splits = read_splits(repo)
    annotated = splits[0][0]
    (repo / "annotations").mkdir()
    shutil.copyfile(ROOT / "annotations" / f"{annotated}.json", repo / "annotations" / f"{annotated}.json")
    out = repo / "dist" / "view"
    assert main(["--root", str(repo), "view"]) == 0
    for doc_id, _ in splits:
        page = (out / f"{doc_id}.html").read_text(encoding="utf-8")
        assert ('data-layer="entity"' in page) == (doc_id == annotated), doc_id
        assert 'data-layer="sentence"' in page
    # Two documents by number; an unknown one writes nothing and leaves the site as it was.
    numbers = [doc_id[:3] for doc_id, _ in splits[:2]]
    assert main(["--root", str(repo), "view", *numbers]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(["index.html", *(f"{d}.html" for d, _ in splits[:2])])
    assert main(["--root", str(repo), "view", "no-such-document"]) == 2
    assert sorted(p.name for p in out.iterdir()) == sorted(["index.html", *(f"{d}.html" for d, _ in splits[:2])])
    assert [p.name for p in out.parent.iterdir()] == ["view"]  # no temporary folder left behind


@pytest.fixture()
def browser_page() -> Any:
    if not CHROMIUM.is_file():
        unavailable(f"chromium is not at {CHROMIUM}", "apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed", "pip install playwright (no `playwright install`)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1400, "height": 1000})
        finally:
            browser.close()


PIECES_JS = """() => {
  const found = {};
  for (const el of document.querySelectorAll('article [data-id]')) {
    const key = el.dataset.layer + ' ' + el.dataset.id;
    found[key] = (found[key] || '') + el.textContent;
  }
  return found;
}"""

LAYOUT_JS = """() => {
  const body = getComputedStyle(document.body);
  const p = document.querySelector('article p.kind-body');
  const range = document.createRange();
  range.selectNodeContents(p);
  const text = range.getClientRects()[0], box = p.getBoundingClientRect();
  return {direction: body.direction, bidi: getComputedStyle(p).unicodeBidi, rightGap: box.right - text.right,
          font: body.fontFamily};
}"""


def test_view_pages_in_chromium_are_rtl_and_show_every_annotation(
    site: Path, tmp_path: Path, browser_page: Any
) -> None:
    page = browser_page
    documents = [(doc, a) for _, doc, a in iter_documents(ROOT, read_splits(ROOT)) if a is not None]
    assert documents, "the repository has annotated documents"
    # The screenshot shows the document with the most stances (ties: the first in manifest order).
    shown = max(documents, key=lambda item: len(item[1].stances))[0].id
    for doc, gold in documents:
        page.goto((site / f"{doc.id}.html").as_uri())
        layout = page.evaluate(LAYOUT_JS)
        assert layout["direction"] == "rtl" and layout["bidi"] == "plaintext", layout
        assert abs(layout["rightGap"]) < 2, layout  # a paragraph's first line starts at the right edge
        assert "Noto Naskh Arabic" in layout["font"]
        found = page.evaluate(PIECES_JS)
        for (layer, item_id), (_, _, text) in _expected(gold).items():
            assert found.get(f"{layer} {item_id}") == text, (doc.id, item_id)
        if doc.id == shown:
            screenshot = tmp_path / "dist" / "view-screenshot.png"
            screenshot.parent.mkdir(parents=True)
            page.screenshot(path=str(screenshot))
            assert screenshot.stat().st_size > 10_000
            try:
                ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(screenshot, ARTIFACT)
            except OSError:
                pass
    page.goto((site / "index.html").as_uri())
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.locator("svg g[data-code]").count() > 0
    links = page.locator("#documents a[href$='.html']").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert set(links) == {f"{doc.id}.html" for _, doc, _ in iter_documents(ROOT, read_splits(ROOT))}
    assert all((site / link).is_file() for link in links)
