"""OCR of the pages that need it: a scanned page among printed ones, a forced page, Tesseract missing.

Each test OCRs at most one page (seconds); the whole scanned plan is scored
by bench/ocr.py.  Tesseract is required in CI (.ci/run installs it); on a
machine without it these tests skip.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest
from conftest import DATA, SAMPLES
from rapidfuzz import fuzz

from extractors import ExtractConfig
from extractors.ocr import _mended, heavier_lines
from pipeline import cli
from pipeline.api import extract
from pipeline.batch import BatchConfig, run_batch
from pipeline.exceptions import OcrUnavailableError
from pipeline.model import normalize_text

TL = DATA / "textlayer"

if shutil.which("tesseract") is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI must have Tesseract: apt-get install tesseract-ocr tesseract-ocr-jpn")
    pytest.skip("Tesseract is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def mixed():
    return extract(TL / "scanned-page3.pdf")


@pytest.fixture(scope="module")
def printed():
    return extract(SAMPLES / "sample-r7.plan.pdf")


def page_text(result, page):
    blocks = [b for b in result.documents[0].blocks if b.page == page]
    return normalize_text("".join(b.label + b.text + "".join("".join(r) for r in b.rows) for b in blocks))


def test_the_scanned_page_alone_is_read_by_ocr(mixed):
    reports = {r.page: r for r in mixed.text_layer}
    assert [(p, r.text_layer, r.source) for p, r in reports.items()] == [
        (1, "ok", "text"),
        (2, "ok", "text"),
        (3, "no_text", "ocr"),
        (4, "ok", "text"),
    ]
    assert reports[3].confidence is not None and 0.5 < reports[3].confidence <= 1
    assert mixed.ocr_pages == (3,) and mixed.refused_pages == ()
    assert mixed.warnings == ("page 3: no text layer (1 image(s) and no characters); read by OCR",)
    blocks = mixed.documents[0].blocks
    assert {b.source for b in blocks if b.page != 3} == {"text"}
    ocr = [b for b in blocks if b.page == 3]
    assert ocr and all(b.source == "ocr" and b.confidence is not None and 0 < b.confidence <= 1 for b in ocr)
    d = ocr[0].to_dict()
    assert d["source"] == "ocr" and d["confidence"] == ocr[0].confidence


def test_printed_pages_read_as_printed_and_the_scanned_one_close_to_it(mixed, printed):
    mine = [b for b in mixed.documents[0].blocks if b.page in (1, 2)]
    theirs = [b for b in printed.documents[0].blocks if b.page in (1, 2)]
    assert [(b.kind, b.label, b.text) for b in mine] == [(b.kind, b.label, b.text) for b in theirs]
    scanned = normalize_text(
        "".join(b.label + b.text + "".join("".join(r) for r in b.rows) for b in mixed.documents[0].blocks if b.page == 3)
    )
    truth = normalize_text(
        "".join(b.label + b.text + "".join("".join(r) for r in b.rows) for b in printed.documents[0].blocks if b.page == 3)
    )
    assert fuzz.ratio(scanned, truth) >= 85
    assert "59.8%61.1%62.4%" in scanned and "18.2%20.5%22.0%" in scanned
    # the ruled KPI table found in the image is a table again
    table = next(b for b in mixed.documents[0].blocks if b.page == 3 and b.kind == "table")
    assert [normalize_text(c) for c in table.rows[0]] == ["項目", "令和5年度", "令和6年度", "KPI"] and len(table.rows) == 4


def test_a_scanned_page_of_headings_and_kpis_tells_its_headings_from_its_body():
    """Half its lines are headings and KPIs in ゴシック, so its median line is no body line."""
    blocks = extract(TL / "scanned-headings.pdf").documents[0].blocks
    headings = [(b.level, b.label, b.text) for b in blocks if b.kind == "heading"]
    assert headings[:5] == [
        (1, "2.", "健康づくりと医療費の適正化"),
        (2, "(1)", "健診の受診促進"),
        (3, "①", "生活習慣病予防健診"),
        (4, "i)", "事業所への働きかけ"),
        (4, "ii)", "被扶養者の受診"),
    ]
    assert (3, "②", "特定保健指導") in headings and (2, "(2)", "医療費の適正化") in headings
    assert not [b for b in blocks if b.kind == "heading" and b.label == "・"]
    assert [b.kind for b in blocks if b.label.startswith("■")] == ["kpi"] * 3


def test_lines_heavier_than_the_body_are_told_on_a_page_of_one_face_or_of_two():
    body = {f"b{k}": 0.050 + 0.001 * (k % 3) for k in range(6)}
    assert heavier_lines(body) == set()
    assert heavier_lines(body | {"h": 0.062}) == {"h"}
    heavy = {f"h{k}": 0.068 + 0.001 * (k % 2) for k in range(7)}  # more heavy lines than body lines
    assert heavier_lines(body | heavy) == set(heavy)


def test_what_tesseract_misreads_in_a_plans_marks_is_mended_character_for_character():
    assert _mended(["■KPl:2)郵送", "による"]) == ["■KPI:2)郵送", "による"]
    assert _mended(["【重要度:高]"]) == ["【重要度:高】"] and _mended(["[困難度:高】", "lCT"]) == ["【困難度:高】", "ICT"]
    assert _mended(["窓|での", "Helpdesk"]) == ["窓|での", "Helpdesk"]


def test_ocr_force_reads_a_printed_page_from_its_image():
    result = extract(TL / "sound.pdf", config=ExtractConfig(ocr="force"))
    blocks = result.documents[0].blocks
    assert normalize_text("".join(b.label + b.text for b in blocks)) == normalize_text(
        "１．基本業務の確実な遂行届出や申請の処理を正確に行う。"
    )
    assert {b.source for b in blocks} == {"ocr"} and result.text_layer[0].source == "ocr"


def test_a_missing_language_model_names_the_debian_packages():
    with pytest.raises(OcrUnavailableError, match="tesseract-ocr tesseract-ocr-jpn"):
        extract(TL / "scanned-page3.pdf", config=ExtractConfig(ocr_lang="zzz"))


def test_without_tesseract_the_cli_says_which_packages_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine where Debian's tesseract-ocr is not installed
    src = tmp_path / "scan.pdf"
    shutil.copy(TL / "scanned-page3.pdf", src)
    assert cli.main(["extract", str(src), "-o", str(tmp_path / "out.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(src) in err and "tesseract-ocr tesseract-ocr-jpn" in err and "--ocr off" in err
    assert cli.main(["extract", str(TL / "sound.pdf")]) == 0  # a sound PDF needs no OCR


def test_batch_marks_files_with_pages_left_out_or_ocr_missing(tmp_path, monkeypatch):
    archive = tmp_path / "archive"
    archive.mkdir()
    for name in ("scanned-page3.pdf", "garbled-page2.pdf", "sound.pdf"):
        shutil.copy(TL / name, archive / name)
    out = tmp_path / "out"
    result = run_batch(archive, out, config=BatchConfig(jobs=1, extract=ExtractConfig(ocr="off")))
    status = {r.file: (r.status, r.ocr_pages, r.refused_pages) for r in result.files}
    assert status == {"garbled-page2.pdf": ("partial", (), (2,)), "scanned-page3.pdf": ("partial", (), (3,)), "sound.pdf": ("ok", (), ())}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {f["file"]: f["refused_pages"] for f in manifest["files"]}["scanned-page3.pdf"] == [3]
    assert "読めない頁: 3" in (out / "index.html").read_text(encoding="utf-8")
    rows = (out / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].endswith(",ocr_pages,refused_pages") and rows[2].startswith("scanned-page3.pdf,") and rows[2].endswith(",,3")
    # without Tesseract the file that needs it fails with the reason; the others go on
    monkeypatch.setenv("PATH", str(tmp_path))
    again = run_batch(archive, tmp_path / "out2", config=BatchConfig(jobs=1))
    status = {r.file: r.status for r in again.files}
    assert status == {"garbled-page2.pdf": "failed", "scanned-page3.pdf": "failed", "sound.pdf": "ok"}
    assert all("tesseract-ocr tesseract-ocr-jpn" in r.error for r in again.failed)


def _headings(result):
    return [(b.level, b.text) for b in result.documents[0].blocks if b.kind == "heading"]


def test_another_programs_ocr_layer_is_read_again_from_the_scan(tmp_path, monkeypatch):
    # Tesseract's own searchable PDF: the scan with its reading as invisible text, word boxes and sizes approximate
    result = extract(TL / "ocr-layer.pdf")
    (report,) = result.text_layer
    assert (report.text_layer, report.source) == ("ocr_layer", "ocr") and "invisible text" in report.reason
    assert result.warnings[0].startswith("page 1: OCR text layer (") and result.warnings[0].endswith("read by OCR")
    assert (1, "基本業務の確実な遂行") in _headings(result)
    # without Tesseract the layer is read as it is, without its program's word spaces, rather than refused
    monkeypatch.setenv("PATH", str(tmp_path))
    as_is = extract(TL / "ocr-layer.pdf")
    assert as_is.text_layer[0].source == "text" and "with Tesseract installed" in as_is.warnings[0]
    text = "".join(b.text for b in as_is.documents[0].blocks)
    assert "地域の健康づくりと保険運営の安定に取り組む" in text


def test_a_page_larger_than_a3_is_rendered_for_ocr_no_larger_than_a3_at_300_dpi():
    from extractors.ocr import render_scale

    assert render_scale(595, 842, 300) == 300 / 72  # A4 and A3 as asked
    assert render_scale(1191, 842, 300) == pytest.approx(300 / 72, rel=1e-3)
    # a scan that lost its resolution (a point a pixel), and a 200-inch MediaBox
    assert 2480 * render_scale(2480, 3508, 300) < 3600 and 14400 * render_scale(14400, 14400, 300) <= 4961


def test_text_printed_as_outlines_is_read_by_ocr():
    # no characters and no image, only glyph shapes (Ghostscript's -dNoOutputFonts, as design tools export)
    result = extract(TL / "outlined.pdf")
    assert [(r.text_layer, r.source) for r in result.text_layer] == [("no_text", "ocr")]
    first = result.documents[0].blocks[0]
    assert (first.kind, first.label, first.text) == ("heading", "1.", "基本業務の確実な遂行")
