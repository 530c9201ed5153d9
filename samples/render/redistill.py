"""Re-printing: one producer's print run through another PDF writer, as "print to PDF" drivers and viewers do."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from .truth import Job


def redistill(base: str, job: Job, out: Path, command: Callable[[Path, Path], list[str]]) -> None:
    """Print ``job`` with the producer ``base``, then write ``out`` from that PDF with ``command(src, out)``."""
    from .registry import PRODUCERS

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "base.pdf"
        PRODUCERS[base].render(job, src)
        subprocess.run(command(src, out), check=True, capture_output=True, timeout=300)
