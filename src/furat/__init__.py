"""Furat: an Arabic news corpus annotated for entities, quantities and stance."""

__version__ = "0.1.0"
__all__ = ["__version__"]
