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
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from extractors import ExtractConfig
from reports.config import ReportConfig
from reports.safetext import csv_safe

from . import __version__
from .archive import Entry, scan_archive
from .exceptions import (
    ArchiveError,
    ConfigError,
    OutputDirectoryError,
    OutputInUseError,
    OutputPlaceError,
    PlandiffError,
    UnreadableFileError,
)
from .i18n import N_, _
from .identify import identify
from .logs import route_library_logs
from .model import ExtractResult
from .names import assign_outputs, display_name, json_text, safe_path
from .output import write_atomic
from .progress import Progress
from .workers import run_isolated

MANIFEST_SCHEMA = "plandiff.manifest/1"
CSV_COLUMNS = [
    "file",
    "sha256",
    "pages",
    "layout",
    "organisation",
    "organisation_source",
    "year",
    "kind",
    "status",
    "error",
    "seconds",
    "ocr_pages",
    "refused_pages",
]
T = TypeVar("T")
log = logging.getLogger("plandiff")
R = TypeVar("R")
LOCK = ".plandiff.lock"
RESERVED = ("manifest.json", "manifest.csv", "index.html", LOCK, "comparisons", "matrix", "history")  # ours: no input takes them


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
        from reports.formats import names

        if self.jobs is not None and self.jobs < 1:
            raise ConfigError("jobs", self.jobs, N_("must be at least 1"))
        for fmt in self.formats:
            if fmt not in names("compare"):
                raise ConfigError("report_format", fmt, N_("must be one of {formats}"), formats=", ".join(names("compare")))


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One PDF of the archive and what became of it."""

    file: str  # relative to the archive; a name that is not UTF-8 keeps its surrogate escapes
    sha256: str
    pages: int | None = None
    layout: str = ""
    organisation: str = ""
    organisation_source: str = ""  # where the office was read: title, header row, text or path
    year: str = ""  # 令和N年度
    kind: str = ""
    status: str = "ok"  # ok, partial (some pages read by OCR or left out), failed, skipped
    error: str = ""  # for skipped: why ("" when unchanged since the last run)
    seconds: float = 0.0
    tool_version: str = __version__
    outputs: tuple[str, ...] = ()
    worker_died: bool = False  # twice, or over the time budget: not tried again until the file changes
    ocr_pages: tuple[int, ...] = ()  # pages read from their image
    refused_pages: tuple[int, ...] = ()  # pages left out (garbled, scanned without OCR, vertical out of order)


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


EXTRACT_OUTPUTS = ("json", "md")


def _extensions() -> tuple[str, ...]:
    from reports.formats import by_name

    return tuple(by_name("extract", fmt).extension for fmt in EXTRACT_OUTPUTS)


def convert_file(task: _ConvertTask) -> FileRecord:
    """Extract one PDF and write its JSON and Markdown; never raises.

    The hash recorded is of the bytes read: taken before the extraction and
    checked after it, so a file changed meanwhile is not paired with output
    from other content.
    """
    from extractors import extract_pdf

    from .api import write_extract

    route_library_logs(None)  # a worker's stderr is the user's: only the batch speaks there
    t0 = time.perf_counter()
    sha = task.sha256

    def failed(error: str) -> FileRecord:
        return FileRecord(task.rel, sha, status="failed", error=error, seconds=round(time.perf_counter() - t0, 3))

    try:
        sha = _sha256(task.source)
        result = extract_pdf(task.source, config=task.config)
        who = identify(result, task.rel)
        if _sha256(task.source) != sha:
            return failed(f"{display_name(task.source)}: the file changed while it was read; run the batch again")
        outputs = task.outputs
        write_extract(result, [Path(task.out) / rel_out for rel_out in outputs])
        seconds = round(time.perf_counter() - t0, 3)
        ocr, refused = result.ocr_pages, result.refused_pages
        return FileRecord(
            task.rel,
            sha,
            result.pages,
            result.layout,
            who.org,
            who.source,
            who.fiscal_year,
            who.kind,
            status="partial" if ocr or refused else "ok",
            error="; ".join(result.warnings) if ocr or refused else "",
            seconds=seconds,
            outputs=outputs,
            ocr_pages=ocr,
            refused_pages=refused,
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
    from reports.formats import by_name

    from .api import compare_plans, write_compare

    t0 = time.perf_counter()
    rec = task.record
    out = Path(task.out)
    try:
        old, new = load_extraction(out / task.old_json), load_extraction(out / task.new_json)
        comparison = compare_plans(old, new, kind="branch" if rec.pairing == "hq" else "years")
        outputs = tuple(f"comparisons/{rec.name}{by_name('compare', fmt).extension}" for fmt in task.formats)
        write_compare(comparison, [out / rel for rel in outputs], report=task.report)
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
        raise OutputDirectoryError(out, e.strerror or str(e)) from e
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputInUseError(out) from None
        yield
    finally:
        os.close(fd)  # releases the lock; a killed batch releases it too


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
    for key in ("outputs", "ocr_pages", "refused_pages"):
        if key in values:
            values[key] = tuple(values[key] or ())
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
                r.organisation_source,
                csv_safe(r.year),
                csv_safe(r.kind),
                r.status,
                csv_safe(display_name(r.error)),
                r.seconds,
                ";".join(map(str, r.ocr_pages)),
                ";".join(map(str, r.refused_pages)),
            ]
        )
    write_atomic(result.out / "manifest.csv", buf.getvalue().encode("utf-8-sig"))


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
        if r.status in ("ok", "partial", "skipped") and r.kind == "plan" and r.year and r.organisation != "不明":
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
    extra = [safe_path(Path(r.file).stem) for r, first in zip((old, new), firsts, strict=True) if r is not first]
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
    there, here = archive.resolve(), out.resolve()
    if here == there or here in there.parents:
        raise OutputPlaceError(out, f"archive {archive}")
    entries = scan_archive(archive, out)
    if not entries:
        raise ArchiveError(archive, N_("no PDF files below it"))
    if out.exists() and not out.is_dir():
        raise OutputDirectoryError(out, N_("a file of that name exists"))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputDirectoryError(out, e.strerror or str(e)) from e
    if not os.access(out, os.W_OK | os.X_OK):
        raise OutputDirectoryError(out, N_("permission denied"))
    with _locked(out):
        return _run_locked(archive, out, entries, config, on_file)


def _unchanged(old: FileRecord, sha: str, outputs: tuple[str, ...], out: Path, config: BatchConfig) -> bool:
    return (
        not config.force
        and old.sha256 == sha
        and old.tool_version == __version__
        and (
            old.worker_died  # the reader died on these bytes: not again
            or (old.status in ("ok", "partial", "skipped") and old.outputs == outputs and all((out / o).exists() for o in outputs))
        )
    )


def _run_locked(
    archive: Path, out: Path, entries: list[Entry], config: BatchConfig, on_file: Callable[[FileRecord], None] | None
) -> BatchResult:
    _remove_stale_temp_files(out)
    prev_files, prev_comps = _previous(out)
    result = BatchResult(archive, out, [], [])
    names = assign_outputs((e.rel for e in entries if not e.problem), _extensions(), reserved=RESERVED)
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
    log.debug(
        _("{archive}: {pdfs} PDF files, {todo} to convert, {skipped} unchanged").format(
            archive=archive, pdfs=len(entries), todo=len(tasks), skipped=len(result.files)
        )
    )
    progress = Progress(len(tasks), enabled=_progress_enabled(config))
    budget = config.extract.time_budget
    # the extraction stops itself at its budget; the kill is for a page stuck inside the PDF library
    kill_after = None if budget is None else budget * 1.5 + 30
    try:
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


def _progress_enabled(config: BatchConfig) -> bool:
    return sys.stderr.isatty() if config.progress is None else config.progress


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
