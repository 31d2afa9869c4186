"""Pure-Python modules compiled with mypyc, kept in a cache under their sources' digest.

Some modules spend their time in Python-level loops over small objects (the quantity recognizer's
tokenizer and parser): compiled with mypyc, the compiler mypy ships, the same source runs about half
again as fast. A ``NativeGroup`` names such modules of one package. ``furat compile`` compiles them
into the user's cache (``$XDG_CACHE_HOME/furat/native/<package>-<python>-<digest>/``); the package's
``__init__`` calls ``load`` before it imports them, and the import system then finds the compiled
modules first.

The folder is named by the sha256 of the group's sources, of the Furat modules they import (directly or
not), of how mypyc is asked to compile them and of the Python that runs them: edit a line and the compiled
modules are no longer found, so the source as it is now runs until ``furat compile`` runs again. Nothing
is compiled on import. Without a C compiler, with ``FURAT_NATIVE=0`` in the environment, without a cache
folder, or when the compiled folder is not whole or its code does not load, the pure-Python modules run:
they are the reference, and the test suite compares the two.
"""

from __future__ import annotations

import contextlib
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

from furat.core.paths import user_cache

__all__ = ["DISABLE", "NativeCompileError", "NativeGroup", "NativeResult"]

DISABLE = "FURAT_NATIVE"  # "0" there: never load compiled modules
_DONE = "furat-native.json"  # written last into a compiled folder: what it holds
_STRAY_SECONDS = 3600  # a temporary compile folder this old belongs to a compile that was killed
_SUFFIXES = tuple(importlib.machinery.EXTENSION_SUFFIXES)
_FURAT = Path(__file__).resolve().parents[1]  # the furat package's folder
# import statements, once comments are gone and continued lines joined: from X import a, b / from X import
# (a, b) / from .x import a / import furat.x, furat.y
_FROM = re.compile(r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(?:\(([^)]*)\)|([^\n;]*))", re.MULTILINE)
_IMPORTS = re.compile(r"^[ \t]*import[ \t]+([^\n;]*)", re.MULTILINE)
_COMMENT = re.compile(r"#[^\n]*")
_COMPILE_SECONDS = 1800  # a compile takes well under a minute on 2 cores
KEEP = 4  # compiled versions of a group kept in the cache (the newest), for worktrees on other branches
# how mypyc compiles a group (part of the digest: another recipe is another compile)
_MYPY_CONFIG = "[mypy]\nignore_missing_imports = True\n"
_SCRIPT = (
    "import sys\n"
    "from setuptools import setup\n"
    "from mypyc.build import mypycify\n"
    "paths, lib, temp, code = sys.argv[1:-3], sys.argv[-3], sys.argv[-2], sys.argv[-1]\n"
    "setup(name='furat-native', ext_modules=mypycify(paths, opt_level='3', target_dir=code),\n"
    "      script_args=['build_ext', '--build-lib', lib, '--build-temp', temp])\n"
)


def _module_file(module: str) -> Path | None:
    """The source file of the Furat module ``module`` (dotted), or None."""
    parts = module.split(".")[1:]
    for path in _FURAT.joinpath(*parts).with_suffix(".py"), _FURAT.joinpath(*parts, "__init__.py"):
        if parts and path.is_file():
            return path
    return None


def _imported_names(source: Path) -> list[str]:
    """The dotted names a Furat module's source imports (a module, or a name that may be one), absolute."""
    text = _COMMENT.sub("", source.read_text(encoding="utf-8")).replace("\\\n", " ")
    package = ".".join(("furat", *source.relative_to(_FURAT).parent.parts)) if source.is_relative_to(_FURAT) else ""
    names = [item.split()[0] for match in _IMPORTS.finditer(text) for item in match.group(1).split(",") if item.strip()]
    for match in _FROM.finditer(text):
        dots, module = match.group(1), match.group(2)
        if dots:  # relative to the source's package: one dot is the package itself
            base = package.split(".")[: len(package.split(".")) - len(dots) + 1] if package else []
            module = ".".join([*base, module] if module else base)
        listed = match.group(3) or match.group(4) or ""
        names += [module, *(f"{module}.{item.split()[0]}" for item in listed.split(",") if item.strip())]
    return [name for name in names if name.startswith("furat.")]


def _furat_imports(sources: list[Path]) -> set[Path]:
    """Every Furat module's file that ``sources`` import, directly or through one another."""
    found: set[Path] = set()
    todo = list(sources)
    while todo:
        for name in _imported_names(todo.pop()):
            path = _module_file(name)
            if path is not None and path not in found:
                found.add(path)
                todo.append(path)
    return found


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
        """sha256 of the Python that runs this (version, build, machine), of how mypyc is asked to compile,
        of the group's sources and of every Furat module they import, directly or not (mypyc may compile
        in their constants and rely on their types)."""
        digest = hashlib.sha256(f"{sys.version}\0{sys.implementation.cache_tag}\0{platform.machine()}".encode())
        digest.update((_MYPY_CONFIG + _SCRIPT).encode())
        for source in [*self.sources(), *sorted(_furat_imports(self.sources()) - set(self.sources()))]:
            digest.update(
                f"\0{source.relative_to(_FURAT) if source.is_relative_to(_FURAT) else source.name}\0".encode()
            )
            digest.update(source.read_bytes())
        return digest.hexdigest()[:20]

    def target(self, cache: Path | None = None) -> Path:
        """Where this group's compiled modules are (or go) for the sources as they are now: a folder of
        ``cache`` (by default ``$XDG_CACHE_HOME/furat/native``, ``~/.cache`` when that is not set).
        ``OSError`` when there is no cache folder (no home folder, and no absolute ``XDG_CACHE_HOME``)."""
        return (cache or user_cache("native")) / f"{self._prefix()}{self.digest()}"

    def _prefix(self) -> str:
        return f"{self.package}-{sys.implementation.cache_tag}-"

    def _inner(self, target: Path) -> Path:
        return target.joinpath(*self.package.split("."))

    def _shared(self, target: Path) -> list[Path]:
        """The group's shared libraries (its code, which each module's file imports by a top-level name)."""
        return sorted(target.glob("*__mypyc.*"))

    def _has_modules(self, target: Path) -> bool:
        """Whether ``target`` holds a compiled file of every module of the group."""
        inner = self._inner(target)
        return all(any((inner / f"{n}{x}").is_file() for x in _SUFFIXES) for n in self.modules)

    def _complete(self, target: Path) -> bool:
        """Whether ``target`` holds a finished compile with every module of the group and the shared libraries
        its record names."""
        try:
            shared = json.loads((target / _DONE).read_bytes())["shared"]
        except (OSError, ValueError, KeyError, TypeError):
            return False
        return self._has_modules(target) and all(
            isinstance(name, str) and "/" not in name and (target / name).is_file() for name in shared
        )

    def is_compiled(self, cache: Path | None = None) -> bool:
        """Whether the group is compiled, whole, from its sources as they are now."""
        try:
            return self._complete(self.target(cache))
        except (OSError, ValueError):  # no cache folder; a source that is not UTF-8
            return False

    def available(self, cache: Path | None = None) -> bool:
        """Whether a process started now would load the compiled modules (compiled, and not disabled)."""
        return os.environ.get(DISABLE) != "0" and self.is_compiled(cache)

    def load(self, package_path: list[str], cache: Path | None = None) -> bool:
        """Put the compiled modules first on ``package_path`` (the package's ``__path__``), when they are
        compiled, whole, from the sources as they are; whether they are. Call it before importing any of
        them: they are then all compiled or all source, never some of each."""
        if os.environ.get(DISABLE) == "0":
            return False
        try:
            target = self.target(cache)
            if not self._complete(target):
                return False
            for shared in self._shared(target):
                name = shared.name.split(".", 1)[0]
                if name not in sys.modules:
                    spec = importlib.util.spec_from_file_location(name, shared)
                    if spec is None or spec.loader is None:
                        return False
                    module = importlib.util.module_from_spec(spec)
                    spec.loader.exec_module(module)
                    sys.modules[name] = module
        except (OSError, ImportError, ValueError):
            return False
        package_path.insert(0, str(self._inner(target)))
        with contextlib.suppress(OSError):
            os.utime(target)  # used now: the versions kept in the cache are the ones used last
        return True

    def unload(self, package_path: list[str]) -> bool:
        """Take the compiled modules off ``package_path`` and forget the group's modules imported so far
        (a compiled module that does not import); whether there was anything to take off. The package's
        ``__init__`` then imports its source."""
        compiled = [entry for entry in package_path if entry != str(self.folder)]
        for entry in compiled:
            package_path.remove(entry)
        for name in self.modules:
            sys.modules.pop(f"{self.package}.{name}", None)
        return bool(compiled)

    def compile(self, cache: Path | None = None) -> NativeResult:
        """Compile the group with mypyc into ``target()``, unless it is there already.

        mypyc and the C compiler run in a child process, in a temporary folder beside the target that is
        renamed into place when they are done: a compile that fails leaves nothing behind, and the folder
        of one that was killed is removed by a compile an hour later or more. When a source changes while
        it runs, the result is thrown away (it would be filed under the sources it was not made from).
        Compiled versions of the group beyond the newest ``KEEP`` (other branches, say) are removed.
        Raises ``NativeCompileError`` when the compile fails, ``OSError`` when the cache cannot be written.
        """
        try:
            target = self.target(cache)
        except ValueError as exc:  # a source that is not UTF-8
            raise NativeCompileError(f"cannot read the sources of {self.package}: {exc}", []) from None
        if self._complete(target):
            return NativeResult(target, False)
        target.parent.mkdir(parents=True, exist_ok=True)
        for stray in target.parent.glob(f".{self.package}-*"):  # a killed compile's (not a running one's)
            with contextlib.suppress(OSError):  # gone meanwhile (another compile removed it)
                if stray.is_dir() and not stray.is_symlink() and time.time() - stray.stat().st_mtime > _STRAY_SECONDS:
                    shutil.rmtree(stray, ignore_errors=True)
        with tempfile.TemporaryDirectory(prefix=f".{self.package}-", dir=target.parent) as tmp:
            work = Path(tmp)
            config = work / "mypy.ini"
            config.write_text(_MYPY_CONFIG, encoding="utf-8")
            lib = work / "lib"
            paths = [str(p) for p in self.sources()]
            args = [*paths, "--config-file", str(config), str(lib), str(work / "temp"), str(work / "c")]
            try:
                done = subprocess.run(
                    [sys.executable, "-c", _SCRIPT, *args],
                    cwd=work,
                    capture_output=True,
                    text=True,
                    check=False,
                    timeout=_COMPILE_SECONDS,
                )
            except subprocess.TimeoutExpired:
                raise NativeCompileError(f"mypyc did not compile {self.package} in {_COMPILE_SECONDS} s", []) from None
            if done.returncode != 0 or not self._has_modules(lib):
                lines = (done.stdout + done.stderr).strip().splitlines() or ["(no output)"]
                raise NativeCompileError(f"mypyc could not compile {self.package}: {lines[-1]}", lines[-15:])
            if self.target(cache) != target:
                raise NativeCompileError(
                    f"the sources of {self.package} changed while they compiled; compile again", []
                )
            shared = [p.name for p in self._shared(lib)]
            meta = {"package": self.package, "modules": list(self.modules), "shared": shared, "python": sys.version}
            (lib / _DONE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
            if target.is_dir() and not target.is_symlink() and not self._complete(target):
                # an earlier compile's folder that lost files: set aside (a temporary name), then removed
                with contextlib.suppress(OSError):
                    target.rename(work / "broken")
            try:
                lib.rename(target)
            except OSError:
                if not self._complete(target):  # another compile put it there meanwhile: that is fine
                    raise
        used: list[tuple[float, Path]] = []
        for other in target.parent.glob(f"{self._prefix()}*"):
            with contextlib.suppress(OSError):  # gone meanwhile (another compile pruned it)
                if other != target and other.is_dir() and not other.is_symlink():
                    used.append((other.stat().st_mtime, other))
        for _, old in sorted(used, reverse=True)[KEEP - 1 :]:  # the newest KEEP, this one among them, stay
            shutil.rmtree(old, ignore_errors=True)
        return NativeResult(target, True)

    def loaded(self) -> bool:
        """Whether the group's modules imported in this process are the compiled ones."""
        modules = [sys.modules.get(f"{self.package}.{name}") for name in self.modules]
        return all(m is not None and str(getattr(m, "__file__", "")).endswith(_SUFFIXES) for m in modules)
