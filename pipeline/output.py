"""Atomic output: write a temporary file beside the target, then rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .exceptions import OutputError


def _mode_for(target: Path) -> int:
    """Keep an existing file's mode; a new file gets the usual 0666 less the umask (mkstemp makes 0600)."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def utf8(text: str) -> bytes:
    """UTF-8 bytes of any text: a lone surrogate (a stray byte of a name, half a pair from a PDF) written as ``\\udcXX``."""
    return text.encode("utf-8", "backslashreplace")


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one.

    A crash or Ctrl-C leaves no half-written file: the data goes to a
    temporary file in the same directory, is flushed to disk, then renamed.
    """
    target = Path(path)
    payload = utf8(data) if isinstance(data, str) else data
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    except OSError as e:
        raise OutputError(target, e.strerror or str(e)) from e
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException as e:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise OutputError(target, e.strerror or str(e)) from e
        raise
