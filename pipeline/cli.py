"""The ``plandiff`` command: a thin client of :mod:`pipeline.api`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from extractors import ExtractConfig

from . import __version__, api
from .exceptions import PlandiffError

log = logging.getLogger("plandiff")


def cmd_extract(args: argparse.Namespace) -> int:
    """Read a plan PDF into its item tree.

    example:
      plandiff extract plan.pdf --format md
      plandiff extract plan.pdf -o plan.json
    """
    config = ExtractConfig(layout=args.layout, max_pages=args.max_pages)
    result = api.extract(args.file, config=config)
    for w in result.warnings:
        log.warning("%s: %s", args.file, w)
    if args.output:
        for out in args.output:
            api.write_extract(result, out, args.format)
            log.info("wrote %s", out)
    else:
        sys.stdout.write(api.render_extract(result, args.format or "json"))
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="plandiff",
        description="Structured documents and comparison tables (新旧対照表) from business-plan PDFs.",
    )
    ap.add_argument("--version", action="version", version=f"plandiff {__version__}")
    ap.add_argument("-q", "--quiet", action="store_true", help="only errors on stderr")
    ap.add_argument("-v", "--verbose", action="store_true", help="more detail on stderr")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ex = sub.add_parser(
        "extract",
        help="read a plan PDF into its item tree (JSON or Markdown)",
        description=cmd_extract.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ex.add_argument("file", help="plan PDF")
    ex.add_argument("--format", choices=["json", "md"], help="output format (default: from -o's extension, else json)")
    ex.add_argument("-o", "--output", action="append", help="output file (repeatable; stdout when absent)")
    ex.add_argument("--layout", default="auto", choices=["auto", "plan", "fieldtable", "sidebyside", "slides"])
    ex.add_argument("--max-pages", type=int, default=2000, help="refuse larger PDFs (default 2000)")
    ex.set_defaults(func=cmd_extract)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.ERROR if args.quiet else logging.DEBUG if args.verbose else logging.INFO,
        format="plandiff: %(message)s",
        stream=sys.stderr,
    )
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
