"""The quantity recognizer compiled with mypyc (``furat compile``) gives what its pure-Python source gives.

The test suite runs the pure-Python modules (``conftest`` sets ``FURAT_NATIVE=0``); here the compiled
modules and the source each run in a child process of their own, on the same texts: the seed articles,
the corpus, every sentence of the case tables and development sets, the Recognizers-Text inputs and
generated text. Compiling needs a C compiler: where there is none the comparison is skipped locally, and
fails in CI.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest

from furat.annotate import quantities
from furat.annotate.quantities import NATIVE, find_quantities
from furat.core import native
from furat.core.native import DISABLE, NativeCompileError, NativeGroup
from furat.dataset.native import NATIVE as TOKENS
from tests.test_quantities_fast import _WORDS, CORPUS_TEXTS, ROOT, SEED_TEXTS, SENTENCES


def _toolchain_missing() -> str:
    """What of mypyc, setuptools, a C compiler and Python's headers is missing here ("" when nothing is)."""
    missing = [name for name in ("mypyc", "setuptools") if importlib.util.find_spec(name) is None]
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if os.environ.get("CC"):
        compiler = os.environ["CC"].split()[0]
    if shutil.which(compiler) is None:
        missing.append(f"a C compiler ({compiler})")
    if not Path(sysconfig.get_paths()["include"], "Python.h").is_file():
        missing.append("Python's headers")
    return ", ".join(missing)


def _compiled_or_skip(group: NativeGroup, cache: Path | None = None) -> None:
    """Compile ``group``; skipped locally when the tools are missing (never in CI). With the tools there,
    a failed compile fails the test: it is a bug in the sources or in ``core.native``."""
    missing = _toolchain_missing()
    if missing and not os.environ.get("CI"):
        pytest.skip(f"cannot compile here: no {missing}")
    group.compile(cache)


def compiled_env(group: NativeGroup, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """``group`` compiled into the user's cache (as ``scripts/setup`` does, so mostly there already), or into a
    temporary one where that cannot be written: the environment a child process needs to load it."""
    try:
        _compiled_or_skip(group)
        return {}
    except OSError:
        cache = tmp_path_factory.mktemp("native-cache")
        _compiled_or_skip(group, cache / "furat" / "native")
        return {"XDG_CACHE_HOME": str(cache)}


@pytest.fixture(scope="session")
def compiled_recognizer(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The recognizer compiled (``compiled_env``)."""
    return compiled_env(NATIVE, tmp_path_factory)


def _env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != DISABLE}
    return env | extra


def _generated_texts(count: int, seed: int) -> list[str]:
    """Lexicon words with proclitics, marks and tatweel, digits, letters and punctuation, at random."""
    rng = random.Random(seed)
    pieces = [
        _WORDS,
        ["و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "لل", "ـ", "الـ", "بـ", "نحو ", "أكثر من ", "بين ", "إلى "],
        ["\u064e", "\u0651", "\u064b", "\u0670", "ـ", "x", "ک", "ی"],
        [" ", " ", " ", "  ", "\n", "،", ".", "-", "/", ":", "(", "%", "$", "\u00a0", "\u202f", " و", " أو "],
        [str(rng.randrange(10**k)) for k in range(1, 6)] + ["٣٥", "١٢٠", "2.5", "1,500", "٣٫٥", "2019"],
        ["مليون", "ألف", "دولار", "شخص", "كيلومتر", "سنوات", "قرية", "مسلح", "بالمئة", "تقريبا", "عام"],
    ]
    return ["".join(rng.choice(rng.choice(pieces)) for _ in range(rng.randrange(1, 40))) for _ in range(count)]


_CHILD = """
import json, sys
from furat.annotate import quantities
assert quantities.NATIVE.loaded() == (sys.argv[3] == "compiled"), "not the recognizer asked for"
texts = json.loads(open(sys.argv[1], encoding="utf-8").read())
found = [[q.to_json() for q in quantities.find_quantities(text)] for text in texts]
open(sys.argv[2], "w", encoding="utf-8").write(json.dumps(found, ensure_ascii=False))
"""


def _found(tmp_path: Path, texts: Path, which: str, cache: dict[str, str]) -> list[list[dict[str, object]]]:
    """The mentions the ``compiled`` or the ``source`` recognizer finds in each text, in a process of its own."""
    out = tmp_path / f"{which}.json"
    env = _env(**cache, **({DISABLE: "0"} if which == "source" else {}))
    command = [sys.executable, "-c", _CHILD, str(texts), str(out), which]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    found: list[list[dict[str, object]]] = json.loads(out.read_text(encoding="utf-8"))
    return found


def test_the_compiled_recognizer_finds_what_the_source_finds(
    tmp_path: Path, compiled_recognizer: dict[str, str]
) -> None:
    cache = compiled_recognizer
    texts = SEED_TEXTS + CORPUS_TEXTS + SENTENCES + _generated_texts(3000, seed=14)
    (tmp_path / "texts.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    compiled, source = (_found(tmp_path, tmp_path / "texts.json", which, cache) for which in ("compiled", "source"))
    assert sum(map(len, source)) > len(texts) // 2  # the texts hold mentions to compare
    for text, got, want in zip(texts, compiled, source, strict=True):
        assert got == want, text[:200]


def test_the_suite_runs_the_source_unless_told_otherwise() -> None:
    # conftest sets FURAT_NATIVE=0 unless it is set already (FURAT_NATIVE=1, once `furat compile` has run,
    # runs the suite compiled)
    if os.environ.get(DISABLE) != "0":
        pytest.skip(f"FURAT_NATIVE={os.environ.get(DISABLE)}: the suite may run the compiled recognizer")
    assert not NATIVE.loaded()
    assert all(Path(str(m.__file__)).suffix == ".py" for m in (quantities, sys.modules[find_quantities.__module__]))


_MODULE = """
def double(values: list[int]) -> list[int]:
    return [v * 2 for v in values]
"""

_INIT = """
from pathlib import Path
from furat.core.native import NativeGroup
NATIVE = NativeGroup.of_folder(__name__, Path(__file__).parent)
NATIVE.load(__path__)
"""

_PROBE = "import nativedemo, nativedemo.twice as t; print(t.__file__.rsplit('.', 1)[-1], t.double([1, 2]))"


def _probe(tmp_path: Path, **extra: str) -> str:
    env = _env(PYTHONPATH=str(tmp_path / "src"), XDG_CACHE_HOME=str(tmp_path / "cache"), **extra)
    done = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def _demo(tmp_path: Path, module: str = _MODULE) -> NativeGroup:
    package = tmp_path / "src" / "nativedemo"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(_INIT, encoding="utf-8")
    (package / "twice.py").write_text(module, encoding="utf-8")
    (package / "helper.py").write_text("def one() -> int:\n    return 1\n", encoding="utf-8")  # a group of two
    return NativeGroup.of_folder("nativedemo", package)


def test_compiled_modules_are_loaded_only_for_the_sources_they_were_compiled_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    group = _demo(tmp_path)
    source = group.folder / "twice.py"
    cache = tmp_path / "cache" / "furat" / "native"
    assert group.modules == ("helper", "twice")
    assert _probe(tmp_path) == "py [2, 4]"  # nothing compiled yet: the source runs
    killed, running = cache / ".nativedemo-killed", cache / ".nativedemo-running"  # compiles' temporary folders
    for folder in killed, running:
        (folder / "lib").mkdir(parents=True)
    os.utime(killed, (1_000_000, 1_000_000))  # a killed compile's folder, long ago
    _compiled_or_skip(group, cache)
    assert not killed.exists() and running.exists()  # removed; one that may still be in use is kept
    shutil.rmtree(running)
    first = group.target(cache)
    assert group.is_compiled(cache) and not group.compile(cache).compiled  # a second compile has nothing to do
    assert _probe(tmp_path).startswith("so ")  # the compiled module, for the source as it is
    assert _probe(tmp_path, FURAT_NATIVE="0") == "py [2, 4]"  # unless the environment says not to
    source.write_text(_MODULE.replace("* 2", "+ v"), encoding="utf-8")  # an edit
    assert not group.is_compiled(cache)
    assert _probe(tmp_path) == "py [2, 4]"  # the edited source runs, never the stale compiled module
    older, newer = first.with_name(first.name + "-older"), first.with_name(first.name + "-newer")
    for folder, used in (older, 1_000), (first, 2_000), (newer, 3_000):  # compiles used at these times
        folder.mkdir(exist_ok=True)
        os.utime(folder, (used, used))
    monkeypatch.setattr(native, "KEEP", 2)  # keep the new compile and the one used last of the others
    _compiled_or_skip(group, cache)
    assert _probe(tmp_path) == "so [2, 4]"
    assert newer.exists() and not first.exists() and not older.exists()
    shutil.rmtree(newer)
    assert [p.name for p in cache.iterdir()] == [group.target(cache).name]  # and nothing half-written is left
    for compiled in group.target(cache).joinpath("nativedemo").iterdir():
        compiled.unlink()  # a compiled folder that lost its modules is neither loaded nor taken as compiled
    assert _probe(tmp_path) == "py [2, 4]" and not group.is_compiled(cache)
    assert group.compile(cache).compiled and _probe(tmp_path) == "so [2, 4]"  # compiling mends it
    shared = list(group.target(cache).glob("*__mypyc.*"))
    assert shared  # the two modules' code, in one library
    for library in shared:
        library.unlink()  # nor one that lost the group's shared library
    assert _probe(tmp_path) == "py [2, 4]" and not group.is_compiled(cache)
    assert group.compile(cache).compiled and _probe(tmp_path) == "so [2, 4]"


def test_a_compile_whose_sources_change_meanwhile_is_thrown_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    group = _demo(tmp_path)
    cache = tmp_path / "cache" / "furat" / "native"
    run = subprocess.run

    def compile_then_edit(*args: Any, **kwargs: Any) -> Any:
        done = run(*args, **kwargs)  # mypyc compiles the source as it was
        (group.folder / "twice.py").write_text(_MODULE + "# edited\n", encoding="utf-8")  # saved meanwhile
        return done

    if _toolchain_missing() and not os.environ.get("CI"):
        pytest.skip(f"cannot compile here: no {_toolchain_missing()}")
    monkeypatch.setattr(subprocess, "run", compile_then_edit)  # the compile runs in a child process
    with pytest.raises(NativeCompileError, match="changed while they compiled"):
        group.compile(cache)
    assert list(cache.iterdir()) == []  # nothing filed under either version
    assert _probe(tmp_path) == "py [2, 4]"


def test_the_digest_follows_what_the_sources_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = tmp_path / "furat"  # a package laid out like Furat's: a group in annotate/, what it imports in core/
    for folder, text in {
        "annotate/q/mod.py": (
            "from furat.core import (  # see (x)\n    a,  # a module\n    b,\n)\nimport os\n"
            "from furat.core.e import \\\n    E\nimport furat.core.f, furat.core.g as G\nfrom .sibling import S\n"
            "# from furat.core import unused (a comment)\n"
        ),
        "annotate/q/sibling.py": "S = 0\n",  # imported relatively
        "core/e.py": "E = 5\n",  # after a line continued
        "core/f.py": "F = 6\n",  # two modules in one import
        "core/g.py": "G = 7\n",
        "core/__init__.py": "",
        "core/a.py": "from furat.core.c import C\nA = C\n",
        "core/b.py": "B = 1\n",
        "core/c.py": "C = 2\n",
        "core/unused.py": "D = 3\n",
    }.items():
        (tree / folder).parent.mkdir(parents=True, exist_ok=True)
        (tree / folder).write_text(text, encoding="utf-8")
    monkeypatch.setattr(native, "_FURAT", tree)
    group = NativeGroup.of_folder("furat.annotate.q", tree / "annotate" / "q")
    assert group.modules == ("mod", "sibling")
    group = NativeGroup("furat.annotate.q", tree / "annotate" / "q", ("mod",))  # the sibling outside the group
    before = group.digest()
    for name in ("a", "b", "c", "e", "f", "g", "../annotate/q/sibling", "unused"):
        edited = tree / "core" / f"{name}.py"
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text + "# edited\n", encoding="utf-8")
        assert (group.digest() != before) == (name != "unused"), name  # c is imported through a
        edited.write_text(text, encoding="utf-8")
    assert group.digest() == before


def test_furat_compile_says_whether_the_recognizer_is_compiled(compiled_recognizer: dict[str, str]) -> None:
    command = [sys.executable, "-m", "furat", "--root", str(ROOT), "compile", "--check"]
    done = subprocess.run(command, env=_env(**compiled_recognizer), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "compiled from the sources as they are; loaded here: compiled" in done.stdout


def test_furat_compile_reports_what_it_could_not_do(tmp_path: Path) -> None:
    empty = _env(XDG_CACHE_HOME=str(tmp_path / "cache"))
    command = [sys.executable, "-m", "furat", "--root", str(ROOT), "compile"]
    done = subprocess.run([*command, "--check"], env=empty, capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "not compiled (run `furat compile`)" in done.stdout
    if _toolchain_missing() and not os.environ.get("CI"):
        pytest.skip(f"cannot compile here: no {_toolchain_missing()}")
    failing = empty | {"CC": "/bin/false"}  # a C compiler that fails
    done = subprocess.run(command, env=failing, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    findings = [line for line in lines if not line.startswith("  ")]  # the rest: the compiler's last lines, indented
    groups = [f"{group.folder.as_posix()}: error[compile-failed] mypyc could not compile" for group in (NATIVE, TOKENS)]
    assert len(findings) == len(groups), lines  # each group is tried, and each says why it failed
    assert all(line.startswith(group) for line, group in zip(findings, groups, strict=True)), findings
    assert lines[1].startswith("  ")
    assert not list((tmp_path / "cache" / "furat" / "native").iterdir())
    unwritable = _env(XDG_CACHE_HOME="/proc/furat-cache")
    done = subprocess.run(command, env=unwritable, capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "error[io-error] cannot write the compiled modules" in done.stderr, done.stderr


def test_a_failed_compile_leaves_nothing_and_says_why(tmp_path: Path) -> None:
    group = _demo(tmp_path, _MODULE.replace("return [v * 2", "return [str(v)"))
    cache = tmp_path / "cache"
    if _toolchain_missing() and not os.environ.get("CI"):
        pytest.skip(f"cannot compile here: no {_toolchain_missing()}")
    with pytest.raises(NativeCompileError, match="mypyc could not compile nativedemo") as failed:
        group.compile(cache)  # a type error: mypyc refuses the module
    assert any("twice.py:3: error" in line for line in failed.value.log)
    assert list(cache.iterdir()) == []
    assert _probe(tmp_path) == "py ['1', '2']"


def test_the_bench_says_which_recognizer_it_timed(tmp_path: Path, compiled_recognizer: dict[str, str]) -> None:
    from furat.bench.run import STAGES, BenchSettings

    figures = STAGES["quantities"](ROOT, BenchSettings(size_mb=0.05))
    assert figures["mentions"] > 0
    if os.environ.get(DISABLE) == "0":
        assert figures["compiled"] is False  # the suite's process runs the source
    cache = compiled_recognizer
    out = tmp_path / "bench.json"
    command = [sys.executable, "-m", "furat", "--root", str(ROOT), "--quiet", "bench", "--stage", "quantities"]
    command += ["--size-mb", "0.05", "--out", str(out)]
    done = subprocess.run(command, env=_env(**cache), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "quantities: compiled with mypyc" in done.stdout
    assert json.loads(out.read_text(encoding="utf-8"))["stages"]["quantities"]["compiled"] is True


def test_without_a_cache_folder_the_source_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    group = _demo(tmp_path)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", no_home)  # no HOME and no entry in the password database
    monkeypatch.setenv(DISABLE, "1")
    path: list[str] = []
    assert not group.load(path) and path == [] and not group.is_compiled() and not group.available()
    with pytest.raises(OSError, match="set XDG_CACHE_HOME"):
        group.compile()
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # not absolute: ignored, as the XDG spec says
    with pytest.raises(OSError, match="set XDG_CACHE_HOME"):
        group.target()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert group.target().parent == tmp_path / "cache" / "furat" / "native"


def test_a_compiled_module_that_does_not_load_leaves_the_source_running(
    tmp_path: Path, compiled_recognizer: dict[str, str]
) -> None:
    compiled = NATIVE.target(
        Path(compiled_recognizer["XDG_CACHE_HOME"], "furat", "native") if compiled_recognizer else None
    )
    cache = tmp_path / "cache" / "furat" / "native"
    shutil.copytree(compiled, cache / compiled.name)  # a copy of the compiled recognizer, to damage
    damaged = next((cache / compiled.name).joinpath(*NATIVE.package.split(".")).glob("recognizer.*"))
    damaged.write_bytes(b"")  # a module's file that does not import ("file too short")
    probe = (
        "from furat.annotate import quantities as q; print(q.NATIVE.loaded(), len(q.find_quantities('قتل 5 أشخاص')))"
    )
    env = _env(XDG_CACHE_HOME=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "1"]  # the source runs, and finds the mention
