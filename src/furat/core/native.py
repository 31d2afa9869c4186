"""Pure-Python modules compiled with mypyc, kept in a cache beside their sources' digest.

Some modules spend their time in Python-level loops over small objects (the quantity recognizer's
tokenizer and parser): compiled with mypyc, the compiler mypy ships, the same source runs about half
again as fast. A ``NativeGroup`` names such modules of one package. ``furat compile`` compiles them
into the user's cache (``$XDG_CACHE_HOME/furat/native/<package>-<digest>/``); the package's
``__init__`` calls ``load`` before it imports them, and the import system then finds the compiled
modules first.

The folder is named by the sha256 of the group's sources (and of the Furat modules they import) and of
the Python that compiles them: edit a line and the compiled modules are no longer found, so the source
as it is now runs until ``furat compile`` runs again. Nothing is compiled on import. Without a C
compiler, with ``FURAT_NATIVE=0`` in the environment, or when a compiled module does not load, the
pure-Python modules run: they are the reference, and the test suite compares the two.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DISABLE", "NativeCompileError", "NativeGroup", "NativeResult"]

DISABLE = "FURAT_NATIVE"  # "0" there: never load compiled modules
_DONE = "furat-native.json"  # written last into a compiled folder: what it holds
_STRAY_SECONDS = 3600  # a temporary compile folder this old belongs to a compile that was killed
_SUFFIXES = tuple(importlib.machinery.EXTENSION_SUFFIXES)
_FURAT = Path(__file__).resolve().parents[1]  # the furat package's folder
_IMPORT = re.compile(r"^\s*(?:from\s+(furat(?:\.\w+)+)\s+import|import\s+(furat(?:\.\w+)+))", re.MULTILINE)


class NativeCompileError(RuntimeError):
    """A compile that failed: what went wrong in one line, and the compiler's last lines."""

    def __init__(self, message: str, log: list[str]) -> None:
        super().__init__(message)
        self.log = log


@dataclass(frozen=True)
class NativeResult:
    folder: Path
    compiled: bool  # False: the folder was there already, up to date


@dataclass(frozen=True)
class NativeGroup:
    """Modules ``modules`` of the package ``package`` (folder ``folder``), compiled together."""

    package: str
    folder: Path
    modules: tuple[str, ...]

    @classmethod
    def of_folder(cls, package: str, folder: Path) -> NativeGroup:
        """Every module of a package's folder but its ``__init__``."""
        return cls(package, folder, tuple(p.stem for p in sorted(folder.glob("*.py")) if p.stem != "__init__"))

    def sources(self) -> list[Path]:
        return [self.folder / f"{name}.py" for name in self.modules]

    def digest(self) -> str:
        """sha256 of the Python that runs this (version, build, machine), of the group's sources and of the
        Furat modules they import (whose constants mypyc may compile in)."""
        digest = hashlib.sha256(f"{sys.version}\0{sys.implementation.cache_tag}\0{platform.machine()}".encode())
        seen: set[Path] = set()
        for source in self.sources():
            text = source.read_bytes()
            digest.update(f"\0{source.name}\0".encode() + text)
            for match in _IMPORT.finditer(text.decode("utf-8")):
                module = Path(*(match.group(1) or match.group(2)).split(".")[1:])
                for imported in (_FURAT / module).with_suffix(".py"), _FURAT / module / "__init__.py":
                    if imported.is_file() and imported not in seen and imported.parent != self.folder:
                        seen.add(imported)
                        digest.update(f"\0{imported.relative_to(_FURAT)}\0".encode() + imported.read_bytes())
        return digest.hexdigest()[:20]

    def target(self, cache: Path | None = None) -> Path:
        """Where this group's compiled modules are (or go) for the sources as they are now: a folder of
        ``cache`` (by default ``$XDG_CACHE_HOME/furat/native``, ``~/.cache`` when that is not set)."""
        home = cache or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "furat" / "native"
        return home / f"{self.package}-{self.digest()}"

    def _inner(self, target: Path) -> Path:
        return target.joinpath(*self.package.split("."))

    def is_compiled(self, cache: Path | None = None) -> bool:
        """Whether the group is compiled from its sources as they are now."""
        return (self.target(cache) / _DONE).is_file()

    def available(self, cache: Path | None = None) -> bool:
        """Whether a process started now would load the compiled modules (compiled, and not disabled)."""
        return os.environ.get(DISABLE) != "0" and self.is_compiled(cache)

    def load(self, package_path: list[str], cache: Path | None = None) -> bool:
        """Put the compiled modules first on ``package_path`` (the package's ``__path__``), when they are
        compiled from the sources as they are; whether they are. Call it before importing any of them."""
        if os.environ.get(DISABLE) == "0":
            return False
        try:
            target = self.target(cache)
            inner = self._inner(target)
            if not (target / _DONE).is_file() or not all(self._compiled_file(inner, name) for name in self.modules):
                return False  # not compiled, or not whole: never some modules compiled and others not
            for shared in sorted(target.glob("*__mypyc.*")):  # the group's code, imported by a top-level name
                name = shared.name.split(".", 1)[0]
                if name not in sys.modules:
                    spec = importlib.util.spec_from_file_location(name, shared)
                    if spec is None or spec.loader is None:
                        return False
                    module = importlib.util.module_from_spec(spec)
                    spec.loader.exec_module(module)
                    sys.modules[name] = module
        except (OSError, ImportError, UnicodeDecodeError):
            return False
        package_path.insert(0, str(inner))
        return True

    @staticmethod
    def _compiled_file(folder: Path, module: str) -> bool:
        return any((folder / f"{module}{suffix}").is_file() for suffix in _SUFFIXES)

    def compile(self, cache: Path | None = None) -> NativeResult:
        """Compile the group with mypyc into ``target()``, unless it is there already.

        mypyc and the C compiler run in a child process, in a temporary folder beside the target that is
        renamed into place when they are done: a compile that fails leaves nothing behind, and the folder
        of one that was killed is removed by a compile an hour later or more. Other compiled versions of
        the group in the cache are removed. Raises ``NativeCompileError`` when the compile fails.
        """
        target = self.target(cache)
        if self.is_compiled(cache):
            return NativeResult(target, False)
        target.parent.mkdir(parents=True, exist_ok=True)
        for stray in target.parent.glob(f".{self.package}-*"):  # a killed compile's (not a running one's)
            if stray.is_dir() and not stray.is_symlink() and time.time() - stray.stat().st_mtime > _STRAY_SECONDS:
                shutil.rmtree(stray, ignore_errors=True)
        with tempfile.TemporaryDirectory(prefix=f".{self.package}-", dir=target.parent) as tmp:
            work = Path(tmp)
            config = work / "mypy.ini"
            config.write_text("[mypy]\nignore_missing_imports = True\n", encoding="utf-8")
            paths = [str(p) for p in self.sources()]
            script = (
                "import sys\n"
                "from setuptools import setup\n"
                "from mypyc.build import mypycify\n"
                "paths, lib, temp, code = sys.argv[1:-3], sys.argv[-3], sys.argv[-2], sys.argv[-1]\n"
                "setup(name='furat-native', ext_modules=mypycify(paths, opt_level='3', target_dir=code),\n"
                "      script_args=['build_ext', '--build-lib', lib, '--build-temp', temp])\n"
            )
            lib = work / "lib"
            args = [*paths, "--config-file", str(config), str(lib), str(work / "temp"), str(work / "c")]
            done = subprocess.run(
                [sys.executable, "-c", script, *args], cwd=work, capture_output=True, text=True, check=False
            )
            if done.returncode != 0 or not all(self._compiled_file(self._inner(lib), n) for n in self.modules):
                lines = (done.stdout + done.stderr).strip().splitlines() or ["(no output)"]
                raise NativeCompileError(f"mypyc could not compile {self.package}: {lines[-1]}", lines[-15:])
            meta = {"package": self.package, "modules": list(self.modules), "python": sys.version}
            (lib / _DONE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
            try:
                lib.rename(target)
            except OSError:
                if not (target / _DONE).is_file():  # another compile put it there meanwhile: that is fine
                    raise
        for old in target.parent.glob(f"{self.package}-*"):
            if old != target and old.is_dir() and not old.is_symlink():
                shutil.rmtree(old, ignore_errors=True)
        return NativeResult(target, True)

    def loaded(self) -> bool:
        """Whether the group's modules imported in this process are the compiled ones."""
        modules = [sys.modules.get(f"{self.package}.{name}") for name in self.modules]
        return all(m is not None and str(getattr(m, "__file__", "")).endswith(_SUFFIXES) for m in modules)
