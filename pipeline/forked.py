"""One call run in a forked child while this process goes on with other work.

``compare`` reads the old plan in a child while it reads the new one.  A bare
``os.fork`` and a pipe do it without what ``multiprocessing`` costs a
command that forks once: its import (20 ms before the fork), a management
thread, and waiting for the child's interpreter to tear down its heap.  The
child sends its pickled result through the pipe and leaves with
``os._exit``; any failure there (an exception, a crash, a kill) reaches the
parent as ``None``, for it to do the work itself.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from collections.abc import Callable
from typing import Generic, TypeVar

R = TypeVar("R")


class Forked(Generic[R]):
    """``fn(*args)`` started in a forked child; :meth:`result` waits for it, :meth:`close` ends it.

    >>> with Forked(sum, [1, 2, 3]) as child:
    ...     child.result()
    6
    """

    def __init__(self, fn: Callable[..., R], *args: object) -> None:
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            try:
                os.close(read)
                payload = pickle.dumps(fn(*args), pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(payload)
            finally:
                os._exit(0)  # no teardown of the copied heap, no atexit handlers of the parent's
        os.close(write)
        self._pipe = os.fdopen(read, "rb")

    def result(self) -> R | None:
        """The child's return value, or ``None`` when it failed or died."""
        try:
            data = self._pipe.read()
            return pickle.loads(data) if data else None
        except Exception:  # a child killed halfway leaves a truncated pickle
            return None
        finally:
            self.close()

    def close(self) -> None:
        """End the child if it still runs, and reap it."""
        if self.pid:
            self._pipe.close()
            with contextlib.suppress(ProcessLookupError):  # gone already
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0

    def __enter__(self) -> Forked[R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
