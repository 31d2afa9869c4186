"""The card of a silver dataset: ``annotation_status: silver``, the pre-annotator and its measured scores."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from furat import __version__
from furat.core.findings import FuratError
from furat.dataset.card import CONFIG_ROWS, LICENSE_DETAILS, LICENSE_NAME, TAGS, size_category

__all__ = ["GOLD_EVALUATION", "HELD_OUT_EVALUATION", "UNSEEN_EVALUATION", "scores", "write_card"]


GOLD_EVALUATION = "the corpus gold, no document scored with its own gold (furat eval preannotator)"
UNSEEN_EVALUATION = (
    "the development sets tests/fixtures/preannotate_dev and preannotate_dev2, constructed texts the rules were tuned "
    "on while looking at their errors: development figures (furat eval preannotator)"
)
HELD_OUT_EVALUATION = (
    "the held-out test set tests/fixtures/preannotate_test, constructed texts never used for tuning "
    "(furat eval preannotator)"
)


def _figures(score: Any, evaluation: str) -> dict[str, Any]:
    figures: dict[str, Any] = {"evaluation": evaluation, "gold_documents": score.documents}
    for name, s in (("entities", score.entities), ("quantities", score.quantities)):
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


def scores(root: Path) -> dict[str, Any] | None:
    """The pre-annotator's precision and recall, computed here by ``furat.annotate.evaluation`` with the
    pre-annotator silver runs: against the corpus gold (each document's gazetteer leaves its own gold out)
    and, when the repository has them, on the development set (``unseen``, tuned on) and on the held-out
    test set (``held_out``, never tuned on)."""
    from furat.annotate.evaluation import held_out_scores, preannotator_scores, unseen_scores

    try:
        score = preannotator_scores(root)
    except FuratError:
        return None
    figures = _figures(score, GOLD_EVALUATION)
    unseen = unseen_scores(root)
    if unseen is not None:
        figures["unseen"] = _figures(unseen, UNSEEN_EVALUATION)
    held_out = held_out_scores(root)
    if held_out is not None:
        figures["held_out"] = _figures(held_out, HELD_OUT_EVALUATION)
    return figures


def _measured(figures: dict[str, Any] | None) -> str:
    if figures is None:
        return "The repository had no gold annotations, so the pre-annotator is not scored."
    lines = []
    for part in (figures, figures.get("unseen"), figures.get("held_out")):
        if part is None:
            continue
        layers = "; ".join(
            f"{name} precision {part[name]['precision']:.3f}, recall {part[name]['recall']:.3f}"
            for name in ("entities", "quantities")
            if name in part
        )
        lines.append(f"- on {part['evaluation']}, {part['gold_documents']} documents (exact spans): {layers}.")
    return "Precision and recall of this pre-annotator, computed when this card was written:\n\n" + "\n".join(lines)


def write_card(
    root: Path, out: Path, blocks: int, documents: int, rows: dict[str, int], skipped: dict[str, int], size: int
) -> None:
    """``out/README.md``: configs over every block's files, features, counts and provenance."""
    from datasets import DatasetInfo, SplitDict, SplitInfo
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCardData

    from furat.annotate.preannotate import MODEL_DESCRIPTION, MODEL_VERSION
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
                "description": MODEL_DESCRIPTION,
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
    measured = _measured(figures)
    reasons = ", ".join(f"{n} {code}" for code, n in skipped.items()) or "none"
    body = f"""# Furat silver

Machine ("silver") annotation of Arabic news articles: named entities from gazetteers and trigger
rules, and quantities from Furat's rule-based recognizer (`{MODEL_VERSION}`, furat {__version__}), the
pre-annotator of `furat preannotate`. Nobody has checked these labels; they are not the gold of the
Furat corpus. Each article was cleaned and segmented as `furat ingest`
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
