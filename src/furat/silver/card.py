"""The card of a silver dataset: ``annotation_status: silver``, the pre-annotator and its measured scores."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from furat import __version__
from furat.core.findings import FuratError
from furat.dataset.card import CONFIG_ROWS, LICENSE_DETAILS, LICENSE_NAME, TAGS, size_category

__all__ = ["scores", "write_card"]


def scores(root: Path) -> dict[str, Any] | None:
    """The pre-annotator's precision and recall against the repository's gold (leave one document out)."""
    from furat.annotate.evaluation import preannotator_scores

    try:
        score = preannotator_scores(root)
    except FuratError:
        return None
    layers = {"entities": score.entities, "quantities": score.quantities}
    figures: dict[str, Any] = {"gold_documents": score.documents}
    for name, s in layers.items():
        if s is None:  # the gold does not annotate this layer
            continue
        figures[name] = {
            "precision": round(s.precision, 4),
            "recall": round(s.recall, 4),
            "f1": round(s.f1, 4),
            "matched": s.matched,
            "missed": s.only_a,
            "spurious": s.only_b,
        }
    return figures


def write_card(
    root: Path, out: Path, blocks: int, documents: int, rows: dict[str, int], skipped: dict[str, int], size: int
) -> None:
    """``out/README.md``: configs over every block's files, features, counts and provenance."""
    from datasets import DatasetInfo, SplitDict, SplitInfo
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCardData

    from furat.annotate.preannotate import MODEL_VERSION
    from furat.dataset.features import config_features
    from furat.silver.steps import CONFIGS

    features = config_features(root / "schema")
    written = [c for c in CONFIGS if rows.get(c)]
    infos = {}
    for config in written:
        splits = SplitDict()
        nbytes = sum(p.stat().st_size for p in (out / "data" / config).glob("*.parquet"))
        splits.add(SplitInfo(name="train", num_examples=rows[config]))
        infos[config] = DatasetInfo(config_name=config, features=features[config], splits=splits, download_size=nbytes)
    figures = scores(root)
    data = DatasetCardData(
        language=["ar"],
        pretty_name="Furat silver",
        license="other",
        license_name=LICENSE_NAME,
        license_details=LICENSE_DETAILS,
        annotations_creators=["machine-generated"],
        language_creators=["found"],
        multilinguality=["monolingual"],
        size_categories=[size_category(max(rows.values(), default=0))],
        task_categories=["token-classification"],
        task_ids=["named-entity-recognition"],
        tags=[*TAGS, "silver"],
        annotation_status="silver",
        annotators=[
            {
                "id": MODEL_VERSION,
                "kind": "rules",
                "description": "quantity recognizer + gazetteer",
                "furat": __version__,
            }
        ],
        preannotator_scores=figures,
        silver_counts={"documents": documents, "skipped": skipped, "blocks": blocks, "input_bytes": size},
    )
    DatasetInfosDict(infos).to_dataset_card_data(data)
    configs = {c: {"data_files": [{"split": "train", "path": f"data/{c}/train-*"}]} for c in written}
    MetadataConfigs(configs).to_dataset_card_data(data)
    lines = ["| config | one row per | rows |", "| --- | --- | ---: |"]
    lines += [f"| `{c}` | {CONFIG_ROWS[c]} | {rows.get(c, 0)} |" for c in CONFIGS]
    if figures is None:
        measured = "The repository had no gold annotations, so the pre-annotator is not scored."
    else:
        e, q = figures["entities"], figures["quantities"]
        measured = (
            f"Measured against the gold of {figures['gold_documents']} documents (exact spans; each document's "
            f"gazetteer leaves its own gold out): entities precision {e['precision']:.3f}, recall "
            f"{e['recall']:.3f}; quantities precision {q['precision']:.3f}, recall {q['recall']:.3f}."
        )
    reasons = ", ".join(f"{n} {code}" for code, n in skipped.items()) or "none"
    body = f"""# Furat silver

Machine ("silver") annotation of Arabic news articles: named entities from a gazetteer and quantities
from Furat's rule-based recognizer (`{MODEL_VERSION}`, furat {__version__}). Nobody has checked these labels;
they are not the gold of the Furat corpus. Each article was cleaned and segmented as `furat ingest`
cleans the corpus seeds. Offsets are half-open ranges of Unicode code points into a document's `text`.

{measured}

{chr(10).join(lines)}

{documents} documents were annotated; articles left out: {reasons}.

```python
from datasets import load_dataset

ner = load_dataset("path/to/this/folder", "ner")
entities = load_dataset("path/to/this/folder", "entities")
```
"""
    card = f"---\n{data.to_yaml()}\n---\n\n{body}"
    temp = out / ".README.md.tmp"
    temp.write_text(card, encoding="utf-8")
    os.replace(temp, out / "README.md")
