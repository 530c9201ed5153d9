"""Render comparison reports in headless Chromium (PNG + PDF), to look at them as a person would.

    python bench/render_html.py [OUT_DIR]

Writes, for the bundled samples and (when ../shared/corpus is beside the
checkout) the Kanagawa r6 → r7 pair: the HTML report, a screenshot of the
screen view, a screenshot of the changes-only view and the printed PDF
(A4 landscape).  Needs Debian's ``chromium`` package.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium(*args: str, timeout: float = 120) -> None:
    exe = find_chromium()
    if exe is None:
        raise FileNotFoundError("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([exe, *FLAGS, f"--user-data-dir={profile}", *args], check=True, capture_output=True, timeout=timeout)


def to_pdf(html: Path, pdf: Path) -> None:
    chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.resolve().as_uri())


def to_png(html: Path, png: Path, *, width: int = 1400, height: int = 1800, fragment: str = "") -> None:
    chromium(f"--window-size={width},{height}", f"--screenshot={png}", html.resolve().as_uri() + fragment)


def main(argv: list[str] | None = None) -> int:
    from pipeline import api
    from reports.config import ReportConfig

    out = Path((argv or sys.argv[1:] or ["out/render"])[0])
    out.mkdir(parents=True, exist_ok=True)
    corpus = ROOT.parent / "shared" / "corpus" / "pdf" / "split"
    pairs = [("sample", ROOT / "samples" / "sample-r6.plan.pdf", ROOT / "samples" / "sample-r7.plan.pdf")]
    if corpus.exists():
        pairs.append(("kanagawa", corpus / "kanagawa-r6.plan.docx.pdf", corpus / "kanagawa-r7.plan.docx.pdf"))
    for name, old, new in pairs:
        html = out / f"{name}.html"
        api.write_compare(api.compare(old, new), html, report=ReportConfig(timestamp=False))
        to_png(html, out / f"{name}.png")
        to_png(html, out / f"{name}-changes-only.png", fragment="#changes-only")
        to_pdf(html, out / f"{name}.pdf")
        print("wrote", html, out / f"{name}.png", out / f"{name}-changes-only.png", out / f"{name}.pdf")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
