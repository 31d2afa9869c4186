"""Exports to other tools' formats, and imports back: on the real gold documents of the repository."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from furat.cli.main import main
from furat.core.annotation import AnnotationSet, Entity, Quantity, Span, Stance, text_sha256
from furat.core.codes import CODES
from furat.core.labels import load_labels
from furat.core.model import Document, Meta, Segment
from furat.dataset.rows import ner_tags
from furat.dataset.summary import iter_documents, read_splits
from furat.export import EXPORT_FORMATS
from furat.export.brat import from_brat, to_brat
from furat.export.cas import from_cas, load_type_system, to_xmi, type_system
from furat.export.common import Exported, LossReport
from furat.export.run import export_repository, import_directory
from furat.export.tokens import conll_document
from tests.conftest import FIXTURES, ROOT

LABELS = load_labels(ROOT / "schema" / "labels.json")
DOCUMENTS = {doc.id: (split, doc, ann) for split, doc, ann in iter_documents(ROOT, read_splits(ROOT))}
ANNOTATED = [doc_id for doc_id, (_, _, ann) in DOCUMENTS.items() if ann is not None]
GOLD = [doc_id for doc_id, (_, _, ann) in DOCUMENTS.items() if ann is not None and ann.provenance["status"] == "gold"]
VALID_FIXTURES = sorted((FIXTURES / "valid").glob("*.json"))


def test_the_repository_has_gold_documents_to_test_on() -> None:
    assert GOLD, "no gold annotation file in the manifest"


def _annotations(path: Path) -> AnnotationSet:
    return AnnotationSet.from_json(json.loads(path.read_text(encoding="utf-8")))


def _brat_round_trip(doc: Document, annotations: AnnotationSet) -> AnnotationSet:
    files = to_brat(doc, annotations)
    assert files[".txt"] == doc.text
    return from_brat("x.ann", files[".txt"], files[".ann"], json.loads(files[".furat.json"]), LABELS)


def _cas_round_trip(doc: Document, annotations: AnnotationSet) -> AnnotationSet:
    ts = type_system()
    xmi = to_xmi(doc, annotations, ts)
    return from_cas("x.xmi", xmi, load_type_system(ts.to_xml()))


RoundTrip = Callable[[Document, AnnotationSet], AnnotationSet]

# Round trips: export, import, and the annotation file comes back equal.


@pytest.mark.parametrize("doc_id", GOLD)
@pytest.mark.parametrize("round_trip", [_brat_round_trip, _cas_round_trip], ids=["brat", "cas"])
def test_round_trip_of_every_gold_document_is_lossless(doc_id: str, round_trip: RoundTrip) -> None:
    _, doc, annotations = DOCUMENTS[doc_id]
    assert annotations is not None
    back = round_trip(doc, annotations)
    assert back.to_json() == annotations.to_json()


@pytest.mark.parametrize("fixture", VALID_FIXTURES, ids=lambda p: p.stem)
@pytest.mark.parametrize("round_trip", [_brat_round_trip, _cas_round_trip], ids=["brat", "cas"])
def test_round_trip_of_the_valid_fixtures_is_lossless(fixture: Path, round_trip: RoundTrip) -> None:
    annotations = _annotations(fixture)
    _, doc, _ = DOCUMENTS[annotations.document]
    assert round_trip(doc, annotations).to_json() == annotations.to_json()


@pytest.mark.parametrize("fmt", ["brat", "cas"])
def test_export_then_import_gives_back_the_annotation_files_byte_for_byte(fmt: str, tmp_path: Path) -> None:
    assert main(["--root", str(ROOT), "export", "--format", fmt, "--out", str(tmp_path / fmt)]) == 0
    assert (
        main(["--root", str(ROOT), "import", "--format", fmt, str(tmp_path / fmt), "--out", str(tmp_path / "in")]) == 0
    )
    for doc_id in GOLD:
        original = (ROOT / "annotations" / f"{doc_id}.json").read_text(encoding="utf-8")
        assert (tmp_path / "in" / f"{doc_id}.json").read_text(encoding="utf-8") == original


# Offsets: Furat counts code points; UIMA's XMI counts UTF-16 code units, and cassis converts.

SCRATCH_TEXT = "قال 😀 المتحدث إن 𝟓 آلاف مقاتل غادروا الباغوز 🇸🇾 أمس"


def _scratch() -> tuple[Document, AnnotationSet]:
    text = SCRATCH_TEXT
    meta = Meta("scratch", None, None, None, None, None, "scratch.txt", "0" * 64)
    doc = Document("999_scratch", text, meta, (Segment("p000", 0, len(text)),), (Segment("s000", 0, len(text)),))

    def at(word: str) -> tuple[int, int]:
        start = text.index(word)
        return start, start + len(word)

    place = Entity("999_scratch-e0001", *at("الباغوز"), "الباغوز", "GPE")
    count = Quantity(
        "999_scratch-q0001",
        *at("𝟓 آلاف"),
        "𝟓 آلاف",
        5000,
        None,
        None,
        "count",
        "count",
        False,
        Span(*at("مقاتل"), "مقاتل"),
    )
    stance = Stance(
        "999_scratch-t0001", *at("غادروا الباغوز"), "غادروا الباغوز", "isis_defeated", "favor", None, "author"
    )
    provenance = {"status": "example", "annotators": [{"id": "t", "kind": "human"}]}
    return doc, AnnotationSet(doc.id, text_sha256(text), provenance, (place,), (count,), (stance,))


def test_cas_offsets_are_utf16_in_the_xmi_and_code_points_in_python() -> None:
    doc, annotations = _scratch()
    xmi = to_xmi(doc, annotations, type_system())
    start = SCRATCH_TEXT.index("الباغوز")
    utf16_start = len(SCRATCH_TEXT[:start].encode("utf-16-le")) // 2
    assert utf16_start > start  # the emoji and the mathematical digit are two code units each
    assert f'begin="{utf16_start}"' in xmi
    back = _cas_round_trip(doc, annotations)
    assert back.to_json() == annotations.to_json()
    assert back.entities[0].start == start


def test_brat_offsets_are_code_points_into_the_txt() -> None:
    doc, annotations = _scratch()
    files = to_brat(doc, annotations)
    start = SCRATCH_TEXT.index("الباغوز")
    assert f"GPE {start} {start + len('الباغوز')}\tالباغوز" in files[".ann"]
    assert _brat_round_trip(doc, annotations).to_json() == annotations.to_json()


def test_brat_cuts_a_span_at_a_line_break_into_fragments_and_joins_them_back() -> None:
    text = "قال المتحدث\nإن داعش هزم"
    meta = Meta("scratch", None, None, None, None, None, "scratch.txt", "0" * 64)
    doc = Document("999_scratch", text, meta, (), ())
    stance = Stance("999_scratch-t0001", 4, len(text), text[4:], "isis_defeated", "favor", None, "author")
    annotations = AnnotationSet(doc.id, text_sha256(text), {"status": "example"}, stances=(stance,))
    assert to_brat(doc, annotations)[".ann"].startswith("T1\tStance 4 11;12 23\tالمتحدث إن داعش هزم\n")
    assert _brat_round_trip(doc, annotations).to_json() == annotations.to_json()


def test_cassis_loads_the_written_xmi_with_its_type_system(tmp_path: Path) -> None:
    from cassis import load_cas_from_xmi, load_typesystem

    export_repository(ROOT, "cas", tmp_path)
    ts = load_typesystem((tmp_path / "TypeSystem.xml").read_text(encoding="utf-8"))
    for doc_id in GOLD:
        _, doc, annotations = DOCUMENTS[doc_id]
        assert annotations is not None
        cas = load_cas_from_xmi((tmp_path / f"{doc_id}.xmi").read_text(encoding="utf-8"), typesystem=ts)
        assert cas.sofa_string == doc.text
        entities = list(cas.select("furat.Entity"))
        assert [e.get_covered_text() for e in entities] == [e.text for e in sorted(annotations.entities, key=_key)]
        assert len(cas.select("furat.Sentence")) == len(doc.sentences)
        [meta] = cas.select("furat.DocumentMetadata")
        assert json.loads(meta.provenance) == annotations.provenance


def _key(item: Entity) -> tuple[int, int, str]:
    return (item.start, item.end, item.id)


# brat as an annotator meets it.


def test_brat_writes_quantities_with_attributes_notes_and_the_counted_relation(tmp_path: Path) -> None:
    report = export_repository(ROOT, "brat", tmp_path)
    assert report.counts() == {}
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    assert "Holder\tArg1:Stance, Arg2:PER|ORG|GPE" in conf and "Value:favor|against|none" in conf
    doc_id = next(d for d in GOLD if any(q.counted for q in DOCUMENTS[d][2].quantities))  # type: ignore[union-attr]
    ann = (tmp_path / f"{doc_id}.ann").read_text(encoding="utf-8")
    assert "\tQuantity " in ann and "\tUnit T" in ann and "\tKind T" in ann
    assert "Counts Arg1:T" in ann and "\tAnnotatorNotes T" in ann and " value=" in ann
    assert (tmp_path / f"{doc_id}.txt").read_text(encoding="utf-8") == DOCUMENTS[doc_id][1].text
    sidecar = json.loads((tmp_path / f"{doc_id}.furat.json").read_text(encoding="utf-8"))
    assert sidecar["provenance"]["status"] == "gold"


def _exported_brat(tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "brat"
    export_repository(ROOT, "brat", folder, [GOLD[0]])
    return folder, GOLD[0]


def test_import_refuses_a_span_whose_text_does_not_match(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, doc_id = _exported_brat(tmp_path)
    ann = folder / f"{doc_id}.ann"
    lines = ann.read_text(encoding="utf-8").split("\n")
    line = next(i for i, text in enumerate(lines) if text.startswith("T"))
    tid, where, _ = lines[line].split("\t")
    lines[line] = f"{tid}\t{where}\tنص آخر"  # an annotator typed over the span's text
    ann.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["--root", str(ROOT), "import", "--format", "brat", str(folder), "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert f"{ann}:{line + 1}: error[import-span-mismatch]" in error and "Traceback" not in error
    assert not out.exists()  # nothing written


def test_import_refuses_a_type_furat_does_not_have(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, doc_id = _exported_brat(tmp_path)
    with (folder / f"{doc_id}.ann").open("a", encoding="utf-8") as handle:
        handle.write("T9999\tWEAPON 0 1\t" + DOCUMENTS[doc_id][1].text[0] + "\n")
    assert main(["--root", str(ROOT), "import", "--format", "brat", str(folder), "--out", str(tmp_path / "out")]) == 1
    assert "error[import-unknown-type]" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_import_refuses_a_cas_whose_text_was_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "cas"
    export_repository(ROOT, "cas", folder, [GOLD[0]])
    xmi = folder / f"{GOLD[0]}.xmi"
    first_word = DOCUMENTS[GOLD[0]][1].text.split()[0]
    xmi.write_text(xmi.read_text("utf-8").replace(f'sofaString="{first_word}', 'sofaString="X', 1), "utf-8")
    assert main(["--root", str(ROOT), "import", "--format", "cas", str(folder), "--out", str(tmp_path / "out")]) == 1
    assert "error[import-text-changed]" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_import_gives_a_span_drawn_in_brat_a_fresh_id(tmp_path: Path) -> None:
    folder, doc_id = _exported_brat(tmp_path)
    _, doc, annotations = DOCUMENTS[doc_id]
    assert annotations is not None
    taken = {(e.start, e.end) for e in annotations.entities}
    start, end = next((a, b) for a, b in _words(doc.text) if (a, b) not in taken)
    with (folder / f"{doc_id}.ann").open("a", encoding="utf-8") as handle:
        handle.write(f"T9999\tPER {start} {end}\t{doc.text[start:end]}\n")
    result = import_directory(ROOT, "brat", folder, tmp_path / "out")
    assert result.written == [tmp_path / "out" / f"{doc_id}.json"]
    imported = _annotations(result.written[0])
    added = [e for e in imported.entities if (e.start, e.end) == (start, end)]
    assert len(added) == 1 and added[0].id.startswith(f"{doc_id}-e") and added[0].label == "PER"
    assert len(imported.entities) == len(annotations.entities) + 1


def _words(text: str) -> list[tuple[int, int]]:
    from furat.corpus.segment import token_spans

    return [(a, b) for a, b in token_spans(text) if text[a:b].isalpha()]


def test_import_refuses_to_overwrite_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, doc_id = _exported_brat(tmp_path)
    out = tmp_path / "annotations"
    out.mkdir()
    (out / f"{doc_id}.json").write_text("{}", encoding="utf-8")
    assert main(["--root", str(ROOT), "import", "--format", "brat", str(folder), "--out", str(out)]) == 2
    assert "error[import-exists]" in capsys.readouterr().err
    assert (out / f"{doc_id}.json").read_text(encoding="utf-8") == "{}"
    assert main(["--root", str(ROOT), "import", "--format", "brat", str(folder), "--out", str(out), "--force"]) == 0
    assert _annotations(out / f"{doc_id}.json").to_json() == DOCUMENTS[doc_id][2].to_json()  # type: ignore[union-attr]


def _scratch_repo(tmp_path: Path, annotation_files: list[Path]) -> Path:
    """A copy of the repository's data with only the given annotation files."""
    repo = tmp_path / "repo"
    for part in ("seeds", "schema", "corpus"):
        shutil.copytree(ROOT / part, repo / part)
    (repo / "annotations").mkdir()
    for path in annotation_files:
        shutil.copyfile(path, repo / "annotations" / path.name)
    return repo


def test_import_into_the_repository_validates_what_it_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fixture = VALID_FIXTURES[0]
    repo = _scratch_repo(tmp_path, [fixture])
    assert main(["--root", str(repo), "export", "--format", "cas"]) == 0
    (repo / "annotations" / fixture.name).unlink()
    assert main(["--root", str(repo), "import", "--format", "cas", str(repo / "dist" / "export" / "cas")]) == 0
    captured = capsys.readouterr()
    assert f"wrote annotations/{fixture.name}" in captured.out and "error" not in captured.err
    assert _annotations(repo / "annotations" / fixture.name).to_json() == _annotations(fixture).to_json()


def test_import_reports_what_validate_finds_in_the_written_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _scratch_repo(tmp_path, [ROOT / "annotations" / f"{GOLD[0]}.json"])
    folder = repo / "dist" / "export" / "brat"
    assert main(["--root", str(repo), "export", "--format", "brat"]) == 0
    ann = folder / f"{GOLD[0]}.ann"
    # A quantity of count made a percentage in brat: brat lets it through, furat validate does not.
    ann.write_text(
        ann.read_text("utf-8").replace("\tUnit T", "\tUnit T", 1).replace(" count\n", " percent\n", 1), "utf-8"
    )
    (repo / "annotations" / f"{GOLD[0]}.json").unlink()
    assert main(["--root", str(repo), "import", "--format", "brat", str(folder)]) == 1
    assert "error[unit-kind-mismatch]" in capsys.readouterr().err


# The token formats: what they keep, and the report of what they lose.


@pytest.mark.parametrize("doc_id", GOLD)
def test_conll_tags_are_the_ner_configs_tags(doc_id: str) -> None:
    split, doc, annotations = DOCUMENTS[doc_id]
    assert annotations is not None
    conll = conll_document(Exported(split, doc, annotations), LossReport("conll"))
    header, *sentences = conll.rstrip("\n").split("\n\n")
    assert header == "-DOCSTART- -X- -X- O"
    assert len(sentences) == len(doc.sentences)
    entities = sorted(annotations.entities, key=lambda e: (e.start, e.end))
    for sentence, block in zip(doc.sentences, sentences, strict=True):
        tokens, tags = ner_tags(doc.text, sentence, entities)
        assert [line.split("\t") for line in block.split("\n")] == [[t, g] for t, g in zip(tokens, tags, strict=True)]


def test_conll_report_counts_every_quantity_and_stance_it_cannot_hold(tmp_path: Path) -> None:
    report = export_repository(ROOT, "conll", tmp_path)
    annotated = [DOCUMENTS[d][2] for d in report.documents]
    assert report.counts()["quantity"] == sum(len(a.quantities) for a in annotated if a)
    assert report.counts()["stance"] == sum(len(a.stances) for a in annotated if a)
    text = (tmp_path / "REPORT.md").read_text(encoding="utf-8")
    assert "| quantity |" in text and "| stance |" in text
    splits = {split for split, _, annotations in DOCUMENTS.values() if annotations}
    assert sorted(p.name for p in tmp_path.glob("*.conll")) == sorted(f"{split}.conll" for split in splits)


def test_prodigy_has_one_task_per_sentence_with_token_aligned_spans(tmp_path: Path) -> None:
    report = export_repository(ROOT, "prodigy", tmp_path)
    tasks = [json.loads(line) for path in tmp_path.glob("*.jsonl") for line in path.read_text("utf-8").splitlines()]
    assert len(tasks) == sum(len(DOCUMENTS[d][1].sentences) for d in report.documents)
    for task in tasks:
        for span in task["spans"]:
            first, last = task["tokens"][span["token_start"]], task["tokens"][span["token_end"]]
            assert first["start"] <= span["start"] < span["end"] <= last["end"]
    labels = {span["label"] for task in tasks for span in task["spans"]}
    assert "ORG" in labels and any(label.startswith("QUANTITY:") for label in labels)
    assert "quantity value, unit, approximate, counted" in report.counts()


def test_spacy_docbin_loads_with_furat_tokens_entities_and_user_data(tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy", reason="spaCy is optional (pip install 'furat[spacy]')")
    from spacy.tokens import DocBin

    report = export_repository(ROOT, "spacy", tmp_path)
    nlp = spacy.blank("ar")
    docs = [doc for path in sorted(tmp_path.glob("*.spacy")) for doc in DocBin().from_disk(path).get_docs(nlp.vocab)]
    assert sorted(doc.user_data["furat"]["document"] for doc in docs) == sorted(report.documents)
    for doc in docs:
        doc_id = doc.user_data["furat"]["document"]
        _, source, annotations = DOCUMENTS[doc_id]
        assert annotations is not None
        assert doc.text == source.text  # offsets are Furat's
        assert [t.text for t in doc if not t.is_space] == [
            t for s in source.sentences for t in ner_tags(source.text, s, [])[0]
        ]
        assert len(doc.ents) == len(annotations.entities)
        assert len(doc.spans["quantities"]) == len(annotations.quantities)
        assert json.loads(doc.user_data["furat"]["annotations"]) == annotations.to_json()
    changed = 0
    for doc in docs:
        source_entities = sorted(DOCUMENTS[doc.user_data["furat"]["document"]][2].entities, key=_key)  # type: ignore[union-attr]
        for ent, entity in zip(doc.ents, source_entities, strict=True):
            assert ent.label_ == entity.label and ent.start_char <= entity.start < entity.end <= ent.end_char
            changed += (ent.start_char, ent.end_char) != (entity.start, entity.end)
    assert report.counts().get("entity span widened to whole tokens", 0) == changed > 0  # لداعش for داعش


# The command line.


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_export_command_writes_the_format_and_its_report(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if fmt == "spacy":
        pytest.importorskip("spacy", reason="spaCy is optional (pip install 'furat[spacy]')")
    assert main(["--root", str(ROOT), "export", "--format", fmt, "--out", str(tmp_path)]) == 0
    assert (tmp_path / "REPORT.md").is_file()
    out = capsys.readouterr().out
    assert f"{fmt}: {len(ANNOTATED)} documents" in out
    assert ("nothing lost" in out) == (fmt in ("brat", "cas"))


def test_export_of_one_document_by_its_short_name(tmp_path: Path) -> None:
    short = GOLD[-1][:3]
    assert main(["--root", str(ROOT), "export", "--format", "brat", "--out", str(tmp_path), short]) == 0
    assert [p.name for p in tmp_path.glob("*.ann")] == [f"{GOLD[-1]}.ann"]


def test_export_of_an_unknown_document_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "export", "--format", "conll", "--out", str(tmp_path), "nope"]) == 2
    assert "error[export-unknown-document]" in capsys.readouterr().err


def test_import_of_an_empty_folder_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "import", "--format", "cas", str(tmp_path)]) == 2
    assert "error[import-empty]" in capsys.readouterr().err


def test_every_finding_code_is_registered(tmp_path: Path) -> None:
    sources = "\n".join(p.read_text("utf-8") for p in (ROOT / "src" / "furat" / "export").glob("*.py"))
    import re

    used = set(re.findall(r'"((?:export|import)-[a-z-]+)"', sources))
    assert used and used <= set(CODES)
    assert {CODES[code].stage for code in used} == {"export"}


def test_export_refuses_an_annotation_file_whose_span_does_not_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _scratch_repo(tmp_path, [])
    data = json.loads((ROOT / "annotations" / f"{GOLD[0]}.json").read_text("utf-8"))
    surface = data["entities"][0]["text"]
    data["entities"][0]["text"] = "x" + surface[1:]  # as long as the span, but not the text there
    (repo / "annotations" / f"{GOLD[0]}.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert main(["--root", str(repo), "export", "--format", "brat"]) == 1
    assert "error[export-span-mismatch]" in capsys.readouterr().err
    assert not (repo / "dist").exists()
