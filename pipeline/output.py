"""Atomic output: write temporary files beside the targets, then rename them."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .exceptions import OutputError, OutputIsDirectoryError
from .i18n import N_


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


def check_writable(path: str | Path) -> None:
    """Refuse, before any work, a destination that cannot be written (a directory, a file as parent, no permission)."""
    target = Path(path)
    if target.is_dir():
        raise OutputIsDirectoryError(target)
    parent = target.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(target, N_("a parent of it is a file, not a directory"))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(target, N_("permission denied"))


def _temporary(target: Path, payload: bytes) -> str:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as e:
        raise OutputError(target, e.strerror or str(e)) from e
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode_for(target))
    except BaseException as e:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise OutputError(target, e.strerror or str(e)) from e
        raise
    return tmp


def write_all_atomic(items: Sequence[tuple[str | Path, str | bytes]]) -> None:
    """Write every ``(path, data)`` so that readers see all the old files or all the new ones.

    Each file goes to a temporary file in its own directory and is flushed to
    disk; only when every one is written are they renamed into place.  A crash,
    Ctrl-C or a destination that cannot be written leaves no file behind.
    """
    done: list[tuple[str, Path]] = []
    try:
        for path, data in items:
            target = Path(path)
            if target.is_dir():
                raise OutputIsDirectoryError(target)
            done.append((_temporary(target, utf8(data) if isinstance(data, str) else data), target))
        for tmp, target in done:
            try:
                os.replace(tmp, target)
            except OSError as e:
                raise OutputError(target, e.strerror or str(e)) from e
    finally:
        for tmp, _ in done:
            Path(tmp).unlink(missing_ok=True)


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one."""
    write_all_atomic([(path, data)])
