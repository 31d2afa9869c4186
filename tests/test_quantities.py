"""The Arabic quantity recognizer: a table of real news sentences, the seed articles, offsets, the command
(``furat quantities``, through the real parser)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from furat.annotate.evaluation import QUANTITY_DEV2_FILE, QUANTITY_DEV3_FILE, quantity_dev_scores
from furat.annotate.quantities import Quantity, Span, find_quantities
from furat.annotate.quantities.lexicon import emitted_units
from furat.cli.main import main as furat_main
from furat.core.labels import load_labels

ROOT = Path(__file__).resolve().parents[1]
CASES_FILE = Path(__file__).resolve().parent / "data" / "quantities_cases.tsv"
SEEDS = ROOT / "seeds"


# --------------------------------------------------------------------------------------------------
# The case table


@dataclass(frozen=True)
class Expected:
    text: str
    value: float | None
    low: float | None
    high: float | None
    unit: str
    approximate: bool
    counted: str | None


@dataclass(frozen=True)
class Case:
    id: str
    line: int
    sentence: str
    expected: tuple[Expected, ...]


def _number(cell: str) -> float | None:
    return float(cell) if cell else None


def load_cases() -> list[Case]:
    cases: dict[str, Case] = {}
    header: list[str] | None = None
    for lineno, line in enumerate(CASES_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        assert len(cells) == len(header), f"{CASES_FILE.name}:{lineno}: {len(cells)} cells, want {len(header)}"
        row = dict(zip(header, cells, strict=True))
        expected: tuple[Expected, ...] = ()
        if row["text"]:
            expected = (
                Expected(
                    text=row["text"],
                    value=_number(row["value"]),
                    low=_number(row["low"]),
                    high=_number(row["high"]),
                    unit=row["unit"] or "count",
                    approximate=row["approximate"] == "1",
                    counted=row["counted"] or None,
                ),
            )
        case = cases.get(row["id"])
        if case is None:
            assert row["sentence"], f"{CASES_FILE.name}:{lineno}: a new case needs its sentence"
            cases[row["id"]] = Case(row["id"], lineno, row["sentence"], expected)
        else:
            assert not row["sentence"], f"{CASES_FILE.name}:{lineno}: {row['id']} repeats its sentence"
            assert case.expected and expected, f"{CASES_FILE.name}:{lineno}: a negative case has one row"
            cases[row["id"]] = Case(case.id, case.line, case.sentence, case.expected + expected)
    return list(cases.values())


CASES = load_cases()


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9)


def _describe(q: Quantity) -> str:
    counted = q.counted.text if q.counted else None
    return (
        f"{q.text!r} value={q.value} low={q.low} high={q.high} unit={q.unit} "
        f"approximate={q.approximate} counted={counted!r}"
    )


def test_the_table_is_large_and_covers_every_kind() -> None:
    assert len(CASES) >= 170
    assert len({c.id for c in CASES}) == len(CASES)
    negatives = [c for c in CASES if not c.expected]
    assert len(negatives) >= 50
    units = {e.unit for c in CASES for e in c.expected}
    kinds = load_labels().unit_kind
    assert {kinds[u] for u in units} == set(load_labels().kind_codes)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    found = find_quantities(case.sentence)
    got = [_describe(q) for q in found]
    where = f"{CASES_FILE.name}:{case.line} {case.id}: {case.sentence}\n  got: {got}"
    assert len(found) == len(case.expected), where
    for q, e in zip(found, case.expected, strict=True):
        assert q.text == e.text, where
        assert _same(q.value, e.value), where
        assert _same(q.low, e.low), where
        assert _same(q.high, e.high), where
        assert q.unit == e.unit, where
        assert q.approximate is e.approximate, where
        assert (q.counted.text if q.counted else None) == e.counted, where


# --------------------------------------------------------------------------------------------------
# Invariants


def _check_invariants(text: str, found: list[Quantity]) -> None:
    kinds = load_labels().unit_kind
    last_end = 0
    for q in found:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.text
        assert q.start >= last_end, "sorted and non-overlapping"
        last_end = q.end
        assert q.unit in kinds and q.kind == kinds[q.unit]
        assert q.value is not None or q.low is not None or q.high is not None
        if q.value is not None:
            assert q.low is None and q.high is None
        if q.low is not None and q.high is not None:
            assert q.low <= q.high
        if q.counted is not None:
            c = q.counted
            assert text[c.start : c.end] == c.text
            # Outside the span, or (a dual noun that is its own count, as in "نحو شخصين") inside it.
            assert c.end <= q.start or c.start >= q.end or q.start <= c.start < c.end <= q.end
        assert q.text == q.text.strip()


def _seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


def test_offsets_and_invariants_on_every_case_and_seed() -> None:
    texts = [c.sentence for c in CASES] + list(_seed_texts().values())
    texts.append("\n".join(c.sentence for c in CASES))
    for text in texts:
        _check_invariants(text, find_quantities(text))


_PIECES = [
    "نحو",
    "أكثر من",
    "بين",
    "و",
    "من",
    "إلى",
    "ما يصل إلى",
    "لا تزيد على",
    "مليون",
    "آلاف",
    "ألفًا",
    "دولار",
    "كيلومترا مربعا",
    "بالمئة",
    "%",
    "٪",
    "مئات",
    "الملايين",
    "ثلاثة",
    "عشر",
    "وعشرين",
    "الستة",
    "الأشهر",
    "نصف",
    "ربع",
    "أرباع",
    "يومين",
    "العامين",
    "عام",
    "اللواء",
    "الـ",
    "بـ",
    "كانون الأول",
    "-",
    "–",
    "،",
    ".",
    ":",
    "/",
    "\n",
    "  ",
    "تقريبا",
    "مسلح",
    "شخصين",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_PIECES),
            st.integers(min_value=0, max_value=30000).map(str),
            st.sampled_from(["٣٫٥", "۱۵", "1,500", "99.5", "2019", "0012", "١١٠"]),
            st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآ ًٌٍَُِّْـ0123456789", max_size=6),
        ),
        max_size=25,
    ),
    st.sampled_from([" ", "", "\n"]),
)
def test_offsets_hold_on_generated_text(pieces: list[str], sep: str) -> None:
    text = " ".join(pieces) if sep == " " else sep.join(pieces)
    _check_invariants(text, find_quantities(text))


def test_every_unit_the_recognizer_can_emit_is_in_labels() -> None:
    labels = load_labels()
    emitted = emitted_units()
    assert emitted, "the lexicon emits units"
    assert emitted <= set(labels.unit_codes), emitted - set(labels.unit_codes)
    assert {"count", "fraction", "percent", "USD", "IQD", "km2", "times"} <= emitted
    kinds = {labels.unit_kind[u] for u in emitted}
    assert kinds <= set(labels.kind_codes)


def test_to_json_shape() -> None:
    (q,) = find_quantities("ولا يزال هناك نحو 600 مسلح محاصرين")
    data = q.to_json()
    assert q.id == ""  # the annotation model's Quantity; files give it an id
    assert list(data) == [
        "id",
        "start",
        "end",
        "text",
        "value",
        "low",
        "high",
        "unit",
        "kind",
        "approximate",
        "counted",
    ]
    assert data["text"] == "نحو 600"
    assert data["value"] == 600 and data["low"] is None and data["high"] is None
    assert data["unit"] == "count" and data["kind"] == "count" and data["approximate"] is True
    assert data["counted"] == {"start": q.end + 1, "end": q.end + 5, "text": "مسلح"}
    (bare,) = find_quantities("بلغت نسبة البطالة 30%")
    assert bare.to_json()["counted"] is None
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_records_are_frozen_values() -> None:
    a = find_quantities("قتل 5 أشخاص")
    b = find_quantities("قتل 5 أشخاص")
    assert a == b
    with pytest.raises(AttributeError):
        a[0].value = 6  # type: ignore[misc]
    assert isinstance(a[0].counted, Span)


def test_empty_and_quantity_free_text() -> None:
    assert find_quantities("") == []
    assert find_quantities("قال المتحدث إن الوضع الأمني مستقر في المدينة.") == []


# --------------------------------------------------------------------------------------------------
# The seed articles


def _all_seed_mentions() -> dict[str, list[Quantity]]:
    return {name: find_quantities(text) for name, text in _seed_texts().items()}


SEED_EXPECTED: list[tuple[str, float | None, float | None, float | None, str, bool, str | None]] = [
    # text, value, low, high, unit, approximate, counted
    ("ما يصل إلى 200 مليون دولار", None, None, 200_000_000, "USD", False, None),
    ("نحو 5800 كيلومترا مربعا", 5800, None, None, "km2", True, None),
    ("أكثر من 43", None, 43, None, "count", False, "إرهابيا"),
    ("43", 43, None, None, "count", False, "عنصرا"),
    ("بين 20 ألفًا و 30 ألف", None, 20_000, 30_000, "count", True, "مقاتل"),  # an estimate (D64)
    ("20-30 ألف", None, 20_000, 30_000, "count", False, "مقاتل"),
    ("5 – 6 أضعاف", None, 5, 6, "times", False, None),
    ("ربع", 0.25, None, None, "fraction", False, "أراضي"),
    ("نصف كم مربع", None, None, 0.5, "km2", False, None),
    ("نحو 99.5 بالمئة", 99.5, None, None, "percent", True, None),
    ("ما بين ستة و12 شهرا", None, 6, 12, "month", False, None),
    ("نحو 600", 600, None, None, "count", True, "مسلح"),
    ("77", 77, None, None, "count", False, "قرية"),
    ("الأشهر الستة", 6, None, None, "month", False, None),
    ("العامين", 2, None, None, "year", False, None),
    ("مئات", None, 200, 1_000, "count", True, "المسلحين"),  # D63
    ("أطنان", None, 2, None, "t", True, "الذهب"),
    ("بحدود 667 كيلومترا", 667, None, None, "km", True, None),
    ("أكثر من أسبوع", None, 1, None, "week", False, None),
    ("مئات الملايين من الدولارات", None, 200_000_000, 1_000_000_000, "USD", True, None),
    ("عدة مئات", None, 300, 900, "count", True, "المقاتلين"),  # D62
    ("عدة", None, 3, 9, "count", True, "قوى"),
    ("معظم", None, 0.5, None, "fraction", False, "أراضيه"),  # D65
    ("غالبيتهم", None, 0.5, None, "fraction", False, None),
    ("أغلبهم", None, 0.5, None, "fraction", False, None),
    ("اثنين", 2, None, None, "count", False, "عناصر"),
    ("خمسة", 5, None, None, "count", False, "دواعش"),
    ("3 أسابيع", 3, None, None, "week", False, None),
    ("أكثر من 37 ألف", None, 37_000, None, "count", False, "شخص"),
]


@pytest.mark.parametrize("expected", SEED_EXPECTED, ids=[e[0] for e in SEED_EXPECTED])
def test_seed_articles_hold_real_mentions(
    expected: tuple[str, float | None, float | None, float | None, str, bool, str | None],
) -> None:
    text, value, low, high, unit, approximate, counted = expected
    found = [q for qs in _all_seed_mentions().values() for q in qs if q.text == text]
    assert found, f"{text!r} not found in the seeds"
    for q in found:
        if counted is not None and (q.counted is None or q.counted.text != counted):
            continue
        assert _same(q.value, value) and _same(q.low, low) and _same(q.high, high), _describe(q)
        assert q.unit == unit and q.approximate is approximate, _describe(q)
        break
    else:
        pytest.fail(f"{text!r} with counted {counted!r}: {[_describe(q) for q in found]}")


@pytest.mark.parametrize(
    "needle",
    [
        "اللواء ١١٠",
        "اللواء 44",
        "اللواء 16",
        "عام 2014",
        "العام 2014",
        "عام 2010",
        "الـ19 من كانون الأول",
        "الـ11 من كانون الثاني",
        "العدد : 4384",
        "0012022773659",
        "كانون الأول 2017",
        "22-يناير-2019",
        "أوائل 2018",
        "في 2014",
        "إم آي 6",
        "اليوم الأول",
        "اللواء الثامن",
        "ثاني قوى",
        "خيار واحد",
        "دفعة واحدة",
        "12:00:00",
        "أحد مسؤولي",
        "البلدين",
    ],
)
def test_seed_articles_excluded_spans(needle: str) -> None:
    hits = 0
    for name, text in _seed_texts().items():
        mentions = find_quantities(text)
        start = text.find(needle)
        while start >= 0:
            hits += 1
            end = start + len(needle)
            clash = [q for q in mentions if q.start < end and start < q.end]
            assert not clash, f"{name}: {needle!r} gave {[_describe(q) for q in clash]}"
            start = text.find(needle, end)
    assert hits, f"{needle!r} is not in the seeds"


def test_seed_articles_mention_counts() -> None:
    found = _all_seed_mentions()
    assert all(found.values()), "every seed article mentions quantities"
    assert sum(len(v) for v in found.values()) >= 55


# --------------------------------------------------------------------------------------------------
# The command


def test_command_prints_json_lines_from_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "article.txt"
    path.write_text("قتل 12 شخصا وفر نحو 600 مسلح خلال العامين الأخيرين.\n", encoding="utf-8")
    assert furat_main(["quantities", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["text"] for r in records] == ["12", "نحو 600", "العامين"]
    assert "شخصا" in lines[0], "Arabic is printed as is (ensure_ascii=False)"
    assert records[1] == {
        "start": 16,
        "end": 23,
        "text": "نحو 600",
        "value": 600.0,
        "low": None,
        "high": None,
        "unit": "count",
        "kind": "count",
        "approximate": True,
        "counted": {"start": 24, "end": 28, "text": "مسلح"},
    }
    assert records[2]["kind"] == "duration" and records[2]["value"] == 2


def test_command_reads_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import sys

    stdin = io.TextIOWrapper(io.BytesIO("بلغت الكلفة 200 مليون دولار".encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert furat_main(["quantities"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["value"] == 200_000_000


def test_command_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.txt"
    assert furat_main(["quantities", str(missing)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [f"furat quantities: error[file-not-found] {missing}: no such file"]
    assert "Traceback" not in err


def test_command_undecodable_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("قتل 5".encode() + b"\xff\xfe")
    assert furat_main(["quantities", str(bad)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.splitlines()
    assert line.startswith(f"furat quantities: error[encoding] {bad}: ")
    assert "Traceback" not in err


def test_command_directory_and_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert furat_main(["quantities", str(tmp_path)]) == 2
    assert f"error[io-error] {tmp_path}:" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        furat_main(["quantities", "a.txt", "b.txt"])
    assert usage.value.code == 2
    assert "unrecognized arguments: b.txt" in capsys.readouterr().err  # one FILE at most
    with pytest.raises(SystemExit) as shown:
        furat_main(["quantities", "--help"])
    assert shown.value.code == 0
    assert "usage: furat quantities" in capsys.readouterr().out


def test_a_falling_pair_is_not_a_range() -> None:
    # Found by the property test: "from 3 to 0" is a change, so no mention may have low > high.
    for q in find_quantities("انخفض العدد من ثلاثة إلى 0 خلال عام"):
        assert q.low is None or q.high is None or q.low <= q.high
    [first, *_] = find_quantities("انخفض عدد الهجمات من 30 إلى 20 هجوما")
    assert (first.text, first.value, first.low, first.high) == ("30", 30, None, None)


@pytest.mark.parametrize(
    "file",
    [
        QUANTITY_DEV2_FILE,  # new news sentences
        QUANTITY_DEV3_FILE,  # other outlets' styles: datelines, headlines, parentheses, ages, scores, نيف
    ],
)
def test_recognizer_on_the_later_development_sets(file: str) -> None:
    # each set annotated and frozen before the recognizer was run on it (then tuned on)
    score = quantity_dev_scores(ROOT, file)
    assert score is not None and score.sentences > 100
    assert score.quantities.recall >= 0.97, score
    assert score.quantities.precision >= 0.95, score
    assert score.number_agreement is not None and score.number_agreement >= 0.95, score
    assert score.value_agreement is not None and score.value_agreement >= 0.95, score


def test_phrasings_of_other_outlets() -> None:
    # D95: examples of the guidelines' decision table, as the recognizer reads them
    [few] = find_quantities("وأصيب نيف وعشرون شخصا في التدافع.")
    assert (few.text, few.low, few.high, few.approximate) == ("نيف وعشرون", 21, 29, True)
    assert few.counted is not None and few.counted.text == "شخصا"
    [teens] = find_quantities("وحضر الاجتماع بضعة عشر مسؤولا.")
    assert (teens.text, teens.low, teens.high) == ("بضعة عشر", 13, 19)
    [votes, against] = find_quantities("وصادق المجلس على الميزانية بأغلبية (98) صوتا مقابل (14).")
    assert (votes.text, votes.value, against.value) == ("98", 98, 14)
    assert find_quantities("وخسر الفريق بنتيجة صفر-2.") == []
    assert find_quantities("واحتفلت الجامعة بمرور ربع قرن على تأسيسها.") == []
    assert find_quantities("ويطالب قرار مجلس الأمن 2254 بوقف إطلاق النار.") == []
    [double] = find_quantities("وزادت المبيعات أكثر من ضعف ما كانت عليه.")
    assert (double.text, double.low, double.unit) == ("أكثر من ضعف", 2, "times")
    assert find_quantities("ويعاني القطاع من ضعف التمويل.") == []
    [toll, wounded] = find_quantities("وبلغت حصيلة الزلزال 1200 قتيل وأكثر من 3 آلاف جريح.")
    assert (toll.value, toll.low, wounded.text, wounded.low) == (1200, None, "أكثر من 3 آلاف", 3000)
    [age] = find_quantities("ويحق للمواطنين ممن تجاوزت أعمارهم 65 عاما الحصول على المعاش.")
    assert (age.text, age.low, age.unit) == ("65 عاما", 65, "year")
    [hours] = find_quantities("وتتراوح مدة الرحلة بين 5 ساعات و7 ساعات.")  # the unit said after both numbers
    assert (hours.text, hours.low, hours.high, hours.unit) == ("بين 5 ساعات و7 ساعات", 5, 7, "hour")
