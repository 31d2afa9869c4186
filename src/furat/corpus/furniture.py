"""Features of a page's lines that tell page furniture from article text, whatever the outlet.

A line's shape decides much: body text is long and ends a sentence; a link, a button, a tag or a
timestamp is short and does not. These helpers compute such features; ``seeds/cleaning.json``
holds the words and patterns, and :mod:`furat.corpus.ingest` decides with both.
"""

from __future__ import annotations

import re
from datetime import date

from furat.corpus.rules import Timestamps

__all__ = ["ascii_digits", "is_final", "looks_like_body", "parse_date", "timestamp", "words"]

# A word: letters, digits and the marks written on them (a damma or a shadda does not split a word).
_WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+")
_FINAL = re.compile(r"[.!?؟…][\"'»”)\]]*\s*$")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_SEPARATORS = re.compile(r"^[\s\-–—|,،:/·•()]*$")


def words(text: str) -> list[str]:
    """The words of a line; marks stay with their letters."""
    return _WORD.findall(text)


def is_final(text: str) -> bool:
    """True when the line ends a sentence (``.``, ``!``, ``?``, ``؟``, ``…``, perhaps before a quote)."""
    return bool(_FINAL.search(text))


def looks_like_body(text: str, min_words: int) -> bool:
    """Long and ending a sentence: what article text looks like, and furniture almost never does."""
    return len(words(text)) >= min_words and is_final(text)


def ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits as ASCII digits (one character for one, so offsets hold)."""
    return text.translate(_DIGITS)


def parse_date(match: re.Match[str], months: dict[str, int]) -> str | None:
    """The ISO date of a match with ``day``, ``month`` (a number or a month name) and ``year`` groups."""
    groups = match.groupdict()
    month_text = (groups.get("month") or "").strip()
    month = int(month_text) if month_text.isdigit() else months.get(month_text)
    if month is None and groups.get("month2"):
        month = months.get(groups["month2"].strip())
    try:
        day, year = int(groups["day"]), int(groups["year"])
        if month is not None and month > 12 >= day:  # a month-first date (3/14/2019)
            day, month = month, day
        return date(year, month or 0, day).isoformat()
    except (KeyError, TypeError, ValueError):
        return None


def timestamp(text: str, stamps: Timestamps, months: dict[str, int]) -> tuple[bool, str | None, bool]:
    """Whether the line is only a timestamp; the Gregorian date it states; whether it states a Hijri one.

    The line is read with ASCII digits. Dates, Hijri dates, times and the words that go with them
    (``نُشر في``, weekdays, ``آخر تحديث``) are taken out; a timestamp is a line where nothing but
    separators is left. Relative times (``منذ 3 ساعات``) are timestamps without a date.
    """
    line = ascii_digits(text)
    if len(words(line)) > stamps.max_words:
        return False, None, False
    if stamps.relative.fullmatch(line.strip()):
        return True, None, False
    found: str | None = None
    rest = line
    for pattern in stamps.dates:
        for match in pattern.finditer(rest):
            found = found or parse_date(match, months)
        rest = pattern.sub(" ", rest)
    hijri = bool(stamps.hijri.search(rest))
    rest = stamps.hijri.sub(" ", rest)
    has_time = bool(stamps.time.search(rest))
    rest = stamps.time.sub(" ", rest)
    if found is None and not hijri and not has_time:
        return False, None, False
    rest = stamps.noise.sub(" ", rest)
    return bool(_SEPARATORS.match(rest)), found, hijri
