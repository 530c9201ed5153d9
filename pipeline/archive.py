"""What lies below an archive folder: the PDFs to read, and every other ``*.pdf`` with the reason it is not read.

The walk never blocks and never loops: it does not open anything (a FIFO
named ``plan.pdf`` is reported, not read), follows a symbolic link to a
folder only once (a link loop is reported), and leaves out the output
directory when it lies inside the archive.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Entry:
    rel: str  # relative to the archive, "/"-separated; may hold surrogate escapes
    path: Path
    problem: str = ""  # why it is not read ("" for a PDF to read)
    failed: bool = False  # a problem to fix (a folder that cannot be listed), not one to note


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe), not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    return "not a regular file"


def scan_archive(archive: Path, out: Path) -> list[Entry]:
    """Every ``*.pdf`` (any case) below ``archive`` in path order, each a PDF to read or a problem."""
    try:
        skip = os.stat(out)
        skip_id = (skip.st_dev, skip.st_ino)
    except OSError:
        skip_id = None
    root = os.stat(archive)
    seen = {(root.st_dev, root.st_ino)}
    found: list[Entry] = []

    def walk(folder: Path, prefix: str) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as err:
            found.append(Entry(prefix.rstrip("/") or ".", folder, f"the folder cannot be listed ({err.strerror})", failed=True))
            return
        for item in entries:
            rel, path = prefix + item.name, Path(item.path)
            is_pdf = item.name.lower().endswith(".pdf")
            link = item.is_symlink()
            try:
                st = os.stat(path)  # follows links
            except OSError as err:
                if is_pdf or link:
                    if not link:
                        found.append(Entry(rel, path, f"cannot be examined ({err.strerror})", failed=True))
                    elif is_pdf or err.errno == errno.ELOOP:
                        why = "a symbolic link loop" if err.errno == errno.ELOOP else "a dangling symbolic link (its target is missing)"
                        found.append(Entry(rel, path, why))
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key == skip_id:
                    continue  # our own output directory
                if key in seen:
                    if is_pdf or link:
                        found.append(Entry(rel, path, "a symbolic link loop (a folder already read)"))
                    continue
                if is_pdf:
                    found.append(Entry(rel, path, "a folder named *.pdf"))
                seen.add(key)
                walk(path, rel + "/")
            elif is_pdf:
                found.append(Entry(rel, path) if stat.S_ISREG(st.st_mode) else Entry(rel, path, _kind(st.st_mode)))

    walk(archive, "")
    return found
