"""The HTML report printed by a real browser: A4 landscape, header row on every page."""

from __future__ import annotations

import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import ROOT, SAMPLES

from pipeline import api
from reports.view import ReportConfig

sys.path.insert(0, str(ROOT / "bench"))
import render_html

pytestmark = pytest.mark.skipif(render_html.find_chromium() is None, reason="chromium is not installed")


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("render")
    html = d / "report.html"
    api.write_compare(
        api.compare(SAMPLES / "sample-r6.plan.pdf", SAMPLES / "sample-r7.plan.pdf"), html, report=ReportConfig(timestamp=False)
    )
    pdf = d / "report.pdf"
    render_html.to_pdf(html, pdf)
    return html, pdf


def test_printed_report_is_a4_landscape_with_the_header_row_on_every_page(printed):
    _, pdf_path = printed
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        assert len(pdf) >= 2
        for k, page in enumerate(pdf, 1):
            w, h = page.get_size()
            assert (round(w), round(h)) == (842, 595)
            text = page.get_textpage().get_text_range()
            assert "新（令和７年度）" in text and "旧（令和６年度）" in text and "備考" in text  # the header row
            # the title and the page number on every printed page
            assert "サンプル支部 令和７年度 事業計画 新旧対照表" in text and f"{k} / {len(pdf)}" in text
    finally:
        pdf.close()


def test_printed_report_keeps_the_markers_and_changed_numbers(printed):
    _, pdf_path = printed
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        text = "".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()
    for words in ("【新設】", "（削除）", "９５．８％ → ９６．５％", "番号変更 ③ → ②"):
        assert words in text


def test_screenshot_renders(printed, tmp_path):
    html, _ = printed
    png = tmp_path / "report.png"
    render_html.to_png(html, png, width=1200, height=900)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


def test_the_view_switches_come_back_from_the_url_hash_and_the_linked_row_is_marked(printed, tmp_path):
    import subprocess

    import lxml.html

    html, _ = printed
    exe = render_html.find_chromium()
    url = html.resolve().as_uri() + "#r12&changes-only"
    dom = subprocess.run(
        [exe, *render_html.FLAGS, f"--user-data-dir={tmp_path}", "--dump-dom", url], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    page = lxml.html.fromstring(dom)
    assert page.xpath("//body")[0].get("class") == "changes-only"
    assert "target" in page.xpath('//tr[@id="r12"]')[0].get("class").split()
