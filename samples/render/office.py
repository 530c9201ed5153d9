"""LibreOffice in headless mode: .docx (Writer) and .pptx (Impress) to PDF.

apt-get install libreoffice-writer libreoffice-impress
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .truth import Job


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


#: the library each LibreOffice application brings, to tell whether it is installed
APPLICATIONS = {"libreoffice-writer": "libswlo.so", "libreoffice-impress": "libPresenterScreenlo.so"}


def missing_soffice(package: str) -> str | None:
    """None when LibreOffice and the application of Debian ``package`` are installed, else what to install."""
    exe = find_soffice()
    if exe and (Path(exe).resolve().parent / APPLICATIONS[package]).exists():
        return None
    return f"LibreOffice is not installed with {package}: apt-get install {package}"


def convert_to_pdf(src: Path, out: Path, *, timeout: float = 300) -> None:
    """``src`` (.docx or .pptx) printed to ``out`` by LibreOffice, with a throwaway profile (no lock shared with a running office)."""
    exe = find_soffice()
    if exe is None:
        raise FileNotFoundError("LibreOffice is not installed (apt-get install libreoffice-writer libreoffice-impress)")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        subprocess.run(
            [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(src)],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        shutil.move(str(Path(tmp) / f"{src.stem}.pdf"), out)


def print_document(build: Callable[[Job, Path], None], job: Job, out: Path, *, suffix: str) -> None:
    """Build ``job`` as an office document (``suffix``: .docx, .pptx) in a temporary folder and print it to ``out``."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{out.stem}{suffix}"
        build(job, src)
        convert_to_pdf(src, out)
