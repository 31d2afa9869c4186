"""Generated sections of Markdown files, between marker comments.

``<!-- NAME:KEY -->`` … ``<!-- /NAME:KEY -->`` pairs enclose text that a command writes; everything
outside them is written by people and is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["fill_markers", "marker_keys"]


def _pattern(name: str, key: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- {name}:{re.escape(key)} -->\n)(.*?)(<!-- /{name}:{re.escape(key)} -->)", re.DOTALL)


def marker_keys(text: str, name: str) -> list[str]:
    """The keys of the ``name`` markers in ``text``, in order."""
    return re.findall(rf"<!-- {name}:([\w.-]+) -->", text)


def fill_markers(text: str, name: str, sections: Mapping[str, str]) -> str:
    """``text`` with the content of each ``name:key`` marker pair replaced by ``sections[key]``."""
    for key, content in sections.items():
        body = content if content.endswith("\n") else content + "\n"

        def replace(match: re.Match[str], body: str = body) -> str:
            return match.group(1) + body + match.group(3)

        text = _pattern(name, key).sub(replace, text)
    return text
