"""Spans of several layers over one text, as properly nested HTML.

Annotation layers overlap freely (an entity inside a stance's evidence, a quantity next to an entity,
in principle two spans that cross). A sweep over the boundaries of all spans cuts the text into
elementary pieces; at each piece the spans that cover it are ordered outermost first (earlier start,
then later end, then layer rank), and the open elements are kept a prefix of that order: when a span
ends or begins, the elements above the common prefix are closed and the rest reopened. A span may so
be split into several pieces (elements); each carries the span's ``data-id`` and ``data-start`` and
``data-end`` of its piece, so the pieces of one span joined give back its text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from markupsafe import Markup, escape

__all__ = ["Element", "Mark", "Node", "Text", "boundaries", "nest", "render", "to_html"]


@dataclass(frozen=True)
class Mark:
    """A span to highlight: its layer, id and offsets, and how it looks.

    ``rank`` orders spans with the same offsets (smaller is outer). ``classes`` and ``attrs`` go on
    every piece's element; ``first_class`` only on the first piece in the rendered range, and the
    ``id`` attribute (an anchor to link to) only on the piece where the span begins.
    """

    layer: str
    id: str
    start: int
    end: int
    rank: int = 0
    classes: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()
    first_class: str = ""

    def order(self) -> tuple[int, int, int, str]:
        return (self.start, -self.end, self.rank, self.id)


@dataclass(frozen=True)
class Text:
    """A piece of plain text: ``text[start:end]``."""

    start: int
    end: int


@dataclass
class Element:
    """One piece of a mark: the element that holds ``text[start:end]`` of it."""

    mark: Mark
    start: int
    end: int
    children: list[Node] = field(default_factory=list)


Node = Text | Element


def boundaries(marks: list[Mark], start: int, end: int) -> list[int]:
    """Every offset in ``[start, end]`` where some mark begins or ends, with ``start`` and ``end``."""
    points = {start, end}
    for mark in marks:
        for point in (mark.start, mark.end):
            if start < point < end:
                points.add(point)
    return sorted(points)


def nest(marks: list[Mark], start: int, end: int) -> list[Node]:
    """The text ``[start, end)`` as a tree of pieces; marks are clipped to the range, empty ones dropped."""
    inside = sorted((m for m in marks if m.start < end and m.end > start and m.start < m.end), key=Mark.order)
    roots: list[Node] = []
    stack: list[Element] = []
    for a, b in pairwise(boundaries(inside, start, end)):
        active = [m for m in inside if m.start <= a and m.end >= b]
        keep = 0
        while keep < len(stack) and keep < len(active) and stack[keep].mark is active[keep]:
            keep += 1
        del stack[keep:]
        for mark in active[keep:]:
            element = Element(mark, a, a)
            (stack[-1].children if stack else roots).append(element)
            stack.append(element)
        siblings = stack[-1].children if stack else roots
        last = siblings[-1] if siblings else None
        if isinstance(last, Text) and last.end == a:
            siblings[-1] = Text(last.start, b)
        else:
            siblings.append(Text(a, b))
        for element in stack:
            element.end = b
    return roots


def _open_tag(element: Element, clip_start: int) -> str:
    mark = element.mark
    classes = [mark.layer, *mark.classes]
    first = element.start == max(mark.start, clip_start)
    if mark.first_class and first:
        classes.append(mark.first_class)
    attrs: list[tuple[str, str]] = [
        *([("id", mark.id)] if first and mark.start >= clip_start else []),
        ("class", " ".join(classes)),
        ("data-layer", mark.layer),
        ("data-id", mark.id),
        ("data-start", str(element.start)),
        ("data-end", str(element.end)),
        *mark.attrs,
    ]
    rendered = "".join(f' {name}="{escape(value)}"' for name, value in attrs)
    return f"<span{rendered}>"


def to_html(text: str, nodes: list[Node], clip_start: int) -> Markup:
    """HTML of a tree from :func:`nest` (text escaped; each piece a ``<span>``)."""
    parts: list[str] = []

    def walk(items: list[Node]) -> None:
        for node in items:
            if isinstance(node, Text):
                parts.append(str(escape(text[node.start : node.end])))
            else:
                parts.append(_open_tag(node, clip_start))
                walk(node.children)
                parts.append("</span>")

    walk(nodes)
    return Markup("".join(parts))


def render(text: str, marks: list[Mark], start: int, end: int) -> Markup:
    """``text[start:end]`` with every mark over it as nested ``<span>`` pieces."""
    return to_html(text, nest(marks, start, end), start)
