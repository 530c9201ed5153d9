"""A progress line on stderr, redrawn in place: files of a batch, its comparisons, pages of one big PDF."""

from __future__ import annotations

import sys
import time
from typing import Any

from .i18n import N_, _


class Progress:
    """``files 3/10 · 57 pages · 12.3 pages/s · ETA 0:05`` (in the user's language).

    ``label`` is a catalogue message (``N_("files")``) or a file name;
    ``count_pages`` adds the pages and the rate (batch files, whose sizes differ).
    """

    def __init__(self, total: int, *, enabled: bool, stream: Any = None, label: str = N_("files"), count_pages: bool = True) -> None:
        self.total = total
        self.enabled = enabled and total > 0
        self.stream = stream or sys.stderr
        self.label = label
        self.count_pages = count_pages
        self.done = 0
        self.pages = 0
        self.t0 = time.perf_counter()

    def update(self, pages: int | None = None) -> None:
        self.done += 1
        self.pages += pages or 0
        if not self.enabled:
            return
        dt = max(time.perf_counter() - self.t0, 1e-6)
        left = int((self.total - self.done) * dt / self.done)
        fields = {"label": _(self.label), "done": self.done, "total": self.total, "eta": f"{left // 60}:{left % 60:02d}"}
        if self.count_pages:
            line = _("{label} {done}/{total} · {pages} pages · {rate:.1f} pages/s · ETA {eta}").format(
                pages=self.pages, rate=self.pages / dt, **fields
            )
        else:
            line = _("{label} {done}/{total} · ETA {eta}").format(**fields)
        self.stream.write("\r" + line.ljust(72))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.done:
            self.stream.write("\n")
            self.stream.flush()
