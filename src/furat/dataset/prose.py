"""The sentences of ``DATASHEET.md`` that depend on the data, generated like its tables.

Each function makes the text between one pair of ``<!-- stats:NAME -->`` markers from the manifest,
the corpus and the annotation files, so adding an article (with or without annotations) never leaves
a sentence that counts the old corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from furat.core.repo import Repo
from furat.dataset.summary import SPLITS, Summary, summarize

__all__ = ["annotators_note", "language_note", "number_words", "sample_note", "sources_note", "timeframe_note"]

_NUMBERS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
_MODEL = re.compile(r"\(([A-Z][\w .-]{0,40})\)")  # a model name in parentheses: (Claude)


def number_words(count: int) -> str:
    return _NUMBERS[count] if count < len(_NUMBERS) else str(count)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _of(count: int, total: int) -> str:
    return "all" if count == total and total > 1 else number_words(count)


def sources_note(root: Path, summary: Summary | None = None) -> str:
    """How many articles state their outlet, date and source URL."""
    docs = (summary or summarize(root)).documents
    total = len(docs)
    unnamed = sum(1 for d in docs if not d.meta.outlet)
    dated = sorted(d.meta.published for d in docs if d.meta.published)
    urls = sum(1 for d in docs if d.meta.url)
    article = "article" if total == 1 else "articles"
    parts = [
        f"{_cap(_of(unnamed, total))} of the {number_words(total)} {article} name no outlet; their outlet is unknown."
        if unnamed
        else f"Each of the {number_words(total)} {article} names its outlet.",
        f"{_cap(_of(len(dated), total))} state a publication date ({', '.join(dated)})"
        + (f"; the other {number_words(total - len(dated))} state none." if len(dated) < total else ".")
        if dated
        else "None states a publication date.",
        "No source URL is recorded for any of them."
        if not urls
        else f"A source URL is recorded for {_of(urls, total)} of them.",
    ]
    return " ".join(parts)


def sample_note(root: Path, summary: Summary | None = None) -> str:
    """How small the splits are."""
    docs = (summary or summarize(root)).documents
    sizes = Counter(d.split for d in docs)
    held = ", ".join(f"{split} {sizes[split]}" for split in SPLITS)
    small = min(sizes[split] for split in ("validation", "test"))
    verdict = "scores on them say little." if small < 20 else "read scores on them with their size in mind."
    return f"With {number_words(len(docs))} articles, the splits hold (documents): {held}; {verdict}"


def timeframe_note(root: Path, summary: Summary | None = None) -> str:
    """When the dated articles were published."""
    dated = sorted(d.meta.published for d in (summary or summarize(root)).documents if d.meta.published)
    if not dated:
        return "No article states its publication date."
    if len(dated) == 1:
        return f"The one dated article was published on {dated[0]}."
    return f"The {number_words(len(dated))} dated articles were published between {dated[0]} and {dated[-1]}."


def language_note(root: Path, summary: Summary | None = None) -> str:
    """The years and outlets the articles state."""
    docs = (summary or summarize(root)).documents
    years = sorted({d.meta.published[:4] for d in docs if d.meta.published})
    undated = sum(1 for d in docs if not d.meta.published)
    outlets = list(dict.fromkeys(d.meta.outlet for d in docs if d.meta.outlet))
    unnamed = sum(1 for d in docs if not d.meta.outlet)
    when = f"dated {', '.join(years)}" if years else "with no stated date"
    text = f"Written news prose, {when} ({number_words(undated)} of the articles state no date)."
    if outlets:
        text += f" The outlets the articles name are {', '.join(outlets)}"
        text += f"; {number_words(unnamed)} articles name none, and their outlets are unknown." if unnamed else "."
    return text


def annotators_note(root: Path) -> str:
    """Who made the annotation files, as their provenance records it: passes, adjudicators, kinds."""
    repo = Repo(root)
    gold_files = repo.gold_sets()
    if not gold_files:
        return "No document has gold annotations yet."
    passes: dict[str, str] = {}
    adjudicators: dict[str, str] = {}
    adjudicated = 0
    humans = 0
    pass_kinds: set[str] = set()
    for gold in gold_files.values():
        recorded = gold.provenance.get("passes", [])
        adjudicated += len(recorded) >= 2
        pass_ids = {Path(p).stem for p in recorded}
        for annotator in gold.provenance.get("annotators", []):
            target = passes if annotator.get("id") in pass_ids else adjudicators
            target[str(annotator.get("id"))] = str(annotator.get("description", ""))
            humans += annotator.get("kind") == "human"
            if target is passes:
                pass_kinds.add(str(annotator.get("kind")))
    models = sorted({m for d in (*passes.values(), *adjudicators.values()) for m in _MODEL.findall(d)})
    model = f"a large language model ({', '.join(models)})" if models else "a large language model"
    if not pass_kinds <= {"ai-agent", "model"}:
        model = f"an annotator of kind {', '.join(sorted(pass_kinds))} (see the files' provenance)"
    ids = ", ".join(f"`{a}`" for a in sorted(passes))
    judges = ", ".join(f"`{a}`" for a in sorted(adjudicators))
    files = len(gold_files)
    share = (
        f"All {number_words(files)}"
        if adjudicated == files
        else f"{_cap(number_words(adjudicated))} of the {number_words(files)}"
    )
    text = (
        f"{share} gold files were adjudicated from "
        f"at least two independent passes ({ids}); each pass is an independent run of {model}. "
        f"The adjudicator ({judges}) is a further run of the same model that decided each disagreement "
        "by the guidelines (`annotations/ADJUDICATION.md`)."
    )
    if not humans:
        text += " No human annotated any document."
    return text
