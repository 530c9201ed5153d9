"""Speed and memory, each figure next to its floor measured in the same run.

    python bench/speed.py [--runs 5] [--plumber] [--big 1000] [--only processes,compare] [PDF ...]

Extraction (in process, pages/s, median of --runs interleaved runs) against
two PDFium floors over the same pages: the text page built alone, and the raw
ctypes loop reading every character's code and loose box.  "of floor" is
plandiff's rate as a share of the chars-and-boxes floor (1.0: as fast as
reading the characters at all).  --plumber adds pdfplumber's extract_words.

Whole processes (median wall time of --runs interleaved runs, like
hyperfine): ``python -c pass`` (the floor), ``plandiff --version``,
``plandiff extract`` of a one-page PDF, ``plandiff compare -o out.json`` of
two 60-page plans (the Kanagawa r6 and r7 plans' pages repeated up to 60
pages each: the issue's target, 1.0 s); then that comparison in process,
extraction excluded (aligning and diffing, and writing the JSON).  --big N
builds an N-page PDF from a corpus plan's pages and reports ``plandiff
extract``'s time and peak RSS (0 skips).
The text-layer verdict (every page judged, shared glyphs folded, unreadable
characters dropped) is timed on its own and shown as a share of the whole
extraction (target: under 5 %).  "Where extraction time goes" splits one
extraction into its stages (PDFium's pages read into characters and rules,
the guard's walk of the content, the verdicts, the layout passes), each as
ms a page next to the two floors.
--only runs the named parts alone (extract, processes, verdict, stages,
compare, big).  Default input: every PDF of ../shared/corpus/pdf.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
import pypdfium2.raw as pdfium_c  # noqa: E402

from extractors import ExtractConfig, extract_pdf  # noqa: E402

PLUMBER = ExtractConfig(source="pdfplumber")
CORPUS = ROOT.parent / "shared" / "corpus" / "pdf"
PLANDIFF = [str(Path(sys.executable).parent / "plandiff")]


def plumber_words(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        n = 0
        for page in pdf.pages:
            page.extract_words()
            page.close()
            n += 1
    return n


def floor_textpage(path: Path) -> None:
    """PDFium's part of any extraction: each page loaded and its text page built."""
    pdf = pdfium.PdfDocument(str(path))
    for i in range(len(pdf)):
        page = pdf[i]
        page.get_textpage().close()
        page.close()
    pdf.close()


def floor_chars(path: Path) -> None:
    """The text page plus the least any reader of characters does: each code and loose box through ctypes."""
    pdf = pdfium.PdfDocument(str(path))
    rect = pdfium_c.FS_RECTF()
    for i in range(len(pdf)):
        page = pdf[i]
        tp = page.get_textpage()
        raw = tp.raw
        for k in range(pdfium_c.FPDFText_CountChars(raw)):
            pdfium_c.FPDFText_GetUnicode(raw, k)
            pdfium_c.FPDFText_GetLooseCharBox(raw, k, rect)
        tp.close()
        page.close()
    pdf.close()


def timed(fn: Callable[..., object], *args: object) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


ENV = {**os.environ, "PYTHONPATH": str(ROOT)}  # the code of this tree, whatever the venv was installed from


def run_process(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=ENV)
    return time.perf_counter() - t


def bench_extract(pdfs: list[Path], runs: int, plumber: bool) -> None:
    cols = ["plandiff p/s", "textpage p/s", "chars+boxes p/s", "of floor"] + (["extract_words p/s"] if plumber else [])
    print(f"{'file':46} {'pages':>5} " + " ".join(f"{c:>15}" for c in cols))
    names = ["plandiff", "textpage", "chars"] + (["plumber"] if plumber else [])
    fns: dict[str, Callable[[Path], object]] = {
        "plandiff": extract_pdf,
        "textpage": floor_textpage,
        "chars": floor_chars,
        "plumber": plumber_words,
    }
    total: dict[str, float] = dict.fromkeys(names, 0.0)
    pages_all = 0
    for pdf in pdfs:
        pages = extract_pdf(pdf).pages
        times: dict[str, list[float]] = {n: [] for n in names}
        for _ in range(runs):  # interleaved, so all see the same machine load
            for n in names:
                times[n].append(timed(fns[n], pdf))
        med = {n: statistics.median(t) for n, t in times.items()}
        for n in names:
            total[n] += med[n]
        pages_all += pages
        row = [pages / med["plandiff"], pages / med["textpage"], pages / med["chars"], med["chars"] / med["plandiff"]]
        row += [pages / med["plumber"]] if plumber else []
        print(f"{pdf.name[:46]:46} {pages:5d} " + " ".join(f"{v:15.2f}" if i == 3 else f"{v:15.1f}" for i, v in enumerate(row)))
    row = [pages_all / total["plandiff"], pages_all / total["textpage"], pages_all / total["chars"], total["chars"] / total["plandiff"]]
    row += [pages_all / total["plumber"]] if plumber else []
    print(f"{'all (sum of medians)':46} {pages_all:5d} " + " ".join(f"{v:15.2f}" if i == 3 else f"{v:15.1f}" for i, v in enumerate(row)))


def repeat_pages(base: Path, total: int, out: Path) -> Path:
    """A PDF of ``total`` pages: ``base``'s pages over and over."""
    src = pdfium.PdfDocument(str(base))
    dst = pdfium.PdfDocument.new()
    while len(dst) < total:
        dst.import_pages(src, list(range(min(len(src), total - len(dst)))))
    dst.save(str(out))
    dst.close()
    src.close()
    return out


COMPARE_PAGES = 60  # each side of the compare target


def compare_pair(tmp: Path) -> tuple[Path, Path]:
    """The Kanagawa r6 and r7 plans, each repeated up to 60 pages."""
    old, new = (
        repeat_pages(CORPUS / "split" / f"kanagawa-{y}.plan.docx.pdf", COMPARE_PAGES, tmp / f"kanagawa-{y}-x{COMPARE_PAGES}.pdf")
        for y in ("r6", "r7")
    )
    return old, new


def bench_processes(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        old, new = compare_pair(Path(tmp))
        one = repeat_pages(new, 1, Path(tmp) / "one-page.pdf")
        out = Path(tmp) / "cmp.json"
        cmds = {
            "python -c pass (floor)": [sys.executable, "-c", "pass"],
            "plandiff --version": [*PLANDIFF, "--version"],
            "plandiff extract, 1 page": [*PLANDIFF, "extract", "-q", str(one)],
            f"plandiff compare, {COMPARE_PAGES}+{COMPARE_PAGES} pages": [*PLANDIFF, "compare", "-q", str(old), str(new), "-o", str(out)],
        }
        times: dict[str, list[float]] = {k: [] for k in cmds}
        for _ in range(runs):
            for k, cmd in cmds.items():
                times[k].append(run_process(cmd))
    print(f"\nwhole process, median of {runs} runs (min–max)")
    for k, t in times.items():
        print(f"  {k:34} {statistics.median(t):6.2f} s  ({min(t):.2f}–{max(t):.2f})")


def verdicts(pages: list) -> None:  # type: ignore[type-arg]
    from dataclasses import replace

    from extractors.glyphs import fold_chars
    from extractors.textlayer import drop_unreadable, judge_page

    for p in pages:
        judge_page(drop_unreadable(replace(p, chars=fold_chars(p.chars))))


def bench_verdict(pdfs: list[Path], runs: int) -> None:
    """What judging the text layer costs, against the whole extraction of the same PDFs (all sound)."""
    from extractors.sources import open_source

    whole, judged = 0.0, 0.0
    for pdf in pdfs:
        src = open_source(pdf)
        pages = list(src.pages())
        src.close()
        judged += statistics.median(timed(verdicts, pages) for _ in range(runs))
        whole += statistics.median(timed(extract_pdf, pdf) for _ in range(runs))
    print(f"\ntext-layer verdict: {judged * 1000:.0f} ms of {whole * 1000:.0f} ms extraction = {judged / whole:.1%} (target < 5 %)")


def bench_stages(pdfs: list[Path], runs: int) -> None:
    """Where extraction time goes: each stage's ms a page, medians of interleaved runs, against the floors."""
    from extractors.detect import detect_layout
    from extractors.guard import check_content_limits
    from extractors.layouts import read_layout
    from extractors.pagecheck import read_pages_checked
    from extractors.sources import open_source

    config = ExtractConfig()

    def read(pdf: Path) -> list:  # type: ignore[type-arg]
        src = open_source(pdf)
        try:
            return list(src.pages())
        finally:
            src.close()

    def layout(pdf: Path, pages: list) -> None:  # type: ignore[type-arg]
        checked = read_pages_checked(str(pdf), pages, config)
        read_layout(detect_layout(checked.pages), checked.pages, config)

    names = ["PDFium pages (chars, rules)", "guard (content walk)", "verdicts + layout passes", "whole extraction"]
    names += ["floor: textpage", "floor: chars+boxes"]
    total = dict.fromkeys(names, 0.0)
    pages_all = 0
    for pdf in pdfs:
        pages = read(pdf)
        pages_all += len(pages)
        calls: list[tuple[Callable[..., object], tuple[object, ...]]] = [
            (read, (pdf,)),
            (check_content_limits, (pdf, config)),
            (layout, (pdf, pages)),
            (extract_pdf, (pdf,)),
            (floor_textpage, (pdf,)),
            (floor_chars, (pdf,)),
        ]
        times: dict[str, list[float]] = {n: [] for n in names}
        for _ in range(runs):
            for n, (fn, args) in zip(names, calls, strict=True):
                times[n].append(timed(fn, *args))
        for n in names:
            total[n] += statistics.median(times[n])
    print(f"\nwhere extraction time goes ({pages_all} pages, sum of medians of {runs} runs)")
    for n in names:
        print(f"  {n:30} {total[n] * 1000 / pages_all:6.2f} ms a page  ({total[n] / total['whole extraction']:5.1%} of the whole)")


def bench_compare(runs: int) -> None:
    """The 60+60-page comparison in process, extraction excluded: aligning and diffing, then the JSON."""
    from pipeline.api import compare_plans, render_compare

    with tempfile.TemporaryDirectory() as tmp:
        old, new = (extract_pdf(p) for p in compare_pair(Path(tmp)))
    compare_plans(old, new)  # the Sudachi dictionary and the libraries loaded, as any process does once
    steps: dict[str, list[float]] = {"compare": [], "JSON": []}
    for _ in range(runs):  # each run tokenises afresh: a new Tokenizer, as a compare process has
        t = time.perf_counter()
        comparison = compare_plans(old, new)
        steps["compare"].append(time.perf_counter() - t)
        steps["JSON"].append(timed(render_compare, comparison, "json"))
    blocks = " vs ".join(str(len(r.documents[0].blocks)) for r in (old, new))
    print(f"\n{COMPARE_PAGES}+{COMPARE_PAGES}-page comparison in process, extraction excluded ({blocks} blocks), median of {runs} runs")
    for k, t in steps.items():
        print(f"  {k:34} {statistics.median(t) * 1000:6.0f} ms ({min(t) * 1000:.0f}–{max(t) * 1000:.0f})")


def peak_rss(cmd: list[str]) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of ``cmd`` run in a fresh child, so no earlier child's peak counts."""
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    t = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", probe, *cmd], check=True, capture_output=True, text=True, cwd=ROOT, env=ENV)
    return time.perf_counter() - t, int(res.stdout) / 1024


def bench_big(pages: int) -> None:
    base = CORPUS / "split" / "kanagawa-r7.plan.docx.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for total in (pages // 4, pages):
            big = repeat_pages(base, total, Path(tmp) / f"big{total}.pdf")
            rows.append((total, *peak_rss([*PLANDIFF, "extract", "-q", str(big), "-o", str(Path(tmp) / "big.json")])))
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nplandiff extract of {base.name}'s pages repeated (this bench process, for scale: {floor:.0f} MB)")
    for total, wall, rss in rows:
        print(f"  {total:5d} pages: {wall:6.1f} s ({total / wall:5.1f} pages/s), peak RSS {rss:5.0f} MB")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--plumber", action="store_true", help="add pdfplumber extract_words (slow)")
    ap.add_argument("--big", type=int, default=1000, help="pages of the memory bench (0: skip)")
    ap.add_argument("--only", type=lambda v: set(v.split(",")), default=set(PARTS), help="parts to run, e.g. processes,compare")
    args = ap.parse_args(argv)
    pdfs = args.pdfs or sorted(CORPUS.glob("**/*.pdf"))
    parts: dict[str, Callable[[], None]] = {
        "extract": lambda: bench_extract(pdfs, args.runs, args.plumber),
        "processes": lambda: bench_processes(args.runs),
        "verdict": lambda: bench_verdict(pdfs, args.runs),
        "stages": lambda: bench_stages(pdfs, args.runs),
        "compare": lambda: bench_compare(args.runs),
        "big": lambda: bench_big(args.big) if args.big else None,
    }
    for name in PARTS:
        if name in args.only:
            parts[name]()
    return 0


PARTS = ("extract", "processes", "verdict", "stages", "compare", "big")


if __name__ == "__main__":
    raise SystemExit(main())
