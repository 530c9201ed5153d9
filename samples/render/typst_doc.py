"""Typst: the Typst compiler (its own layout engine and PDF writer) typesets Typst markup.

    pip install typst                # the compiler ships inside the wheel
    apt-get install fonts-ipaexfont fonts-noto-cjk

Body text in IPAex Mincho (TrueType, embedded as a CID font), headings in
Noto Sans CJK JP Bold (CFF, embedded as CIDFontType0): a real bold face, not
a synthesized one.  Table rules are drawn per cell edge; header rows are
``table.header`` and repeat on every page.  System fonts are ignored and the
timestamp fixed, so reruns are byte-identical.
"""

from __future__ import annotations

import json
from pathlib import Path

from .fonts import IPAEX, NOTO_CJK
from .style import Printed, on_slide, printed_blocks, printed_cells, table_columns
from .truth import Job, areas_of, slides_of

MINCHO, GOTHIC = "IPAexMincho", "Noto Sans CJK JP"
FONT_DIRS = sorted({str(Path(p).parent) for p in (*IPAEX.values(), NOTO_CJK["sans"])})


def lit(text: str) -> str:
    """A Typst string literal: the text is data, never markup."""
    return json.dumps(text, ensure_ascii=False)


def paragraph(p: Printed) -> str:
    face = GOTHIC if p.gothic else MINCHO
    weight = ', weight: "bold"' if p.bold else ""
    text = f"text(font: {lit(face)}, size: {p.size}pt{weight})"
    if p.first_line_indent:
        body = f"par(first-line-indent: (amount: {p.size}pt, all: true))[#{text}[#{lit(p.text)}]]"
    elif p.hang:
        body = f"par(hanging-indent: {p.hang}pt)[#{text}[#box(width: {p.hang}pt)[#{lit(p.head.strip())}]#{lit(p.text)}]]"
    else:
        body = f"par[#{text}[#{lit(p.head + p.text)}]]"
    above = "5pt" if p.kind == "heading" else "3pt"
    return f"#block(above: {above}, below: 3pt, inset: (left: {p.indent}pt))[#{body}]"


def data_table(rows: list[list[str]], *, size: float = 9.0, indent: float = 6.0) -> str:
    widths, size = table_columns(rows, 100.0, size)
    cols = ", ".join(f"{w:.2f}%" for w in widths)
    cell = lambda c: f"[#{lit(c)}]"  # noqa: E731
    head = ", ".join(cell(c) for c in rows[0])
    body = ", ".join(cell(c) for r in rows[1:] for c in r)
    table = f"#table(columns: ({cols},), stroke: 0.5pt, inset: 3pt, table.header({head}), {body})"
    return f"#block(above: 4pt, below: 8pt, inset: (left: {indent}pt))[#text(size: {size}pt)[{table}]]"


def items(its: list[Printed | list[list[str]]]) -> str:
    return "\n".join(paragraph(it) if isinstance(it, Printed) else data_table(it) for it in its)


def preamble(job: Job, *, landscape: bool, running: bool = True) -> str:
    header = f"align(right, text(size: 8.5pt)[#{lit(job.title)}])" if running else "none"
    return f"""#set document(title: {lit(job.title)}, author: {lit(job.org or "plandiff")}, date: none)
#set page(paper: "a4", flipped: {str(landscape).lower()}, margin: (top: 22mm, bottom: 20mm, left: 20mm, right: 18mm),
  header: {header},
  footer: context align(center, text(size: 9pt)[- #counter(page).display() -]))
#set text(font: {lit(MINCHO)}, size: 10.5pt, lang: "ja")
#set par(leading: 0.55em, spacing: 0.4em, justify: false)
#align(center, block(below: 14pt, text(font: {lit(GOTHIC)}, size: 15pt)[#{lit(job.title)}]))
"""


def frame(header: tuple[str, str], cells: list[tuple[str, str]], columns: str) -> str:
    head = ", ".join(f"align(center, text(font: {lit(GOTHIC)})[#{lit(h)}])" for h in header)
    body = ", ".join(f"[{a}], [{b}]" for a, b in cells)
    return f"#table(columns: ({columns}), stroke: 0.5pt, inset: 5pt, table.header({head}), {body})"


def source(job: Job) -> str:
    if job.layout == "slides":
        return slides_source(job)
    if job.layout == "plan":
        return preamble(job, landscape=False) + items(printed_blocks(job.blocks))
    if job.layout == "fieldtable":
        cells = [(f"#text(font: {lit(GOTHIC)})[#{lit(a)}]", items(printed_blocks(bs, outdent=1))) for a, bs in areas_of(job.blocks)]
        return preamble(job, landscape=False) + frame(("分野", "実施内容等"), cells, "92pt, 1fr")
    left, right = printed_cells(job.rows, "left"), printed_cells(job.rows, "right")
    cells = [(items(lc), items(rc)) for lc, rc in zip(left, right, strict=True)]
    return preamble(job, landscape=True, running=False) + frame(job.labels, cells, "1fr, 1fr")


def slides_source(job: Job) -> str:
    """A 16:9 deck: a title bar, label boxes above their content boxes, tables, a slide number in the corner."""
    out = [
        f"""#set document(title: {lit(job.title)}, author: {lit(job.org)}, date: none)
#set page(width: 960pt, height: 540pt, margin: (top: 90pt, bottom: 36pt, x: 48pt),
  header: place(top + left, dx: -48pt, block(width: 960pt, height: 70pt, fill: rgb("#dde8f5"))),
  footer: context align(right, text(size: 10pt)[#counter(page).display()]))
#set text(font: {lit(GOTHIC)}, size: 13pt, lang: "ja")
#set par(leading: 0.5em, spacing: 0.45em)
"""
    ]
    for n, slide in enumerate(slides_of(job.blocks)):
        head = slide[0]
        if n:
            out.append("#pagebreak()")
        out.append(f'#place(top + left, dy: -66pt, text(size: 22pt, weight: "bold")[#{lit(head.get("label", "") + head["text"])}])')
        for b in slide[1:]:
            if b["kind"] == "heading":
                out.append(
                    f'#block(above: 10pt, below: 4pt, fill: rgb("#1f4e79"), inset: (x: 8pt, y: 4pt), radius: 3pt)'
                    f'[#text(fill: white, size: 14pt, weight: "bold")[#{lit(b["text"])}]]'
                )
            elif b["kind"] == "table":
                out.append(data_table(b["rows"], size=12.0, indent=40.0))
            else:
                out.append(paragraph(on_slide(b, size=13.0, indent=8.0)))
    return "\n".join(out) + "\n"


def render(job: Job, out: Path) -> None:
    import typst

    typst.compile(source(job).encode("utf-8"), output=str(out), font_paths=FONT_DIRS, ignore_system_fonts=True, timestamp=0)
