"""wkhtmltopdf: the HTML the Chromium producer builds, printed by QtWebKit (another browser engine and Qt's PDF writer).

    apt-get install wkhtmltopdf fonts-ipaexfont

The page is ``chromium_html.document(job)``; what differs is the engine: Qt
writes the PDF (TrueType subsets as its own CID fonts, cell borders as Qt
paths), WebKit lays it out, and the CSS page-margin boxes (running title,
page numbers) are not printed.  Debian's build runs on an unpatched Qt, so
the page size and margins come from the command line, not from ``@page``;
``QT_QPA_PLATFORM=offscreen`` needs no X server.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from .chromium_html import document
from .truth import Job

#: (page width, page height, top, right, bottom, left) in mm, as the Chromium print's @page rules
PAGES = {
    "slides": ("338.67mm", "190.5mm", "0", "0", "0", "0"),
    "sidebyside": ("297mm", "210mm", "20mm", "18mm", "18mm", "20mm"),
}
#: Qt prints WebKit's CSS page at about 0.77 of its size (and the unpatched Qt ignores ``--zoom``): a CSS zoom undoes that, so
#: 10.5pt prints as about 10.5 pt and a 540pt slide fills its page
ZOOM = "<style>html { zoom: 1.3; }</style></head>"
PORTRAIT = ("210mm", "297mm", "20mm", "18mm", "18mm", "20mm")


def command(job: Job, page: Path, out: Path) -> list[str]:
    width, height, top, right, bottom, left = PAGES.get(job.layout, PORTRAIT)
    return [
        "wkhtmltopdf",
        "--quiet",
        "--enable-local-file-access",
        "--encoding", "utf-8",
        "--page-width", width,
        "--page-height", height,
        "-T", top, "-R", right, "-B", bottom, "-L", left,
        "--disable-smart-shrinking",
        "--title", job.title,
        str(page),
        str(out),
    ]  # fmt: skip


def render(job: Job, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(document(job).replace("</head>", ZOOM, 1), encoding="utf-8")
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": tmp}
        subprocess.run(command(job, page, out), check=True, capture_output=True, timeout=300, env=env)
