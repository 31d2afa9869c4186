"""Label Studio's ML backend, without a server: the interactive request of a quantity an annotator draws."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from werkzeug.test import Client

from furat.studio.backend import make_app


def test_studio_backend_fills_the_fields_of_a_drawn_quantity_from_the_recognizer(root: Path) -> None:
    """Label Studio's interactive request: the drawn regions in ``params.context.result``."""
    text = "قال المتحدث إن نحو 200 مقاتل استسلموا، وإن أكثر من 600 فروا إلى الصحراء.\n"

    def region(rid: str, surface: str, control: str = "quantity", **extra: Any) -> dict[str, Any]:
        start = text.index(surface)
        value = {"start": start, "end": start + len(surface), "text": surface}
        kind = "labels" if control in ("quantity", "entity") else "number"
        return {"id": rid, "from_name": control, "to_name": "text", "type": kind, "value": value | extra}

    drawn = [
        region("a", "نحو 200", labels=["QUANTITY"]),
        region("b", "600", labels=["QUANTITY"]),  # only the number: its sentence makes it a lower bound
        region("c", "المتحدث", "entity", labels=["PER"]),  # not a quantity: left alone
        region("d", "200", labels=["QUANTITY"]),
        region("d", "200", "value", number=2),  # the annotator's own value: left alone
    ]
    task = {"id": 5, "data": {"text": text}}
    body = {"tasks": [task], "params": {"context": {"result": drawn}}}
    answer = Client(make_app(root)).post("/predict", json=body)
    assert answer.status_code == 200 and answer.json is not None
    [filled] = answer.json["results"]
    fields: dict[str, dict[str, Any]] = {}
    for result in filled["result"]:
        assert result["value"]["text"] == text[result["value"]["start"] : result["value"]["end"]]
        value = result["value"]
        fields.setdefault(result["id"], {})[result["from_name"]] = value.get("number", value.get("choices"))
    assert fields == {
        "a": {"quantity": None, "value": 200, "unit": ["count"], "approximate": ["approximate"]},
        "b": {"quantity": None, "low": 600, "unit": ["count"]},
    }
    spans = {r["id"]: (r["value"]["start"], r["value"]["end"]) for r in filled["result"]}
    assert spans == {r["id"]: (r["value"]["start"], r["value"]["end"]) for r in drawn[:2]}  # as drawn
    # Without a context it is the usual pre-annotation of the whole task.
    plain = Client(make_app(root)).post("/predict", json={"tasks": [task]})
    assert plain.json is not None
    predicted = plain.json["results"][0]["result"]
    assert predicted and not {r.get("id") for r in predicted} & {"a", "b", "c", "d"}
