"""Score plandiff against the corpus ground truth with the reference scorer.

    python bench/accuracy.py                  # every corpus PDF, one row each
    python bench/accuracy.py --only akita -v  # plus the mismatched blocks

Reads ../shared/corpus (or --corpus) and ../shared/tools/score.py; never
copies the corpus.  Extraction targets: block F1 >= 0.97, heading-level
accuracy >= 0.95, text similarity >= 0.99.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors import ExtractConfig, extract_pdf  # noqa: E402
from pipeline import api  # noqa: E402

TARGETS = {"block_f1_fuzzy": 0.97, "heading_level_acc": 0.95, "text_similarity": 0.99}
COMPARE_TARGETS = {"pairs": 0.95, "added": 0.93, "deleted": 0.93, "change_status_acc": 0.97}


def load_scorer(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", shared / "tools" / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"{shared}/tools/score.py not found")
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--only", default="", help="substring of the PDF names to score")
    ap.add_argument("-v", "--verbose", action="store_true", help="list mismatched blocks")
    ap.add_argument("--source", choices=["pdfium", "pdfplumber"], default="pdfium", help="character source to score")
    args = ap.parse_args(argv)
    score = load_scorer(args.shared)
    corpus = args.shared / "corpus"
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
