"""cairo's PDF surface re-printing the Chromium print (``pdftocairo -pdf``), as GTK applications, Inkscape and Evince's print to file do.

    apt-get install poppler-utils chromium fonts-ipaexfont

Poppler draws each page onto a cairo PDF surface: the fonts are re-subset
(CFF and TrueType alike, under cairo's own names and encodings), text is
written as glyph runs positioned one by one, and every cell edge Chromium
filled as a rectangle is a path cairo writes in its own coordinates.
"""

from __future__ import annotations

from pathlib import Path

from .redistill import redistill
from .truth import Job

BASE = "chromium"


def command(src: Path, out: Path) -> list[str]:
    return ["pdftocairo", "-pdf", str(src), str(out)]


def render(job: Job, out: Path) -> None:
    redistill(BASE, job, out, command)
