"""Regenerate the text-layer test PDFs in tests/data/textlayer: one per kind of unsound text layer.

python tests/data/make_text_layers.py

Raw PDFs are written by hand (fonts without a ToUnicode map, a CMap that is
not Unicode, digits whose codes decode to symbols, Type 3 fonts of bars);
the shared-glyph, vertical and Type 3 face pages are printed by Debian's chromium, the scanned page is
sample-r7's page 3 rendered at 200 dpi with noise and a slight rotation
(pypdfium2 + Pillow + reportlab); the page whose kana, punctuation and digits
read as Latin letters (「令和Ā年度」) is the Chromium print of sample-hq-r7
re-distilled by Ghostscript's pdfwrite.  Every file's expected verdict and text is
in tests/test_textlayer.py.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "textlayer"
SAMPLES = HERE.parents[1] / "samples"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

from make_bad_inputs import raw_pdf, stream  # noqa: E402

from samples.render.ghostscript_pdfwrite import command as pdfwrite  # noqa: E402

JA_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /IPAexMincho /Encoding /UniJIS-UCS2-H /DescendantFonts [<< /Type /Font"
    b" /Subtype /CIDFontType0 /BaseFont /IPAexMincho /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 6 >>"
    b" /FontDescriptor << /Type /FontDescriptor /FontName /IPAexMincho /Flags 4 /FontBBox [0 -141 1000 859] /ItalicAngle 0"
    b" /Ascent 859 /Descent -141 /CapHeight 700 /StemV 80 >> /DW 1000 >>] >>"
)
# a simple font with no /Encoding and no /ToUnicode: its codes are glyph numbers of a subset
BARE_FONT = b"<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+MSMincho /FirstChar 0 /LastChar 255 /Widths [" + b"500 " * 256 + b"] >>"
# the same, declared WinAnsi: its codes read as WinAnsi's symbols (0x99 ™, 0x97 —, 0x9B ›)
WINANSI_FONT = BARE_FONT.replace(b"/FirstChar", b"/Encoding /WinAnsiEncoding /FirstChar")
# a CID font whose CMap (embedded, not a predefined one) maps two-byte codes to CIDs, with no ToUnicode
CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> def
/CMapName /Custom-H def /CMapType 1 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
1 begincidrange <0000> <FFFF> 0 endcidrange
endcmap CMapName currentdict /CMap defineresource pop end end"""


def to_unicode(pairs: dict[int, int]) -> bytes:
    """A ToUnicode CMap mapping one-byte codes to code points."""
    chars = " ".join(f"<{k:02X}> <{v:04X}>" for k, v in pairs.items())
    return (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n1 begincodespacerange <00> <FF> endcodespacerange\n"
        + f"{len(pairs)} beginbfchar {chars} endbfchar\n".encode()
        + b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )


def symbol_font(name: str, cmap_ref: bytes) -> bytes:
    """A symbolic TrueType font, not embedded, whose ToUnicode is object ``cmap_ref`` (as Word and PowerPoint write bullets)."""
    return (
        f"<< /Type /Font /Subtype /TrueType /BaseFont /{name} /FirstChar 32 /LastChar 255 /Widths [".encode()
        + b"1000 " * 224
        + b"] /ToUnicode "
        + cmap_ref
        + f" /FontDescriptor << /Type /FontDescriptor /FontName /{name} /Flags 4 /FontBBox [0 -200 1000 800]".encode()
        + b" /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >> >>"
    )


def ja(text: str) -> bytes:
    return b"<" + text.encode("utf-16-be").hex().upper().encode() + b">"


def page_pdf(content: bytes, fonts: dict[str, bytes], extra: list[bytes] | None = None) -> bytes:
    """A one-page A4 PDF drawing ``content`` with ``fonts`` (name → font dictionary, inline)."""
    res = b" ".join(b"/" + k.encode() + b" " + v for k, v in fonts.items())
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << " + res + b" >> >> >>",
            stream(content),
            *(extra or []),
        ]
    )


def text_lines(lines: list[tuple[str, bytes]]) -> bytes:
    """BT … ET drawing one (font, string) line every 20 points from the top."""
    out = [b"BT"]
    for i, (font, s) in enumerate(lines):
        out.append(f"/{font} 10.5 Tf 1 0 0 1 72 {760 - 20 * i} Tm".encode() + b" " + s + b" Tj")
    out.append(b"ET")
    return b"\n".join(out)


def raw_files() -> None:
    # glyph numbers read as control characters: 「\x01\x02 3 \x04\x05…」
    bare = text_lines([("F1", b"<0102200304050607> "), ("F1", b"<08090B0C0E0F1011121314>"), ("F1", b"<15161718191A1B1C1D1E1F>")])
    (OUT / "no-tounicode.pdf").write_bytes(page_pdf(bare, {"F1": BARE_FONT}))
    # the same glyph numbers higher up the code table: Latin-1 mojibake, not a kana or kanji on the page
    moji = text_lines(
        [
            ("F1", b"(\xc4\xc5\xc7\xc9 \xd1\xd6\xdc\xe1\xe0\xe2)"),
            ("F1", b"(\xe4\xe3\xe5\xe7\xe9\xe8\xea\xeb\xed)"),
            ("F1", b"(\xec\xee\xef\xf1\xf3\xf2)"),
        ]
    )
    (OUT / "latin1-mojibake.pdf").write_bytes(page_pdf(moji, {"F1": BARE_FONT}))
    # a 官報-style page: the kanji decode, the digits' font has no map and they come out as ™—›
    digits = text_lines(
        [
            ("F2", ja("令和")),
            ("F1", b"(\x99\x9b)"),
            ("F2", ja("年度の健診実施率を")),
            ("F1", b"(\x9b\x99\x84\x9a)"),
            ("F2", ja("％以上とする。")),
        ]
    )
    (OUT / "digits-as-symbols.pdf").write_bytes(page_pdf(digits, {"F1": WINANSI_FONT, "F2": JA_FONT}))
    # a non-Unicode CMap and no ToUnicode: PDFium hands back the CIDs (\x03 …)
    cid = text_lines([("F3", b"<00030004000500060007> "), ("F3", b"<0008000900100011>")])
    cid_font = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /XYZ+Mincho /Encoding 5 0 R /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2"
        b" /BaseFont /XYZ+Mincho /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>] >>"
    )
    (OUT / "non-unicode-cmap.pdf").write_bytes(page_pdf(cid, {"F3": cid_font}, [stream(CMAP, "/Type /CMap /CMapName /Custom-H ")]))
    # bullets in symbol fonts, their ToUnicode giving private-use codes: Symbol's U+F0B7, Wingdings' U+F06C and U+F0A7
    items = [("F4", b"(\xb7)", "健診の受診勧奨を行う。"), ("F5", b"(l)", "広報を強化する。"), ("F5", b"(\xa7)", "窓口を案内する。")]
    lines = [b"BT"]
    for i, (font, bullet, text) in enumerate(items):
        y = 760 - 20 * i
        lines.append(f"/{font} 10.5 Tf 1 0 0 1 72 {y} Tm".encode() + b" " + bullet + b" Tj")
        lines.append(f"/F2 10.5 Tf 1 0 0 1 90 {y} Tm".encode() + b" " + ja(text) + b" Tj")
    lines.append(b"ET")
    fonts = {"F2": JA_FONT, "F4": symbol_font("Symbol", b"5 0 R"), "F5": symbol_font("Wingdings", b"6 0 R")}
    cmaps = [stream(to_unicode({0xB7: 0xF0B7})), stream(to_unicode({0x6C: 0xF06C, 0xA7: 0xF0A7}))]
    (OUT / "symbol-bullets.pdf").write_bytes(page_pdf(b"\n".join(lines), fonts, cmaps))
    # a sound page printed by hand, for the check that the verdict says ok
    ok = text_lines([("F2", ja("１．基本業務の確実な遂行")), ("F2", ja("届出や申請の処理を正確に行う。"))])
    (OUT / "sound.pdf").write_bytes(page_pdf(ok, {"F2": JA_FONT}))
    (OUT / "type3-strokes.pdf").write_bytes(type3_strokes())
    (OUT / "japanese-font-names.pdf").write_bytes(japanese_font_names())


# faces named as Japanese producers name them: in Shift_JIS (Acrobat, printer drivers) or UTF-8, not ASCII
FONT_NAMES = [
    ("ＭＳ 明朝", "cp932", "令和７年度の事業計画を定める。"),
    ("ＭＳ ゴシック", "cp932", "■ 特定健診実施率を６５．０％以上とする。"),
    ("游ゴシック", "utf-8", "【重点】保健事業の推進"),
    ("HGS創英角ｺﾞｼｯｸUB", "cp932", "１．基盤的保険者機能の強化"),
    ("HGMinchoE", "ascii", "（１）健全な財政運営"),
]


def japanese_font_names() -> bytes:
    """One line in each face of :data:`FONT_NAMES`, the name written byte for byte as ``#xx``."""
    fonts = {}
    for k, (name, codec, _) in enumerate(FONT_NAMES):
        escaped = "".join(f"#{b:02X}" if b > 0x7E or b < 0x21 else chr(b) for b in name.encode(codec))
        fonts[f"F{k}"] = JA_FONT.replace(b"/IPAexMincho", b"/" + escaped.encode())
    return page_pdf(text_lines([(f"F{k}", ja(text)) for k, (_, _, text) in enumerate(FONT_NAMES)]), fonts)


def type3_font(stroke: int, procs: list[bytes], cmap_ref: bytes) -> bytes:
    """A Type 3 font without a name or weight whose glyphs 三 川 十 are bars ``stroke`` units of 1000 thick."""
    names = b" ".join(b"/g%d %s" % (k, ref) for k, ref in enumerate(procs))
    return (
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 -120 1000 880] /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << "
        + names
        + b" >> /Encoding << /Type /Encoding /Differences [1 /g0 /g1 /g2] >> /FirstChar 1 /LastChar 3 /Widths [1000 1000 1000]"
        + b" /Resources << >> /ToUnicode "
        + cmap_ref
        + b" >>"
    )


def bar_glyphs(stroke: int) -> list[bytes]:
    """The procedures drawing 三 (three bars across), 川 (three down) and 十 at ``stroke`` units."""
    t, low, high = stroke, 40, 840
    across = b"".join(b"%d %d %d %d re " % (100, y - t // 2, 800, t) for y in (140, 440, 740))
    down = b"".join(b"%d %d %d %d re " % (x - t // 2, low, t, high - low) for x in (200, 500, 800))
    cross = b"%d %d %d %d re %d %d %d %d re " % (100, 440 - t // 2, 800, t, 500 - t // 2, low, t, high - low)
    return [stream(b"1000 0 0 -120 1000 880 d1 " + g + b"f") for g in (across, down, cross)]


def type3_strokes() -> bytes:
    """Three lines in three nameless Type 3 fonts whose bars are 45, 68 and 110 units of 1000 thick."""
    strokes = {"T1": 110, "T2": 68, "T3": 45}
    objects: list[bytes] = [stream(to_unicode({1: ord("三"), 2: ord("川"), 3: ord("十")}))]
    fonts: dict[str, bytes] = {}
    for name, stroke in strokes.items():
        refs = []
        for glyph in bar_glyphs(stroke):
            objects.append(glyph)
            refs.append(b"%d 0 R" % (len(objects) + 4))
        fonts[name] = type3_font(stroke, refs, b"5 0 R")
    text = text_lines([(name, b"<0102030102030102>") for name in strokes])
    return page_pdf(text, fonts, objects)


RADICALS = """<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
body { font-family: "IPAexGothic"; font-size: 12pt; margin: 20mm; }</style></head><body>
<p>一文長民歯の方針</p><p>⼀⽂⻑⺠⻭の方針</p><p>神奈川の﨑と１２３ＡＢＣ</p></body></html>
"""
# 縦書き: upright kana and kanji, full-width digits, Latin set sideways and upright, two digits in one cell (縦中横)
VERTICAL = """<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page { size: A4 portrait; margin: 20mm; }
body { font-family: "IPAexMincho"; font-size: 14pt; writing-mode: vertical-rl; margin: 0; }
h1 { font-size: 18pt; font-family: "IPAexGothic"; margin: 0 0 0 1em; }
p { margin: 0 0 0 0.5em; }
p.last { margin-right: 1.5em; }
.up { text-orientation: upright; }
.tcy { text-combine-upright: all; }
</style></head><body>
<h1>令和７年度 事業計画</h1>
<p>１．基本業務の確実な遂行を図る。</p>
<p>サンプル支部はPDF形式の資料を公開し、「加入者」への広報を強化する。</p>
<p>・健診の受診率を５７．６％以上とする。</p>
<p class="last">資料は<span class="up">ABC</span>形式で令和<span class="tcy">12</span>年に見直す。</p>
</body></html>
"""
# half the page vertical, half horizontal: no single reading order
MIXED = """<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page { size: A4 portrait; margin: 20mm; }
body { font-family: "IPAexMincho"; font-size: 12pt; margin: 0; }
.v { writing-mode: vertical-rl; height: 120mm; }
</style></head><body>
<div class="v"><p>縦に書かれた本文がここに続き、列は右から左へ読まれる。</p><p>二列目の本文もまた縦に書かれている。</p></div>
<p>横に書かれた段落がその下に続き、左から右へ読まれる。横書きの説明文である。</p>
<p>さらに横書きの段落が続き、縦書きと同じ頁に並んでいる。</p>
</body></html>
"""


# faces Chromium prints as Type 3 fonts, glyphs drawn as paths: Noto CJK (CFF outlines) in its three weights,
# and the bold it makes up for IPAex Gothic, which has none
TYPE3_FACES = """<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page { size: A4 portrait; margin: 20mm; }
body { font-size: 10.5pt; margin: 0; }
p { margin: 0 0 6pt 0; }
.h { font-family: "Noto Sans CJK JP"; font-weight: bold; font-size: 12pt; }
.serif { font-family: "Noto Serif CJK JP"; }
.sans { font-family: "Noto Sans CJK JP"; }
.madeup { font-family: "IPAexGothic"; font-weight: bold; font-size: 11pt; }
.mincho { font-family: "IPAexMincho"; }
</style></head><body>
<p class="h">１．基盤的保険者機能の強化</p>
<p class="serif">加入者及び事業主の意見に基づく自主自律の運営を行い、健全な財政運営に努める。</p>
<p class="sans">■ 特定健診実施率を６５．０％以上とする。</p>
<p class="madeup">（１）健全な財政運営</p>
<p class="mincho">中長期的な視点から財政状況を分析し、保険料率の設定について議論を行う。</p>
</body></html>
"""
# the same page in faces Chromium embeds as fonts (IPAex has no bold: that stays drawn as paths)
EMBEDDED_FACES = TYPE3_FACES.replace('"Noto Sans CJK JP"', '"IPAexGothic"').replace('"Noto Serif CJK JP"', '"IPAexMincho"')


def chromium(html: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "page.html"
        src.write_text(html, encoding="utf-8")
        subprocess.run(
            [
                "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp}/profile",
                f"--print-to-pdf={out}", str(src),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )  # fmt: skip


def scan_pages(src: Path, out: Path, *, pages: list[int] | None = None, dpi: int = 200, seed: int = 7, noise: float = 10.0) -> None:
    """A scanned copy of ``src`` (or of its ``pages``): each page an image with noise, specks and a slight rotation."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    rng = np.random.default_rng(seed)
    pdf = pdfium.PdfDocument(str(src))
    c = Canvas(str(out), invariant=1)
    for i in pages or range(1, len(pdf) + 1):
        page = pdf[i - 1]
        w, h = page.get_size()
        c.setPageSize((w, h))
        img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        img = img.rotate(float(rng.uniform(-0.8, 0.8)), resample=Image.Resampling.BICUBIC, fillcolor=255)
        a = np.asarray(img, dtype=np.float32) + rng.normal(0, noise, (img.height, img.width))
        a[rng.random(a.shape) < 0.0005] = 0
        buf = io.BytesIO()
        Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=60)
        buf.seek(0)
        c.drawImage(ImageReader(buf), 0, 0, w, h)
        c.showPage()
    c.save()


def mixed_file(out: Path) -> None:
    """sample-r7's pages 1–2 as printed, its page 3 scanned, sample-hq-r7's page as page 4."""
    import pypdfium2 as pdfium

    with tempfile.TemporaryDirectory() as tmp:
        scan = Path(tmp) / "scan.pdf"
        scan_pages(SAMPLES / "sample-r7.plan.pdf", scan, pages=[3])
        doc = pdfium.PdfDocument.new()
        doc.import_pages(pdfium.PdfDocument(str(SAMPLES / "sample-r7.plan.pdf")), [0, 1])
        doc.import_pages(pdfium.PdfDocument(str(scan)))
        doc.import_pages(pdfium.PdfDocument(str(SAMPLES / "sample-hq-r7.plan.pdf")), [0])
        doc.save(str(out))


def ocr_layer_file(out: Path) -> None:
    """sample-r7's page 1 scanned, as Tesseract's searchable PDF holds it: the scan, and its reading as invisible text over it."""
    import pypdfium2 as pdfium
    import pytesseract

    with tempfile.TemporaryDirectory() as tmp:
        scan = Path(tmp) / "scan.pdf"
        scan_pages(SAMPLES / "sample-r7.plan.pdf", scan, pages=[1])
        img = pdfium.PdfDocument(str(scan))[0].render(scale=200 / 72, grayscale=True).to_pil().convert("L")
        jpeg = Path(tmp) / "scan.jpg"  # Tesseract embeds a JPEG as it is
        img.save(jpeg, quality=60, dpi=(200, 200))
        out.write_bytes(pytesseract.image_to_pdf_or_hocr(str(jpeg), lang="jpn", extension="pdf", config="--dpi 200"))


def outlined(src: Path, out: Path) -> None:
    """``src`` with its text printed as shapes (Ghostscript's pdfwrite -dNoOutputFonts; Debian ghostscript), as design tools export."""
    subprocess.run(["gs", "-q", "-o", str(out), "-sDEVICE=pdfwrite", "-dNoOutputFonts", str(src)], check=True, timeout=120)


def joined(parts: list[Path], out: Path) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for part in parts:
        doc.import_pages(pdfium.PdfDocument(str(part)))
    doc.save(str(out))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    raw_files()
    # a sound plan page, then a page whose font has no Unicode map
    joined([SAMPLES / "sample-hq-r7.plan.pdf", OUT / "no-tounicode.pdf"], OUT / "garbled-page2.pdf")
    chromium(RADICALS, OUT / "radicals.pdf")
    chromium(VERTICAL, OUT / "vertical.pdf")
    chromium(MIXED, OUT / "mixed-writing.pdf")
    chromium(TYPE3_FACES, OUT / "type3-faces.pdf")
    chromium(EMBEDDED_FACES, OUT / "embedded-faces.pdf")
    mixed_file(OUT / "scanned-page3.pdf")
    # a scanned page half of whose lines are headings and KPIs (sample-r6's page 2)
    scan_pages(SAMPLES / "sample-r6.plan.pdf", OUT / "scanned-headings.pdf", pages=[2])
    ocr_layer_file(OUT / "ocr-layer.pdf")
    outlined(OUT / "sound.pdf", OUT / "outlined.pdf")
    # Chromium's print re-distilled by Ghostscript (apt-get install ghostscript): some glyphs mapped to Latin letters
    subprocess.run(pdfwrite(SAMPLES / "producers" / "chromium" / "sample-hq-r7.plan.pdf", OUT / "latin-map.pdf"), check=True)
    print("wrote", ", ".join(sorted(p.name for p in OUT.iterdir())))


if __name__ == "__main__":
    main()
