"""Extraction speed: plandiff against pdfplumber's own extract_words, in one run.

    python bench/speed.py [--runs 5] [PDF ...]

Prints pages per second (median of --runs) for plandiff's whole extraction
and for pdfplumber ``extract_words`` over the same pages, and their ratio
(cost of plandiff ÷ cost of extract_words; below 1 means plandiff is faster).
The last column runs plandiff on its pdfplumber character source, to show
where the time goes: in the character layer, not in plandiff's own work.
Default input: every PDF of ../shared/corpus/pdf.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from extractors import ExtractConfig, extract_pdf  # noqa: E402

PLUMBER = ExtractConfig(source="pdfplumber")


def plumber_words(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        n = 0
        for page in pdf.pages:
            page.extract_words()
            page.close()
            n += 1
    return n


def timed(fn, *args) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


def bench_compare(runs: int) -> None:
    """Comparison alone (extraction excluded) of two ~60-page plans."""
    from diffing import compare_documents
    from pipeline.model import Document

    split = ROOT.parent / "shared" / "corpus" / "pdf" / "split"
    old1, new1 = (extract_pdf(split / f"kanagawa-{y}.plan.docx.pdf") for y in ("r6", "r7"))
    k = max(1, round(60 / old1.pages))
    old = Document(old1.documents[0].blocks * k)
    new = Document(new1.documents[0].blocks * k)
    times = [timed(compare_documents, old, new) for _ in range(runs)]
    print(
        f"\ncompare (extraction excluded): {old1.pages * k} vs {new1.pages * k} pages, "
        f"{len(old.blocks)} vs {len(new.blocks)} blocks: median {statistics.median(times) * 1000:.0f} ms over {runs} runs "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    pdfs = args.pdfs or sorted((ROOT.parent / "shared" / "corpus" / "pdf").glob("**/*.pdf"))
    print(f"{'file':46} {'pages':>5} {'plandiff p/s':>13} {'extract_words p/s':>18} {'cost ratio':>10} {'plandiff/pdfplumber p/s':>24}")
    ours_all, theirs_all, slow_all, pages_all = [], [], [], 0
    for pdf in pdfs:
        pages = extract_pdf(pdf).pages
        ours, theirs, slow = [], [], []
        for _ in range(args.runs):  # interleaved, so all see the same machine load
            ours.append(timed(extract_pdf, pdf))
            theirs.append(timed(plumber_words, pdf))
            slow.append(timed(lambda p: extract_pdf(p, config=PLUMBER), pdf))
        o, t, s = statistics.median(ours), statistics.median(theirs), statistics.median(slow)
        ours_all.append(o)
        theirs_all.append(t)
        slow_all.append(s)
        pages_all += pages
        print(f"{pdf.name:46} {pages:5d} {pages / o:13.1f} {pages / t:18.1f} {o / t:10.2f} {pages / s:24.1f}")
    o, t, s = sum(ours_all), sum(theirs_all), sum(slow_all)
    print(f"{'all (sum of medians)':46} {pages_all:5d} {pages_all / o:13.1f} {pages_all / t:18.1f} {o / t:10.2f} {pages_all / s:24.1f}")
    bench_compare(args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
