"""Tasks run in worker processes that may die.

A PDF library can abort the process reading a file (SIGABRT, SIGSEGV, the
kernel's OOM killer).  Every task therefore runs in a worker process, even
with one job: each worker holds one task at a time, so a dead worker names
the task that killed it.  That task is tried once more in a fresh worker; a
second death is reported through ``on_crash`` and the other tasks go on.
A task over its time budget has its worker killed (``on_timeout``).

Workers die with the batch: on Linux the kernel kills them when their parent
exits (``PR_SET_PDEATHSIG``), elsewhere a watchdog thread notices the parent
is gone.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Generic, TypeVar

from .collector import collect_seldom

T = TypeVar("T")
R = TypeVar("R")

ATTEMPTS = 2  # a task whose worker died this many times is given up
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _serve(fn: Callable[[T], R], conn: Connection, parent: int) -> None:
    """A worker's life: one task at a time until told to stop or the parent goes away."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    collect_seldom()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(fn(task))


@dataclass(slots=True)
class _Worker(Generic[T]):
    proc: BaseProcess
    conn: Connection
    task: tuple[int, T] | None = None
    started: float = 0.0


def run_isolated(
    fn: Callable[[T], R],
    tasks: list[T],
    *,
    jobs: int,
    on_crash: Callable[[T, str], R],
    on_timeout: Callable[[T, float], R] | None = None,
    timeout: float | None = None,
) -> Iterator[R]:
    """``fn`` over ``tasks`` in ``jobs`` worker processes; results in completion order.

    ``fn`` must be a module-level function that never raises.  Closing the
    iterator (or Ctrl-C in the caller) kills the workers.
    """
    if not tasks:
        return
    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing of the parent's PDF state is shared
    queue: deque[tuple[int, T]] = deque(enumerate(tasks))
    deaths = [0] * len(tasks)
    workers: list[_Worker[T]] = []

    def start() -> _Worker[T]:
        ours, theirs = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(fn, theirs, os.getpid()), daemon=True, name="plandiff-worker")
        proc.start()
        theirs.close()  # so that our end sees EOF when the worker dies
        return _Worker(proc, ours)

    def assign() -> None:
        for k, w in enumerate(workers):
            while w.task is None and queue:
                w.task = queue.popleft()
                w.started = time.monotonic()
                try:
                    w.conn.send(w.task[1])
                except OSError:  # died while idle: the task never started
                    queue.appendleft(w.task)
                    w.conn.close()
                    w = workers[k] = start()

    try:
        workers.extend(start() for _ in range(min(jobs, len(tasks))))
        assign()
        while busy := [w for w in workers if w.task is not None]:
            wait_for = None
            if timeout is not None:
                wait_for = max(0.0, min(w.started + timeout for w in busy) - time.monotonic()) + 0.05
            ready = wait([w.conn for w in busy], timeout=wait_for)
            for w in busy:
                assert w.task is not None
                index, task = w.task
                if w.conn in ready:
                    try:
                        result: R = w.conn.recv()
                    except (EOFError, OSError):
                        w.proc.join(5)
                        deaths[index] += 1
                        if deaths[index] < ATTEMPTS:
                            queue.appendleft((index, task))
                        else:
                            yield on_crash(task, _how_it_died(w.proc.exitcode))
                        _replace(workers, w, start)
                        continue
                    w.task = None
                    yield result
                elif timeout is not None and time.monotonic() - w.started > timeout:
                    w.proc.kill()
                    w.proc.join(5)
                    yield on_timeout(task, timeout) if on_timeout else on_crash(task, f"killed after {timeout:g} s")
                    _replace(workers, w, start)
            assign()
    finally:
        for w in workers:
            if w.task is None and w.proc.is_alive():
                with contextlib.suppress(OSError):
                    w.conn.send(None)
            else:
                w.proc.kill()
        for w in workers:
            w.proc.join(5)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join(1)
            w.conn.close()


def _replace(workers: list[_Worker[T]], dead: _Worker[T], start: Callable[[], _Worker[T]]) -> None:
    dead.conn.close()
    workers[workers.index(dead)] = start()


def _how_it_died(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit code {exitcode}"
