"""Every PDF producer the corpus is printed by: one registry, looked up by name."""

from __future__ import annotations

import importlib
import importlib.util
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .fonts import IPAEX, NOTO_CJK, missing_fonts
from .office import missing_soffice
from .truth import LAYOUTS, Job


def missing_module(module: str, package: str) -> str | None:
    return None if importlib.util.find_spec(module) else f"Python package {package} is not installed: pip install 'plandiff[samples]'"


def missing_program(program: str, package: str) -> str | None:
    return None if shutil.which(program) else f"{program} is not installed: apt-get install {package}"


@dataclass(frozen=True)
class Producer:
    """A PDF writer: what it needs, which layouts it can print, and the module whose ``render(job, out)`` prints one."""

    name: str
    needs: str
    layouts: tuple[str, ...]
    module: str
    checks: tuple[Callable[[], str | None], ...]

    def missing(self) -> str | None:
        """None when the producer can run here, else one line saying what to install."""
        return next((m for m in (check() for check in self.checks) if m), None)

    def render(self, job: Job, out: Path) -> None:
        importlib.import_module(f"{__package__}.{self.module}").render(job, out)


PRODUCERS: dict[str, Producer] = {
    p.name: p
    for p in (
        Producer(
            "reportlab",
            "reportlab (pip), fonts-ipaexfont",
            LAYOUTS,
            "reportlab_canvas",
            (lambda: missing_module("reportlab", "reportlab"), lambda: missing_fonts(*IPAEX.values())),
        ),
        Producer(
            "docx",
            "python-docx (pip), libreoffice-writer, fonts-ipaexfont",
            ("plan", "fieldtable", "sidebyside"),
            "docx_writer",
            (lambda: missing_soffice("libreoffice-writer"), lambda: missing_fonts(*IPAEX.values())),
        ),
        Producer(
            "chromium",
            "chromium, fonts-ipaexfont",
            LAYOUTS,
            "chromium_html",
            (lambda: missing_program("chromium", "chromium"), lambda: missing_fonts(*IPAEX.values())),
        ),
        Producer(
            "typst",
            "typst (pip; the compiler is in the wheel), fonts-ipaexfont, fonts-noto-cjk",
            LAYOUTS,
            "typst_doc",
            (lambda: missing_module("typst", "typst"), lambda: missing_fonts(*IPAEX.values(), NOTO_CJK["sans"])),
        ),
        Producer(
            "impress",
            "python-pptx (pip), libreoffice-impress, fonts-noto-cjk",
            ("slides",),
            "impress_deck",
            (
                lambda: missing_module("pptx", "python-pptx"),
                lambda: missing_soffice("libreoffice-impress"),
                lambda: missing_fonts(NOTO_CJK["sans"]),
            ),
        ),
        Producer(
            "ghostscript",
            "ghostscript, typst (pip), fonts-ipaexfont, fonts-noto-cjk (re-distills the typst print)",
            LAYOUTS,
            "ghostscript_pdfwrite",
            (
                lambda: missing_program("gs", "ghostscript"),
                lambda: missing_module("typst", "typst"),
                lambda: missing_fonts(*IPAEX.values(), NOTO_CJK["sans"]),
            ),
        ),
        Producer(
            "cairo",
            "poppler-utils, chromium, fonts-ipaexfont (re-prints the chromium print)",
            LAYOUTS,
            "cairo_pdf",
            (
                lambda: missing_program("pdftocairo", "poppler-utils"),
                lambda: missing_program("chromium", "chromium"),
                lambda: missing_fonts(*IPAEX.values()),
            ),
        ),
        Producer(
            "wkhtmltopdf",
            "wkhtmltopdf, fonts-ipaexfont (the chromium producer's HTML)",
            LAYOUTS,
            "wkhtml",
            (lambda: missing_program("wkhtmltopdf", "wkhtmltopdf"), lambda: missing_fonts(*IPAEX.values())),
        ),
    )
}


def installed() -> list[Producer]:
    """The producers that can run on this machine."""
    return [p for p in PRODUCERS.values() if p.missing() is None]
