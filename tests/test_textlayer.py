"""Every kind of unsound text layer gets its verdict, page by page; what is kept is clean.

The PDFs are made by tests/data/make_text_layers.py (raw fonts without a
Unicode map, bullets in symbol fonts, Chromium's shared glyphs and vertical
writing, a scanned page, a scan with Tesseract's invisible reading over it,
a page whose text was printed as shapes).
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import DATA, SAMPLES

from extractors import ExtractConfig
from extractors.glyphs import UCD_FILE, read_equivalents
from extractors.radicals import SUPPLEMENT
from extractors.sources import open_source
from extractors.textlayer import judge_page
from pipeline import cli
from pipeline.api import extract, render_extract
from pipeline.exceptions import GarbledTextError, NoTextLayerError, OcrTextLayerError, VerticalTextError
from pipeline.model import ExtractResult

TL = DATA / "textlayer"
OFF = ExtractConfig(ocr="off")
UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd]")

VERDICTS = [
    ("sound.pdf", 1, "ok", ""),
    ("no-tounicode.pdf", 1, "garbled", "control, private-use"),
    ("non-unicode-cmap.pdf", 1, "garbled", "control, private-use"),
    ("latin1-mojibake.pdf", 1, "garbled", "Latin-1"),
    ("digits-as-symbols.pdf", 1, "garbled", "where digits should"),
    ("radicals.pdf", 1, "ok", ""),
    ("vertical.pdf", 1, "vertical", ""),
    ("mixed-writing.pdf", 1, "vertical", "cannot be read in order"),
    ("garbled-page2.pdf", 1, "ok", ""),
    ("garbled-page2.pdf", 2, "garbled", "control"),
    ("scanned-page3.pdf", 2, "ok", ""),
    ("scanned-page3.pdf", 3, "no_text", "image"),
    ("ocr-layer.pdf", 1, "ocr_layer", "invisible text laid over an image"),
    ("symbol-bullets.pdf", 1, "ok", ""),
    ("outlined.pdf", 1, "no_text", "text printed as outlines"),
    ("latin-map.pdf", 1, "garbled", "full em wide"),
]


@pytest.mark.parametrize("source", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize(("name", "page", "verdict", "words"), VERDICTS, ids=[f"{v[0]}:{v[1]}" for v in VERDICTS])
def test_each_page_gets_its_verdict(name, page, verdict, words, source):
    if (name, source) == ("non-unicode-cmap.pdf", "pdfplumber"):
        # pdfminer drops codes it cannot map: no characters at all, and the file is refused as such
        with pytest.raises(NoTextLayerError, match="no characters"):
            extract(TL / name, config=ExtractConfig(source=source, ocr="off"))
        return
    if (name, source) == ("ocr-layer.pdf", "pdfplumber"):
        verdict, words = "ok", ""  # pdfminer does not keep the text render mode: the invisible layer reads as print
    src = open_source(TL / name, source=source)
    try:
        report = judge_page(list(src.pages())[page - 1])
    finally:
        src.close()
    assert (report.text_layer, words in report.reason) == (verdict, True), report


def test_the_cid_spelling_of_pdfminer_is_garbled_too():
    src = open_source(DATA / "bad" / "cid-garbage.pdf", source="pdfplumber")
    assert judge_page(next(src.pages())).text_layer == "garbled"


def test_a_garbled_page_is_left_out_the_rest_is_read():
    result = extract(TL / "garbled-page2.pdf", config=OFF)
    assert {b.page for b in result.documents[0].blocks} == {1}
    assert [(r.page, r.text_layer, r.source) for r in result.text_layer] == [(1, "ok", "text"), (2, "garbled", "none")]
    assert result.warnings == (
        "page 2: garbled text layer (22 of 22 characters are control, private-use or unmapped codes);"
        " left out (--ocr auto reads such pages)",
    )
    data = json.loads(render_extract(result))
    assert data["text_layer"][1] == {"page": 2, "text_layer": "garbled", "reason": data["text_layer"][1]["reason"], "source": "none"}
    assert ExtractResult.from_dict(data).text_layer == result.text_layer  # the model round-trips the verdicts


@pytest.mark.parametrize("name", [*sorted(p.name for p in TL.glob("*.pdf")), "../bad/cid-garbage.pdf"])
def test_no_output_holds_control_private_use_or_replacement_characters(name):
    try:
        result = extract(TL / name, config=OFF)
    except (GarbledTextError, NoTextLayerError, VerticalTextError):
        return  # nothing readable: refused whole, nothing written
    assert not UNREADABLE.search(render_extract(result)) and not UNREADABLE.search(render_extract(result, "md"))


def test_a_wholly_garbled_pdf_is_refused_naming_the_page():
    with pytest.raises(GarbledTextError, match=r"no-tounicode\.pdf.*page 1: 22 of 22 characters"):
        extract(TL / "no-tounicode.pdf", config=OFF)


def test_strict_refuses_any_page_that_is_not_sound(tmp_path, capsys):
    with pytest.raises(GarbledTextError, match="page 2"):
        extract(TL / "garbled-page2.pdf", config=ExtractConfig(ocr="off", strict=True))
    src = tmp_path / "scan.pdf"
    shutil.copy(TL / "scanned-page3.pdf", src)
    assert cli.main(["extract", str(src), "--strict", "-o", str(tmp_path / "out.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "page 3" in err and "no text layer" in err
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("source", ["pdfium", "pdfplumber"])
def test_shared_glyph_radicals_are_folded_with_or_without_actualtext(source):
    # line 1: Chromium wrote /ActualText (PDFium applies it, pdfminer does not); line 2: radicals, no ActualText
    src = open_source(TL / "radicals.pdf", source=source)
    raw = "".join(c.text for c in next(src.pages()).chars if not c.text.isspace())
    assert "⼀⽂⻑⺠⻭" in raw
    result = extract(TL / "radicals.pdf", config=ExtractConfig(source=source, ocr="off"))
    # full-width digits and letters as printed; 﨑 (U+FA11) is a unified ideograph, not a compatibility one
    assert [b.text for b in result.documents[0].blocks] == ["一文長民歯の方針", "一文長民歯の方針", "神奈川の﨑と１２３ＡＢＣ"]


def test_the_radicals_table_is_the_unicode_database():
    if not UCD_FILE.exists():
        pytest.skip("Debian's unicode-data is not installed")
    assert read_equivalents(UCD_FILE) == SUPPLEMENT
    assert len(SUPPLEMENT) > 100 and SUPPLEMENT[0x2ED1] == ord("長")


@pytest.mark.parametrize("source", ["pdfium", "pdfplumber"])
def test_a_vertical_page_reads_in_order(source):
    result = extract(TL / "vertical.pdf", config=ExtractConfig(ocr="off", source=source))
    doc = result.documents[0]
    assert doc.title.replace(" ", "") == "令和７年度事業計画"
    assert [(b.label, b.text) for b in doc.blocks] == [
        ("１．", "基本業務の確実な遂行を図る。"),
        ("", "サンプル支部はPDF形式の資料を公開し、「加入者」への広報を強化する。"),
        ("・", "健診の受診率を５７．６％以上とする。"),
        ("", "資料はABC形式で令和12年に見直す。"),
    ]
    # boxes on the page as printed: columns right to left, tall and narrow
    boxes = [b.bbox for b in doc.blocks]
    assert all(b is not None and b.bottom - b.top > 5 * (b.x1 - b.x0) for b in boxes)
    assert [b.x0 for b in boxes if b] == sorted((b.x0 for b in boxes if b), reverse=True)
    assert result.text_layer[0].text_layer == "vertical" and result.warnings == ("page 1: vertical writing; read in vertical order",)


def test_a_page_mixing_vertical_and_horizontal_writing_is_refused():
    with pytest.raises(VerticalTextError, match="cannot be read in order"):
        extract(TL / "mixed-writing.pdf", config=OFF)


def test_without_ocr_a_scanned_page_is_left_out():
    result = extract(TL / "scanned-page3.pdf", config=OFF)
    assert result.refused_pages == (3,) and result.ocr_pages == ()
    assert {b.page for d in result.documents for b in d.blocks} == {1, 2, 4}
    assert result.warnings == ("page 3: no text layer (1 image(s) and no characters); left out (--ocr auto reads such pages)",)


def test_the_cli_warns_once_per_page_range_and_writes_the_rest(tmp_path, capsys):
    out = tmp_path / "plan.json"
    assert cli.main(["extract", str(TL / "scanned-page3.pdf"), "--ocr", "off", "-o", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if "page 3" in line] == [
        f"plandiff: {TL / 'scanned-page3.pdf'}: page 3: no text layer (1 image(s) and no characters);"
        " left out (--ocr auto reads such pages)"
    ]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [p["source"] for p in data["text_layer"]] == ["text", "text", "none", "text"] and data["pages"] == 4


def test_an_ocr_layer_is_read_as_it_is_without_its_word_spaces_when_ocr_is_off():
    result = extract(TL / "ocr-layer.pdf", config=OFF)
    assert [(r.text_layer, r.source) for r in result.text_layer] == [("ocr_layer", "text")]
    text = [b.text for b in result.documents[0].blocks]
    # Tesseract put a space after each word it read (サン プル 支部 は 、 加 入 者 …): Japanese has none
    assert "サンプル支部は、加入者と事業主の声を聴きながら、地域の健康づくりと保険運営の安定に取り組む。" in text
    with pytest.raises(OcrTextLayerError, match="page 1"):
        extract(TL / "ocr-layer.pdf", config=ExtractConfig(ocr="off", strict=True))


@pytest.mark.parametrize("source", ["pdfium", "pdfplumber"])
def test_bullets_set_in_symbol_fonts_are_bullets_not_garbage(source):
    # Word and PowerPoint map them to private-use codes: Symbol's U+F0B7, Wingdings' U+F06C and U+F0A7
    result = extract(TL / "symbol-bullets.pdf", config=ExtractConfig(source=source, ocr="off"))
    blocks = result.documents[0].blocks
    assert [(b.kind, b.label, b.text) for b in blocks] == [
        ("bullet", "•", "健診の受診勧奨を行う。"),
        ("bullet", "●", "広報を強化する。"),
        ("bullet", "▪", "窓口を案内する。"),
    ]
    assert not result.warnings


def test_compare_and_matrix_tell_which_pages_of_which_file_were_not_read(tmp_path, capsys):
    garbled = TL / "garbled-page2.pdf"
    hq = SAMPLES / "sample-hq-r7.plan.pdf"
    assert cli.main(["compare", str(hq), str(garbled), "--ocr", "off", "-o", str(tmp_path / "c.json")]) == 0
    assert f"{garbled}: page 2: garbled text layer" in capsys.readouterr().err
    # a branch is read in a worker process: its warning still reaches the log, naming the branch
    out = tmp_path / "m.json"
    branches = [str(garbled), str(SAMPLES / "sample-r7.plan.pdf")]
    assert cli.main(["matrix", str(hq), *branches, "--ocr", "off", "--jobs", "2", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.count(f"{garbled}: page 2: garbled text layer") == 1
