"""How heavy each face is, whoever named it and however.

A face's weight class (明朝, ゴシック, bold) is read from its font's name,
and a Japanese producer names a face in Japanese: the bytes of a PDF name
in Shift_JIS (Acrobat, printer drivers) or UTF-8.  A Type 3 font draws its
glyphs as paths and PDFium gives it no name, weight or flags: browsers
print so the faces they cannot embed (Noto CJK's CFF outlines) and the bold
they make up for a face without one, and such a face is weighed by its ink.
The PDFs are made by tests/data/make_text_layers.py: a line in each of five
faces named in Japanese; three lines of bars 45, 68 and 110 units of 1000
thick, drawn by hand; a Chromium print of Noto CJK in its three faces beside
IPAex Gothic in a made-up bold, and the same page in IPAex faces, which
Chromium embeds.
"""

from __future__ import annotations

import pytest
from conftest import DATA

from extractors import ExtractConfig
from extractors.page import BOLD, REGULAR, SANS
from extractors.sources import open_source
from pipeline.api import extract

TL = DATA / "textlayer"


def _line_weights(name: str, source: str = "pdfium") -> list[tuple[str, set[int]]]:
    """Each printed line's text and the weight classes its characters have."""
    src = open_source(TL / name, source=source)
    try:
        chars = [c for c in next(src.pages()).chars if not c.text.isspace()]
    finally:
        src.close()
    lines: list[list] = []
    for c in chars:
        if not lines or abs(c.bottom - lines[-1][-1].bottom) > 0.5 * c.size:
            lines.append([])
        lines[-1].append(c)
    return [("".join(c.text for c in line), {c.weight for c in line}) for line in lines]


@pytest.mark.parametrize("source", ["pdfium", "pdfplumber"])
def test_faces_named_in_shift_jis_or_utf8_have_the_weight_their_names_say(source):
    weights = [w for _, w in _line_weights("japanese-font-names.pdf", source)]
    # ＭＳ 明朝, ＭＳ ゴシック (Shift_JIS), 游ゴシック (UTF-8), HGS創英角ｺﾞｼｯｸUB (Shift_JIS), HGMinchoE
    assert weights == [{REGULAR}, {SANS}, {SANS}, {BOLD}, {BOLD}]


def test_bars_of_three_thicknesses_weigh_bold_sans_and_regular():
    assert [w for _, w in _line_weights("type3-strokes.pdf")] == [{BOLD}, {SANS}, {REGULAR}]


def test_a_browser_print_of_faces_it_draws_as_paths_keeps_their_weights():
    weights = dict(_line_weights("type3-faces.pdf"))
    assert weights["１．基盤的保険者機能の強化"] == {BOLD}  # Noto Sans CJK Bold
    assert weights["■特定健診実施率を６５．０％以上とする。"] == {SANS}  # Noto Sans CJK Regular
    assert weights["（１）健全な財政運営"] == {BOLD}  # IPAex Gothic, its bold made up by the browser
    serif = next(w for text, w in weights.items() if text.startswith("加入者及び"))
    assert serif == {REGULAR}  # Noto Serif CJK


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_a_turned_page_of_path_drawn_faces_weighs_as_the_upright_one(tmp_path, rotation):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(TL / "type3-faces.pdf")
    pdf[0].set_rotation(rotation)  # /Rotate: read as displayed, its lines run down the page or upside down
    pdf.save(tmp_path / "turned.pdf")
    pdf.close()

    def weights(path):
        src = open_source(path, source="pdfium")
        try:
            return sorted((c.text, c.weight) for c in next(src.pages()).chars if not c.text.isspace())
        finally:
            src.close()

    assert weights(tmp_path / "turned.pdf") == weights(TL / "type3-faces.pdf")


def test_a_print_in_path_drawn_faces_reads_as_the_same_page_in_embedded_fonts():
    def blocks(name: str) -> list[tuple]:
        doc = extract(TL / name, config=ExtractConfig(ocr="off")).documents[0]
        return [(b.kind, b.level, b.label, b.text) for b in doc.blocks]

    drawn = blocks("type3-faces.pdf")
    assert [(kind, level) for kind, level, *_ in drawn if kind == "heading"][:1] == [("heading", 1)]
    assert drawn == blocks("embedded-faces.pdf")
