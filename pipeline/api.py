"""The library's front door: what the CLI does, callable from Python."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from diffing import AlignConfig
from extractors import ExtractConfig
from extractors.guard import check_regular_file
from reports import formats
from reports.formats import Format, Subject

from .exceptions import ConfigError, InputFormatError, MissingFileError, OnePlanError, SideBySideInputError, UnreadableFileError
from .i18n import N_, _
from .model import Comparison, ComparisonKind, Document, ExtractResult, PlanInfo
from .output import check_writable, write_all_atomic
from .progress import Progress
from .schema import check_extract_json

if TYPE_CHECKING:
    import pandas as pd

    from reports.config import ReportConfig
    from reports.frames import TableKind

log = logging.getLogger("plandiff")

EXTRACT_FORMATS = formats.names("extract")
COMPARE_FORMATS = formats.names("compare")


def extract(path: str | Path, *, config: ExtractConfig | None = None, progress: bool = False) -> ExtractResult:
    """Extract a plan PDF, or load a ``plandiff.extract/1`` JSON file.

    ``progress`` draws the pages read on stderr (``sample.pdf: pages 3/120 · ETA 0:10``).

    >>> r = extract("samples/sample-r7.plan.pdf")
    >>> b = r.documents[0].blocks[2]
    >>> b.kind, b.level, b.label, b.text
    ('heading', 1, '１．', '基本業務の確実な遂行')
    """
    p = Path(path)
    if not p.exists():
        raise MissingFileError(p)
    t0 = time.perf_counter()
    if p.suffix.lower() == ".json":
        check_regular_file(p)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
            check_extract_json(data)
            result = ExtractResult.from_dict(data)
        except (ValueError, TypeError, KeyError, AttributeError) as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise InputFormatError(p, str(e)) from e
        except OSError as e:
            raise UnreadableFileError(p, e.strerror or str(e)) from e
    elif progress:
        line: list[Progress] = []

        def on_page(done: int, total: int) -> None:
            if not line:
                line.append(Progress(total, enabled=True, label=_("{file}: pages").format(file=p.name), count_pages=False))
            line[0].update()

        from extractors import extract_pdf

        try:
            result = extract_pdf(p, config=config, on_page=on_page)
        finally:
            if line:
                line[0].close()
    else:
        from extractors import extract_pdf

        result = extract_pdf(p, config=config)
    log.debug(
        _("{file}: {pages} pages, layout {layout}, {blocks} blocks in {documents} document(s), {seconds:.2f} s").format(
            file=p,
            pages=result.pages,
            layout=result.layout,
            blocks=sum(len(d.blocks) for d in result.documents),
            documents=len(result.documents),
            seconds=time.perf_counter() - t0,
        )
    )
    return result


def tables(result: ExtractResult, *, kind: TableKind | None = None, numeric: bool = False) -> list[pd.DataFrame]:
    """The tables of an extraction as DataFrames; ``kind="kpi"`` or ``"budget"`` picks those.

    >>> [df.attrs["kind"] for df in tables(extract("samples/sample-r7.plan.pdf"))]
    ['budget', 'kpi']
    """
    from reports.frames import table_frames  # pandas only when tables are asked for

    return table_frames(result, kind=kind, numeric=numeric)


Side = Literal["left", "right"]
NewSide = Side


def _column(result: ExtractResult, path: str | Path, side: Side | None) -> Document:
    """The one plan of a file; of a side-by-side table, the column ``side`` names."""
    if len(result.documents) < 2:
        return result.documents[0]
    if side is None:
        raise SideBySideInputError(path)
    return result.documents[0 if side == "left" else 1]


def _warn_if_suspicious(old: str | Path, new: str | Path, a: ExtractResult, b: ExtractResult, old_doc: Document, new_doc: Document) -> None:
    """One warning line for a plan compared with itself, or old and new swapped by year."""
    from .identify import identify  # its patterns compiled after the extraction has started

    if Path(old).resolve() == Path(new).resolve() or old_doc == new_doc:
        log.warning(_("{old} and {new} are the same plan: every item will be unchanged").format(old=old, new=new))
        return
    old_year, new_year = identify(a).year, identify(b).year
    if old_year and new_year and old_year > new_year:
        log.warning(
            _(
                "the old plan {old} is 令和{old_year}年度, the new plan {new} 令和{new_year}年度: swapped? plandiff compare {new} {old}"
            ).format(old=old, new=new, old_year=old_year, new_year=new_year)
        )


def log_warnings(path: str | Path, warnings: Sequence[str]) -> None:
    """One warning line a run of pages not read as printed (scanned, garbled, vertical), naming the file."""
    for w in warnings:
        log.warning("%s: %s", path, w)


def plan_info(result: ExtractResult) -> PlanInfo:
    """File, column label, office and fiscal year of an extraction's first document, read from its own text."""
    from .identify import identify

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
    side: Side | None = None,
    progress: bool = False,
    kind: ComparisonKind | None = None,
) -> Comparison:
    """Compare two plans (PDFs or extraction JSON), or the two columns of one side-by-side PDF.

    With ``old=None``, ``new`` is one side-by-side table: by default its left
    column is the new plan and its right column the old one, as 新旧対照表 print
    them (``new_side="right"`` flips it).  A side-by-side table given as one
    of two plans needs ``side`` (``"left"`` or ``"right"``): which of its
    columns to compare.  ``progress`` draws the pages read on stderr.
    ``kind`` is ``years`` or ``branch`` (HQ → branch); by default it follows
    the two plans' offices.

    >>> c = compare("samples/sample-r6.plan.pdf", "samples/sample-r7.plan.pdf")
    >>> c.summary["unchanged"] > c.summary["changed"] > 0, c.kind
    (True, 'years')
    """
    for name, value, allowed in (("new_side", new_side, ("left", "right")), ("side", side, ("left", "right", None))):
        if value not in allowed:
            raise ConfigError(name, value, N_("must be left or right"))
    t0 = time.perf_counter()
    if old is None:
        both = extract(new, config=extract_config, progress=progress)
        log_warnings(new, both.warnings)
        comparison = compare_sidebyside(both, new_side, name=new, config=config, kind=kind)
    else:
        from diffing import preload

        mode = (config or AlignConfig()).mode
        a, b = _extract_pair(old, new, config=extract_config, progress=progress, meanwhile=lambda: preload(mode))
        log_warnings(old, a.warnings)
        log_warnings(new, b.warnings)
        old_doc, new_doc = _column(a, old, side), _column(b, new, side)
        _warn_if_suspicious(old, new, a, b, old_doc, new_doc)
        comparison = _compare_documents(a, b, old_doc, new_doc, config=config, kind=kind)
    counts = ", ".join(f"{k} {v}" for k, v in comparison.summary.items())
    log.debug(
        _("compared {rows} rows ({counts}) in {seconds:.2f} s").format(
            rows=len(comparison.rows), counts=counts, seconds=time.perf_counter() - t0
        )
    )
    return comparison


# Below this size a PDF extracts faster than a process starts (the 5-page samples: 200 KB, 0.05 s)
PARALLEL_MIN_BYTES = 300_000


def _extract_pair(
    old: str | Path, new: str | Path, *, config: ExtractConfig | None, progress: bool, meanwhile: Callable[[], None]
) -> tuple[ExtractResult, ExtractResult]:
    """Both sides of a comparison; two large PDFs on a machine with two free cores are read at once.

    The old side is read in a forked child while this process reads the new
    one, then runs ``meanwhile`` (what the comparison loads: its libraries,
    the dictionary) before it takes the child's result.  Should the child
    fail for any reason, the old side is read again here, so an error reads
    exactly as it would without the child.
    """
    from .forked import Forked

    paths = [Path(old), Path(new)]
    if not _worth_a_process(paths):
        return extract(old, config=config, progress=progress), extract(new, config=config, progress=progress)
    with Forked(_extract_or_none, paths[0], config) as child:
        b = extract(new, config=config, progress=progress)
        meanwhile()
        a = child.result()
    return a or extract(old, config=config, progress=progress), b


def _worth_a_process(paths: Sequence[Path]) -> bool:
    import threading

    if not hasattr(os, "fork") or len(os.sched_getaffinity(0)) < 2:
        return False
    if threading.active_count() > 1:
        return False  # forking a process with threads (a server's) may copy a lock another thread holds
    try:
        return all(p.suffix.lower() == ".pdf" and p.stat().st_size >= PARALLEL_MIN_BYTES for p in paths)
    except OSError:
        return False  # a missing file: extract() names it


def _extract_or_none(path: Path, config: ExtractConfig | None) -> ExtractResult | None:
    try:
        return extract(path, config=config)
    except Exception:
        return None  # the parent reads it again and reports the error itself


def compare_plans(
    old: ExtractResult, new: ExtractResult, *, config: AlignConfig | None = None, kind: ComparisonKind | None = None
) -> Comparison:
    """Compare the first documents of two extractions, named by their offices."""
    return _compare_documents(old, new, old.documents[0], new.documents[0], config=config, kind=kind)


def _compare_documents(
    old: ExtractResult, new: ExtractResult, old_doc: Document, new_doc: Document, *, config: AlignConfig | None, kind: ComparisonKind | None
) -> Comparison:
    from diffing import compare_documents

    oi, ni = plan_info(old), plan_info(new)
    c = compare_documents(old_doc, new_doc, config=config, old_source=old.source, new_source=new.source)
    return replace(
        c,
        kind=kind or comparison_kind(oi.organisation, ni.organisation),
        old_organisation=oi.organisation,
        new_organisation=ni.organisation,
    )


def render_extract(result: ExtractResult, fmt: str = "json") -> str | bytes:
    """The extraction in one format of the registry (:mod:`reports.formats`): json (``plandiff.extract/1``) or md."""
    return formats.by_name("extract", fmt).render(result)


def sidebyside_parts(result: ExtractResult, new_side: NewSide = "left", *, name: str | Path) -> tuple[int, int]:
    """Which documents of a side-by-side extraction are the old and the new plan, as (old, new) indices."""
    if len(result.documents) < 2:
        raise OnePlanError(name)
    return (1, 0) if new_side == "left" else (0, 1)


def compare_sidebyside(
    both: ExtractResult,
    new_side: NewSide = "left",
    *,
    name: str | Path,
    config: AlignConfig | None = None,
    kind: ComparisonKind | None = None,
) -> Comparison:
    """Compare the two columns of one side-by-side extraction; ``name`` is the file errors name."""
    from diffing import compare_documents

    from .identify import find_org

    old_part, new_part = sidebyside_parts(both, new_side, name=name)
    old_doc, new_doc = both.documents[old_part], both.documents[new_part]
    c = compare_documents(old_doc, new_doc, config=config, old_source=both.source, new_source=both.source)
    # a 支部 | 本部 table names its columns by office
    old_org, new_org = find_org(old_doc.label), find_org(new_doc.label)
    return replace(c, kind=kind or comparison_kind(old_org, new_org), old_organisation=old_org, new_organisation=new_org)


def render_compare(comparison: Comparison, fmt: str = "json", *, report: ReportConfig | None = None) -> str | bytes:
    """The comparison in one format: json (``plandiff.compare/1``), md, html, docx, xlsx, csv or redline.

    ``redline`` is the new plan as a Word document with tracked changes against the old one.
    Text formats come back as ``str``, Office files and CSV (UTF-8 with BOM) as ``bytes``.
    """
    return formats.by_name("compare", fmt).render(comparison, report)


def replaced_characters(comparison: Comparison, fmt: str) -> int:
    """How many characters of the two plans a format cannot show as they are.

    docx, redline and xlsx replace what XML cannot hold by U+FFFD; html
    writes bidi controls and zero-width characters out as ``[U+202E]``.
    """
    from reports.safetext import invisible_count, not_xml_count

    docs = (comparison.old, comparison.new)
    if fmt in ("docx", "redline", "xlsx"):
        return not_xml_count(docs)
    return invisible_count(docs) if fmt == "html" else 0


Outputs = str | Path | Sequence[str | Path]


def _paths(out: Outputs) -> list[Path]:
    return [Path(out)] if isinstance(out, str | Path) else [Path(o) for o in out]


def check_outputs(subject: Subject, out: Outputs, fmt: str | None = None) -> list[Format]:
    """The format of every output file, each checked writable — before any work is done."""
    chosen = []
    for p in _paths(out):
        check_writable(p)
        chosen.append(formats.for_path(subject, p, fmt))
    return chosen


def _write(subject: Subject, obj: Any, out: Outputs, fmt: str | None, config: ReportConfig | None) -> None:
    chosen = check_outputs(subject, out, fmt)
    rendered: dict[str, str | bytes] = {}
    for f in chosen:
        if f.name not in rendered:
            rendered[f.name] = f.render(obj, config)
    write_all_atomic([(p, rendered[f.name]) for p, f in zip(_paths(out), chosen, strict=True)])


def write_extract(result: ExtractResult, out: Outputs, fmt: str | None = None) -> None:
    """Write the extraction to one file or several; formats follow the extensions unless ``fmt``.

    Every destination is checked first; all are written, or none.
    """
    _write("extract", result, out, fmt, None)


def write_compare(comparison: Comparison, out: Outputs, fmt: str | None = None, *, report: ReportConfig | None = None) -> None:
    """Write the comparison to one file or several; formats follow the extensions unless ``fmt``.

    Every destination is checked first; all are written, or none.
    """
    _write("compare", comparison, out, fmt, report)
