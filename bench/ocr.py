"""OCR accuracy: a scanned copy of a sample plan read back and scored against its ground truth.

    python bench/ocr.py [--dpi 200] [--seed 7]

Each page of samples/sample-r7.plan.pdf is rendered to a 200 dpi image with
noise, specks and a slight rotation (tests/data/make_text_layers.py,
``scan_pages``), wrapped in a PDF, read with ``--ocr auto`` and scored with
the reference scorer (../shared/tools/score.py).  Targets: block F1 (fuzzy)
>= 0.90 and heading-level accuracy >= 0.90.  Needs Tesseract
(tesseract-ocr, tesseract-ocr-jpn).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "data"))

from accuracy import load_scorer  # noqa: E402

from extractors import extract_pdf  # noqa: E402

TARGETS = {"block_f1_fuzzy": 0.90, "heading_level_acc": 0.90}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--sample", default="sample-r7")
    ap.add_argument("--dpi", type=int, default=200, help="resolution of the scan")
    ap.add_argument("--seed", type=int, default=7, help="noise and rotation of the scan")
    args = ap.parse_args(argv)
    spec = importlib.util.spec_from_file_location("make_text_layers", ROOT / "tests" / "data" / "make_text_layers.py")
    assert spec and spec.loader
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    score = load_scorer(args.shared)
    truth = json.loads((ROOT / "samples" / f"{args.sample}.plan.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        scan = Path(tmp) / f"{args.sample}.scanned.pdf"
        make.scan_pages(ROOT / "samples" / f"{args.sample}.plan.pdf", scan, dpi=args.dpi, seed=args.seed)
        t = time.perf_counter()
        result = extract_pdf(scan)
        seconds = time.perf_counter() - t
    res = score.score_extract(truth, result.to_dict())
    conf = [r.confidence for r in result.text_layer if r.confidence is not None]
    print(
        f"{args.sample} scanned at {args.dpi} dpi (seed {args.seed}): {result.pages} pages by OCR in {seconds:.1f} s,"
        f" mean confidence {sum(conf) / len(conf):.3f}"
    )
    ok = True
    for key in ("block_f1_fuzzy", "block_f1_strict", "kind_acc", "heading_level_acc", "text_similarity"):
        target = TARGETS.get(key)
        met = target is None or res[key] >= target
        ok &= met
        print(f"  {key:18} {res[key]:.4f}" + (f"  target {target}: {'met' if met else 'MISSED'}" if target else ""))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
