"""Arabic quantity recognizer and normalizer: ``find_quantities(text)``.

The recognizer's conventions (span, counted noun, values, vague quantities, units, what is not a
quantity) are described in ``recognizer``; annotations/GUIDELINES.md §3 is the annotators' version.
The command line is ``furat quantities [FILE]`` (``furat.cli.annotate``).
"""

from __future__ import annotations

from furat.annotate.quantities.recognizer import find_quantities
from furat.core.annotation import Quantity, Span

__all__ = ["Quantity", "Span", "find_quantities"]
