"""Progress of long work on stderr: a tqdm bar on a terminal, a plain line every few seconds otherwise.

``furat --quiet`` sets ``FURAT_QUIET=1`` (``set_quiet``), which child processes inherit; then nothing
is printed. Short work prints nothing: the bar appears after a second, the first plain line after ``PLAIN_EVERY``
seconds. Counts other than the main one (documents in a block, say) go in as keywords to ``update``.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any, TextIO, TypeVar

__all__ = ["Progress", "is_quiet", "progress", "set_quiet", "tracked"]

_T = TypeVar("_T")

QUIET_ENV = "FURAT_QUIET"
PLAIN_EVERY = 10.0  # seconds between two plain lines


def set_quiet(quiet: bool) -> None:
    if quiet:
        os.environ[QUIET_ENV] = "1"
    else:
        os.environ.pop(QUIET_ENV, None)


def is_quiet() -> bool:
    return os.environ.get(QUIET_ENV, "") not in ("", "0")


class Progress:
    """Counts and rate of one piece of work; prints nothing when quiet."""

    def __init__(self, desc: str, total: int | None, unit: str, stream: TextIO | None = None) -> None:
        self.desc, self.total, self.unit = desc, total, unit
        self.stream = stream or sys.stderr
        self.count = 0
        self.extra: dict[str, int] = {}
        self.start = self._last = time.monotonic()
        self.bar: Any = None
        self._shown = 0
        self.quiet = is_quiet()
        if not self.quiet and self.stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=desc, unit=unit, file=self.stream, dynamic_ncols=True, delay=1.0)

    def update(self, n: int = 1, **counts: int) -> None:
        self.count += n
        for key, value in counts.items():
            self.extra[key] = self.extra.get(key, 0) + value
        if self.quiet:
            return
        if self.bar is not None:
            self.bar.update(n)
            if self.extra:
                self.bar.set_postfix(self.extra, refresh=False)
        elif time.monotonic() - self._last >= PLAIN_EVERY:
            self._line()

    def _line(self) -> None:
        self._last = now = time.monotonic()
        self._shown = self.count
        rate = self.count / max(now - self.start, 1e-9)
        of = f"/{self.total}" if self.total is not None else ""
        extra = "".join(f", {value} {key}" for key, value in self.extra.items())
        print(f"{self.desc}: {self.count}{of} {self.unit}s{extra} ({rate:.1f} {self.unit}/s)", file=self.stream)
        self.stream.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif not self.quiet and self._shown and self.count != self._shown:  # work that took long: its last count
            self._line()


@contextlib.contextmanager
def progress(desc: str, total: int | None = None, unit: str = "item") -> Iterator[Progress]:
    """``with progress("build", total=n, unit="doc") as bar: ... bar.update()``."""
    bar = Progress(desc, total, unit)
    try:
        yield bar
    finally:
        bar.close()


def tracked(items: Iterable[_T], desc: str, total: int | None = None, unit: str = "item") -> Iterator[_T]:
    """``items``, one at a time, counted on a progress bar (a loop keeps its body as it is)."""
    with progress(desc, total, unit) as bar:
        for item in items:
            yield item
            bar.update()
