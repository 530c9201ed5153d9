"""A call in a forked child: its result, or None whatever went wrong there, and no child left behind."""

from __future__ import annotations

import os
import signal
import time

import pytest

from pipeline.forked import Forked

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


def _raise() -> None:
    raise RuntimeError("in the child")


def test_the_child_s_result_comes_back_through_the_pipe():
    with Forked(lambda n: list(range(n)), 100_000) as child:  # more than a pipe's buffer
        assert child.result() == list(range(100_000))


@pytest.mark.parametrize("fn", [_raise, lambda: os.kill(os.getpid(), signal.SIGKILL), lambda: os._exit(3)])
def test_a_child_that_fails_or_dies_gives_none(fn):
    child = Forked(fn)
    assert child.result() is None
    assert child.pid == 0


def test_closing_ends_a_child_still_at_work_and_reaps_it():
    child = Forked(time.sleep, 30)
    pid = child.pid
    t = time.monotonic()
    child.close()
    assert time.monotonic() - t < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
