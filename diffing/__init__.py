"""Two documents → an explained, item-by-item comparison."""

from __future__ import annotations

from typing import Any

from .config import AlignConfig

__all__ = ["AlignConfig", "Tokenizer", "compare_documents", "preload"]


def preload(mode: str = "C") -> None:
    """Import what comparing needs and load the Sudachi dictionary now, while another process works."""
    from .compare import compare_documents  # noqa: F401  (its libraries, imported once)
    from .tokens import Tokenizer

    Tokenizer(mode=mode).load()


def __getattr__(name: str) -> Any:
    """``compare_documents`` and ``Tokenizer`` imported on first use: numpy and rapidfuzz cost 0.2 s to load."""
    if name == "compare_documents":
        from .compare import compare_documents

        return compare_documents
    if name == "Tokenizer":
        from .tokens import Tokenizer

        return Tokenizer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
