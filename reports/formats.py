"""The one registry of output formats: name, extensions, media type, binary or text, renderer.

The CLI, the API and batch all choose formats here, so a format is added in
one place.  Renderers are named as ``module:function`` and imported when
first used: writing JSON never loads pandas, python-docx or Jinja2.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pipeline.exceptions import BinaryOutputError, FormatMismatchError, UnknownFormatError

Subject = Literal["extract", "compare", "matrix", "history"]


@dataclass(frozen=True, slots=True)
class Format:
    """One output format of extractions or of comparisons."""

    subject: Subject
    name: str
    extensions: tuple[str, ...]  # the first is the one batch writes
    media_type: str
    binary: bool  # not for a terminal (CSV is text, written as UTF-8 with a BOM)
    renderer: str  # "module:function"

    def render(self, obj: Any, config: Any = None, **options: Any) -> str | bytes:
        """``obj`` in this format.

        ``config`` (a comparison's ReportConfig) and ``options`` (a matrix's
        ``links``, ``timestamp``) go to the renderer where it takes them.
        """
        module, func = self.renderer.split(":")
        fn = getattr(importlib.import_module(module), func)
        accepted = inspect.signature(fn).parameters
        given = {"config": config, **options}
        result: str | bytes = fn(obj, **{k: v for k, v in given.items() if k in accepted})
        return result

    @property
    def extension(self) -> str:
        return self.extensions[0]


_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMATS: tuple[Format, ...] = (
    Format("extract", "json", (".json",), "application/json", False, "reports.jsonout:extract_json"),
    Format("extract", "md", (".md", ".markdown"), "text/markdown; charset=utf-8", False, "reports.outline:extract_markdown"),
    Format("compare", "json", (".json",), "application/json", False, "reports.jsonout:comparison_json"),
    Format("compare", "md", (".md", ".markdown"), "text/markdown; charset=utf-8", False, "reports.changes_md:comparison_markdown"),
    Format("compare", "html", (".html", ".htm"), "text/html; charset=utf-8", False, "reports.html:comparison_html"),
    Format("compare", "docx", (".docx",), _DOCX, True, "reports.docx:comparison_docx"),
    Format("compare", "xlsx", (".xlsx",), _XLSX, True, "reports.tabular:comparison_xlsx"),
    Format("compare", "csv", (".csv",), "text/csv; charset=utf-8", False, "reports.tabular:comparison_csv"),
    Format("compare", "redline", (".redline.docx",), _DOCX, True, "reports.redline:comparison_redline"),
    Format("matrix", "json", (".json",), "application/json", False, "reports.jsonout:schema_json"),
    Format("matrix", "html", (".html", ".htm"), "text/html; charset=utf-8", False, "reports.matrix_html:matrix_html"),
    Format("matrix", "xlsx", (".xlsx",), _XLSX, True, "reports.matrix_xlsx:matrix_xlsx"),
    Format("history", "json", (".json",), "application/json", False, "reports.jsonout:schema_json"),
    Format("history", "html", (".html", ".htm"), "text/html; charset=utf-8", False, "reports.history_html:history_html"),
    Format("history", "xlsx", (".xlsx",), _XLSX, True, "reports.history_xlsx:history_xlsx"),
)


def names(subject: Subject) -> tuple[str, ...]:
    """The format names of extractions or of comparisons.

    >>> names("extract"), names("compare")
    (('json', 'md'), ('json', 'md', 'html', 'docx', 'xlsx', 'csv', 'redline'))
    """
    return tuple(f.name for f in FORMATS if f.subject == subject)


def _extensions(subject: Subject) -> str:
    return " ".join(e for f in FORMATS if f.subject == subject for e in f.extensions)


def by_name(subject: Subject, name: str, where: str | Path = "--format") -> Format:
    """The format called ``name``; UnknownFormatError naming ``where`` otherwise."""
    for f in FORMATS:
        if f.subject == subject and f.name == name:
            return f
    raise UnknownFormatError(where, repr(name), formats=", ".join(names(subject)), extensions=_extensions(subject))


def _extension(path: str | Path) -> str:
    """The longest registered extension the file name ends with (``x.redline.docx`` → ``.redline.docx``), else its suffix.

    >>> _extension("r7.Redline.DOCX"), _extension("r7.docx"), _extension("memo.txt")
    ('.redline.docx', '.docx', '.txt')
    """
    name = Path(path).name.lower()
    known = sorted({e for f in FORMATS for e in f.extensions if name.endswith(e)}, key=len, reverse=True)
    return known[0] if known else Path(path).suffix.lower()


def for_path(subject: Subject, path: str | Path, name: str | None = None) -> Format:
    """The format of one output file: its extension's, or ``name`` when given and not contradicted.

    >>> for_path("compare", "対照表.HTML").name
    'html'
    >>> for_path("compare", "x.docx", "html")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    pipeline.exceptions.FormatMismatchError: x.docx: --format contradicts the file's extension (--format html, .docx); ...
    """
    suffix = _extension(path)
    by_ext = next((f for f in FORMATS if f.subject == subject and suffix in f.extensions), None)
    if name is None:
        if by_ext is None:
            raise UnknownFormatError(path, repr(suffix or str(path)), formats=", ".join(names(subject)), extensions=_extensions(subject))
        return by_ext
    chosen = by_name(subject, name)
    if suffix and any(suffix in f.extensions for f in FORMATS) and not any(e.endswith(suffix) for e in chosen.extensions):
        raise FormatMismatchError(path, f"--format {name}, {suffix}")
    return chosen


def for_stdout(subject: Subject, name: str | None, *, terminal: bool) -> Format:
    """The format written to stdout (JSON by default); a binary one never to a terminal."""
    chosen = by_name(subject, name or "json")
    if chosen.binary and terminal:
        raise BinaryOutputError(f"--format {chosen.name}")
    return chosen
