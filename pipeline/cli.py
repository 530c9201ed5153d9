"""The ``plandiff`` command: a thin client of :mod:`pipeline.api`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from diffing import AlignConfig
from extractors import ExtractConfig
from reports.view import ReportConfig

from . import __version__, api, nway
from .batch import BatchConfig, run_batch
from .exceptions import PlandiffError
from .logs import route_library_logs
from .output import utf8, write_atomic

log = logging.getLogger("plandiff")


_REPLACED = {
    "docx": "character(s) XML cannot hold written as U+FFFD",
    "xlsx": "character(s) XML cannot hold written as U+FFFD",
    "redline": "character(s) XML cannot hold written as U+FFFD",
    "html": "invisible character(s) (bidi controls, zero-width) written out as [U+XXXX]",
}


def _emit(
    args: argparse.Namespace,
    render: Callable[[str], str | bytes],
    write: Callable[[str, str | None], str | bytes | None],
    replaced: Callable[[str], tuple[int, str]] | None = None,
) -> None:
    """Every -o file (format from its extension unless --format), or stdout.

    ``write(out, fmt)`` gives the bytes for ``out`` — all of them are made
    before the first is written, so an output that cannot be made leaves none
    behind — or writes the file itself and gives ``None``.
    """
    if not args.output:
        data = render(args.format or "json")
        sys.stdout.flush()
        sys.stdout.buffer.write(data if isinstance(data, bytes) else utf8(data))
        sys.stdout.flush()
        return
    staged = []
    for out in args.output:
        staged.append((out, write(out, args.format)))
        n, what = replaced(out) if replaced is not None else (0, "")
        if n:
            log.warning("%s: %d %s", out, n, what)
    for out, data in staged:
        if data is not None:
            write_atomic(out, data)
        log.info("wrote %s", out)


def _align(args: argparse.Namespace) -> AlignConfig:
    return AlignConfig(score_cutoff=args.score_cutoff, mode=args.mode)


def _reading(args: argparse.Namespace) -> ExtractConfig:
    return ExtractConfig(layout=args.layout, max_pages=args.max_pages, source=args.source)


def cmd_extract(args: argparse.Namespace) -> int:
    """Read a plan PDF into its item tree.

    example:
      plandiff extract plan.pdf --format md
      plandiff extract plan.pdf -o plan.json
    """
    for out in args.output or ():
        api.output_format(out, args.format, api.EXTRACT_FORMATS)  # refuse a bad name before the work
    result = api.extract(args.file, config=_reading(args))
    for w in result.warnings:
        log.warning("%s: %s", args.file, w)
    _emit(
        args,
        lambda fmt: api.render_extract(result, fmt),
        lambda out, fmt: api.render_extract(result, api.output_format(out, fmt, api.EXTRACT_FORMATS)),
    )
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Compare two plans item by item (last year → this year, or HQ → branch).

    OLD and NEW are plan PDFs or JSON written by `plandiff extract`; with one
    side-by-side PDF its left column is the new plan and its right column
    the old one (--new-side right flips that).

    example:
      plandiff compare r6.pdf r7.pdf --format md
      plandiff compare 対照表.pdf -o changes.json
      plandiff compare r6.pdf r7.pdf -o 対照表.html -o 対照表.docx -o changes.xlsx
    """
    for out in args.output or ():
        api.output_format(out, args.format, api.COMPARE_FORMATS)  # refuse a bad name before the work
    old, new = (None, args.files[0]) if len(args.files) == 1 else (args.files[0], args.files[1])
    comparison = api.compare(old, new, config=_align(args), extract_config=_reading(args), new_side=args.new_side, kind=args.kind)
    report = ReportConfig(title=args.title, old_left=args.old_left, remarks=not args.no_remarks, timestamp=not args.no_timestamp)

    def replaced(out: str) -> tuple[int, str]:
        fmt = api.output_format(out, args.format, api.COMPARE_FORMATS)
        return api.replaced_characters(comparison, fmt), _REPLACED.get(fmt, "")

    _emit(
        args,
        lambda fmt: api.render_compare(comparison, fmt, report=report),
        lambda out, fmt: api.render_compare(comparison, api.output_format(out, fmt, api.COMPARE_FORMATS), report=report),
        replaced,
    )
    return 0


def cmd_matrix(args: argparse.Namespace) -> int:
    """HQ against every branch: how each branch carries each HQ item (同文, 変更, 移動, 記載なし, 独自).

    HQ and each BRANCH are plan PDFs or extraction JSON; branches are named
    from their own text.  An HTML matrix writes each branch's 対照表 beside it.

    example:
      plandiff matrix hq.pdf miyagi.pdf akita.pdf -o matrix.xlsx -o matrix.html -o matrix.json
    """
    for out in args.output or ():
        api.output_format(out, args.format, nway.MATRIX_FORMATS)  # refuse a bad name before the work
    m, comparisons = nway.matrix(args.hq, args.branches, config=_align(args), extract_config=_reading(args), jobs=args.jobs)
    for b in m.branches:
        if b.year != m.hq.year:
            log.warning("%s: a plan of %s, not of the HQ plan's year %s", b.source, b.year or "no year", m.hq.year or "(none)")
    report = ReportConfig(timestamp=not args.no_timestamp)
    _emit(
        args,
        lambda fmt: nway.render_matrix(m, fmt, timestamp=report.timestamp),
        lambda out, fmt: nway.write_matrix(m, comparisons, out, fmt, report=report),  # also writes each branch's 対照表
    )
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    """One office's plans over years: each item year by year, KPI targets and budget lines as series.

    Plans are ordered by the fiscal year each one names (not the argument
    order); two plans of one year are refused.

    example:
      plandiff history r5.pdf r6.pdf r7.pdf -o history.xlsx -o history.html -o history.json
    """
    for out in args.output or ():
        api.output_format(out, args.format, nway.HISTORY_FORMATS)  # refuse a bad name before the work
    h = nway.history(args.plans, config=_align(args), extract_config=_reading(args), jobs=args.jobs)
    offices = {d.organisation for d in h.documents}
    if len(offices) > 1:
        log.warning("the plans are of several offices (%s); history follows one office", "、".join(sorted(offices)))
    _emit(
        args,
        lambda fmt: nway.render_history(h, fmt, timestamp=not args.no_timestamp),
        lambda out, fmt: nway.write_history(h, out, fmt, timestamp=not args.no_timestamp),
    )
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    """Convert a whole archive of plans: every PDF to JSON and Markdown, a manifest, an index.

    Re-running skips files whose hash and tool version did not change; a bad
    file is recorded as failed and the batch goes on (exit 1 if any failed).

    example:
      plandiff batch archive/ -o converted/ --compare
      plandiff batch archive/ -o converted/ --scheduler tcp://10.0.0.5:8786
    """
    config = BatchConfig(
        jobs=args.jobs,
        scheduler=args.scheduler,
        force=args.force,
        compare=args.compare,
        formats=tuple(args.report_format or ("html", "json")),
        extract=_reading(args),
        progress=False if args.quiet else None,
        timestamp=not args.no_timestamp,
    )
    result = run_batch(args.archive, args.output, config=config)
    for rec in sorted(result.failed, key=lambda r: r.error):
        log.error("%s", rec.error)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(result.counts().items()))
    log.info("%d files (%s), %d comparisons; see %s", len(result.files), counts, len(result.comparisons), result.out / "index.html")
    return 1 if result.failed else 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="plandiff",
        description="Structured documents and comparison tables (新旧対照表) from business-plan PDFs.",
    )
    ap.add_argument("--version", action="version", version=f"plandiff {__version__}")
    ap.add_argument("-q", "--quiet", action="store_true", help="only errors on stderr")
    ap.add_argument("-v", "--verbose", action="store_true", help="more detail on stderr")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ex = _command(sub, cmd_extract, "read a plan PDF into its item tree (JSON or Markdown)")
    ex.add_argument("file", help="plan PDF")
    ex.add_argument("--format", choices=["json", "md"], help="output format (default: from -o's extension, else json)")
    ex.add_argument("-o", "--output", action="append", help="output file (repeatable; stdout when absent)")

    cp = _command(sub, cmd_compare, "compare two plans (or the two columns of a side-by-side PDF)")
    cp.add_argument("files", nargs="+", metavar="FILE", help="OLD NEW, or one side-by-side PDF")
    cp.add_argument("--format", choices=list(api.COMPARE_FORMATS), help="output format (default: from each -o's extension, else json)")
    cp.add_argument(
        "-o",
        "--output",
        action="append",
        help="output file: .html .docx .redline.docx .xlsx .csv .md .json (repeatable; stdout when absent)",
    )
    cp.add_argument("--old-left", action="store_true", help="print the old plan in the left column")
    cp.add_argument("--title", help="report title (default: the new plan's title + 新旧対照表)")
    cp.add_argument("--no-remarks", action="store_true", help="leave out the 備考 column")
    cp.add_argument("--no-timestamp", action="store_true", help="no creation time in reports (byte-identical reruns)")
    cp.add_argument("--new-side", choices=["left", "right"], default="left", help="which column of a side-by-side PDF is new")
    cp.add_argument(
        "--kind",
        choices=["years", "branch"],
        help="two years (新 | 旧) or HQ → branch (支部 | 本部, 独自); default: from the plans' offices",
    )
    cp.add_argument("--score-cutoff", type=float, default=AlignConfig().score_cutoff, help="least similarity for one item (0-1)")
    cp.add_argument("--mode", choices=["A", "B", "C"], default="C", help="Sudachi split mode for word diffs")

    mx = _command(sub, cmd_matrix, "HQ against every branch plan: one column per branch")
    mx.add_argument("hq", metavar="HQ", help="the HQ plan (PDF or extraction JSON)")
    mx.add_argument("branches", nargs="+", metavar="BRANCH", help="branch plans of the same year")
    hi = _command(sub, cmd_history, "one office's plans over years: items, KPI series, budget lines")
    hi.add_argument("plans", nargs="+", metavar="PLAN", help="plans of one office, any order")
    for p, formats in ((mx, nway.MATRIX_FORMATS), (hi, nway.HISTORY_FORMATS)):
        p.add_argument("--format", choices=list(formats), help="output format (default: from each -o's extension, else json)")
        p.add_argument("-o", "--output", action="append", help="output file: .xlsx .html .json (repeatable; stdout when absent)")
        p.add_argument("--jobs", type=int, help="worker processes (default: all cores)")
        p.add_argument("--no-timestamp", action="store_true", help="no creation time in reports (byte-identical reruns)")
        p.add_argument("--score-cutoff", type=float, default=AlignConfig().score_cutoff, help="least similarity for one item (0-1)")
        p.add_argument("--mode", choices=["A", "B", "C"], default="C", help="Sudachi split mode for word diffs")

    bp = _command(sub, cmd_batch, "convert a whole archive of plan PDFs (and compare them)")
    bp.add_argument("archive", help="directory holding the PDFs (searched recursively)")
    bp.add_argument("-o", "--output", required=True, help="output directory (mirrors the archive)")
    bp.add_argument("--jobs", type=int, help="worker processes (default: all cores)")
    bp.add_argument("--compare", action="store_true", help="also compare consecutive years of each office, and each branch with HQ")
    bp.add_argument(
        "--report-format", action="append", choices=list(api.COMPARE_FORMATS), help="comparison report formats (default: html and json)"
    )
    bp.add_argument("--force", action="store_true", help="redo files that did not change")
    bp.add_argument("--no-timestamp", action="store_true", help="no creation time in the comparison reports (byte-identical reruns)")
    bp.add_argument("--scheduler", help="run on a Dask cluster, e.g. tcp://host:8786 (pip install 'plandiff[dask]')")
    return ap


def _command(sub: Any, func: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
    """A subcommand named after its function, its docstring (with an example) as --help, and the reading options."""
    p: argparse.ArgumentParser = sub.add_parser(
        func.__name__.removeprefix("cmd_"), help=help, description=func.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.set_defaults(func=func)
    p.add_argument("--layout", default="auto", choices=["auto", "plan", "fieldtable", "sidebyside", "slides"], help="force a layout")
    p.add_argument("--max-pages", type=int, default=2000, help="refuse larger PDFs (default 2000)")
    p.add_argument("--source", choices=["pdfium", "pdfplumber"], default="pdfium", help="character source (pdfplumber: slower reference)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # our own handler on our own logger: messages go to this call's stderr, one line each
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("plandiff: %(message)s"))
    log.handlers[:] = [handler]
    log.propagate = False
    log.setLevel(logging.ERROR if args.quiet else logging.DEBUG if args.verbose else logging.INFO)
    route_library_logs(handler if args.verbose else None)
    if args.command == "compare" and len(args.files) > 2:
        print("plandiff: error: compare takes OLD NEW, or one side-by-side PDF", file=sys.stderr)
        return 2
    try:
        return int(args.func(args))
    except PlandiffError as e:
        print(f"plandiff: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("plandiff: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
