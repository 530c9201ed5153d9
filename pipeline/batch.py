"""Whole archives of plans: every PDF extracted, paired and compared, nothing lost.

Each PDF below the archive is extracted to JSON and Markdown under the output
directory (mirroring the tree) in worker processes — or on a Dask cluster.
A manifest records every file's hash, pages, layout, office, year, status,
error and time; it is rewritten atomically after every file, so an
interrupted run resumes where it stopped and an unchanged file (same hash,
same tool version) is skipped.  A bad file is recorded as failed and the
batch goes on.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from extractors import ExtractConfig

from . import __version__
from .exceptions import ArchiveError, ConfigError, OutputDirectoryError, PlandiffError
from .i18n import N_, _
from .identify import identify
from .model import ExtractResult
from .output import write_atomic
from .progress import Progress

MANIFEST_SCHEMA = "plandiff.manifest/1"
CSV_COLUMNS = ["file", "sha256", "pages", "layout", "organisation", "organisation_source", "year", "kind", "status", "error", "seconds"]
T = TypeVar("T")
log = logging.getLogger("plandiff")
R = TypeVar("R")


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchConfig:
    """How an archive is converted.

    jobs: worker processes (``None``: all cores).  scheduler: a Dask
    scheduler address (``tcp://host:8786``) to run on a cluster instead; the
    workers must see the same paths.  force: redo files whose hash and tool
    version did not change.  compare: pair documents and write comparison
    reports in ``formats``.  progress: a progress line on stderr (``None``:
    only when stderr is a terminal).
    """

    jobs: int | None = None
    scheduler: str | None = None
    force: bool = False
    compare: bool = False
    formats: tuple[str, ...] = ("html", "json")
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    progress: bool | None = None

    def __post_init__(self) -> None:
        from reports.formats import names

        if self.jobs is not None and self.jobs < 1:
            raise ConfigError("jobs", self.jobs, N_("must be at least 1"))
        for fmt in self.formats:
            if fmt not in names("compare"):
                raise ConfigError("report_format", fmt, N_("must be one of {formats}"), formats=", ".join(names("compare")))


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One PDF of the archive and what became of it."""

    file: str  # relative to the archive
    sha256: str
    pages: int | None = None
    layout: str = ""
    organisation: str = ""
    organisation_source: str = ""  # where the office was read: title, header row, text or path
    year: str = ""  # 令和N年度
    kind: str = ""
    status: str = "ok"  # ok, failed, skipped
    error: str = ""
    seconds: float = 0.0
    tool_version: str = __version__
    outputs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ComparisonRecord:
    """A comparison the batch paired: last year → this year, or HQ → branch."""

    name: str
    pairing: str  # "year" or "hq"
    organisation: str
    old: str
    new: str
    old_sha256: str
    new_sha256: str
    status: str = "ok"
    summary: dict[str, int] = field(default_factory=dict)
    error: str = ""
    seconds: float = 0.0
    outputs: tuple[str, ...] = ()


@dataclass(slots=True)
class BatchResult:
    archive: Path
    out: Path
    files: list[FileRecord]
    comparisons: list[ComparisonRecord]
    reports: list[Any] = field(default_factory=list)  # matrices and histories (pipeline.batch_nway.NwayRecord)

    @property
    def failed(self) -> list[Any]:
        return [r for r in [*self.files, *self.comparisons, *self.reports] if r.status == "failed"]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.files:
            out[r.status] = out.get(r.status, 0) + 1
        return out


# -- work done in the workers ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ConvertTask:
    source: str
    rel: str
    out: str
    sha256: str
    config: ExtractConfig


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


EXTRACT_OUTPUTS = ("json", "md")


def _outputs_for(rel: str) -> tuple[str, ...]:
    from reports.formats import by_name

    stem = Path(rel).with_suffix("")
    return tuple(f"{stem}{by_name('extract', fmt).extension}" for fmt in EXTRACT_OUTPUTS)


def convert_file(task: _ConvertTask) -> FileRecord:
    """Extract one PDF and write its JSON and Markdown; never raises."""
    from extractors import extract_pdf

    from .api import write_extract

    t0 = time.perf_counter()
    try:
        result = extract_pdf(task.source, config=task.config)
        who = identify(result, task.rel)
        outputs = _outputs_for(task.rel)
        write_extract(result, [Path(task.out) / rel_out for rel_out in outputs])
        seconds = round(time.perf_counter() - t0, 3)
        return FileRecord(
            task.rel,
            task.sha256,
            result.pages,
            result.layout,
            who.org,
            who.source,
            who.fiscal_year,
            who.kind,
            seconds=seconds,
            outputs=outputs,
        )
    except PlandiffError as e:
        return FileRecord(task.rel, task.sha256, status="failed", error=str(e), seconds=round(time.perf_counter() - t0, 3))
    except Exception as e:  # one broken file must not end the batch
        msg = f"{task.source}: unexpected error while reading ({type(e).__name__}: {e})"
        return FileRecord(task.rel, task.sha256, status="failed", error=msg, seconds=round(time.perf_counter() - t0, 3))


@dataclass(frozen=True, slots=True)
class _CompareTask:
    record: ComparisonRecord
    out: str
    formats: tuple[str, ...]


def load_extraction(path: Path) -> ExtractResult:
    """An extraction the batch wrote earlier (its ``.json`` beside the mirrored PDF)."""
    return ExtractResult.from_dict(json.loads(path.read_text(encoding="utf-8")))


def compare_pair(task: _CompareTask) -> ComparisonRecord:
    """Compare two extracted plans and write the reports; never raises."""
    from reports.formats import by_name

    from .api import compare_plans, write_compare

    t0 = time.perf_counter()
    rec = task.record
    out = Path(task.out)
    try:
        old, new = load_extraction(out / _outputs_for(rec.old)[0]), load_extraction(out / _outputs_for(rec.new)[0])
        comparison = compare_plans(old, new, kind="branch" if rec.pairing == "hq" else "years")
        outputs = tuple(f"comparisons/{rec.name}{by_name('compare', fmt).extension}" for fmt in task.formats)
        write_compare(comparison, [out / rel for rel in outputs])
        return replace(rec, status="ok", summary=comparison.summary, outputs=outputs, seconds=round(time.perf_counter() - t0, 3))
    except Exception as e:
        return replace(rec, status="failed", error=f"{rec.name}: {type(e).__name__}: {e}", seconds=round(time.perf_counter() - t0, 3))


def _file_crashed(task: _ConvertTask, error: BaseException) -> FileRecord:
    return FileRecord(task.rel, task.sha256, status="failed", error=f"{task.source}: the worker reading it died ({type(error).__name__})")


def _comparison_crashed(task: _CompareTask, error: BaseException) -> ComparisonRecord:
    return replace(task.record, status="failed", error=f"{task.record.name}: the worker died ({type(error).__name__})")


# -- running tasks: local processes or a Dask cluster ---------------------------------


def _run(fn: Callable[[T], R], tasks: list[T], config: BatchConfig, on_crash: Callable[[T, BaseException], R]) -> Iterator[R]:
    """Results in completion order.  Ctrl-C cancels what has not started.

    A task whose worker process dies (a crash inside a PDF library) is
    reported through ``on_crash``; the other tasks of the broken pool are run
    again, one worker each, so one bad file never costs the others.
    """
    if not tasks:
        return
    if config.scheduler:
        yield from _run_dask(fn, tasks, config.scheduler, on_crash)
        return
    jobs = min(config.jobs or os.cpu_count() or 1, len(tasks))
    if jobs == 1:
        for t in tasks:
            yield fn(t)
        return
    retry: list[T] = []
    yield from _pool(fn, tasks, jobs, on_crash, retry)
    for t in retry:
        yield from _pool(fn, [t], 1, on_crash, None)


def _pool(fn: Callable[[T], R], tasks: list[T], jobs: int, on_crash: Callable[[T, BaseException], R], retry: list[T] | None) -> Iterator[R]:
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("forkserver"))
    try:
        futures: dict[Future[R], T] = {pool.submit(fn, t): t for t in tasks}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                try:
                    yield fut.result()
                except BrokenProcessPool as e:
                    if retry is None:
                        yield on_crash(futures[fut], e)
                    else:
                        retry.append(futures[fut])
                except Exception as e:
                    yield on_crash(futures[fut], e)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run_dask(fn: Callable[[T], R], tasks: list[T], scheduler: str, on_crash: Callable[[T, BaseException], R]) -> Iterator[R]:
    try:
        from distributed import Client, as_completed
    except ImportError as e:
        raise ArchiveError(scheduler, "Dask is not installed: pip install 'plandiff[dask]'") from e
    with Client(scheduler) as client:
        futures = client.map(fn, tasks, pure=False)
        task_of = {f.key: t for f, t in zip(futures, tasks, strict=True)}
        try:
            for fut in as_completed(futures):
                try:
                    yield fut.result()
                except Exception as e:
                    yield on_crash(task_of[fut.key], e)
        finally:
            client.cancel(futures)


# -- the batch -------------------------------------------------------------------------


def _remove_stale_temp_files(out: Path) -> None:
    """A killed run can leave write_atomic's temporary files; the real files are intact."""
    for tmp in out.rglob(".*.tmp"):
        tmp.unlink(missing_ok=True)


def _previous(out: Path) -> tuple[dict[str, FileRecord], dict[str, ComparisonRecord]]:
    path = out / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, {}
    if not isinstance(data, dict):
        return {}, {}
    files = {r.file: r for r in (_record(FileRecord, d) for d in data.get("files") or ()) if r is not None}
    comps = {r.name: r for r in (_record(ComparisonRecord, d) for d in data.get("comparisons") or ()) if r is not None}
    return files, comps


def _record(cls: type[T], d: Any) -> T | None:
    """A record from a manifest another version may have written: unknown fields ignored, missing ones defaulted.

    A record without its key fields (or with values of the wrong shape) is
    dropped; its file is then simply converted again.
    """
    if not isinstance(d, dict):
        return None
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    values = {k: v for k, v in d.items() if k in known}
    if "outputs" in values:
        values["outputs"] = tuple(values["outputs"] or ())
    try:
        return cls(**values)
    except TypeError:
        return None


def write_manifest(result: BatchResult) -> None:
    """manifest.json (files and comparisons) and manifest.csv (files), atomically."""
    files = sorted(result.files, key=lambda r: r.file)
    data = {
        "schema": MANIFEST_SCHEMA,
        "tool_version": __version__,
        "archive": str(result.archive),
        "files": [asdict(r) for r in files],
        "comparisons": [asdict(c) for c in sorted(result.comparisons, key=lambda c: c.name)],
        "reports": [asdict(r) for r in sorted(result.reports, key=lambda r: (r.kind, r.name))],
        "conflicts": [asdict(c) for c in find_conflicts(files)],
    }
    write_atomic(result.out / "manifest.json", json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in files:
        w.writerow(
            [
                r.file,
                r.sha256,
                r.pages if r.pages is not None else "",
                r.layout,
                r.organisation,
                r.organisation_source,
                r.year,
                r.kind,
                r.status,
                r.error,
                r.seconds,
            ]
        )
    write_atomic(result.out / "manifest.csv", buf.getvalue().encode("utf-8-sig"))


def find_pdfs(archive: Path, out: Path) -> list[Path]:
    """Every PDF below the archive (any case of .pdf), outside the output directory."""
    out_abs = out.resolve()
    return sorted(p for p in archive.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file() and out_abs not in p.resolve().parents)


@dataclass(frozen=True, slots=True)
class Conflict:
    """Several plans of one office and year (another rendering, a field-table version): each is compared."""

    organisation: str
    year: str
    files: tuple[str, ...]  # the first stands for the year where one plan is paired with several
    note: str = ""


def plan_groups(files: Iterable[FileRecord]) -> dict[tuple[str, int], list[FileRecord]]:
    """The plans of each (office, Reiwa year), a single-column plan first, then by path."""
    groups: dict[tuple[str, int], list[FileRecord]] = {}
    for r in sorted(files, key=lambda r: (r.layout != "plan", r.file)):
        if r.status in ("ok", "skipped") and r.kind == "plan" and r.year and r.organisation != "不明":
            groups.setdefault((r.organisation, _reiwa(r.year)), []).append(r)
    return groups


def chosen_plans(files: Iterable[FileRecord]) -> dict[tuple[str, int], FileRecord]:
    """The plan standing for each (office, Reiwa year): of several (a conflict), a single-column plan, the first by path."""
    return {key: group[0] for key, group in plan_groups(files).items()}


def find_conflicts(files: Iterable[FileRecord]) -> list[Conflict]:
    """Every office and year with more than one plan."""
    return [
        Conflict(org, f"令和{year}年度", tuple(r.file for r in group), f"{len(group)} plans of one office and year; each is compared")
        for (org, year), group in sorted(plan_groups(files).items())
        if len(group) > 1
    ]


def _pairs(old: list[FileRecord], new: list[FileRecord]) -> list[tuple[FileRecord, FileRecord]]:
    """Each new plan against the old year's first plan, and each further old plan against the new year's first."""
    out = [(old[0], n) for n in new] + [(o, new[0]) for o in old[1:]]
    return list(dict.fromkeys(out))


def _name(base: str, old: FileRecord, new: FileRecord, firsts: tuple[FileRecord, FileRecord]) -> str:
    """The comparison's name; a pairing that involves a second plan of a year adds that plan's file name."""
    extra = [Path(r.file).stem for r, first in zip((old, new), firsts, strict=True) if r is not first]
    return "_".join([base, *extra])


def plan_comparisons(files: Iterable[FileRecord]) -> list[ComparisonRecord]:
    """Each office's consecutive years, and each branch against the HQ plan of its year.

    Where an office has several plans for one year (a conflict, recorded in
    the manifest), every one of them is compared: with the other year's
    first plan (see :func:`chosen_plans`).
    """
    groups = plan_groups(files)
    out: list[ComparisonRecord] = []
    for (org, year), new in sorted(groups.items()):
        pairings = [("year", year_name(org, year), groups.get((org, year - 1)))]
        if org != "本部":
            pairings.append(("hq", hq_name(org, year), groups.get(("本部", year))))
        for kind, base, old in pairings:
            if not old:
                continue
            for o, n in _pairs(old, new):
                out.append(ComparisonRecord(_name(base, o, n, (old[0], new[0])), kind, org, o.file, n.file, o.sha256, n.sha256))
    return out


def year_name(org: str, year: int) -> str:
    """The name of an office's comparison of last year → ``year``."""
    return f"{org}_R{year - 1}-R{year}"


def hq_name(org: str, year: int) -> str:
    """The name of HQ → branch ``org`` in ``year``."""
    return f"{org}_vs_本部_R{year}"


def _reiwa(year: str) -> int:
    return int(year.removeprefix("令和").removesuffix("年度"))


def run_batch(
    archive: str | Path, out: str | Path, *, config: BatchConfig | None = None, on_file: Callable[[FileRecord], None] | None = None
) -> BatchResult:
    """Convert every PDF below ``archive`` into ``out``; see the module docstring."""
    config = config or BatchConfig()
    archive, out = Path(archive), Path(out)
    if not archive.is_dir():
        raise ArchiveError(archive, N_("not a directory"))
    pdfs = find_pdfs(archive, out)
    if not pdfs:
        raise ArchiveError(archive, N_("no PDF files below it"))
    if out.exists() and not out.is_dir():
        raise OutputDirectoryError(out, N_("a file of that name exists"))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputDirectoryError(out, e.strerror or str(e)) from e
    if not os.access(out, os.W_OK | os.X_OK):
        raise OutputDirectoryError(out, N_("permission denied"))
    _remove_stale_temp_files(out)
    prev_files, prev_comps = _previous(out)
    result = BatchResult(archive, out, [], [])
    tasks: list[_ConvertTask] = []
    for pdf in pdfs:
        rel = pdf.relative_to(archive).as_posix()
        sha = _sha256(pdf)
        old = prev_files.get(rel)
        if (
            not config.force
            and old is not None
            and old.status in ("ok", "skipped")
            and old.sha256 == sha
            and old.tool_version == __version__
            and all((out / o).exists() for o in old.outputs)
        ):
            result.files.append(replace(old, status="skipped", seconds=0.0))
            continue
        tasks.append(_ConvertTask(str(pdf), rel, str(out), sha, config.extract))
    log.debug(
        _("{archive}: {pdfs} PDF files, {todo} to convert, {skipped} unchanged").format(
            archive=archive, pdfs=len(pdfs), todo=len(tasks), skipped=len(result.files)
        )
    )
    progress = Progress(len(tasks), enabled=_progress_enabled(config))
    try:
        for rec in _run(convert_file, tasks, config, _file_crashed):
            result.files.append(rec)
            write_manifest(result)  # after every file: a kill loses at most the files in flight
            progress.update(rec.pages)
            if on_file is not None:
                on_file(rec)
    finally:
        progress.close()
        write_manifest(result)
    if config.compare:
        from .batch_nway import write_reports

        _compare_all(result, prev_comps, config)
        write_reports(result, config)
        write_manifest(result)
    write_index(result)
    return result


def _progress_enabled(config: BatchConfig) -> bool:
    return sys.stderr.isatty() if config.progress is None else config.progress


def _compare_all(result: BatchResult, prev: dict[str, ComparisonRecord], config: BatchConfig) -> None:
    todo: list[_CompareTask] = []
    for rec in plan_comparisons(result.files):
        old = prev.get(rec.name)
        if (
            not config.force
            and old is not None
            and old.status == "ok"
            and (old.old, old.new, old.old_sha256, old.new_sha256) == (rec.old, rec.new, rec.old_sha256, rec.new_sha256)
            and {o.rsplit(".", 1)[-1] for o in old.outputs} == set(config.formats)
            and all((result.out / o).exists() for o in old.outputs)
        ):
            result.comparisons.append(replace(old, status="skipped", seconds=0.0))
            continue
        todo.append(_CompareTask(rec, str(result.out), config.formats))
    log.debug(_("{todo} comparisons to write, {skipped} unchanged").format(todo=len(todo), skipped=len(result.comparisons)))
    progress = Progress(len(todo), enabled=_progress_enabled(config), label=N_("comparisons"), count_pages=False)
    try:
        for done in _run(compare_pair, todo, config, _comparison_crashed):
            result.comparisons.append(done)
            write_manifest(result)
            progress.update()
    finally:
        progress.close()
        write_manifest(result)


def write_index(result: BatchResult) -> None:
    """index.html: every document and every comparison with its counts, linked."""
    from reports.html import environment

    html = (
        environment()
        .get_template("index.html")
        .render(
            title="事業計画アーカイブ",
            files=sorted(result.files, key=lambda r: r.file),
            comparisons=sorted(result.comparisons, key=lambda c: c.name),
            reports=sorted(result.reports, key=lambda r: (r.kind, r.name)),
            conflicts=find_conflicts(result.files),
            counts=result.counts(),
            archive=str(result.archive),
            version=__version__,
        )
    )
    write_atomic(result.out / "index.html", html)
