"""The ``ner`` tokens and tags of a document in one pass over its UTF-8: ``token_pass``.

``dataset.ner_arrays`` makes them with numpy, in about ten passes over the text; ``tokens`` is a loop over
the text's bytes, typed for mypyc. ``furat compile`` compiles it (``core.native``), and when it is compiled
from the source as it is, it is the one imported here (``NATIVE.loaded()``) and ``ner_arrays`` uses it.
As plain Python it is slow, and ``ner_arrays`` keeps to numpy; the tests run it both ways.
"""

from __future__ import annotations

from pathlib import Path

from furat.core.native import NativeGroup

NATIVE = NativeGroup.of_folder(__name__, Path(__file__).parent)
NATIVE.load(__path__)
try:
    from furat.dataset.native.tokens import token_pass  # after load: compiled first
except ImportError:  # a compiled module that does not load (a damaged file): the source, then
    if not NATIVE.unload(__path__):
        raise
    from furat.dataset.native.tokens import token_pass

__all__ = ["NATIVE", "token_pass"]
