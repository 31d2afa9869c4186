"""The Label Studio labeling config, generated from ``schema/labels.json`` (never typed twice).

One ``<Text>`` object holds the document. Regions come from four ``<Labels>`` controls:

- ``entity``: one label per entity type, with the colour and hotkey of labels.json;
- ``quantity``: one label; per-region ``value``, ``low``, ``high`` (``<Number>``), ``unit``
  (``<Choices>`` from the units of labels.json; the kind follows from the unit) and ``approximate``;
- ``counted``: what a quantity counts, linked to its quantity by a relation;
- ``stance``: the evidence span; per-region ``target`` and ``stance_label`` (labels.json) and
  ``holder_kind`` (the annotation schema's enum), and a relation from the holder entity to it;
- ``not_quantity``: a number decided not to be a quantity, with the per-region ``rule`` that decides
  it (a Decisions row ``D29`` or a guidelines section ``§3.1``; the gold's ``not_quantities``).

Right-to-left display: Label Studio 1.23 renders a ``<Text>`` inline as
``div.lsf-richtext__container.htx-richtext`` with one ``span.lsf-richtext__line`` per line (joined by
``<br>``); the old ``.htx-text`` class no longer exists, so a ``<Style>`` on it does nothing. The
style below targets the container and its lines, inside a ``View`` of our own class.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from furat.core.labels import Labels, load_labels

__all__ = [
    "CONTROLS",
    "EXTRA_COLORS",
    "EXTRA_HOTKEYS",
    "HOLDER_KINDS",
    "INSTRUCTIONS_HTML",
    "RTL_CSS",
    "TEXT_NAME",
    "holder_kinds",
    "label_config",
]

TEXT_NAME = "text"

# Control names, as they appear in Label Studio results (``from_name``).
CONTROLS = {
    "entity": "entity",
    "quantity": "quantity",
    "counted": "counted",
    "stance": "stance",
    "value": "value",
    "low": "low",
    "high": "high",
    "unit": "unit",
    "approximate": "approximate",
    "target": "target",
    "stance_label": "stance_label",
    "holder_kind": "holder_kind",
    "not_quantity": "not_quantity",
    "rule": "rule",
}
QUANTITY_LABEL = "QUANTITY"
COUNTED_LABEL = "COUNTED"
STANCE_LABEL = "STANCE"
NOT_QUANTITY_LABEL = "NOT_QUANTITY"
APPROXIMATE_CHOICE = "approximate"

# Colours and hotkeys of the labels that labels.json does not list (it has them for entity types only).
# From the same palette as the entity colours; tests check that every colour and hotkey is distinct.
EXTRA_COLORS = {
    QUANTITY_LABEL: "#ffe119",
    COUNTED_LABEL: "#aaffc3",
    STANCE_LABEL: "#9a6324",
    NOT_QUANTITY_LABEL: "#a9a9a9",
}
EXTRA_HOTKEYS = {QUANTITY_LABEL: "q", COUNTED_LABEL: "c", STANCE_LABEL: "s", NOT_QUANTITY_LABEL: "x"}

# ``holder_kind`` values when the annotation schema cannot be read (it is the source; see holder_kinds()).
HOLDER_KINDS = ("entity", "unnamed", "author", "report")

RTL_CSS = """
.furat-text .lsf-richtext__container { direction: rtl; white-space: pre-wrap; font-size: 18px; line-height: 1.9; }
.furat-text .lsf-richtext__line {
  direction: rtl; unicode-bidi: plaintext; white-space: pre-wrap; text-align: start;
  display: inline-block; width: 100%; box-sizing: border-box; padding: 0 8px;
}
.furat-labels { display: flex; flex-wrap: wrap; gap: 0 12px; }
.furat-main { display: flex; gap: 12px; align-items: flex-start; }
.furat-text { flex: 1; min-width: 0; }
.furat-side { flex: 0 0 210px; position: sticky; top: 0; border-right: 1px solid #eee; padding-right: 8px; }
.furat-side h1, .furat-side h2, .furat-side h3, .furat-side h4, .furat-side h5, .furat-side h6 {
  font-size: 13px !important; margin: 6px 0 2px !important;
}
.furat-help { display: flex; gap: 16px; border: 1px solid #ddd; border-radius: 6px; padding: 4px 10px; }
.furat-help > div { flex: 1; }
.furat-help * { font-size: 13px !important; line-height: 1.45 !important; margin: 1px 0 !important; }
.furat-help .furat-ar { direction: rtl; unicode-bidi: plaintext; text-align: right; }
""".strip()

_HELP_AR = [
    "اختر وسمًا (أو اضغط مفتاحه) ثم حدّد الكلمات في النص. "
    "اترك حروف الجر والعطف المتصلة (و ف ب ل ك) خارج الكيان، وأبقِ «ال» داخله.",
    "الكمية: حدّد العدد مع ما يلازمه (نحو 200، أكثر من 600) ثم املأ القيمة أو الحد الأدنى والأعلى والوحدة و«تقريبي».",
    "المعدود (COUNTED): حدّد ما تعدّه الكمية ثم اربطه بها بعلاقة. "
    "الموقف (STANCE): حدّد عبارة الدليل ثم اختر الهدف والموقف، واربط صاحب الموقف (كيانًا) به بعلاقة.",
    "ليس كمية (NOT_QUANTITY): عدد تقرر أنه ليس كمية، مع القاعدة التي تقرر ذلك (D29، §3.1).",
]
_HELP_EN = [
    "Pick a label (or press its hotkey), then select the words. "
    "Attached و ف ب ل ك stay outside an entity; the article ال stays inside.",
    "Quantity: select the number with its modifiers (نحو 200، أكثر من 600), "
    "then fill value, or low/high, unit and approximate.",
    "COUNTED: what a quantity counts, linked to it by a relation. STANCE: select the evidence, "
    "choose target and stance, and draw a relation from the holder entity to it.",
    "NOT_QUANTITY: a number decided not to be a quantity, with the rule that decides it (D29, §3.1).",
]

INSTRUCTIONS_HTML = (
    "<h3>Furat — تعليمات / instructions</h3>"
    + "".join(f'<p dir="rtl">{line}</p>' for line in _HELP_AR)
    + "".join(f"<p>{line}</p>" for line in _HELP_EN)
    + "<p>Full guidelines: annotations/GUIDELINES.md</p>"
)


def holder_kinds(schema_dir: Path | None = None) -> tuple[str, ...]:
    """The ``holder_kind`` enum of the annotation schema (the contract), or the built-in copy."""
    if schema_dir is None:
        return HOLDER_KINDS
    try:
        schema = json.loads((schema_dir / "annotation.schema.json").read_text(encoding="utf-8"))
        return tuple(schema["$defs"]["stance"]["properties"]["holder_kind"]["enum"])
    except (OSError, ValueError, KeyError, TypeError):
        return HOLDER_KINDS


def _sub(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrs.items()})


def label_config(labels: Labels | None = None, schema_dir: Path | None = None) -> str:
    """The labeling config XML for the inventory ``labels`` (default: the repository's)."""
    labels = labels or load_labels(schema_dir / "labels.json" if schema_dir else None)
    root = ET.Element("View", {"className": "furat"})
    style = _sub(root, "Style")
    style.text = RTL_CSS

    help_view = _sub(root, "View", className="furat-help")
    english, arabic = _sub(help_view, "View", className="furat-en"), _sub(help_view, "View", className="furat-ar")
    for line in _HELP_EN:
        _sub(english, "Header", value=line, size="6")
    for line in _HELP_AR:
        _sub(arabic, "Header", value=line, size="6")

    label_row = _sub(root, "View", className="furat-labels")
    entity = _sub(label_row, "Labels", name=CONTROLS["entity"], toName=TEXT_NAME, choice="single", showInline="true")
    for label in labels.entity_types:
        attrs = {"value": label.code, "hint": f"{label.ar} — {label.en}: {label.definition_en}"}
        if label.color:
            attrs["background"] = label.color
        if label.hotkey:
            attrs["hotkey"] = label.hotkey
        _sub(entity, "Label", **attrs)
    for name, value, hint in (
        ("quantity", QUANTITY_LABEL, "كمية — quantity: a number with what makes it exact or approximate"),
        ("counted", COUNTED_LABEL, "المعدود — what a quantity counts; link it to its quantity"),
        ("stance", STANCE_LABEL, "موقف — stance evidence; link the holder entity to it"),
        ("not_quantity", NOT_QUANTITY_LABEL, "ليس كمية — a number decided not to be a quantity; give the rule"),
    ):
        control = _sub(label_row, "Labels", name=CONTROLS[name], toName=TEXT_NAME, choice="single", showInline="true")
        _sub(control, "Label", value=value, background=EXTRA_COLORS[value], hotkey=EXTRA_HOTKEYS[value], hint=hint)

    # The text, with the selected region's fields in a panel beside it that stays in view (sticky).
    main = _sub(root, "View", className="furat-main")
    side = _sub(main, "View", className="furat-side")
    _sub(side, "Header", value="حقول المنطقة المحددة / fields of the selected region", size="6")
    text_view = _sub(main, "View", className="furat-text")
    _sub(text_view, "Text", name=TEXT_NAME, value="$text", granularity="symbol", saveTextResult="yes")

    quantity = _sub(side, "View", visibleWhen="region-selected", whenLabelValue=QUANTITY_LABEL)
    _sub(quantity, "Header", value="القيمة / value (one number)", size="6")
    _sub(quantity, "Number", name=CONTROLS["value"], toName=TEXT_NAME, perRegion="true", step="any")
    _sub(quantity, "Header", value="الحد الأدنى / low (أكثر من، بين)", size="6")
    _sub(quantity, "Number", name=CONTROLS["low"], toName=TEXT_NAME, perRegion="true", step="any")
    _sub(quantity, "Header", value="الحد الأعلى / high (ما يصل إلى، بين)", size="6")
    _sub(quantity, "Number", name=CONTROLS["high"], toName=TEXT_NAME, perRegion="true", step="any")
    _sub(quantity, "Header", value="الوحدة / unit", size="6")
    unit = _sub(
        quantity,
        "Choices",
        name=CONTROLS["unit"],
        toName=TEXT_NAME,
        perRegion="true",
        choice="single",
        layout="select",
    )
    for u in labels.units:
        _sub(unit, "Choice", value=u.code, hint=f"{u.ar} — {u.en} ({u.kind})")
    approximate = _sub(quantity, "Choices", name=CONTROLS["approximate"], toName=TEXT_NAME, perRegion="true")
    _sub(approximate, "Choice", value=APPROXIMATE_CHOICE, hint="تقريبي (نحو، قرابة، حوالي) — approximate")

    stance = _sub(side, "View", visibleWhen="region-selected", whenLabelValue=STANCE_LABEL)
    _sub(stance, "Header", value="الهدف / target", size="6")
    target = _sub(stance, "Choices", name=CONTROLS["target"], toName=TEXT_NAME, perRegion="true", choice="single")
    for label in labels.stance_targets:
        _sub(target, "Choice", value=label.code, hint=f"{label.ar} — {label.en}")
    _sub(stance, "Header", value="الموقف / stance", size="6")
    stance_label = _sub(
        stance,
        "Choices",
        name=CONTROLS["stance_label"],
        toName=TEXT_NAME,
        perRegion="true",
        choice="single",
    )
    for label in labels.stance_labels:
        _sub(stance_label, "Choice", value=label.code, hint=f"{label.ar} — {label.en}: {label.definition_en}")
    _sub(stance, "Header", value="صاحب الموقف دون كيان / holder when no entity names them", size="6")
    holder = _sub(stance, "Choices", name=CONTROLS["holder_kind"], toName=TEXT_NAME, perRegion="true", choice="single")
    for kind in holder_kinds(schema_dir):
        _sub(holder, "Choice", value=kind)

    excluded = _sub(side, "View", visibleWhen="region-selected", whenLabelValue=NOT_QUANTITY_LABEL)
    _sub(excluded, "Header", value="القاعدة / rule (D29, §3.1)", size="6")
    _sub(
        excluded,
        "TextArea",
        name=CONTROLS["rule"],
        toName=TEXT_NAME,
        perRegion="true",
        maxSubmissions="1",
        editable="true",
        placeholder="D29",
    )

    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="unicode") + "\n"
