"""The cleaning rules of ``seeds/cleaning.json``: loading, checking against their schema, compiling.

Every rule kind is described in ``schema/cleaning.schema.json`` and in CONTRIBUTING.md ("Cleaning
rules"). Each rule has a name that is unique in the file; a corpus document records the sha256 of the
definitions of the rules that decided its lines (:func:`rules_hash`), so an edit to one rule changes
only the documents that rule decides.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from furat.core.findings import Finding, FuratError
from furat.core.jsonio import StrictJsonError, loads_strict
from furat.core.repo import RULES
from furat.core.schemas import Schema

__all__ = ["RULES", "Rule", "Rules", "Timestamps", "load_rules", "rules_hash"]

CLEANING_SCHEMA = "schema/cleaning.schema.json"


@dataclass(frozen=True)
class Rule:
    """One pattern rule: its name, compiled pattern and options."""

    rule: str
    pattern: re.Pattern[str]
    field: str = ""
    max_words: int | None = None  # the rule applies only to lines of at most this many words
    heads_list: bool = False  # a match with nothing after its colon heads a list of links
    item_max_words: int = 16  # the longest line a list item can be
    items_rule: str = ""  # the rule name recorded for the list's items
    role: str = "dropped"
    before_title: bool = False  # the rule applies only before the title is found
    after_title: bool = False  # the rule applies only after the title is found


@dataclass(frozen=True)
class Timestamps:
    """Lines that are only a date, a time or a relative time (``timestamps`` in cleaning.json)."""

    rule: str
    max_words: int
    dates: tuple[re.Pattern[str], ...]
    hijri: re.Pattern[str]
    time: re.Pattern[str]
    relative: re.Pattern[str]
    noise: re.Pattern[str]


@dataclass(frozen=True)
class Rules:
    """The compiled cleaning rules of ``seeds/cleaning.json``."""

    header_max_words: int
    heading_max_words: int
    title_min_words: int
    body_min_words: int
    repeated_max_words: int
    drop: tuple[Rule, ...]
    buttons: tuple[Rule, ...]
    header: tuple[Rule, ...]
    captions: tuple[Rule, ...]
    credits: tuple[Rule, ...]
    self_reference: tuple[Rule, ...]
    body_dateline: tuple[Rule, ...]
    timestamps: Timestamps
    pull_quote_min_words: int
    pull_quote_min_overlap: float
    months: dict[str, int]
    overrides: dict[str, dict[int, str]]
    sha256: str  # of the whole of seeds/cleaning.json
    definitions: dict[str, Any] = field(default_factory=dict)  # rule name -> its definition, as written


def _finding(line: int, code: str, message: str) -> Finding:
    return Finding(path=RULES, line=line, code=code, message=message)


def _check_schema(root: Path, data: Any) -> None:
    path = root / CLEANING_SCHEMA
    if not path.is_file():
        return  # a repository without the schema is checked by its rules' use alone
    schema = Schema("cleaning", path, json.loads(path.read_text(encoding="utf-8")))
    if schema.is_valid(data):
        return
    problems = []
    for error in schema.errors(data):
        pointer = "/" + "/".join(str(p) for p in error.absolute_path)
        problems.append(_finding(0, "rule-shape", f"{pointer}: {error.message}"))
    raise FuratError(problems)


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise FuratError([_finding(0, "rule-pattern", f"{where}: bad pattern: {exc}")]) from None


def load_rules(root: Path) -> Rules:
    """Compile ``seeds/cleaning.json``; a bad pattern or a malformed file is an error naming it."""
    path = root / RULES
    try:
        raw = path.read_bytes()
        data = loads_strict(raw.decode("utf-8"))
    except OSError as exc:
        raise FuratError([_finding(0, "io-error", f"cannot read: {exc.strerror}")], 2) from None
    except UnicodeDecodeError:
        raise FuratError([_finding(0, "encoding", "not UTF-8")]) from None
    except StrictJsonError as exc:
        raise FuratError([_finding(exc.line, exc.code, exc.message)]) from None
    _check_schema(root, data)
    try:
        return _rules_from(data, raw)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        # a repository without schema/cleaning.schema.json gets here with a malformed file
        missing = f"missing key {exc.args[0]!r}" if isinstance(exc, KeyError) else f"malformed: {exc}"
        raise FuratError([_finding(0, "rule-shape", f"{missing} (see schema/cleaning.schema.json)")]) from None


def _rules_from(data: Any, raw: bytes) -> Rules:
    """The compiled rules of a parsed ``cleaning.json`` (a missing key raises ``KeyError``)."""
    definitions: dict[str, Any] = {}

    def define(name: str, definition: Any) -> None:
        if name in definitions:
            raise FuratError([_finding(0, "rule-shape", f"rule name {name!r} is used twice; names are unique")])
        definitions[name] = definition

    def compile_rules(key: str) -> tuple[Rule, ...]:
        rules = []
        for item in data.get(key, []):
            define(item["rule"], item)
            rules.append(
                Rule(
                    item["rule"],
                    _compile(item["pattern"], f"/{key}: rule {item['rule']!r}"),
                    item.get("field", ""),
                    item.get("max_words"),
                    item.get("heads_list", False),
                    item.get("item_max_words", 16),
                    item.get("items_rule", item["rule"]),
                    item.get("role", "dropped"),
                    item.get("before_title", False),
                    item.get("after_title", False),
                )
            )
        return tuple(rules)

    buttons = []
    for item in data.get("buttons", []):
        define(item["rule"], item)
        words = "|".join(re.escape(w) for w in sorted(item["words"], key=len, reverse=True))
        pattern = _compile(rf"^(?:(?:{words})\s*[|،,·•/\-]?\s*)+$", f"/buttons: rule {item['rule']!r}")
        buttons.append(Rule(item["rule"], pattern, max_words=item.get("max_words")))
    stamps = data["timestamps"]
    define(stamps["rule"], stamps)
    timestamps = Timestamps(
        stamps["rule"],
        stamps["max_words"],
        tuple(_compile(p, "/timestamps/dates") for p in stamps["dates"]),
        _compile(stamps["hijri"], "/timestamps/hijri"),
        _compile(stamps["time"], "/timestamps/time"),
        _compile(stamps["relative"], "/timestamps/relative"),
        _compile(stamps["noise"], "/timestamps/noise"),
    )
    overrides = {
        seed: {int(line): spec["role"] for line, spec in lines.items()}
        for seed, lines in data.get("overrides", {}).items()
    }
    compiled = {
        key: compile_rules(key) for key in ("drop", "header", "captions", "credits", "self_reference", "body_dateline")
    }
    for name in ("pull_quote", "months", "body", "title_min_words", "repeated"):
        define(name.replace("_", "-"), data.get(name))
    return Rules(
        header_max_words=data["header_max_words"],
        heading_max_words=data["heading_max_words"],
        title_min_words=data["title_min_words"],
        body_min_words=data["body"]["min_words"],
        repeated_max_words=data["repeated"]["max_words"],
        drop=compiled["drop"],
        buttons=tuple(buttons),
        header=compiled["header"],
        captions=compiled["captions"],
        credits=compiled["credits"],
        self_reference=compiled["self_reference"],
        body_dateline=compiled["body_dateline"],
        timestamps=timestamps,
        pull_quote_min_words=data["pull_quote"]["min_words"],
        pull_quote_min_overlap=data["pull_quote"]["min_overlap"],
        months=data["months"],
        overrides=overrides,
        sha256=hashlib.sha256(raw).hexdigest(),
        definitions={**definitions, "override": data.get("overrides", {})},
    )


def rules_hash(rules: Rules, fired: set[str], seed_file: str) -> str:
    """The sha256 of what decided one document: the definitions of the rules that fired, its overrides.

    A rule that decides no line of a document is not part of it, so editing that rule leaves the
    document's file as it is.
    """
    decided = {name: rules.definitions.get(name) for name in sorted(fired) if name != "override"}
    overrides = rules.definitions["override"].get(seed_file)
    payload = json.dumps({"rules": decided, "overrides": overrides}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
