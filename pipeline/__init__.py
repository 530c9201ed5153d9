"""plandiff: structured documents and comparisons from Japanese business-plan PDFs.

The front door of the library::

    from pipeline import extract
    result = extract("plan.pdf")
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "compare", "extract", "render_extract", "tables", "write_extract"]


def __getattr__(name: str) -> Any:
    # Imported lazily: pipeline.model and pipeline.exceptions are used by the
    # stage packages, which pipeline.api itself imports.
    if name in ("compare", "extract", "render_extract", "tables", "write_extract"):
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
