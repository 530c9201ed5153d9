"""Print ground truth with one PDF producer or all of them.

    python -m samples.render --producer all --out samples/producers   # the committed per-producer samples
    python -m samples.render --producer docx --out build/x --truth ../shared/corpus/akita-r7.plan.json
    python -m samples.render --bundled       # samples/*.json from content_*.txt, samples/*.pdf with reportlab
    python -m samples.render --list          # producers, what they need, whether they are installed

Writes OUT/<producer>/<id>.<layout>.pdf for every layout the producer can
print: a ``*.plan.json`` truth as plan and fieldtable, ``*.slides.json`` as
slides, ``*.pair.json`` as sidebyside.  Without ``--truth``, the bundled
fictional samples.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from .printing import bundled, render_all
from .registry import PRODUCERS
from .truth import SAMPLE_TRUTHS, SAMPLES, truth_kind


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samples.render", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--producer", default="all", help=f"one of {', '.join(PRODUCERS)}, or all (the installed ones)")
    ap.add_argument("--out", type=Path, default=SAMPLES / "producers")
    ap.add_argument("--truth", type=Path, nargs="+", help="plan/1 or pair/1 JSON files (default: the bundled samples)")
    ap.add_argument("--bundled", action="store_true", help="regenerate samples/*.json and the bundled reportlab PDFs")
    ap.add_argument("--list", action="store_true", help="list the producers and exit")
    args = ap.parse_args(argv)
    if args.list:
        for p in PRODUCERS.values():
            print(f"{p.name:10} {', '.join(p.layouts):36} needs {p.needs}: {p.missing() or 'installed'}")
        return 0
    if args.bundled:
        print("wrote", ", ".join(p.name for p in bundled()))
        return 0
    if args.producer == "all":
        producers = [p for p in PRODUCERS.values() if p.missing() is None]
        for p in PRODUCERS.values():
            if p.missing():
                print(f"skipping {p.name}: {p.missing()}", file=sys.stderr)
    elif args.producer in PRODUCERS:
        producers = [PRODUCERS[args.producer]]
        if producers[0].missing():
            print(f"python -m samples.render: producer {args.producer}: {producers[0].missing()}", file=sys.stderr)
            return 2
    else:
        print(f"python -m samples.render: no producer {args.producer!r}: use one of {', '.join(PRODUCERS)} or all", file=sys.stderr)
        return 2
    truths = args.truth or [SAMPLES / name for name in SAMPLE_TRUTHS]
    for t in truths:
        try:
            truth_kind(t)
        except ValueError as e:
            print(f"python -m samples.render: {e}", file=sys.stderr)
            return 2
        if not t.is_file():
            print(f"python -m samples.render: {t}: no such truth file", file=sys.stderr)
            return 2
    for p in producers:
        start = time.perf_counter()
        try:
            written = render_all(p, truths, args.out / p.name, force=True)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, RuntimeError, ValueError) as e:
            print(f"python -m samples.render: producer {p.name} failed: {e}", file=sys.stderr)
            return 2
        print(f"{p.name}: {len(written)} PDFs in {time.perf_counter() - start:.1f} s -> {args.out / p.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
