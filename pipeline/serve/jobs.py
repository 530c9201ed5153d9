"""Jobs: comparisons and batches run off the event loop, their state kept in the database.

The work itself runs in worker processes (:mod:`.work`); the event loop only
awaits it and records progress, so pages stay responsive while several
people compare at once.  A job that fails says why and the server goes on.
At shutdown running jobs get a grace period to finish; the rest are marked
interrupted, and so are jobs a crashed server left behind.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import multiprocessing
import os
import secrets
import shutil
from collections.abc import Callable, Coroutine
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from pipeline.api import sidebyside_parts
from pipeline.archive import scan_archive
from pipeline.batch import BatchConfig, FileRecord, plan_comparisons, run_batch
from pipeline.collector import collect_seldom
from pipeline.exceptions import ArchiveError, BrokenPdfError, PlandiffError
from pipeline.i18n import N_, _
from pipeline.model import Comparison, ExtractResult
from reports.config import ReportConfig

from . import messages, work
from .config import ServeConfig
from .storage import Store
from .uploads import Upload

log = logging.getLogger("plandiff.serve")
T = TypeVar("T")
GRACE_SECONDS = 30


class WorkerCrashed(Exception):
    """A worker process died (a crash inside a PDF library)."""


class JobInterrupted(Exception):
    """The server is stopping: a batch ends after the files in flight."""


class JobError(Exception):
    def __init__(self, error: PlandiffError) -> None:
        super().__init__(str(error))
        self.error = error


class Jobs:
    def __init__(self, store: Store, config: ServeConfig) -> None:
        self.store = store
        self.config = config
        self.workers = config.jobs or os.cpu_count() or 1
        self._pool: Executor | None = None
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._batch_lock = asyncio.Lock()
        # as many comparisons run as there are workers, the rest wait their turn in order:
        # the first submitted finishes first instead of all finishing together at the end
        self._slots = asyncio.Semaphore(self.workers)
        self._client: Any = None
        self.closing = False

    # -- the worker pool ----------------------------------------------------------

    def _new_pool(self) -> Executor:
        pool: Executor
        if self.config.scheduler:
            pool = self._dask_executor(self.config.scheduler)
        else:
            pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("forkserver"), initializer=collect_seldom
            )
        for _worker in range(self.workers):
            pool.submit(work.warm)
        return pool

    def _dask_executor(self, scheduler: str) -> Executor:
        """The Dask cluster ``batch --scheduler`` uses, as an executor (its workers must see the data directory)."""
        try:
            from distributed import Client
        except ImportError as e:
            raise ArchiveError(scheduler, "Dask is not installed: pip install 'plandiff[dask]'") from e
        self._client = Client(scheduler, set_as_default=False)
        return self._client.get_executor(pure=False)

    def start(self) -> None:
        left = self.store.interrupt_unfinished(**messages.plain(messages.INTERRUPTED))
        if left:
            log.warning(_("{count} job(s) of an earlier run were left unfinished; marked interrupted").format(count=left))
        self._pool = self._new_pool()

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(*args)`` in a worker process; a dead worker gets the pool replaced."""
        pool = self._pool
        if pool is None:
            raise WorkerCrashed("the server is stopping")
        try:
            return await asyncio.wrap_future(pool.submit(fn, *args))
        except BrokenProcessPool as e:
            if self._pool is pool and not self.closing:
                pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
            raise WorkerCrashed(str(e)) from e

    def _spawn(self, job_id: str, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(self._guarded(job_id, coro))
        self._tasks[job_id] = task
        task.add_done_callback(lambda _: self._tasks.pop(job_id, None))

    async def _guarded(self, job_id: str, coro: Coroutine[Any, Any, None]) -> None:
        """Every way a job can end is recorded: done by the job itself, failed here."""
        try:
            await coro
        except JobError as e:
            await self._update(job_id, state="failed", error=str(e.error), message=messages.japanese(e.error))
        except JobInterrupted:
            await self._update(job_id, state="failed", **messages.plain(messages.INTERRUPTED))
        except asyncio.CancelledError:
            await asyncio.shield(self._update(job_id, state="failed", **messages.plain(messages.INTERRUPTED)))
            raise
        except Exception:
            log.exception(_("job {id} failed").format(id=job_id))
            await self._update(job_id, state="failed", **messages.plain(messages.INTERNAL))

    async def _update(self, job_id: str, **fields: Any) -> None:
        await asyncio.to_thread(self.store.update_job, job_id, **fields)

    async def shutdown(self) -> None:
        """Let running jobs finish for a while (a batch stops after its current files), mark the rest interrupted."""
        self.closing = True
        tasks = list(self._tasks.values())
        if tasks:
            log.info(_("waiting for {count} running job(s)").format(count=len(tasks)))
            _done, pending = await asyncio.wait(tasks, timeout=GRACE_SECONDS)
            for t in pending:
                t.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        self.store.interrupt_unfinished(**messages.plain(messages.INTERRUPTED))
        pool, self._pool = self._pool, None
        if self._client is not None:
            self._client.close()  # a Dask cluster: its executor goes with the client
        elif pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        log.info(_("stopped"))

    # -- reading uploads --------------------------------------------------------------

    async def check(self, upload: Upload) -> int:
        """The page count of an upload, found without reading its pages; raises why it cannot be read."""
        stored = await asyncio.to_thread(self.store.document, upload.sha256)
        if stored is not None:
            return stored.pages
        try:
            out = await self.call(work.check, str(upload.path), upload.name, upload.media, self.config.extract)
        except WorkerCrashed as e:
            raise BrokenPdfError(upload.name, N_("the PDF reader crashed on it")) from e
        if isinstance(out, work.Failure):
            raise out.error(upload.name)
        return out

    async def document(self, upload: Upload) -> tuple[str, ExtractResult]:
        """The stored extraction of an upload, reading and storing it first when new."""
        stored = await asyncio.to_thread(self.store.document, upload.sha256)
        if stored is not None:
            upload.path.unlink(missing_ok=True)
            return stored.id, await asyncio.to_thread(lambda: stored.result)
        try:
            out = await self.call(work.read, str(upload.path), upload.name, upload.media, self.config.extract)
        except WorkerCrashed as e:
            upload.path.unlink(missing_ok=True)
            raise JobError(BrokenPdfError(upload.name, N_("the PDF reader crashed on it"))) from e
        if isinstance(out, work.Failure):
            upload.path.unlink(missing_ok=True)
            raise JobError(out.error(upload.name))
        stored_name = None
        if upload.media == "pdf":
            stored_name = f"{upload.sha256}.pdf"
            os.replace(upload.path, self.store.files / stored_name)
        else:
            upload.path.unlink(missing_ok=True)
        await asyncio.to_thread(self.store.add_document, upload.sha256, upload.name, stored_name, out.result, (out.org, out.year, out.kind))
        return upload.sha256, out.result

    # -- comparisons ------------------------------------------------------------------

    def submit_compare(self, uploads: list[Upload], options: dict[str, Any], *, pages: int) -> str:
        job_id = secrets.token_hex(8)
        self.store.create_job(job_id, "compare", {"names": [u.name for u in uploads], "pages": pages, "pages_read": 0})
        self._spawn(job_id, self._compare_job(job_id, uploads, options))
        return job_id

    async def _compare_job(self, job_id: str, uploads: list[Upload], options: dict[str, Any]) -> None:
        try:
            async with self._slots:
                await self._compare(job_id, uploads, options)
        finally:
            for u in uploads:
                u.path.unlink(missing_ok=True)

    async def _compare(self, job_id: str, uploads: list[Upload], options: dict[str, Any]) -> None:
        await self._update(job_id, state="running", stage="reading", progress=0.02)
        detail = (await asyncio.to_thread(self.store.job, job_id) or {})["detail"]

        in_order = asyncio.Lock()  # one write at a time, so a later count is never overwritten by an earlier one

        async def one(up: Upload) -> tuple[str, ExtractResult]:
            got = await self.document(up)
            async with in_order:
                detail["pages_read"] += got[1].pages
                share = detail["pages_read"] / max(detail["pages"], 1)
                await self._update(job_id, progress=round(0.05 + 0.55 * min(share, 1.0), 3), detail=detail)
            return got

        read = await asyncio.gather(*(one(u) for u in uploads))
        if len(read) == 1:
            doc_id, old_result = read[0]
            new_result = old_result
            try:
                old_part, new_part = sidebyside_parts(old_result, options["new_side"], name=uploads[0].name)
            except PlandiffError as e:
                raise JobError(e) from e
            sides = (doc_id, old_part, doc_id, new_part)
        else:
            (old_id, old_result), (new_id, new_result) = read
            sides = (old_id, 0, new_id, 0)
        comp_id = hashlib.sha256(json.dumps([*sides, options], sort_keys=True).encode()).hexdigest()[:20]
        if await asyncio.to_thread(self.store.comparison, comp_id) is not None:
            await asyncio.to_thread(self.store.touch_comparison, comp_id)
        else:
            await self._update(job_id, stage="aligning", progress=0.6)
            comparison = await self.call(work.compare, old_result, None if len(read) == 1 else new_result, options["new_side"])
            await self._update(job_id, stage="writing", progress=0.85)
            title = options.get("title") or f"{old_result.source} → {new_result.source}"
            await self._store_comparison(
                comp_id, sides, {**options, "made": datetime.now().isoformat(timespec="seconds")}, title, comparison
            )
        await self._update(job_id, state="done", stage="done", progress=1.0, comparison=comp_id)

    async def _store_comparison(
        self, comp_id: str, sides: tuple[str, int, str, int], options: dict[str, Any], title: str, comparison: Comparison
    ) -> None:
        html = await self.call(work.render, comparison, "html", report_config(options))
        await asyncio.to_thread(self.store.add_comparison, comp_id, sides, options, title, comparison, html.decode("utf-8"))

    async def report(self, comp_id: str, fmt: str) -> bytes | None:
        """A report of a stored comparison, rendered in a worker the first time it is asked for."""
        body = await asyncio.to_thread(self.store.report, comp_id, fmt)
        if body is not None:
            return body
        stored = await asyncio.to_thread(self.store.comparison, comp_id)
        if stored is None:
            return None
        comparison = await asyncio.to_thread(Comparison.from_dict, json.loads(stored.data))
        body = await self.call(work.render, comparison, fmt, report_config(stored.option))
        await asyncio.to_thread(self.store.put_report, comp_id, fmt, body)
        return body

    # -- batches ------------------------------------------------------------------------

    def submit_batch(self, archive: Path, label: str, cleanup: Path | None = None) -> str:
        job_id = secrets.token_hex(8)
        self.store.create_job(job_id, "batch", {"source": label, "files": [], "comparisons": []})
        self._spawn(job_id, self._batch_job(job_id, archive, label, cleanup))
        return job_id

    async def _batch_job(self, job_id: str, archive: Path, label: str, cleanup: Path | None) -> None:
        out = self.store.tmp / f"batch-{job_id}"
        detail: dict[str, Any] = {"source": label, "files": [], "comparisons": []}
        try:
            async with self._batch_lock:
                await self._update(job_id, state="running", stage="reading", progress=0.01)
                await self._run_batch(job_id, archive, out, detail)
        finally:
            shutil.rmtree(out, ignore_errors=True)
            if cleanup is not None:
                shutil.rmtree(cleanup, ignore_errors=True)
        await self._update(job_id, state="done", stage="done", progress=1.0, detail=detail)

    async def _run_batch(self, job_id: str, archive: Path, out: Path, detail: dict[str, Any]) -> None:
        total = max(sum(1 for e in scan_archive(archive, out) if not e.problem), 1)
        loop = asyncio.get_running_loop()

        def on_file(rec: FileRecord) -> None:  # in the batch's thread
            if self.closing:
                raise JobInterrupted
            detail["files"].append(_file_row(rec))
            self.store.update_job(job_id, progress=0.7 * len(detail["files"]) / total, detail=detail)

        config = BatchConfig(jobs=self.config.jobs, scheduler=self.config.scheduler, extract=self.config.extract, progress=False)
        try:
            result = await asyncio.to_thread(run_batch, archive, out, config=config, on_file=on_file)
        except PlandiffError as e:
            raise JobError(e) from e
        detail["files"] = [_file_row(r) for r in sorted(result.files, key=lambda r: r.file)]
        for row, rec in zip(detail["files"], sorted(result.files, key=lambda r: r.file), strict=True):
            if rec.status in ("ok", "skipped"):
                await loop.run_in_executor(None, self._import, archive, out, rec)
                row["document"] = rec.sha256
        await self._update(job_id, stage="aligning", progress=0.75, detail=detail)
        pairs = plan_comparisons(result.files)
        for k, pair in enumerate(pairs):
            old, new = self.store.document(pair.old_sha256), self.store.document(pair.new_sha256)
            if old is None or new is None:
                continue
            o, n = old.result, new.result
            comparison = await self.call(work.compare, o, n, "left")
            comp_id = hashlib.sha256(json.dumps([old.id, 0, new.id, 0, {"batch": True}]).encode()).hexdigest()[:20]
            options = {
                "old_left": False,
                "changes_only": False,
                "title": "",
                "new_side": "left",
                "made": datetime.now().isoformat(timespec="seconds"),
            }
            await self._store_comparison(comp_id, (old.id, 0, new.id, 0), options, pair.name, comparison)
            detail["comparisons"].append({"name": pair.name, "id": comp_id, "summary": comparison.summary})
            await self._update(job_id, progress=0.75 + 0.25 * (k + 1) / len(pairs), detail=detail)

    def _import(self, archive: Path, out: Path, rec: FileRecord) -> None:
        """Store one converted file of a batch: its extraction, and a copy of the PDF for the page images."""
        if self.store.has_document(rec.sha256):
            return
        js = next(o for o in rec.outputs if o.endswith(".json"))
        result = ExtractResult.from_dict(json.loads((out / js).read_text(encoding="utf-8")))
        stored_name = f"{rec.sha256}.pdf"
        tmp = self.store.tmp / f"{stored_name}.part"
        shutil.copyfile(archive / rec.file, tmp)
        os.replace(tmp, self.store.files / stored_name)
        self.store.add_document(rec.sha256, rec.file, stored_name, result, (rec.organisation, rec.year, rec.kind))


def _file_row(rec: FileRecord) -> dict[str, Any]:
    return {
        "file": rec.file,
        "status": rec.status,
        "error": rec.error,
        "pages": rec.pages,
        "layout": rec.layout,
        "organisation": rec.organisation,
        "year": rec.year,
        "kind": rec.kind,
        "document": None,
    }


def report_config(options: dict[str, Any]) -> ReportConfig:
    made = options.get("made")
    return ReportConfig(
        title=options.get("title") or None, old_left=bool(options.get("old_left")), now=datetime.fromisoformat(made) if made else None
    )
