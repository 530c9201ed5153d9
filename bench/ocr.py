"""OCR accuracy: scanned copies of the sample plans read back and scored against their ground truth.

    python bench/ocr.py [--samples sample-r7,...] [--dpi 200,...] [--seeds 7,...]

Each page of samples/<sample>.plan.pdf is rendered to an image at each
resolution with noise, specks and a slight rotation drawn from each seed
(tests/data/make_text_layers.py, ``scan_pages``), wrapped in a PDF, read
with ``--ocr auto`` and scored with the reference scorer
(../shared/tools/score.py).  One line a scan, then the median and the worst
of each figure.  Targets, met by the median and by each scan:
block F1 (fuzzy) >= 0.90 and heading-level accuracy >= 0.90.  Needs Tesseract
(tesseract-ocr, tesseract-ocr-jpn).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
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
FIGURES = ("block_f1_fuzzy", "block_f1_strict", "kind_acc", "heading_level_acc", "text_similarity")


def _list(text: str) -> list[str]:
    return [t for t in text.split(",") if t]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--samples", type=_list, default=["sample-r7"], help="sample plans to scan, comma-separated")
    ap.add_argument("--dpi", type=_list, default=["200"], help="resolutions of the scans, comma-separated")
    ap.add_argument("--seeds", type=_list, default=["7"], help="noise and rotation of the scans, comma-separated")
    args = ap.parse_args(argv)
    spec = importlib.util.spec_from_file_location("make_text_layers", ROOT / "tests" / "data" / "make_text_layers.py")
    assert spec and spec.loader
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    score = load_scorer(args.shared)
    print(f"{'scan':28} {'s':>5} {'conf':>5} " + " ".join(f"{k.replace('block_', '').replace('_acc', ''):>15}" for k in FIGURES))
    results: list[dict[str, float]] = []
    for sample in args.samples:
        truth = json.loads((ROOT / "samples" / f"{sample}.plan.json").read_text(encoding="utf-8"))
        for dpi in map(int, args.dpi):
            for seed in map(int, args.seeds):
                with tempfile.TemporaryDirectory() as tmp:
                    scan = Path(tmp) / f"{sample}.scanned.pdf"
                    make.scan_pages(ROOT / "samples" / f"{sample}.plan.pdf", scan, dpi=dpi, seed=seed)
                    t = time.perf_counter()
                    result = extract_pdf(scan)
                    seconds = time.perf_counter() - t
                res = score.score_extract(truth, result.to_dict())
                conf = [r.confidence for r in result.text_layer if r.confidence is not None]
                results.append(res)
                print(
                    f"{f'{sample} {dpi} dpi seed {seed}':28} {seconds:5.1f} {sum(conf) / len(conf):5.3f} "
                    + " ".join(f"{res[k]:15.4f}" for k in FIGURES)
                )
    ok = True
    for name, pick in (("median", statistics.median), ("worst", min)):
        line = []
        for k in FIGURES:
            value = pick(r[k] for r in results)
            met = k not in TARGETS or value >= TARGETS[k]
            ok &= met
            line.append(f"{value:15.4f}" + ("" if met else "!"))
        print(f"{name:40} " + " ".join(line))
    print("targets: " + ", ".join(f"{k} >= {v}" for k, v in TARGETS.items()) + (": met" if ok else ": MISSED (marked !)"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
