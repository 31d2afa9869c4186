"""Arabic orthographic normalization for matching names, with every character traced to the text.

Matching compares normalized forms; spans are always offsets into the original text (guidelines G1,
G5). Normalization folds the variants that news writing uses for one name: alef with hamza or madda
and alef wasla to bare alef, alef maqsura to ya, ta marbuta to ha, hamza on waw or ya to the bare
letter, Persian/Urdu kaf and ya to the Arabic letters; it drops diacritics (harakat, tanwin, shadda,
sukun, dagger alef) and tatweel, and reads the loanword spelling ``ميرك`` as ``مريك``
(أميركي / أمريكي). Library normalizers (pyarabic, camel-tools) return a new string without the
offsets back into the text, which is what annotation needs, so the mapping is done here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Token", "fold", "normalize", "tokens"]

_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ک": "ك",
        "ی": "ي",
        "ي": "ي",
    }
)
# harakat, tanwin, shadda, sukun, dagger alef, Quranic marks, tatweel
_DROP = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_WORD = re.compile(r"[^\W_]+(?:[\u0640\u064b-\u065f\u0670]+[^\W_]*)*")
_VARIANTS = (("ميرك", "مريك"),)


def fold(text: str) -> str:
    """The normalized form of ``text`` (no offsets): for names and gazetteer keys."""
    out = _DROP.sub("", text).translate(_FOLD)
    for old, new in _VARIANTS:
        out = out.replace(old, new)
    return out


def normalize(text: str) -> tuple[str, list[int]]:
    """The normalized text and, for each of its characters, the offset of its source in ``text``."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if _DROP.fullmatch(ch):
            continue
        chars.append(ch.translate(_FOLD))
        where.append(i)
    out = "".join(chars)
    for old, new in _VARIANTS:  # same length: the offsets stay
        out = out.replace(old, new)
    return out, where


@dataclass(frozen=True)
class Token:
    """A word of the text: its offsets and its normalized form."""

    start: int
    end: int
    norm: str
    plain: str  # the word as written without diacritics and tatweel: the same length as ``norm``


def tokens(text: str) -> list[Token]:
    """The words of ``text`` (letters and digits, with the diacritics and tatweel inside them)."""
    return [Token(m.start(), m.end(), fold(m.group()), _DROP.sub("", m.group())) for m in _WORD.finditer(text)]
