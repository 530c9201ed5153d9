"""Two documents → an explained, item-by-item comparison."""

from __future__ import annotations

from .compare import compare_documents
from .config import AlignConfig
from .tokens import Tokenizer

__all__ = ["AlignConfig", "Tokenizer", "compare_documents"]
