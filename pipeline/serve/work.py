"""What the worker processes do: read a file, compare, render a report or a page image.

Each function takes and returns plain picklable values.  An error of ours
comes back as a :class:`Failure` (exception class and detail) rather than
raised, so the server can name the file as the client sent it.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from extractors import ExtractConfig
from pipeline import exceptions
from pipeline.api import NewSide, compare_plans, compare_sidebyside, render_compare
from pipeline.exceptions import InputFormatError, PlandiffError
from pipeline.i18n import N_
from pipeline.identify import identify
from pipeline.model import Comparison, ExtractResult
from reports.config import ReportConfig


@dataclass(frozen=True, slots=True)
class Failure:
    kind: str  # a class name from pipeline.exceptions
    detail: str

    @classmethod
    def of(cls, e: PlandiffError) -> Failure:
        return cls(type(e).__name__, e.detail)

    def error(self, name: str) -> PlandiffError:
        """The error again, naming the client's file."""
        err_cls = getattr(exceptions, self.kind, PlandiffError)
        return err_cls(name, self.detail) if isinstance(err_cls, type) and issubclass(err_cls, PlandiffError) else PlandiffError(name)


@dataclass(frozen=True, slots=True)
class Read:
    result: ExtractResult
    org: str
    year: str
    kind: str


def warm() -> None:
    """Load the heavy modules and the Sudachi dictionary once per worker, before the first request."""
    from diffing import Tokenizer

    Tokenizer().tokenize("事業計画の比較")
    import pipeline.api  # noqa: F401  (reports, pandas, openpyxl)


def _load_json(path: str, name: str) -> ExtractResult:
    try:
        result = ExtractResult.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as e:
        raise InputFormatError(name, str(e)) from e
    if not result.documents:
        raise InputFormatError(name, N_("no documents"))
    return result


def check(path: str, name: str, media: str, config: ExtractConfig) -> int | Failure:
    """The page count of an upload, or why it cannot be read (quick: no page is read)."""
    from extractors import check_pdf

    try:
        return _load_json(path, name).pages if media == "json" else check_pdf(path, config=config)
    except PlandiffError as e:
        return Failure.of(e)


def read(path: str, name: str, media: str, config: ExtractConfig) -> Read | Failure:
    """Extract an uploaded PDF (or load extraction JSON); ``source`` becomes the client's file name."""
    from extractors import extract_pdf

    try:
        result = _load_json(path, name) if media == "json" else extract_pdf(path, config=config)
    except PlandiffError as e:
        return Failure.of(e)
    result = dataclasses.replace(result, source=name)
    who = identify(result)
    return Read(result, who.org, who.fiscal_year, who.kind)


def compare(old: ExtractResult, new: ExtractResult | None, new_side: NewSide) -> Comparison:
    """Two plans, or (``new`` None) the two columns of one side-by-side table, as the library compares them."""
    if new is None:
        return compare_sidebyside(old, new_side, name=old.source)
    return compare_plans(old, new)


def render(comparison: Comparison, fmt: str, report: ReportConfig) -> bytes:
    data = render_compare(comparison, fmt, report=report)
    return data.encode("utf-8") if isinstance(data, str) else data


def page_png(path: str, page: int) -> bytes | Failure:
    from extractors import render_page_png

    try:
        return render_page_png(path, page)
    except PlandiffError as e:
        return Failure.of(e)
