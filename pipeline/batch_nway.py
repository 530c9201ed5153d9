"""What a batch writes beyond pairs: each year's HQ × branches matrix and each office's history.

Both reuse what the batch stored: the comparisons' ``plandiff.compare/1``
JSON (loaded with ``Comparison.from_dict``) and the extractions' JSON; a
comparison without stored JSON is computed again.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path

from .batch import BatchConfig, BatchResult, _run, chosen_plans, hq_name, load_extraction, year_name
from .model import Comparison, PlanInfo
from .output import write_atomic

FORMATS = ("html", "json", "xlsx")
MIN_HISTORY_YEARS = 3


@dataclass(frozen=True, slots=True)
class NwayRecord:
    """A matrix (one year: HQ and its branches) or a history (one office, three or more years) the batch wrote."""

    name: str
    kind: str  # matrix or history
    organisation: str
    years: tuple[str, ...]
    inputs: tuple[str, ...]
    status: str = "ok"
    error: str = ""
    seconds: float = 0.0
    outputs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Task:
    record: NwayRecord
    out: str
    formats: tuple[str, ...]
    plans: tuple[PlanInfo, ...]  # a matrix: HQ then the branches; a history: oldest first
    comparisons: tuple[str, ...]  # names under comparisons/: HQ → each branch, or year → next year ("" when not consecutive)
    stored: tuple[bool, ...]  # whether each comparison's JSON is there to reuse
    jsons: tuple[str, ...]  # each plan's extraction JSON under the output directory (the manifest's outputs[0])
    links: tuple[str | None, ...] = ()


def _comparison(out: Path, name: str, stored: bool, old_json: str, new_json: str) -> Comparison:
    from .api import compare_plans

    if stored:
        return Comparison.from_dict(json.loads((out / "comparisons" / f"{name}.json").read_text(encoding="utf-8")))
    return compare_plans(load_extraction(out / old_json), load_extraction(out / new_json))


def build_report(task: _Task) -> NwayRecord:
    """Write one matrix or history from the stored JSON; never raises."""
    from diffing.history import build_history
    from diffing.matrix import build_matrix

    from .nway import render_history, render_matrix

    t0 = time.perf_counter()
    rec, out, plans = task.record, Path(task.out), task.plans
    try:
        data: dict[str, str | bytes]
        if rec.kind == "matrix":
            jsons = task.jsons
            comparisons = [_comparison(out, n, s, jsons[0], b) for n, s, b in zip(task.comparisons, task.stored, jsons[1:], strict=True)]
            m = build_matrix(plans[0], plans[1:], comparisons)
            data = {fmt: render_matrix(m, fmt, links=task.links, timestamp=False) for fmt in task.formats}
        else:
            docs = [(p, load_extraction(out / j).documents[0]) for p, j in zip(plans, task.jsons, strict=True)]
            steps = [
                _comparison(out, n, s, task.jsons[k], task.jsons[k + 1]) if n else None
                for k, (n, s) in enumerate(zip(task.comparisons, task.stored, strict=True))
            ]
            h = build_history(docs, comparisons=steps)
            data = {fmt: render_history(h, fmt, timestamp=False) for fmt in task.formats}
        outputs = tuple(f"{rec.kind}/{rec.name}.{fmt}" for fmt in task.formats)
        for fmt, rel in zip(task.formats, outputs, strict=True):
            write_atomic(out / rel, data[fmt])
        return replace(rec, outputs=outputs, seconds=round(time.perf_counter() - t0, 3))
    except Exception as e:
        return replace(rec, status="failed", error=f"{rec.name}: {type(e).__name__}: {e}", seconds=round(time.perf_counter() - t0, 3))


def _crashed(task: _Task, how: str) -> NwayRecord:
    return replace(task.record, status="failed", error=f"{task.record.name}: the worker died ({how})")


def plan_reports(result: BatchResult, config: BatchConfig) -> list[_Task]:
    """A matrix for every year with an HQ plan and a branch plan; a history for every office with three or more years."""
    chosen = chosen_plans(result.files)
    done = {c.name: c for c in result.comparisons if c.status in ("ok", "skipped")}
    formats = tuple(f for f in FORMATS if f in config.formats) or ("html", "json")

    def info(org: str, year: int) -> PlanInfo:
        r = chosen[(org, year)]
        return PlanInfo(r.file, org, org, r.year)

    def stored(name: str) -> bool:
        return name in done and f"comparisons/{name}.json" in done[name].outputs

    def link(name: str) -> str | None:
        return f"../comparisons/{name}.html" if name in done and f"comparisons/{name}.html" in done[name].outputs else None

    tasks: list[_Task] = []
    for year in sorted({y for org, y in chosen if org == "本部"}):
        branches = sorted(org for org, y in chosen if y == year and org != "本部")
        if not branches:
            continue
        plans = (info("本部", year), *(info(org, year) for org in branches))
        names = tuple(hq_name(org, year) for org in branches)
        rec = NwayRecord(f"R{year}", "matrix", "本部", (plans[0].year,), tuple(p.source for p in plans))
        jsons = tuple(chosen[(org, year)].outputs[0] for org in ("本部", *branches))
        tasks.append(_Task(rec, str(result.out), formats, plans, names, tuple(map(stored, names)), jsons, tuple(map(link, names))))
    for org in sorted({org for org, _ in chosen}):
        years = sorted(y for o, y in chosen if o == org)
        if len(years) < MIN_HISTORY_YEARS:
            continue
        plans = tuple(info(org, y) for y in years)
        names = tuple(year_name(org, b) if b == a + 1 else "" for a, b in pairwise(years))
        rec = NwayRecord(org, "history", org, tuple(p.year for p in plans), tuple(p.source for p in plans))
        jsons = tuple(chosen[(org, y)].outputs[0] for y in years)
        tasks.append(_Task(rec, str(result.out), formats, plans, names, tuple(map(stored, names)), jsons))
    return tasks


def write_reports(result: BatchResult, config: BatchConfig) -> None:
    """Every matrix and history of the batch, in worker processes; recorded in ``result.reports``."""
    result.reports.extend(_run(build_report, plan_reports(result, config), config, _crashed))
