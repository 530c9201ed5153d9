"""Regenerate the test PDFs in tests/data: bad inputs, and plans whose text looks like markup.

(committed; reportlab and the IPAex fonts are needed only here)

python tests/data/make_bad_inputs.py
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent / "bad"
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "sample-r7.plan.pdf"


def raw_pdf(objects: list[bytes]) -> bytes:
    """A minimal PDF with a correct xref table from numbered object bodies."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def stream(data: bytes, extra: str = "") -> bytes:
    z = zlib.compress(data)
    return f"<< /Length {len(z)} /Filter /FlateDecode {extra}>>\nstream\n".encode() + z + b"\nendstream"


def main() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    HERE.mkdir(parents=True, exist_ok=True)
    (HERE / "not-a-pdf.pdf").write_text("事業計画（これはPDFではなくテキストです）\n", encoding="utf-8")
    (HERE / "empty-file.pdf").write_bytes(b"")
    data = SAMPLE.read_bytes()
    (HERE / "truncated.pdf").write_bytes(data[:900])
    # zero pages
    (HERE / "zero-pages.pdf").write_bytes(raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    # encrypted with a user password
    c = Canvas(str(HERE / "encrypted.pdf"), pagesize=A4, encrypt="secret", invariant=1)
    c.drawString(72, 720, "confidential plan")
    c.showPage()
    c.save()
    # scanned: an image and no text
    import struct

    w, h = 200, 100
    raw = b"".join(b"\x00" + bytes([255 if (x // 10 + y // 10) % 2 else 0 for x in range(w)]) for y in range(h))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    png_path = HERE / "_scan.png"
    png_path.write_bytes(png)
    c = Canvas(str(HERE / "scanned.pdf"), pagesize=A4, invariant=1)
    c.drawImage(ImageReader(str(png_path)), 72, 400, 400, 200)
    c.showPage()
    c.save()
    png_path.unlink()
    # glyphs without a Unicode map: a CID font with no ToUnicode, codes that map nowhere
    content = b"BT /F1 12 Tf 72 720 Td <E001E002E003E004E005E006E007E008E009E00A> Tj ET"
    (HERE / "cid-garbage.pdf").write_bytes(
        raw_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
                stream(content),
                b"<< /Type /Font /Subtype /Type0 /BaseFont /XYZGarbled /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
                b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /XYZGarbled"
                b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
            ]
        )
    )
    markup_plans()
    plain_plan()
    print("wrote", ", ".join(sorted(p.name for p in HERE.iterdir())))


def _make_samples():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(SAMPLE.parents[1]))
    from samples.render import reportlab_canvas

    reportlab_canvas.register_fonts()
    return reportlab_canvas


def plain_plan() -> None:
    """sample-r7 printed in one font and size: headings are told only by their numbering."""
    ms = _make_samples()
    from samples.render.truth import parse_content

    title, blocks, _ = parse_content(SAMPLE.parent / "content_r7.txt")
    ms.render_plan(HERE.parent / "plain-font.plan.pdf", title, "サンプル支部", blocks, plain=True)


def markup_plans() -> None:
    """Two years of a tiny plan whose text is HTML and template syntax: it must stay text."""
    ms = _make_samples()
    for year, n in (("r6", "1"), ("r7", "2")):
        blocks = [
            {"kind": "heading", "level": 1, "label": "１．", "text": "<b>広報</b>の強化"},
            {"kind": "bullet", "label": "・", "text": f"<script>alert({n})</script>を表示しない。"},
            {"kind": "bullet", "label": "・", "text": f"テンプレート{{{{ 7*7 }}}}と{{% if x %}}を{n}回書く。"},
            {"kind": "bullet", "label": "・", "text": "A&B社と&amp;連携する。"},
        ]
        ms.render_plan(HERE.parent / f"markup-{year}.plan.pdf", f"マークアップ試験 {year}", "試験支部", blocks)


def damaged_page() -> None:
    """Two pages, the second's page-tree entry not a dictionary: PDFium cannot load it ("Failed to load page")."""
    text = b"BT /F1 12 Tf 72 720 Td (First page of the plan) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        stream(text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"(not a page)",
    ]
    (HERE / "damaged-page.pdf").write_bytes(raw_pdf(objects))


def bombs() -> None:
    """Two small files built to exhaust a reader: form XObjects drawing each other 10 times over 7 levels
    (10 million objects from 2 KB), and a content stream of 128 MB of spaces compressed to 128 KB."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >>%s >> >>"
    head = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    forms = []
    for level in range(7):
        last = level == 6
        body = b"0 0 1 1 re f BT /F1 1 Tf (x) Tj ET" if last else b"/X0 Do " * 10
        inner = "" if last else f" /XObject << /X0 {7 + level} 0 R >>"
        forms.append(stream(body, f"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /Font << /F1 5 0 R >>{inner} >> "))
    content = stream(b"BT /F1 12 Tf 72 720 Td (Fan-out) Tj ET " + b"/X0 Do " * 10)
    (HERE / "fanout-bomb.pdf").write_bytes(raw_pdf([*head, page % b" /XObject << /X0 6 0 R >>", content, font, *forms]))
    z = zlib.compressobj(9)
    body = z.compress(b"BT /F1 12 Tf 72 720 Td (Flate bomb) Tj ET ") + b"".join(z.compress(b" " * (1 << 20)) for _ in range(128))
    body += z.flush()
    bomb = f"<< /Length {len(body)} /Filter /FlateDecode >>\nstream\n".encode() + body + b"\nendstream"
    (HERE / "flate-bomb.pdf").write_bytes(raw_pdf([*head, page % b"", bomb, font]))


if __name__ == "__main__":
    main()
    damaged_page()
    bombs()
