"""Whole archives of plans: every PDF extracted, paired and compared, nothing lost.

Each PDF below the archive is extracted to JSON and Markdown under the output
directory (mirroring the tree) in worker processes — or on a Dask cluster.
A manifest records every file's hash, pages, layout, office, year, status,
error and time; it is rewritten atomically after every file, so an
interrupted run resumes where it stopped and an unchanged file (same hash,
same tool version) is skipped.  A bad file is recorded as failed and the
batch goes on; a file that kills its reader twice is recorded as failed and
not tried again until it changes.  One batch at a time may write an output
directory (a lock file in it).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from extractors import ExtractConfig
from reports.safetext import csv_safe
from reports.view import ReportConfig

from . import __version__
from .archive import scan_archive
from .exceptions import ArchiveError, OutputError, OutputInUseError, OutputPlaceError, PlandiffError, UnreadableFileError
from .identify import identify
from .logs import route_library_logs
from .model import ExtractResult
from .names import assign_outputs, display_name, json_text
from .output import write_atomic
from .workers import run_isolated

MANIFEST_SCHEMA = "plandiff.manifest/1"
CSV_COLUMNS = ["file", "sha256", "pages", "layout", "organisation", "year", "kind", "status", "error", "seconds"]
T = TypeVar("T")
R = TypeVar("R")
LOCK = ".plandiff.lock"
RESERVED = ("manifest.json", "manifest.csv", "index.html", LOCK, "comparisons")  # names of ours no input may take


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchConfig:
    """How an archive is converted.

    jobs: worker processes (``None``: all cores).  scheduler: a Dask
    scheduler address (``tcp://host:8786``) to run on a cluster instead; the
    workers must see the same paths.  force: redo files whose hash and tool
    version did not change.  compare: pair documents and write comparison
    reports in ``formats``.  timestamp: the creation time in those reports
    (off: byte-identical reruns).  progress: a progress line on stderr
    (``None``: only when stderr is a terminal).
    """

    jobs: int | None = None
    scheduler: str | None = None
    force: bool = False
    compare: bool = False
    formats: tuple[str, ...] = ("html", "json")
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    progress: bool | None = None
    timestamp: bool = True

    def __post_init__(self) -> None:
        if self.jobs is not None and self.jobs < 1:
            raise ValueError("jobs must be at least 1")


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One PDF of the archive and what became of it."""

    file: str  # relative to the archive; a name that is not UTF-8 keeps its surrogate escapes
    sha256: str
    pages: int | None = None
    layout: str = ""
    organisation: str = ""
    year: str = ""  # 令和N年度
    kind: str = ""
    status: str = "ok"  # ok, failed, skipped
    error: str = ""  # for skipped: why ("" when unchanged since the last run)
    seconds: float = 0.0
    tool_version: str = __version__
    outputs: tuple[str, ...] = ()
    worker_died: bool = False  # twice, or over the time budget: not tried again until the file changes


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
    outputs: tuple[str, ...]  # the JSON, then the Markdown


def _sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def convert_file(task: _ConvertTask) -> FileRecord:
    """Extract one PDF and write its JSON and Markdown; never raises.

    The hash recorded is of the bytes read: taken before the extraction and
    checked after it, so a file changed meanwhile is not paired with output
    from other content.
    """
    from extractors import extract_pdf

    from .api import render_extract

    route_library_logs(None)  # a worker's stderr is the user's: only the batch speaks there
    t0 = time.perf_counter()
    sha = task.sha256

    def failed(error: str) -> FileRecord:
        return FileRecord(task.rel, sha, status="failed", error=error, seconds=round(time.perf_counter() - t0, 3))

    try:
        sha = _sha256(task.source)
        result = extract_pdf(task.source, config=task.config)
        who = identify(result)
        if _sha256(task.source) != sha:
            return failed(f"{display_name(task.source)}: the file changed while it was read; run the batch again")
        for rel_out, fmt in zip(task.outputs, ("json", "md"), strict=True):
            write_atomic(Path(task.out) / rel_out, render_extract(result, fmt))
        seconds = round(time.perf_counter() - t0, 3)
        return FileRecord(
            task.rel, sha, result.pages, result.layout, who.org, who.fiscal_year, who.kind, seconds=seconds, outputs=task.outputs
        )
    except PlandiffError as e:
        return failed(str(e))
    except OSError as e:
        return failed(str(UnreadableFileError(task.source, e.strerror or str(e))))
    except Exception as e:  # one broken file must not end the batch
        return failed(f"{display_name(task.source)}: unexpected error while reading ({type(e).__name__}: {display_name(str(e))})")


@dataclass(frozen=True, slots=True)
class _CompareTask:
    record: ComparisonRecord
    out: str
    formats: tuple[str, ...]
    old_json: str
    new_json: str
    report: ReportConfig


def load_extraction(path: Path) -> ExtractResult:
    """An extraction the batch wrote earlier (its ``.json`` beside the mirrored PDF)."""
    return ExtractResult.from_dict(json.loads(path.read_text(encoding="utf-8")))


def compare_pair(task: _CompareTask) -> ComparisonRecord:
    """Compare two extracted plans and write the reports; never raises."""
    from .api import compare_plans, write_compare

    t0 = time.perf_counter()
    rec = task.record
    out = Path(task.out)
    try:
        old, new = load_extraction(out / task.old_json), load_extraction(out / task.new_json)
        comparison = compare_plans(old, new, kind="branch" if rec.pairing == "hq" else "years")
        outputs = tuple(f"comparisons/{rec.name}.{fmt}" for fmt in task.formats)
        for rel in outputs:
            write_compare(comparison, out / rel, report=task.report)
        return replace(rec, status="ok", summary=comparison.summary, outputs=outputs, seconds=round(time.perf_counter() - t0, 3))
    except Exception as e:
        return replace(rec, status="failed", error=f"{rec.name}: {type(e).__name__}: {e}", seconds=round(time.perf_counter() - t0, 3))


_NOT_AGAIN = "it is not tried again until it changes (--force tries it now)"


def _file_crashed(task: _ConvertTask, how: str) -> FileRecord:
    error = f"{display_name(task.source)}: the reader crashed on this file ({how}, twice); {_NOT_AGAIN}"
    return FileRecord(task.rel, task.sha256, status="failed", error=error, worker_died=True)


def _file_timed_out(task: _ConvertTask, seconds: float) -> FileRecord:
    error = f"{display_name(task.source)}: reading took longer than {seconds:g} s and was stopped; {_NOT_AGAIN}"
    return FileRecord(task.rel, task.sha256, status="failed", error=error, worker_died=True, seconds=seconds)


def _comparison_crashed(task: _CompareTask, how: str) -> ComparisonRecord:
    return replace(task.record, status="failed", error=f"{task.record.name}: the worker died ({how})")


# -- running tasks: local processes or a Dask cluster ---------------------------------


def _run(
    fn: Callable[[T], R],
    tasks: list[T],
    config: BatchConfig,
    on_crash: Callable[[T, str], R],
    on_timeout: Callable[[T, float], R] | None = None,
    timeout: float | None = None,
) -> Iterator[R]:
    """Results in completion order, each task in a worker process that may die (see :mod:`pipeline.workers`)."""
    if not tasks:
        return
    if config.scheduler:
        yield from _run_dask(fn, tasks, config.scheduler, on_crash)
        return
    jobs = config.jobs or os.cpu_count() or 1
    yield from run_isolated(fn, tasks, jobs=jobs, on_crash=on_crash, on_timeout=on_timeout, timeout=timeout)


def _run_dask(fn: Callable[[T], R], tasks: list[T], scheduler: str, on_crash: Callable[[T, str], R]) -> Iterator[R]:
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
                    yield on_crash(task_of[fut.key], f"{type(e).__name__}: {e}")
        finally:
            client.cancel(futures)


# -- progress ------------------------------------------------------------------------


class Progress:
    """``files 3/10 · 57 pages · 12.3 pages/s · ETA 0:05`` on stderr, redrawn in place."""

    def __init__(self, total: int, *, enabled: bool, stream: Any = None) -> None:
        self.total = total
        self.enabled = enabled and total > 0
        self.stream = stream or sys.stderr
        self.done = 0
        self.pages = 0
        self.t0 = time.perf_counter()

    def update(self, pages: int | None) -> None:
        self.done += 1
        self.pages += pages or 0
        if not self.enabled:
            return
        dt = max(time.perf_counter() - self.t0, 1e-6)
        eta = int((self.total - self.done) * dt / self.done)
        line = f"files {self.done}/{self.total} · {self.pages} pages · {self.pages / dt:.1f} pages/s · ETA {eta // 60}:{eta % 60:02d}"
        self.stream.write("\r" + line.ljust(72))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


# -- the batch -------------------------------------------------------------------------


def _remove_stale_temp_files(out: Path) -> None:
    """A killed run can leave write_atomic's temporary files; the real files are intact (called under the lock)."""
    for tmp in out.rglob(".*.tmp"):
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold the output directory for this batch; a second batch on it is refused, not interleaved."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    try:
        fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise OutputError(out / LOCK, e.strerror or str(e)) from e
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputInUseError(out) from None
        yield
    finally:
        os.close(fd)  # releases the lock; a killed batch releases it too


def _records(cls: type[R], rows: Any) -> list[R]:
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return [cls(**{k: tuple(v) if k == "outputs" else v for k, v in d.items() if k in known}) for d in rows]


def _previous(out: Path) -> tuple[dict[str, FileRecord], dict[str, ComparisonRecord]]:
    """The last run's records; an unreadable or foreign manifest means starting afresh."""
    try:
        data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        files = {r.file: r for r in _records(FileRecord, data.get("files", []))}
        comps = {c.name: c for c in _records(ComparisonRecord, data.get("comparisons", []))}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}, {}
    return files, comps


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
    }
    write_atomic(result.out / "manifest.json", json_text(json.dumps(data, ensure_ascii=False, indent=1)) + "\n")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in files:
        w.writerow(
            [
                csv_safe(display_name(r.file)),
                r.sha256,
                r.pages if r.pages is not None else "",
                csv_safe(r.layout),
                csv_safe(r.organisation),
                csv_safe(r.year),
                csv_safe(r.kind),
                r.status,
                csv_safe(display_name(r.error)),
                r.seconds,
            ]
        )
    write_atomic(result.out / "manifest.csv", buf.getvalue().encode("utf-8-sig"))


def chosen_plans(files: Iterable[FileRecord]) -> dict[tuple[str, int], FileRecord]:
    """The plan standing for each (office, Reiwa year).

    Where an office has several plans for one year (another rendering, a
    field-table version), a single-column plan stands for that year, the
    first by path.
    """
    chosen: dict[tuple[str, int], FileRecord] = {}
    for r in sorted(files, key=lambda r: (r.layout != "plan", r.file)):
        if r.status in ("ok", "skipped") and r.kind == "plan" and r.year and r.organisation != "不明":
            chosen.setdefault((r.organisation, _reiwa(r.year)), r)
    return chosen


def plan_comparisons(files: Iterable[FileRecord]) -> list[ComparisonRecord]:
    """Each office's consecutive years, and each branch against the HQ plan of its year (see :func:`chosen_plans`)."""
    chosen = chosen_plans(files)
    out: list[ComparisonRecord] = []
    for (org, year), new in sorted(chosen.items()):
        old = chosen.get((org, year - 1))
        if old is not None:
            out.append(ComparisonRecord(year_name(org, year), "year", org, old.file, new.file, old.sha256, new.sha256))
        hq = chosen.get(("本部", year))
        if org != "本部" and hq is not None:
            out.append(ComparisonRecord(hq_name(org, year), "hq", org, hq.file, new.file, hq.sha256, new.sha256))
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
        raise ArchiveError(archive, "not a directory")
    there, here = archive.resolve(), out.resolve()
    if here == there or here in there.parents:
        raise OutputPlaceError(out, f"archive {archive}")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(out, e.strerror or str(e)) from e
    with _locked(out):
        return _run_locked(archive, out, config, on_file)


def _unchanged(old: FileRecord | None, sha: str, outputs: tuple[str, ...], out: Path, config: BatchConfig) -> bool:
    return (
        not config.force
        and old is not None
        and old.sha256 == sha
        and old.tool_version == __version__
        and (
            old.worker_died  # the reader died on these bytes: not again
            or (old.status in ("ok", "skipped") and old.outputs == outputs and all((out / o).exists() for o in outputs))
        )
    )


def _run_locked(archive: Path, out: Path, config: BatchConfig, on_file: Callable[[FileRecord], None] | None) -> BatchResult:
    _remove_stale_temp_files(out)
    prev_files, prev_comps = _previous(out)
    result = BatchResult(archive, out, [], [])
    entries = scan_archive(archive, out)
    names = assign_outputs((e.rel for e in entries if not e.problem), (".json", ".md"), reserved=RESERVED)
    tasks: list[_ConvertTask] = []
    for entry in entries:
        if entry.problem:
            status, error = ("failed", f"{display_name(str(entry.path))}: {entry.problem}") if entry.failed else ("skipped", entry.problem)
            result.files.append(FileRecord(entry.rel, "", status=status, error=error))
            continue
        try:
            sha = _sha256(entry.path)
        except OSError as e:
            error = str(UnreadableFileError(entry.path, e.strerror or str(e)))
            result.files.append(FileRecord(entry.rel, "", status="failed", error=error))
            continue
        old = prev_files.get(entry.rel)
        if old is not None and _unchanged(old, sha, names[entry.rel], out, config):
            result.files.append(replace(old, status="failed" if old.worker_died else "skipped", seconds=0.0))
            continue
        tasks.append(_ConvertTask(str(entry.path), entry.rel, str(out), sha, config.extract, names[entry.rel]))
    progress = Progress(len(tasks), enabled=sys.stderr.isatty() if config.progress is None else config.progress)
    budget = config.extract.time_budget
    try:
        # the extraction stops itself at its budget; the kill is for a page stuck inside the PDF library
        kill_after = None if budget is None else budget * 1.5 + 30
        for rec in _run(convert_file, tasks, config, _file_crashed, _file_timed_out, kill_after):
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


def _compare_all(result: BatchResult, prev: dict[str, ComparisonRecord], config: BatchConfig) -> None:
    todo: list[_CompareTask] = []
    json_of = {r.file: r.outputs[0] for r in result.files if r.outputs}
    report = ReportConfig(timestamp=config.timestamp)
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
        todo.append(_CompareTask(rec, str(result.out), config.formats, json_of[rec.old], json_of[rec.new], report))
    try:
        for done in _run(compare_pair, todo, config, _comparison_crashed):
            result.comparisons.append(done)
            write_manifest(result)
    finally:
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
            counts=result.counts(),
            archive=str(result.archive),
            version=__version__,
        )
    )
    write_atomic(result.out / "index.html", html)
