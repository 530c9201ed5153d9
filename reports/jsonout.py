"""Extractions, comparisons, matrices and histories as their JSON schemas (``plandiff.extract/1``, ``plandiff.compare/1`` …)."""

from __future__ import annotations

from typing import Any

from pipeline.model import Comparison, ExtractResult, History, Matrix
from pipeline.names import json_text

from .jsontext import dumps_indented


def _dump(data: dict[str, Any]) -> str:
    return json_text(dumps_indented(data)) + "\n"  # a lone surrogate as \udcXX, valid UTF-8


def extract_json(result: ExtractResult) -> str:
    return _dump(result.to_dict())


def comparison_json(comparison: Comparison, config: object = None) -> str:
    return _dump(comparison.to_dict())


def schema_json(obj: Matrix | History) -> str:
    """A matrix (``plandiff.matrix/1``) or a history (``plandiff.history/1``)."""
    return _dump(obj.to_dict())
