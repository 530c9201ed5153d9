"""Batch throughput: pages per second with 1 worker and with every core, in one run.

    python bench/batch.py [--copies 3] [--runs 3]

Copies the corpus PDFs (../shared/corpus/pdf) --copies times into a temporary
archive, converts it with --jobs 1 and with --jobs <cores> (--force, so
nothing is skipped), and prints the median pages/s of --runs runs and the
scaling between them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.batch import BatchConfig, run_batch  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=3)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    pdfs = sorted((ROOT.parent / "shared" / "corpus" / "pdf").rglob("*.pdf"))
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "archive"
        for k in range(args.copies):
            (archive / f"copy{k}").mkdir(parents=True)
            for p in pdfs:
                shutil.copy(p, archive / f"copy{k}" / p.name)
        rates: dict[int, list[float]] = {1: [], cores: []}
        pages = 0
        for _ in range(args.runs):
            for jobs in rates:  # interleaved, so both see the same machine load
                t = time.perf_counter()
                res = run_batch(archive, Path(tmp) / f"out{jobs}", config=BatchConfig(jobs=jobs, force=True, progress=False))
                dt = time.perf_counter() - t
                pages = sum(r.pages or 0 for r in res.files)
                rates[jobs].append(pages / dt)
        print(f"{len(pdfs) * args.copies} files, {pages} pages, median of {args.runs} runs")
        for jobs, r in rates.items():
            print(f"  --jobs {jobs}: {statistics.median(r):6.1f} pages/s")
        if cores > 1:
            print(f"  scaling {cores} workers / 1: {statistics.median(rates[cores]) / statistics.median(rates[1]):.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
