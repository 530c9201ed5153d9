"""Score plandiff against the corpus ground truth with the reference scorer.

    python bench/accuracy.py                  # every corpus PDF, one row each
    python bench/accuracy.py --only akita -v  # plus the mismatched blocks
    python bench/accuracy.py --producers      # the corpus and the samples printed by every installed producer
    python bench/accuracy.py --producers docx chromium --only sidebyside

Reads ../shared/corpus (or --shared) and ../shared/tools/score.py; never
copies the corpus.  Extraction targets: block F1 >= 0.97, heading-level
accuracy >= 0.95, text similarity >= 0.99.

``--producers`` prints the corpus truths and the fictional samples with each
producer (``samples/render``) into a cache (``build/corpus/<producer>/``,
reusing PDFs newer than their truth), scores every PDF and prints a table
per producer and layout.  Targets there: block F1 >= 0.95 in every file and
>= 0.98 on average, heading levels >= 0.95, text >= 0.995; slide decks block
F1 >= 0.95.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors import ExtractConfig, extract_pdf  # noqa: E402
from pipeline import api  # noqa: E402
from samples.render.printing import render_all  # noqa: E402
from samples.render.registry import PRODUCERS, Producer, installed  # noqa: E402
from samples.render.truth import LAYOUTS, SAMPLE_TRUTHS, SAMPLES, Job, truths_for  # noqa: E402

TARGETS = {"block_f1_fuzzy": 0.97, "heading_level_acc": 0.95, "text_similarity": 0.99}
COMPARE_TARGETS = {"pairs": 0.95, "added": 0.93, "deleted": 0.93, "change_status_acc": 0.97}
#: per printed file (slides: block F1 only); a producer's layout also needs mean F1 >= MEAN_F1
FILE_TARGETS = {"block_f1_fuzzy": 0.95, "heading_level_acc": 0.95, "text_similarity": 0.995}
SLIDE_TARGETS = {"block_f1_fuzzy": 0.95}
MEAN_F1 = 0.98
PRODUCER_COLS = ["block_f1_fuzzy", "block_f1_strict", "heading_level_acc", "text_similarity"]


def load_scorer(shared: Path) -> ModuleType:
    """The reference scorer ``shared/tools/score.py``; FileNotFoundError when it is not there."""
    path = shared / "tools" / "score.py"
    spec = importlib.util.spec_from_file_location("plandiff_reference_score", path)
    if not path.is_file() or spec is None or spec.loader is None:
        raise FileNotFoundError(f"{path} not found: put the shared folder beside the checkout or pass --shared")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def extraction_cases(corpus: Path) -> list[tuple[Path, Path, int]]:
    """(pdf, truth plan json, document index) for every corpus PDF."""
    cases: list[tuple[Path, Path, int]] = []
    for pdf in sorted(corpus.glob("pdf/**/*.pdf")):
        ident, layout = pdf.name.split(".")[:2]
        if layout in ("plan", "fieldtable"):
            truth = corpus / ("split" if pdf.parent.name == "split" else "") / f"{ident}.plan.json"
            cases.append((pdf, truth, 0))
        elif layout == "sidebyside":
            pair = json.loads((corpus / f"{ident}.pair.json").read_text(encoding="utf-8"))
            for doc, side in ((0, "left"), (1, "right")):
                cases.append((pdf, corpus / "split" / f"{pair[side]['id']}.plan.json", doc))
    return cases


def show_mismatches(score: ModuleType, truth: dict, pred: dict, doc: int) -> None:
    tb = truth["blocks"]
    pb = pred["documents"][doc]["blocks"]
    tn = [score.norm(score.btext(b)) for b in tb]
    pn = [score.norm(score.btext(b)) for b in pb]
    m = score.align(pn, tn, 0.90)
    mp = {i for i, _, _ in m}
    mt = {j for _, j, _ in m}
    for i, j, _ in m:
        p, t = pb[i], tb[j]
        if p.get("kind") != t.get("kind") or (t["kind"] == "heading" and p.get("level") != t.get("level")):
            what = (t.get("label") or "") + t.get("text", "")[:50]
            print(f"   KIND  p{p.get('page')} pred {p.get('kind')}/{p.get('level')} truth {t['kind']}/{t.get('level')}: {what}")
    for i, b in enumerate(pb):
        if i not in mp:
            print(f"   EXTRA p{b.get('page')} {b.get('kind')}: {score.btext(b)[:90]}")
    for j, b in enumerate(tb):
        if j not in mt:
            print(f"   MISS  {b.get('kind')}: {score.btext(b)[:90]}")


def comparison_cases(corpus: Path) -> list[tuple[str, Path, Path | None, Path]]:
    """(name, old PDF or None, new or side-by-side PDF, pair truth) for every corpus pair."""
    cases: list[tuple[str, Path, Path | None, Path]] = []
    for truth in sorted(corpus.glob("*.pair.json")):
        pair = json.loads(truth.read_text(encoding="utf-8"))
        ident = truth.name.split(".")[0]
        for engine_pdf in sorted(corpus.glob(f"pdf/split/{pair['right']['id']}.plan.*.pdf")):
            engine = engine_pdf.name.split(".")[2]
            new = corpus / "pdf" / "split" / f"{pair['left']['id']}.plan.{engine}.pdf"
            cases.append((f"split {engine}", engine_pdf, new, truth))
        for sbs in sorted(corpus.glob(f"pdf/{ident}.sidebyside.*.pdf")):
            cases.append((f"sidebyside {sbs.name.split('.')[2]}", None, sbs, truth))
    return cases


def show_compare_mismatches(score: ModuleType, truth_path: Path, pred: dict) -> None:
    new, old, tpairs, _, _, _ = score.truth_from(str(truth_path))
    rows = pred["rows"]
    pn = sorted(((k, r["new"]) for k, r in enumerate(rows) if r.get("new")), key=lambda kb: kb[1]["index"])
    po = sorted(((k, r["old"]) for k, r in enumerate(rows) if r.get("old")), key=lambda kb: kb[1]["index"])

    def key(b: dict) -> str:
        return score.norm(score.btext(b))

    mn = {pn[i][0]: j for i, j, _ in score.align([key(b) for _, b in pn], [key(b) for b in new], 0.85)}
    mo = {po[i][0]: j for i, j, _ in score.align([key(b) for _, b in po], [key(b) for b in old], 0.85)}
    pairs = {(mn[k], mo[k]): r for k, r in enumerate(rows) if k in mn and k in mo}
    for i, j in sorted(set(tpairs) - set(pairs)):
        print(f"   MISSED PAIR new#{i} old#{j}: {score.btext(new[i])[:40]} | {score.btext(old[j])[:40]}")
    for (i, j), r in sorted(pairs.items()):
        if (i, j) not in set(tpairs):
            print(f"   WRONG PAIR  new#{i} old#{j} ({r['status']}, {r['reason']}): {score.btext(new[i])[:40]} | {score.btext(old[j])[:40]}")


def compare_table(score: ModuleType, corpus: Path, only: str, verbose: bool, config: ExtractConfig) -> bool:
    cols = ["pairs", "added", "deleted", "change_status_acc"]
    print(f"\n{'comparison':52} " + " ".join(f"{c.replace('change_status_acc', 'status'):>14}" for c in cols) + "  target")
    ok_all = True
    for name, old, new, truth in comparison_cases(corpus):
        if only not in f"{name} {new.name}":
            continue
        pred = api.compare(old, new, extract_config=config).to_dict()
        res = score.score_compare(str(truth), pred)
        vals = {c: (res[c]["f1"] if isinstance(res[c], dict) else res[c]) or 0.0 for c in cols}
        ok = all(vals[c] >= COMPARE_TARGETS[c] for c in cols)
        ok_all &= ok
        print(f"{truth.name.split('.')[0] + ' ' + name:52} " + " ".join(f"{vals[c]:14.4f}" for c in cols) + ("  met" if ok else "  MISSED"))
        if verbose:
            show_compare_mismatches(score, truth, pred)
    return ok_all


def score_print(score: ModuleType, job: Job, pdf: Path, config: ExtractConfig) -> tuple[dict, list[dict]]:
    """plandiff's reading of one printed PDF and the scores of its documents against ``job``'s truths (zeros for a missing document)."""
    pred = extract_pdf(pdf, config=config).to_dict()
    results = []
    for doc, truth in enumerate(truths_for(job)):
        if doc < len(pred["documents"]):
            results.append(score.score_extract(truth, pred, doc))
        else:
            results.append({c: 0.0 for c in PRODUCER_COLS} | {"missing": True})
    return pred, results


def file_met(job: Job, results: list[dict]) -> bool:
    """Every document of the print meets the per-file targets (a slide deck: block F1 only)."""
    targets = SLIDE_TARGETS if job.layout == "slides" else FILE_TARGETS
    return all((r.get(k) or 0.0) >= v for r in results for k, v in targets.items())


def corpus_truths(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*.plan.json")) + sorted(corpus.glob("split/*.plan.json")) + sorted(corpus.glob("*.pair.json"))


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def producer_tables(
    score: ModuleType,
    corpus: Path,
    producers: list[Producer],
    cache: Path,
    only: str,
    verbose: bool,
    config: ExtractConfig,
    *,
    reprint: bool = False,
) -> bool:
    """Print, read and score the corpus and the samples with each producer: a table per producer and layout, then a summary."""
    truths = corpus_truths(corpus) + [SAMPLES / name for name in SAMPLE_TRUTHS]
    summary: list[str] = []
    ok_all = True
    for producer in producers:
        print(f"\n== {producer.name} ({producer.needs})")
        if producer.missing():
            print(f"   not installed: {producer.missing()}")
            summary.append(f"{producer.name:10} not installed")
            ok_all = False
            continue
        start = time.perf_counter()
        try:
            prints = render_all(producer, truths, cache / producer.name, force=reprint, only=only)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, RuntimeError, OSError) as e:
            print(f"   printing failed: {e}")
            summary.append(f"{producer.name:10} printing failed")
            ok_all = False
            continue
        rendered = time.perf_counter() - start
        start = time.perf_counter()
        scored: list[tuple[Job, Path, list[dict]]] = []
        for job, pdf in prints:
            pred, results = score_print(score, job, pdf, config)
            scored.append((job, pdf, results))
            if verbose:
                for doc, truth in enumerate(truths_for(job)):
                    if doc < len(pred["documents"]):
                        show_mismatches(score, truth, pred, doc)
        read = time.perf_counter() - start
        all_docs: list[dict] = []
        for layout in LAYOUTS:
            rows = [(job, pdf, res) for job, pdf, res in scored if job.layout == layout]
            if not rows:
                continue
            heads = " ".join(f"{c.replace('block_', '').replace('_acc', ''):>14}" for c in PRODUCER_COLS)
            print(f"{layout:44} {'doc':>3} {heads}  target")
            for job, pdf, results in rows:
                met = file_met(job, results)
                for doc, res in enumerate(results):
                    vals = " ".join(f"{res.get(c) or 0.0:14.4f}" for c in PRODUCER_COLS)
                    note = "  (no such document in the output)" if res.get("missing") else ("  met" if met else "  not met")
                    print(f"  {pdf.name:42} {doc:>3} {vals}{note}")
            docs = [r for _, _, res in rows for r in res]
            all_docs += docs
            f1 = [r.get("block_f1_fuzzy") or 0.0 for r in docs]
            levels = [r.get("heading_level_acc") or 0.0 for r in docs]
            texts = [r.get("text_similarity") or 0.0 for r in docs]
            layout_ok = all(file_met(j, res) for j, _, res in rows) and (layout == "slides" or mean(f1) >= MEAN_F1)
            ok_all &= layout_ok
            print(
                f"  {layout}: mean F1 {mean(f1):.4f}, worst {min(f1):.4f}, levels {mean(levels):.4f}, text {mean(texts):.4f}"
                + ("  met" if layout_ok else "  not met")
            )
        f1 = [r.get("block_f1_fuzzy") or 0.0 for r in all_docs]
        met = sum(file_met(j, res) for j, _, res in scored)
        summary.append(
            f"{producer.name:10} mean F1 {mean(f1):.4f}  worst {min(f1, default=0.0):.4f}  "
            f"levels {mean([r.get('heading_level_acc') or 0.0 for r in all_docs]):.4f}  "
            f"text {mean([r.get('text_similarity') or 0.0 for r in all_docs]):.4f}  files met {met}/{len(scored)}  "
            f"(print {rendered:.1f} s, read {read:.1f} s)"
        )
    print("\nper producer:")
    for line in summary:
        print("  " + line)
    return ok_all


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--only", default="", help="substring of the PDF names to score")
    ap.add_argument("-v", "--verbose", action="store_true", help="list mismatched blocks")
    ap.add_argument("--source", choices=["pdfium", "pdfplumber"], default="pdfium", help="character source to score")
    ap.add_argument(
        "--producers",
        nargs="*",
        metavar="NAME",
        help=f"print the truths with these producers ({', '.join(PRODUCERS)}; none named: every installed one) and score the prints",
    )
    ap.add_argument("--cache", type=Path, default=ROOT / "build" / "corpus", help="where --producers keeps its prints")
    ap.add_argument("--reprint", action="store_true", help="print again even where the cache has a print newer than its truth")
    args = ap.parse_args(argv)
    try:
        score = load_scorer(args.shared)
    except FileNotFoundError as e:
        print(f"bench/accuracy.py: {e}", file=sys.stderr)
        return 2
    corpus = args.shared / "corpus"
    if args.producers is not None:
        unknown = [n for n in args.producers if n not in PRODUCERS]
        if unknown:
            print(f"bench/accuracy.py: no producer {unknown[0]!r}: use {', '.join(PRODUCERS)}", file=sys.stderr)
            return 2
        chosen = [PRODUCERS[n] for n in args.producers] or installed()
        config = ExtractConfig(source=args.source)
        ok = producer_tables(score, corpus, chosen, args.cache, args.only, args.verbose, config, reprint=args.reprint)
        return 0 if ok else 1
    cols = ["block_f1_fuzzy", "block_f1_strict", "kind_acc", "heading_level_acc", "text_similarity"]
    print(f"{'file':52} {'doc':>3} " + " ".join(f"{c.replace('block_', '').replace('_acc', ''):>14}" for c in cols) + "  target")
    cache: dict[Path, dict] = {}
    ok_all = True
    for pdf, truth_path, doc in extraction_cases(corpus):
        if args.only not in str(pdf):
            continue
        if pdf not in cache:
            cache[pdf] = extract_pdf(pdf, config=ExtractConfig(source=args.source)).to_dict()
        pred = cache[pdf]
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        if doc >= len(pred["documents"]):
            print(f"{pdf.relative_to(corpus / 'pdf')!s:52} {doc:>3}  (no such document in the output)")
            ok_all = False
            continue
        res = score.score_extract(truth, pred, doc)
        ok = all((res.get(k) or 0) >= v for k, v in TARGETS.items())
        ok_all &= ok
        print(
            f"{pdf.relative_to(corpus / 'pdf')!s:52} {doc:>3} "
            + " ".join(f"{res.get(c) or 0:14.4f}" for c in cols)
            + ("  met" if ok else "  MISSED")
        )
        if args.verbose:
            show_mismatches(score, truth, pred, doc)
    ok_all &= compare_table(score, corpus, args.only, args.verbose, ExtractConfig(source=args.source))
    return 0 if ok_all else 1


if __name__ == "__main__":
    raise SystemExit(main())
