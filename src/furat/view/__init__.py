"""The static corpus viewer: one right-to-left page per document with its annotations, and an index."""

from furat.view.site import ViewResult, build_view

__all__ = ["ViewResult", "build_view"]
