"""The ``plandiff`` command: a thin client of :mod:`pipeline.api`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from diffing import AlignConfig
from extractors.config import ExtractConfig
from reports import formats

from . import __version__
from .exceptions import ConfigError, PlandiffError
from .i18n import N_, _
from .logs import route_library_logs

if TYPE_CHECKING:
    from reports.formats import Format, Subject

# The library (pipeline.api, nway, batch, the report views) is imported by the
# commands that use it: `plandiff --version` and a one-page `extract` need not load it.

log = logging.getLogger("plandiff")


def _extract_config(args: argparse.Namespace) -> ExtractConfig:
    return ExtractConfig(layout=args.layout, max_pages=args.max_pages, source=args.source, ocr=args.ocr, strict=args.strict)


def _progress(args: argparse.Namespace) -> bool:
    """A progress line only for a person watching: stderr is a terminal and no -q."""
    return not args.quiet and sys.stderr.isatty()


def _align(args: argparse.Namespace) -> AlignConfig:
    return AlignConfig(score_cutoff=args.score_cutoff, mode=args.mode)


def _check_outputs(args: argparse.Namespace, subject: Subject) -> None:
    """Refuse a bad format or destination before the work."""
    from . import api

    if args.output:
        api.check_outputs(subject, args.output, args.format)
    else:
        formats.for_stdout(subject, args.format, terminal=sys.stdout.isatty())


def _emit(
    args: argparse.Namespace,
    subject: Subject,
    render: Callable[[Format], str | bytes],
    write: Callable[[list[str], str | None], None],
) -> None:
    """Write every -o file (format from its extension unless --format), or stdout."""
    if not args.output:
        from .output import utf8

        data = render(formats.for_stdout(subject, args.format, terminal=sys.stdout.isatty()))
        sys.stdout.flush()
        sys.stdout.buffer.write(data if isinstance(data, bytes) else utf8(data))
        sys.stdout.flush()
        return
    write(args.output, args.format)
    for out in args.output:
        log.info(_("wrote {file}").format(file=out))


_REPLACED = {
    "docx": "character(s) XML cannot hold written as U+FFFD",
    "redline": "character(s) XML cannot hold written as U+FFFD",
    "xlsx": "character(s) XML cannot hold written as U+FFFD",
    "html": "invisible character(s) (bidi controls, zero-width) written out as [U+XXXX]",
}


def cmd_extract(args: argparse.Namespace) -> int:
    """Read a plan PDF into its item tree.

    example:
      plandiff extract plan.pdf --format md
      plandiff extract plan.pdf -o plan.json
    """
    from . import api

    config = _extract_config(args)
    _check_outputs(args, "extract")
    result = api.extract(args.file, config=config, progress=_progress(args))
    api.log_warnings(args.file, result.warnings)
    _emit(args, "extract", lambda f: f.render(result), lambda outs, fmt: api.write_extract(result, outs, fmt))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Compare two plans item by item (last year → this year, or HQ → branch).

    OLD and NEW are plan PDFs or JSON written by `plandiff extract`; with one
    side-by-side PDF its left column is the new plan and its right column
    the old one (--new-side right flips that).  A side-by-side PDF given as
    OLD or NEW needs --side left|right: which of its columns to compare.

    example:
      plandiff compare r6.pdf r7.pdf --format md
      plandiff compare 対照表.pdf -o changes.json
      plandiff compare r6.pdf r7.pdf -o 対照表.html -o 対照表.docx -o changes.xlsx
    """
    if len(args.files) > 2:
        raise ConfigError("files", " ".join(args.files), N_("compare takes OLD NEW, or one side-by-side PDF"))
    from reports.config import ReportConfig

    from . import api

    old, new = (None, args.files[0]) if len(args.files) == 1 else (args.files[0], args.files[1])
    config = _align(args)
    extract_config = _extract_config(args)
    report = ReportConfig(
        title=args.title, old_left=args.old_left, remarks=not args.no_remarks, timestamp=not args.no_timestamp, old_marks=args.old_marks
    )
    _check_outputs(args, "compare")
    comparison = api.compare(
        old,
        new,
        config=config,
        extract_config=extract_config,
        new_side=args.new_side,
        side=args.side,
        progress=_progress(args),
        kind=args.kind,
    )
    for out, f in zip(args.output or (), api.check_outputs("compare", args.output or (), args.format), strict=True):
        n = api.replaced_characters(comparison, f.name)
        if n:
            log.warning("%s: %d %s", out, n, _REPLACED[f.name])
    _emit(
        args,
        "compare",
        lambda f: f.render(comparison, report),
        lambda outs, fmt: api.write_compare(comparison, outs, fmt, report=report),
    )
    return 0


def cmd_matrix(args: argparse.Namespace) -> int:
    """HQ against every branch: how each branch carries each HQ item (同文, 変更, 移動, 記載なし, 独自).

    HQ and each BRANCH are plan PDFs or extraction JSON; branches are named
    from their own text.  An HTML matrix writes each branch's 対照表 beside it.

    example:
      plandiff matrix hq.pdf miyagi.pdf akita.pdf -o matrix.xlsx -o matrix.html -o matrix.json
    """
    from reports.config import ReportConfig

    from . import nway

    config, extract_config = _align(args), _extract_config(args)
    report = ReportConfig(timestamp=not args.no_timestamp)
    _check_outputs(args, "matrix")
    m, comparisons = nway.matrix(args.hq, args.branches, config=config, extract_config=extract_config, jobs=args.jobs)
    for b in m.branches:
        if b.year != m.hq.year:
            log.warning("%s: a plan of %s, not of the HQ plan's year %s", b.source, b.year or "no year", m.hq.year or "(none)")

    def write(outs: list[str], fmt: str | None) -> None:
        for out in outs:
            nway.write_matrix(m, comparisons, out, fmt, report=report)

    _emit(args, "matrix", lambda f: nway.render_matrix(m, f.name, timestamp=report.timestamp), write)
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    """One office's plans over years: each item year by year, KPI targets and budget lines as series.

    Plans are ordered by the fiscal year each one names (not the argument
    order); two plans of one year are refused.

    example:
      plandiff history r5.pdf r6.pdf r7.pdf -o history.xlsx -o history.html -o history.json
    """
    from . import nway

    config, extract_config = _align(args), _extract_config(args)
    _check_outputs(args, "history")
    h = nway.history(args.plans, config=config, extract_config=extract_config, jobs=args.jobs)
    offices = {d.organisation for d in h.documents}
    if len(offices) > 1:
        log.warning("the plans are of several offices (%s); history follows one office", "、".join(sorted(offices)))
    stamp = not args.no_timestamp

    def write(outs: list[str], fmt: str | None) -> None:
        for out in outs:
            nway.write_history(h, out, fmt, timestamp=stamp)

    _emit(args, "history", lambda f: nway.render_history(h, f.name, timestamp=stamp), write)
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    """Convert a whole archive of plans: every PDF to JSON and Markdown, a manifest, an index.

    Re-running skips files whose hash and tool version did not change; a bad
    file is recorded as failed and the batch goes on (exit 1 if any failed).

    example:
      plandiff batch archive/ -o converted/ --compare
      plandiff batch archive/ -o converted/ --scheduler tcp://10.0.0.5:8786
    """
    from .batch import BatchConfig, run_batch

    if args.report_format and not args.compare:
        raise ConfigError("report_format", ",".join(args.report_format), N_("only applies with --compare; add --compare"))
    config = BatchConfig(
        jobs=args.jobs,
        scheduler=args.scheduler,
        force=args.force,
        compare=args.compare,
        formats=tuple(args.report_format or ("html", "json")),
        extract=_extract_config(args),
        progress=_progress(args),
        timestamp=not args.no_timestamp,
    )
    result = run_batch(args.archive, args.output, config=config)
    for rec in sorted(result.failed, key=lambda r: r.error):
        log.error("%s", rec.error)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(result.counts().items()))
    log.info(
        _("{files} files ({counts}), {comparisons} comparisons; see {index}").format(
            files=len(result.files), counts=counts, comparisons=len(result.comparisons), index=result.out / "index.html"
        )
    )
    return 1 if result.failed else 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Start the local web application: compare, archive, search (Ctrl-C stops it).

    It listens on 127.0.0.1 only; another --host makes it reachable from the
    network, and it has no login.

    example:
      plandiff serve --open
      plandiff serve --port 9000 --data ~/plandiff-data --archive-root /srv/plans
    """
    from pathlib import Path

    from .serve import ServeConfig, serve

    config = ServeConfig(
        host=args.host,
        port=args.port,
        data=Path(args.data) if args.data else None,
        max_upload_mb=args.max_upload_mb,
        jobs=args.jobs,
        archive_root=Path(args.archive_root) if args.archive_root else None,
        scheduler=args.scheduler,
        extract=_extract_config(args),
    )
    serve(config, open_browser=args.open)
    return 0


class _Parser(argparse.ArgumentParser):
    """Usage mistakes as one line on stderr, like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, _("{prog}: error: {message} (see {prog} --help)").format(prog=self.prog, message=message) + "\n")


def _global_options(*, inherited: bool) -> argparse.ArgumentParser:
    """-q and -v, accepted before and after the subcommand (a subcommand's copy does not reset them)."""
    p = argparse.ArgumentParser(add_help=False)
    default: Any = argparse.SUPPRESS if inherited else False
    p.add_argument("-q", "--quiet", action="store_true", default=default, help="only errors on stderr")
    p.add_argument("-v", "--verbose", action="store_true", default=default, help="log what each stage does (pages, layout, timing)")
    return p


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(
        prog="plandiff",
        description="Structured documents and comparison tables (新旧対照表) from business-plan PDFs.",
        parents=[_global_options(inherited=False)],
    )
    ap.add_argument("--version", action="version", version=f"plandiff {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ex = _command(sub, cmd_extract, "read a plan PDF into its item tree (JSON or Markdown)")
    ex.add_argument("file", help="plan PDF")
    ex.add_argument("--format", choices=formats.names("extract"), help="output format (default: from -o's extension, else json)")
    ex.add_argument("-o", "--output", action="append", help="output file: .json .md (repeatable; stdout when absent)")

    cp = _command(sub, cmd_compare, "compare two plans (or the two columns of a side-by-side PDF)")
    cp.add_argument("files", nargs="+", metavar="FILE", help="OLD NEW, or one side-by-side PDF")
    cp.add_argument("--format", choices=formats.names("compare"), help="output format (default: from each -o's extension, else json)")
    cp.add_argument(
        "-o",
        "--output",
        action="append",
        help="output file: .html .docx .redline.docx .xlsx .csv .md .json (repeatable; stdout when absent)",
    )
    cp.add_argument("--old-left", action="store_true", help="print the old plan in the left column")
    cp.add_argument("--title", help="report title (default: the new plan's title + 新旧対照表)")
    cp.add_argument("--no-remarks", action="store_true", help="leave out the 備考 column")
    cp.add_argument(
        "--old-marks",
        choices=["underline", "strike"],
        default="underline",
        help="changed words on the old side: underlined (傍線) or struck",
    )
    cp.add_argument("--no-timestamp", action="store_true", help="no creation time in reports (byte-identical reruns)")
    cp.add_argument("--new-side", choices=["left", "right"], default="left", help="which column of one side-by-side PDF is new")
    cp.add_argument("--side", choices=["left", "right"], help="the column to compare of a side-by-side PDF given as OLD or NEW")
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
    nway_commands: tuple[tuple[argparse.ArgumentParser, Subject], ...] = ((mx, "matrix"), (hi, "history"))
    for p, subject in nway_commands:
        p.add_argument("--format", choices=formats.names(subject), help="output format (default: from each -o's extension, else json)")
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
        "--report-format", action="append", choices=formats.names("compare"), help="comparison report formats (default: html and json)"
    )
    bp.add_argument("--force", action="store_true", help="redo files that did not change")
    bp.add_argument("--no-timestamp", action="store_true", help="no creation time in the comparison reports (byte-identical reruns)")
    bp.add_argument("--scheduler", help="run on a Dask cluster, e.g. tcp://host:8786 (pip install 'plandiff[dask]')")

    sp = _command(sub, cmd_serve, "start the local web application (compare, archive, search)")
    sp.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    sp.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    sp.add_argument("--data", help="directory for the database and uploaded files (default: the user's data directory)")
    sp.add_argument("--open", action="store_true", help="open the page in the browser")
    sp.add_argument("--max-upload-mb", type=float, default=50, help="refuse larger uploads (default 50)")
    sp.add_argument("--jobs", type=int, help="worker processes (default: all cores)")
    sp.add_argument("--archive-root", help="the only folder tree a batch may read (default: the current directory)")
    sp.add_argument("--scheduler", help="run batches on a Dask cluster, e.g. tcp://host:8786")
    return ap


def _command(sub: Any, func: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
    """A subcommand named after its function, its docstring (with an example) as --help, and the reading options."""
    p: argparse.ArgumentParser = sub.add_parser(
        func.__name__.removeprefix("cmd_"),
        help=help,
        description=func.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_global_options(inherited=True)],
    )
    p.set_defaults(func=func)
    p.add_argument("--layout", default="auto", choices=["auto", "plan", "fieldtable", "sidebyside", "slides"], help="force a layout")
    p.add_argument("--max-pages", type=int, default=2000, help="refuse larger PDFs (default 2000)")
    p.add_argument("--source", choices=["pdfium", "pdfplumber"], default="pdfium", help="character source (pdfplumber: slower reference)")
    p.add_argument(
        "--ocr",
        choices=["auto", "off", "force"],
        default="auto",
        help=(
            "read pages by OCR: auto (pages with no or garbled text, scans under another program's OCR),"
            " off, force (every page); needs Tesseract"
        ),
    )
    p.add_argument(
        "--strict", action="store_true", help="refuse a PDF with any page that is garbled, scanned, OCR'd by another program or vertical"
    )
    return p


def _setup_logging(args: argparse.Namespace) -> None:
    # our own handler on our own logger: messages go to this call's stderr, one line each
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("plandiff: %(message)s"))
    log.handlers[:] = [handler]
    log.propagate = False
    log.setLevel(logging.ERROR if args.quiet else logging.DEBUG if args.verbose else logging.INFO)
    route_library_logs(handler if args.verbose else None)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _setup_logging(args)
    try:
        return int(args.func(args))
    except PlandiffError as e:
        print(_("plandiff: error: {message}").format(message=e), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_("plandiff: interrupted"), file=sys.stderr)
        return 130


def console() -> NoReturn:
    """The ``plandiff`` command: :func:`main` in a process of its own, which ends without tearing the interpreter down.

    Python's exit frees every object one by one (60-100 ms after a 60-page
    comparison) for a process whose work is done and written.  When nothing
    runs beside it (no other thread, no worker process), the streams are
    flushed and the process leaves with ``os._exit``; otherwise it exits as
    usual, so pools and servers shut down as they always did.
    """
    import os
    import threading

    from .collector import collect_seldom

    collect_seldom()
    code = main()
    mp = sys.modules.get("multiprocessing")
    if threading.active_count() == 1 and not (mp and mp.active_children()):
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:
            raise SystemExit(code) from None  # a closed pipe: Python's own exit reports it as always
        os._exit(code)
    raise SystemExit(code)


if __name__ == "__main__":
    console()
