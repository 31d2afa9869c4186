"""Quantity coverage: every number written in the corpus, in digits or in words, is either inside a
gold quantity or in a category the guidelines exclude (GUIDELINES §3.1: a date, an identifier, an
ordinal, "one" as an article or idiom, a time, part of a name). ``furat coverage`` lists the numbers that are neither.

For gold files these are validate findings (``number-uncovered``), with the provenance rule of
:mod:`furat.check.provenance`: :func:`gold_checks` is what ``furat validate`` runs, so CI runs them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from furat.check.provenance import provenance_findings
from furat.core.annotation import AnnotationSet
from furat.core.findings import Finding, FuratError
from furat.core.model import Document
from furat.core.repo import Repo

__all__ = ["Number", "find_numbers", "gold_checks", "gold_file_checks", "quantity_coverage"]

_DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9"
_NUMBER_DIGITS = re.compile(rf"[{_DIGITS}]+(?:[.,\u066b\u066c:][{_DIGITS}]+)*")
_WORD = re.compile(r"(?:[^\W\d_]|[\u064b-\u065f\u0670\u0640])+")  # a word with its diacritics and tatweel
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")

_CARDINALS = set(
    """واحد واحدة اثنان اثنين اثنتان اثنتين اثنا اثني ثلاث ثلاثة أربع أربعة خمس خمسة ست ستة سبع سبعة ثمان ثماني
    ثمانية تسع تسعة عشر عشرة عشرون عشرين ثلاثون ثلاثين أربعون أربعين خمسون خمسين ستون ستين سبعون سبعين ثمانون
    ثمانين تسعون تسعين مئة مائة مئات مئتان مئتي مائتان مائتين ألف ألفا آلاف ألوف ألفين ألفان مليون ملايين مليونين
    مليونان مليار مليارات عشرات بضع بضعة نصف ثلث ربع أرباع أضعاف""".split()
)
_ORDINALS = set(
    """أول أولى ثاني ثانية ثالث ثالثة رابع رابعة خامس خامسة سادس سادسة سابع سابعة ثامن ثامنة تاسع تاسعة عاشر
    عاشرة""".split()
)
_MONTHS = (
    "يناير|فبراير|مارس|أبريل|إبريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر|كانون|شباط|آذار|نيسان"
    "|أيار|حزيران|تموز|آب|أيلول|تشرين"
)
_IDENTIFIER_BEFORE = re.compile(
    r"(?:اللواء|لواء|الفرقة|فرقة|الفوج|فوج|القرار|قرار|العدد|الصفحة|رقم|الرقم|الكتيبة|المادة)\s*:?\s*(?:ال)?ـ?$"
)
_YEAR_BEFORE = re.compile(rf"(?:عام|العام|سنة|منذ|في|أوائل|أواخر|مطلع|منتصف|/|{_MONTHS})\s*\S*\s*$")
_DAY_OF_MONTH = re.compile(rf"^\s*(?:من\s+)?(?:{_MONTHS})")


@dataclass(frozen=True)
class Number:
    doc_id: str
    start: int
    end: int
    text: str
    category: str  # quantity, date, identifier, ordinal, one, time, name, or "" (neither)


_PREFIXES = ("", "ال", "و", "ف", "ب", "ل", "ك", "وال", "فال", "بال", "كال", "لل", "وب", "وبال", "ول", "ولل")


def _number_word(word: str) -> tuple[int, bool] | None:
    """Where the number inside ``word`` starts (after attached proclitics; the article stays with it,
    as in a quantity span: بالعشرات -> العشرات), and whether it is an ordinal; None when the word is
    no number. The word itself is tried first, so واحد is not read as و + احد."""
    plain = _DIACRITICS.sub("", word)
    for prefix in _PREFIXES:
        rest = plain[len(prefix) :]
        if plain.startswith(prefix) and (rest in _CARDINALS or rest in _ORDINALS):
            keep = 2 if prefix.endswith("ال") and prefix != "لل" else 0  # letters of ال to keep
            letters, offset = 0, 0
            while letters < len(prefix) - keep:  # skip the proclitics' letters (and any diacritics)
                if not _DIACRITICS.match(word[offset]):
                    letters += 1
                offset += 1
            return offset, rest in _ORDINALS
    return None


def find_numbers(text: str) -> list[tuple[int, int, str, bool]]:
    """Numbers written in digits or words: (start, end, text, is_ordinal_word)."""
    found = [(m.start(), m.end(), m.group(), False) for m in _NUMBER_DIGITS.finditer(text)]
    for m in _WORD.finditer(text):
        number = _number_word(m.group())
        if number is not None:
            offset, ordinal = number
            found.append((m.start() + offset, m.end(), m.group()[offset:], ordinal))
    return sorted(found)


def _category(doc: Document, gold: AnnotationSet, start: int, end: int, text: str, ordinal: bool) -> str:
    if any(q.start <= start and end <= q.end for q in gold.quantities):
        return "quantity"
    decided = next((n for n in gold.not_quantities if n.start <= start and end <= n.end), None)
    if decided is not None:
        return f"decided ({decided.rule})"  # the annotators' own record, by a guideline rule
    if any(e.start <= start and end <= e.end for e in gold.entities):
        return "name"
    if ordinal:
        return "ordinal"
    if _DIACRITICS.sub("", text) in ("واحد", "واحدة"):
        return "one"  # "one" as an article or in an idiom (خيار واحد، دفعة واحدة): GUIDELINES §3.1
    before, after = doc.text[max(0, start - 30) : start], doc.text[end : end + 20]
    digits = unicodedata.normalize("NFKC", text)
    if ":" in text:
        return "time"
    if _IDENTIFIER_BEFORE.search(before) or (text.isdigit() and len(text) >= 7):
        return "identifier"
    if text.isdigit() and len(digits) == 4 and 1900 <= int(digits) <= 2100 and _YEAR_BEFORE.search(before):
        return "date"
    if text.isdigit() and int(digits) <= 31 and (_DAY_OF_MONTH.search(after) or before.endswith("الـ")):
        return "date"
    return ""


def quantity_coverage(documents: list[Document], gold: dict[str, AnnotationSet]) -> list[Number]:
    """Every number of every document with gold annotations, with its category ("" when it has none)."""
    numbers = []
    for doc in documents:
        if doc.id not in gold:
            continue
        for start, end, text, ordinal in find_numbers(doc.text):
            category = _category(doc, gold[doc.id], start, end, text, ordinal)
            numbers.append(Number(doc.id, start, end, text, category))
    return numbers


def _status_line(path: Path) -> int:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return 0
    match = re.search(r'"status"\s*:', text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def gold_checks(root: Path, only: list[Path] | None = None) -> list[Finding]:
    """Findings of every gold file (or of the named ones): provenance, then numbers no quantity covers.

    A file that cannot be read as an annotation set is left to the rest of ``furat validate``.
    """
    repo = Repo(root)
    try:
        entries = repo.manifest
    except FuratError:
        return []
    wanted = None if only is None else {p.resolve() for p in only}
    return [finding for entry in entries for finding in gold_file_checks(repo, entry.id, wanted)]


def gold_file_checks(repo: Repo, doc_id: str, wanted: set[Path] | None = None) -> list[Finding]:
    """``gold_checks`` of one document of the manifest: nothing when its annotation file is not gold."""
    findings: list[Finding] = []
    if not repo.may_be_gold(doc_id):  # most files of a large repository are not gold: not parsed
        return findings
    try:  # a gold file that is a link out of the repository is reported by validate (symlink)
        path = repo.gold_path(doc_id)
    except FuratError:
        return findings
    if not path.is_file() or (wanted is not None and path.resolve() not in wanted):
        return findings
    try:
        gold = repo.annotation_set(path)
        if gold.provenance.get("status") != "gold":
            return findings
        document = repo.document(doc_id, lean=True)
    except FuratError:
        return findings
    rel = repo.rel(path)
    not_gold = provenance_findings(repo, doc_id, gold, rel, _status_line(path))
    findings += not_gold
    if not_gold or gold.text_sha256 != hashlib.sha256(document.text.encode("utf-8")).hexdigest():
        return findings  # one defect, one finding: a file that is not gold, or was made on another text
    if "quantities" not in gold.provenance.get("layers", ["quantities"]):
        return findings  # a file that says it annotates other layers only has no quantities to cover
    for number in quantity_coverage([document], {doc_id: gold}):
        if not number.category:
            context = document.text[max(0, number.start - 25) : number.end + 25].replace("\n", " ")
            message = (
                f"number {number.text!r} at [{number.start}, {number.end}) is in no quantity and no exclusion "
                f"(…{context}…); annotate it, or record it in not_quantities with its rule"
            )
            findings.append(Finding(rel, 1, "number-uncovered", message, pointer="/quantities"))
    return findings
