"""Checks made before a file is given to a PDF library: that it is a regular file we may read.

A FIFO named ``plan.pdf`` would block a reader forever and a device would
feed it without end; a file we may not read is not "not a PDF".
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from pipeline.exceptions import NotAPdfError, UnreadableFileError

_KINDS = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFSOCK: "a socket"}


def check_regular_file(path: str | Path) -> None:
    """Raise unless ``path`` is a regular file whose first byte can be read."""
    try:
        st = os.stat(path)
    except FileNotFoundError as e:
        raise NotAPdfError(path, "no such file") from e
    except OSError as e:
        raise UnreadableFileError(path, e.strerror or str(e)) from e
    if not stat.S_ISREG(st.st_mode):
        kind = _KINDS.get(stat.S_IFMT(st.st_mode), "a device")
        raise NotAPdfError(path, f"{kind}, not a regular file")
    try:
        with open(path, "rb") as f:
            f.read(1)
    except OSError as e:
        raise UnreadableFileError(path, e.strerror or str(e)) from e
