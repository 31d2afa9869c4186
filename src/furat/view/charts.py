"""Horizontal bar charts as inline SVG geometry: the template draws what these numbers say.

Bars grow from the right edge leftwards, as the page reads: the label at the right, its bar, then the
count at the bar's end.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Bar", "Chart", "bar_chart"]

ROW = 28  # height of one row
BAR = 18  # height of a bar
LABEL_WIDTH = 250  # room for the labels at the right
COUNT_WIDTH = 48  # room for the count at the left of the longest bar


@dataclass(frozen=True)
class Bar:
    label: str
    code: str
    count: int
    color: str
    x: float  # left edge of the bar
    y: float  # top of the row
    width: float


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    label_x: int  # where the labels' right edge is
    bars: tuple[Bar, ...]
    row: int = ROW
    bar: int = BAR


def bar_chart(title: str, rows: list[tuple[str, str, int, str]], width: int = 560) -> Chart:
    """A chart of ``(label, code, count, colour)`` rows, in the order given; the longest bar fills the width."""
    label_x = width - 8
    room = width - LABEL_WIDTH - COUNT_WIDTH
    top = max((count for _, _, count, _ in rows), default=0) or 1
    bars = []
    for index, (label, code, count, color) in enumerate(rows):
        length = room * count / top
        right = width - LABEL_WIDTH
        bars.append(Bar(label, code, count, color, right - length, index * ROW + (ROW - BAR) / 2, length))
    return Chart(title, width, max(len(rows), 1) * ROW, label_x, tuple(bars))
