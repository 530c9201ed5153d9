"""Office styles: the corpus printed by Chromium and Word as other offices set their plans, read and scored.

    python bench/styles.py [VARIANT ...] [--only NAME] [-v] [--reprint]

The producer is not all that differs between two offices' PDFs: each sets
its plan in its own faces, sizes and spacing.  Each variant prints the
corpus truths and the samples with one producer under one change of style
(Chromium: CSS added to the producer's own; Word: every paragraph's line
spacing and spacing after), keeps the prints in build/styles/<variant>/,
and scores them as ``bench/accuracy.py --producers`` does, against the same
targets.  No variant named: all of them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from accuracy import load_scorer, producer_tables  # noqa: E402

from extractors import ExtractConfig  # noqa: E402
from samples.render import chromium_html, docx_writer  # noqa: E402
from samples.render.registry import PRODUCERS  # noqa: E402
from samples.render.style import Printed  # noqa: E402

NOTO_SANS, NOTO_SERIF = "'Noto Sans CJK JP'", "'Noto Serif CJK JP'"
# Chromium: CSS after the producer's own (.g ゴシック, .b bold: headings are .g.b)
CHROMIUM = {
    "tight": "body { line-height: 1.15; } table.data { line-height: 1.15; }",
    "loose": "body { line-height: 2.0; } p { margin-bottom: 6pt; }",
    "double": "body { line-height: 2.2; } p { margin: 0; }",
    "onehalf": "body { font-size: 11pt; line-height: 1.8; } p { margin-bottom: 0; }",
    "big": "body { font-size: 12pt; }",
    "small": "body { font-size: 9pt; line-height: 1.4; }",
    "justify": "p { text-align: justify; letter-spacing: 0.04em; }",
    "allsans": "body { font-family: 'IPAexGothic'; }",
    # faces Chromium draws as paths (Type 3 fonts): CFF outlines
    "noto": f"body {{ font-family: {NOTO_SERIF}; }} .g, h1.title, table.frame > thead th {{ font-family: {NOTO_SANS}; }}",
    "plainheads": ".b { font-weight: normal; }",  # headings in ゴシック, not bold
    "underline": ".b { font-weight: normal; text-decoration: underline; }",
    "mincheads": ".b { font-weight: normal; font-family: 'IPAexMincho'; }",  # headings in the body's face
    "colorheads": ".b { font-weight: normal; font-family: 'IPAexMincho'; color: #1f4e79; }",
}
# Word (LibreOffice's export): line spacing (a multiple, or None: exactly 1.9 × the size) and spacing after (pt)
WORD: dict[str, tuple[float | None, float]] = {"double": (2.0, 0), "onehalf": (1.5, 6), "exact": (None, 3)}


@contextmanager
def chromium_style(css: str) -> Iterator[None]:
    with mock.patch.object(chromium_html, "CSS", chromium_html.CSS + css):
        yield


@contextmanager
def word_style(spacing: float | None, after: float) -> Iterator[None]:
    from docx.shared import Pt

    plain = docx_writer.add_paragraph

    def styled(container: object, p: Printed) -> object:
        par = plain(container, p)
        par.paragraph_format.line_spacing = spacing if spacing else Pt(1.9 * p.size)
        par.paragraph_format.space_after = Pt(after)
        return par

    with mock.patch.object(docx_writer, "add_paragraph", styled):
        yield


def variants() -> dict[str, tuple[str, Callable[[], AbstractContextManager[None]]]]:
    """Each variant's name → its producer and the style it prints under."""
    out: dict[str, tuple[str, Callable[[], AbstractContextManager[None]]]] = {}
    for name, css in CHROMIUM.items():
        out[f"chromium-{name}"] = ("chromium", partial(chromium_style, css))
    for name, (spacing, after) in WORD.items():
        out[f"docx-{name}"] = ("docx", partial(word_style, spacing, after))
    return out


def main(argv: list[str] | None = None) -> int:
    table = variants()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("variants", nargs="*", metavar="VARIANT", help=f"of: {', '.join(table)}")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--only", default="", help="substring of the PDF names to score")
    ap.add_argument("-v", "--verbose", action="store_true", help="list mismatched blocks")
    ap.add_argument("--cache", type=Path, default=ROOT / "build" / "styles", help="where the prints are kept")
    ap.add_argument("--reprint", action="store_true", help="print again even where the cache has a print newer than its truth")
    args = ap.parse_args(argv)
    unknown = [v for v in args.variants if v not in table]
    if unknown:
        print(f"bench/styles.py: no variant {unknown[0]!r}: use {', '.join(table)}", file=sys.stderr)
        return 2
    try:
        score = load_scorer(args.shared)
    except FileNotFoundError as e:
        print(f"bench/styles.py: {e}", file=sys.stderr)
        return 2
    ok = True
    for name in args.variants or table:
        producer, style = table[name]
        with style():
            ok &= producer_tables(
                score,
                args.shared / "corpus",
                [replace(PRODUCERS[producer], name=name)],
                args.cache,
                args.only,
                args.verbose,
                ExtractConfig(),
                reprint=args.reprint,
            )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
