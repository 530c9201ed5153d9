"""Beyond two documents: HQ against every branch (the matrix), one office over years (history).

The comparisons behind a matrix run in worker processes; each is exactly
what ``compare HQ BRANCH`` gives.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from diffing import AlignConfig
from diffing.era import reiwa_years
from extractors import ExtractConfig
from reports import formats
from reports.config import ReportConfig

from .api import compare_plans, extract, log_warnings, plan_info, write_compare
from .collector import collect_seldom
from .exceptions import DuplicateYearError, NoYearError
from .model import Comparison, ExtractResult, History, Matrix, PlanInfo
from .output import write_atomic

T = TypeVar("T")
R = TypeVar("R")


def parallel_map(fn: Callable[[T], R], tasks: Sequence[T], jobs: int | None = None) -> list[R]:
    """``fn`` over ``tasks`` in worker processes (results in task order); in this process for one job."""
    jobs = min(jobs or os.cpu_count() or 1, len(tasks))
    if jobs <= 1:
        return [fn(t) for t in tasks]
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])  # the server imports plandiff once; each worker forks from it ready
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=collect_seldom) as pool:
        # a few tasks per message: a comparison of two stored JSON files is quicker than its round trip
        return list(pool.map(fn, tasks, chunksize=max(1, len(tasks) // (4 * jobs))))


@dataclass(frozen=True, slots=True)
class _BranchTask:
    hq: ExtractResult
    path: str
    config: AlignConfig | None
    extract: ExtractConfig | None


def _compare_branch(task: _BranchTask) -> tuple[PlanInfo, Comparison, tuple[str, ...]]:
    branch = extract(task.path, config=task.extract)
    return plan_info(branch), compare_plans(task.hq, branch, config=task.config, kind="branch"), branch.warnings


def _labelled(infos: Sequence[PlanInfo]) -> list[PlanInfo]:
    """Each branch labelled by its office; by file name where the office is unknown or repeated."""
    orgs = [i.organisation for i in infos]
    return [
        replace(i, label=i.organisation if i.organisation != "不明" and orgs.count(i.organisation) == 1 else Path(i.source).stem)
        for i in infos
    ]


def matrix(
    hq: str | Path,
    branches: Sequence[str | Path],
    *,
    config: AlignConfig | None = None,
    extract_config: ExtractConfig | None = None,
    jobs: int | None = None,
) -> tuple[Matrix, tuple[Comparison, ...]]:
    """The HQ plan against every branch plan (PDFs or extraction JSON), and the comparison behind each column.

    >>> m, _ = matrix("samples/sample-hq-r7.plan.pdf", ["samples/sample-r7.plan.pdf"], jobs=1)
    >>> m.branches[0].label, m.summary[0]["own"] > 0
    ('サンプル支部', True)
    """
    head = extract(hq, config=extract_config)
    log_warnings(hq, head.warnings)
    done = parallel_map(_compare_branch, [_BranchTask(head, str(b), config, extract_config) for b in branches], jobs)
    for b, (_, _, warnings) in zip(branches, done, strict=True):
        log_warnings(b, warnings)  # read in a worker: told here, where the log is
    infos = _labelled([info for info, _, _ in done])
    comparisons = tuple(c for _, c, _ in done)
    from diffing.matrix import build_matrix

    return build_matrix(replace(plan_info(head), label="本部"), infos, comparisons), comparisons


@dataclass(frozen=True, slots=True)
class _ExtractTask:
    path: str
    config: ExtractConfig | None


def _extract_plan(task: _ExtractTask) -> tuple[PlanInfo, ExtractResult]:
    result = extract(task.path, config=task.config)
    return plan_info(result), result


def history(
    plans: Sequence[str | Path],
    *,
    config: AlignConfig | None = None,
    extract_config: ExtractConfig | None = None,
    jobs: int | None = None,
) -> History:
    """One office's plans of several years (PDFs or extraction JSON), ordered by the fiscal year each plan names.

    >>> h = history(["samples/sample-r7.plan.pdf", "samples/sample-r6.plan.pdf"], jobs=1)
    >>> h.years, [s.values for s in h.budgets if s.name == "健診の受診案内"]
    (('令和6年度', '令和7年度'), [('7,820千円', '8,063千円')])
    """
    read = parallel_map(_extract_plan, [_ExtractTask(str(p), extract_config) for p in plans], jobs)
    by_year: dict[int, tuple[str | Path, PlanInfo, ExtractResult]] = {}
    for path, (info, result) in zip(plans, read, strict=True):
        log_warnings(path, result.warnings)
        if not info.year:
            raise NoYearError(path)
        year = reiwa_years(info.year)[0]
        if year in by_year:
            raise DuplicateYearError(path, f"{by_year[year][0]} and {path} are both {info.year}")
        by_year[year] = (path, info, result)
    ordered = [by_year[y] for y in sorted(by_year)]
    from diffing.history import build_history

    return build_history([(info, result.documents[0]) for _, info, result in ordered], config=config)


MATRIX_FORMATS = formats.names("matrix")
_UNSAFE = re.compile(r"[^\w.-]+")


def render_matrix(m: Matrix, fmt: str = "json", *, links: Sequence[str | None] | None = None, timestamp: bool = True) -> str | bytes:
    """The matrix as JSON (``plandiff.matrix/1``), HTML (cells linked to ``links``) or Excel."""
    return formats.by_name("matrix", fmt).render(m, links=links, timestamp=timestamp)


def branch_report_name(out: str | Path, branch: PlanInfo) -> Path:
    """Where the HTML matrix ``out`` keeps one branch's 対照表: beside it, ``<stem>.<branch>.html``."""
    p = Path(out)
    safe = _UNSAFE.sub("_", branch.label)
    return p.with_name(f"{p.stem}.{safe}.html")


def write_matrix(
    m: Matrix, comparisons: Sequence[Comparison], out: str | Path, fmt: str | None = None, *, report: ReportConfig | None = None
) -> None:
    """Write the matrix atomically; an HTML matrix also writes each branch's 対照表 beside it (its cells link there)."""
    chosen = formats.for_path("matrix", out, fmt).name
    links: list[str | None] = []
    if chosen == "html":
        for b, c in zip(m.branches, comparisons, strict=True):
            path = branch_report_name(out, b)
            write_compare(c, path, "html", report=report)
            links.append(path.name)
    write_atomic(out, render_matrix(m, chosen, links=links, timestamp=report.timestamp if report else True))


HISTORY_FORMATS = formats.names("history")


def render_history(h: History, fmt: str = "json", *, timestamp: bool = True) -> str | bytes:
    """The history as JSON (``plandiff.history/1``), HTML (inline SVG charts) or Excel (openpyxl charts)."""
    return formats.by_name("history", fmt).render(h, timestamp=timestamp)


def write_history(h: History, out: str | Path, fmt: str | None = None, *, timestamp: bool = True) -> None:
    write_atomic(out, render_history(h, formats.for_path("history", out, fmt).name, timestamp=timestamp))
