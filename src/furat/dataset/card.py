"""The dataset card: YAML (configs, dataset_info, licence, tasks), a short guide and the datasheet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from furat.dataset.summary import CONFIGS, SPLITS, Summary

# One row per ...: what each config holds, for the card and the summaries.
CONFIG_ROWS = {
    "documents": "document (text, metadata, sentence and paragraph spans)",
    "entities": "entity mention",
    "quantities": "quantity mention, with its normalized value",
    "stance": "stance (holder, target, label, evidence span)",
    "ner": "sentence (tokens and BIO tags)",
}


def size_category(n: int) -> str:
    """The Hub's ``size_categories`` value for ``n`` examples."""
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")]
    bounds += [(10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B")]
    return next((name for bound, name in bounds if n < bound), "n>1B")


TAGS = ("news", "arabic", "modern-standard-arabic", "stance-detection", "quantities", "numerals")
LICENSE_NAME = "cc-by-4.0-annotations-publishers-copyright-texts"
LICENSE_DETAILS = (
    "Furat's annotations and annotation guidelines are released under CC BY 4.0, its code under Apache-2.0. "
    "The article texts remain the copyright of their publishers: Furat has no licence from them and grants "
    "none; they are included for non-commercial research use only, and users must make sure their own use "
    "is lawful where they are. An article is taken down when its publisher (or a person named in it) asks: "
    "open an issue titled 'takedown: <document id or URL>' in the repository or on this dataset's discussion "
    "page. See DATASHEET.md, Distribution."
)


def _annotations_creators(summary: Summary) -> list[str]:
    """From the annotation files' provenance: what kinds of annotator made the published labels."""
    kinds = {kind for doc in summary.annotated for kind, _ in doc.annotators}
    if not summary.annotated:
        return ["no-annotation"]
    creators = set()
    for kind in kinds:
        creators.add("machine-generated" if kind in ("ai-agent", "model", "rules") else "other")
    return sorted(creators)


def _counts_table(counts: Mapping[str, Mapping[str, int]]) -> str:
    lines = ["| config | one row per | train | validation | test |", "| --- | --- | ---: | ---: | ---: |"]
    for config in CONFIGS:
        per = counts.get(config, {})
        cells = [str(per[s]) if per.get(s) else "—" for s in SPLITS]
        lines.append(f"| `{config}` | {CONFIG_ROWS[config]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def dataset_card(
    summary: Summary,
    infos: Mapping[str, Any],
    counts: Mapping[str, Mapping[str, int]],
    datasheet: str,
    repo_id: str | None = None,
) -> str:
    """The card: YAML (``configs``, ``dataset_info``, licence, tasks, ...), a short guide, the datasheet."""
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCardData

    largest = max((sum(per.values()) for per in counts.values()), default=0)
    data = DatasetCardData(
        language=["ar"],
        pretty_name="Furat",
        license="other",
        license_name=LICENSE_NAME,
        license_link="DATASHEET.md",
        license_details=LICENSE_DETAILS,
        annotations_creators=_annotations_creators(summary),
        language_creators=["found"],
        multilinguality=["monolingual"],
        size_categories=[size_category(largest)],
        source_datasets=["original"],
        task_categories=["token-classification", "text-classification"],
        task_ids=["named-entity-recognition", "multi-class-classification"],
        tags=list(TAGS),
    )
    DatasetInfosDict(dict(infos)).to_dataset_card_data(data)
    configs = {
        config: {"data_files": [{"split": s, "path": f"data/{config}/{s}-*"} for s in SPLITS if counts[config].get(s)]}
        for config in infos
    }
    MetadataConfigs(configs).to_dataset_card_data(data)
    missing = [c for c in CONFIGS if c not in infos]
    empty = [f"`{c}`/{s}" for c in infos for s in SPLITS if not counts[c].get(s)]
    where = repo_id or "dist/dataset"
    absent = ""
    if missing or empty:
        parts = []
        if missing:
            parts.append("configs " + ", ".join(f"`{c}`" for c in missing) + " have no rows yet")
        if empty:
            parts.append("these splits have no rows: " + ", ".join(empty))
        absent = (
            "\n\nLeft out of this build because `datasets` cannot load a split without rows: "
            + "; ".join(parts)
            + ". Annotation configs only hold documents that have an annotation file."
        )
    body = f"""# Furat (الفرات)

Arabic news articles (Modern Standard Arabic) on ISIS after its loss of territory, its fighters crossing
the Iraq–Syria border and the battle for Baghuz, with stand-off annotations of named entities, quantities
and stance. Offsets are half-open ranges of Unicode code points into a document's `text`
(`text[start:end]` in Python). Splits are by document, as recorded in the repository's
`seeds/manifest.json`.

{_counts_table(counts)}{absent}

```python
from datasets import load_dataset

ner = load_dataset("{where}", "ner")
names = ner["train"].features["ner_tags"].feature.names  # O, B-PER, I-PER, ...
for row in ner["train"]:
    tags = [names[t] for t in row["ner_tags"]]  # one tag per token in row["tokens"]

documents = load_dataset("{where}", "documents")
entities = load_dataset("{where}", "entities")  # doc_id, sentence_id, start, end, text, label
```

**Licence.** The article texts belong to their publishers; Furat has no licence to redistribute them.
They are shared for research only and are taken down on request: read the datasheet's
*Distribution* section below before using them.

"""
    return f"---\n{data.to_yaml()}\n---\n\n{body}{datasheet.rstrip()}\n"
