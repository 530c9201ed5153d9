"""An uploaded zip of plans, unpacked safely inside the data directory for a batch."""

from __future__ import annotations

import secrets
import shutil
import zipfile
from pathlib import Path, PurePosixPath

from pipeline.exceptions import ArchiveError
from pipeline.i18n import N_

MAX_MEMBERS = 5000


def member_path(name: str) -> PurePosixPath | None:
    """Where a zip member goes below the unpack folder: no absolute paths, drives or ``..``; None to skip.

    >>> member_path("../../etc/令和７年度.PDF"), member_path("C:\\\\x\\\\a.pdf"), member_path("notes.txt")
    (PurePosixPath('etc/令和７年度.PDF'), PurePosixPath('x/a.pdf'), None)
    """
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("", ".", "..", "/") and not p.endswith(":")]
    if not parts or not parts[-1].lower().endswith(".pdf"):
        return None
    return PurePosixPath(*parts)


def unpack_zip(path: Path, name: str, tmp: Path, *, limit: int) -> Path:
    """The PDFs of a zip under a new folder in ``tmp``; refused when not a zip or larger than ``limit`` unpacked."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise ArchiveError(name, N_("not a zip file")) from e
    dest = tmp / f"zip-{secrets.token_hex(8)}"
    with zf:
        members = [(info, rel) for info in zf.infolist() if not info.is_dir() and (rel := member_path(info.filename)) is not None]
        if not members:
            raise ArchiveError(name, N_("the zip holds no PDF"))
        if len(members) > MAX_MEMBERS or sum(i.file_size for i, _ in members) > limit:
            raise ArchiveError(name, f"more than {MAX_MEMBERS} files or {limit // 1024 // 1024} MB unpacked")
        try:
            for info, rel in members:
                target = dest / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as e:
            shutil.rmtree(dest, ignore_errors=True)
            raise ArchiveError(name, f"cannot unpack ({e})") from e
    return dest
