"""The library's front door: what the CLI does, callable from Python."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Literal

import pandas as pd

from diffing import AlignConfig, compare_documents
from extractors import ExtractConfig, extract_pdf
from extractors.guard import check_regular_file
from reports.changes_md import comparison_markdown
from reports.docx import comparison_docx
from reports.frames import TableKind, table_frames
from reports.html import comparison_html
from reports.outline import extract_markdown
from reports.redline import comparison_redline
from reports.safetext import invisible_count, not_xml_count
from reports.tabular import comparison_csv, comparison_xlsx
from reports.view import ReportConfig

from .exceptions import InputFormatError, UnknownFormatError, UnreadableFileError
from .identify import find_org, identify
from .model import Comparison, ComparisonKind, ExtractResult, PlanInfo
from .names import json_text
from .output import write_atomic
from .schema import check_extract_json


def extract(path: str | Path, *, config: ExtractConfig | None = None) -> ExtractResult:
    """Extract a plan PDF, or load a ``plandiff.extract/1`` JSON file.

    >>> r = extract("samples/sample-r7.plan.pdf")
    >>> b = r.documents[0].blocks[2]
    >>> b.kind, b.level, b.label, b.text
    ('heading', 1, '１．', '基本業務の確実な遂行')
    """
    p = Path(path)
    if p.suffix.lower() == ".json":
        check_regular_file(p)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
            check_extract_json(data)
            return ExtractResult.from_dict(data)
        except (ValueError, TypeError, KeyError) as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise InputFormatError(p, str(e)) from e
        except OSError as e:
            raise UnreadableFileError(p, e.strerror or str(e)) from e
    return extract_pdf(p, config=config)


def tables(result: ExtractResult, *, kind: TableKind | None = None, numeric: bool = False) -> list[pd.DataFrame]:
    """The tables of an extraction as DataFrames; ``kind="kpi"`` or ``"budget"`` picks those.

    >>> [df.attrs["kind"] for df in tables(extract("samples/sample-r7.plan.pdf"))]
    ['budget', 'kpi']
    """
    return table_frames(result, kind=kind, numeric=numeric)


def render_extract(result: ExtractResult, fmt: str = "json") -> str:
    """The extraction as JSON (``plandiff.extract/1``) or a Markdown outline."""
    if fmt == "md":
        return extract_markdown(result)
    return json_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=1)) + "\n"


def format_for(path: str | Path, default: str = "json") -> str:
    """The output format a file name asks for (``.md`` → md, ``.json`` → json, ``.redline.docx`` → redline)."""
    if Path(path).name.lower().endswith(".redline.docx"):
        return "redline"
    suffix = Path(path).suffix.lower().lstrip(".")
    return {"markdown": "md", "htm": "html"}.get(suffix, suffix) or default


EXTRACT_FORMATS = ("json", "md")


def output_format(out: str | Path, fmt: str | None, allowed: tuple[str, ...]) -> str:
    """The format for one output file: ``fmt`` if given, else its extension; refused when unknown."""
    chosen = fmt or format_for(out)
    if chosen not in allowed:
        raise UnknownFormatError(out, f"{chosen!r}")
    return chosen


def write_extract(result: ExtractResult, out: str | Path, fmt: str | None = None) -> None:
    """Write the extraction atomically; the format follows the extension unless given."""
    write_atomic(out, render_extract(result, output_format(out, fmt, EXTRACT_FORMATS)))


NewSide = Literal["left", "right"]


def plan_info(result: ExtractResult) -> PlanInfo:
    """File, column label, office and fiscal year of an extraction's first document, read from its own text."""
    who = identify(result)
    label = result.documents[0].label if result.documents else ""
    return PlanInfo(result.source, label, who.org, who.fiscal_year)


def comparison_kind(old_org: str, new_org: str) -> ComparisonKind:
    """``branch`` when the old side is 本部 and the new one a 支部 (HQ → branch), else ``years``.

    >>> comparison_kind("本部", "宮城支部"), comparison_kind("宮城支部", "宮城支部")
    ('branch', 'years')
    """
    return "branch" if old_org == "本部" and new_org.endswith("支部") else "years"


def compare(
    old: str | Path | None,
    new: str | Path,
    *,
    config: AlignConfig | None = None,
    extract_config: ExtractConfig | None = None,
    new_side: NewSide = "left",
    kind: ComparisonKind | None = None,
) -> Comparison:
    """Compare two plans (PDFs or extraction JSON), or the two columns of one side-by-side PDF.

    With ``old=None``, ``new`` is one side-by-side table: by default its left
    column is the new plan and its right column the old one, as 新旧対照表 print
    them (``new_side="right"`` flips it).  ``kind`` is ``years`` or ``branch``
    (HQ → branch); by default it follows the two plans' offices.

    >>> c = compare("samples/sample-r6.plan.pdf", "samples/sample-r7.plan.pdf")
    >>> c.summary["unchanged"] > c.summary["changed"] > 0, c.kind
    (True, 'years')
    """
    if old is None:
        both = extract(new, config=extract_config)
        if len(both.documents) < 2:
            raise InputFormatError(new, f"a {both.layout} PDF has one document; pass the old and the new plan")
        left, right = both.documents[0], both.documents[1]
        new_doc, old_doc = (left, right) if new_side == "left" else (right, left)
        c = compare_documents(old_doc, new_doc, config=config, old_source=both.source, new_source=both.source)
        # a 支部 | 本部 table names its columns by office
        old_org, new_org = find_org(old_doc.label), find_org(new_doc.label)
        return replace(c, kind=kind or comparison_kind(old_org, new_org), old_organisation=old_org, new_organisation=new_org)
    a, b = extract(old, config=extract_config), extract(new, config=extract_config)
    return compare_plans(a, b, config=config, kind=kind)


def compare_plans(
    old: ExtractResult, new: ExtractResult, *, config: AlignConfig | None = None, kind: ComparisonKind | None = None
) -> Comparison:
    """Compare the first documents of two extractions, named by their offices."""
    oi, ni = plan_info(old), plan_info(new)
    c = compare_documents(old.documents[0], new.documents[0], config=config, old_source=old.source, new_source=new.source)
    return replace(
        c,
        kind=kind or comparison_kind(oi.organisation, ni.organisation),
        old_organisation=oi.organisation,
        new_organisation=ni.organisation,
    )


COMPARE_FORMATS = ("json", "md", "html", "docx", "xlsx", "csv", "redline")


def render_compare(comparison: Comparison, fmt: str = "json", *, report: ReportConfig | None = None) -> str | bytes:
    """The comparison in one format: json (``plandiff.compare/1``), md, html, docx, xlsx, csv or redline.

    ``redline`` is the new plan as a Word document with tracked changes against the old one.

    Text formats come back as ``str``, Office files and CSV (UTF-8 with BOM) as ``bytes``.
    """
    if fmt == "json":
        return json_text(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=1)) + "\n"
    if fmt == "md":
        return comparison_markdown(comparison)
    if fmt == "html":
        return comparison_html(comparison, report)
    if fmt == "docx":
        return comparison_docx(comparison, report)
    if fmt == "xlsx":
        return comparison_xlsx(comparison, report)
    if fmt == "csv":
        return comparison_csv(comparison, report)
    if fmt == "redline":
        return comparison_redline(comparison, report)
    raise ValueError(f"unknown comparison format {fmt!r} (one of {', '.join(COMPARE_FORMATS)})")


def replaced_characters(comparison: Comparison, fmt: str) -> int:
    """How many characters of the two plans a format cannot show as they are.

    docx, redline and xlsx replace what XML cannot hold by U+FFFD; html
    writes bidi controls and zero-width characters out as ``[U+202E]``.
    """
    docs = (comparison.old, comparison.new)
    if fmt in ("docx", "redline", "xlsx"):
        return not_xml_count(docs)
    return invisible_count(docs) if fmt == "html" else 0


def write_compare(comparison: Comparison, out: str | Path, fmt: str | None = None, *, report: ReportConfig | None = None) -> None:
    """Write the comparison atomically; the format follows the extension unless given."""
    write_atomic(out, render_compare(comparison, output_format(out, fmt, COMPARE_FORMATS), report=report))
