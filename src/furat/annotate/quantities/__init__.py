"""Arabic quantity recognizer and normalizer: ``find_quantities(text)``.

The recognizer's conventions (span, counted noun, values, vague quantities, units, what is not a
quantity) are described in ``recognizer``; annotations/GUIDELINES.md §3 is the annotators' version.
The command line is ``furat quantities [FILE]`` (``furat.cli.annotate``).

Its modules are plain Python. ``furat compile`` compiles them with mypyc (``core.native``); when they
are compiled from the sources as they are, they are the ones imported here (``NATIVE.loaded()``).
"""

from __future__ import annotations

from pathlib import Path

from furat.core.native import NativeGroup

NATIVE = NativeGroup.of_folder(__name__, Path(__file__).parent)  # every module of the recognizer, compiled together
NATIVE.load(__path__)
try:
    from furat.annotate.quantities.recognizer import find_quantities  # after load: compiled first
except ImportError:  # a compiled module that does not load (a damaged file): the source, then
    if not NATIVE.unload(__path__):
        raise
    from furat.annotate.quantities.recognizer import find_quantities

from furat.core.annotation import Quantity, Span  # noqa: E402

__all__ = ["NATIVE", "Quantity", "Span", "find_quantities"]
