"""Chromium: HTML and CSS printed by headless Chromium (print to PDF).

    apt-get install chromium fonts-ipaexfont

Tables use ``border-collapse: collapse``, so Chromium paints every cell edge
as its own thin filled rectangle (no stroked lines); header rows are
``<thead>`` and repeat on every page; the running title and ``- N -`` page
numbers are CSS page-margin boxes.  IPAex (TrueType) is embedded as CID
subsets, as a browser on Windows embeds its TrueType fonts; the CFF-based Noto
CJK fonts would come out as Type 3 fonts, one per 256 glyphs.  Reruns differ
only in the creation date Chromium stamps.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from pathlib import Path

from .style import Printed, on_slide, printed_blocks, printed_cells, table_columns
from .truth import Job, areas_of, slides_of

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-pdf-header-footer",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERIF, SANS = "'IPAexMincho'", "'IPAexGothic'"
CSS = f"""
* {{ box-sizing: border-box; }}
body {{ margin: 0; font-family: {SERIF}; font-size: 10.5pt; line-height: 1.6; }}
p {{ margin: 0 0 2pt 0; }}
.g {{ font-family: {SANS}; }}
.b {{ font-weight: bold; }}
.lab {{ display: inline-block; text-indent: 0; }}
h1.title {{ font-family: {SANS}; font-size: 15pt; font-weight: normal; text-align: center; margin: 0 0 14pt 0; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 0.5pt solid #000; padding: 2pt 4pt; vertical-align: top; font-weight: normal; text-align: left; }}
table.data {{ margin: 4pt 0 8pt 6pt; font-size: 9pt; line-height: 1.5; }}
table.frame {{ width: 100%; }}
table.frame > thead th {{ font-family: {SANS}; text-align: center; }}
tr {{ break-inside: auto; }}
"""


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def paragraph(p: Printed) -> str:
    cls = " ".join(c for c, on in (("g", p.gothic), ("b", p.bold)) if on)
    style = f"font-size:{p.size}pt;"
    if p.first_line_indent:
        return f'<p class="{cls}" style="{style}padding-left:{p.indent}pt;text-indent:{p.size}pt">{esc(p.text)}</p>'
    if p.hang:
        style += f"padding-left:{p.indent + p.hang}pt;text-indent:-{p.hang}pt"
        return f'<p class="{cls}" style="{style}"><span class="lab" style="width:{p.hang}pt">{esc(p.head.strip())}</span>{esc(p.text)}</p>'
    return f'<p class="{cls}" style="{style}padding-left:{p.indent}pt">{esc(p.head + p.text)}</p>'


def data_table(rows: list[list[str]], width: str = "calc(100% - 12pt)", size: float = 9.0) -> str:
    widths, size = table_columns(rows, 100.0, size)
    cols = "".join(f'<col style="width:{w:.2f}%">' for w in widths)
    head = "<tr>" + "".join(f"<th>{esc(c)}</th>" for c in rows[0]) + "</tr>"
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
    style = f"width:{width};font-size:{size}pt"
    return f'<table class="data" style="{style}"><colgroup>{cols}</colgroup><thead>{head}</thead><tbody>{body}</tbody></table>'


def items_html(items: list[Printed | list[list[str]]]) -> str:
    return "\n".join(paragraph(it) if isinstance(it, Printed) else data_table(it) for it in items)


def page_css(title: str, *, landscape: bool, running: bool = True) -> str:
    size = "A4 landscape" if landscape else "A4"
    top = f'@top-right {{ content: "{title}"; font-family: {SERIF}; font-size: 8.5pt; }}' if running else ""
    return (
        f"@page {{ size: {size}; margin: 20mm 18mm 18mm 20mm; {top}"
        f' @bottom-center {{ content: "- " counter(page) " -"; font-family: {SERIF}; font-size: 9pt; }} }}'
    )


def document(job: Job) -> str:
    title = esc(job.title)
    if job.layout == "slides":
        return slides_document(job)
    if job.layout == "plan":
        body = f'<h1 class="title">{title}</h1>\n' + items_html(printed_blocks(job.blocks))
        css = page_css(job.title, landscape=False)
    elif job.layout == "fieldtable":
        trs = "".join(
            f'<tr><td class="g">{esc(area)}</td><td>{items_html(printed_blocks(blocks, outdent=1))}</td></tr>'
            for area, blocks in areas_of(job.blocks)
        )
        body = (
            f'<h1 class="title">{title}</h1>\n<table class="frame"><colgroup><col style="width:18%"><col style="width:82%"></colgroup>'
            f"<thead><tr><th>分野</th><th>実施内容等</th></tr></thead><tbody>{trs}</tbody></table>"
        )
        css = page_css(job.title, landscape=False)
    else:
        left, right = printed_cells(job.rows, "left"), printed_cells(job.rows, "right")
        trs = "".join(f"<tr><td>{items_html(lc)}</td><td>{items_html(rc)}</td></tr>" for lc, rc in zip(left, right, strict=True))
        body = (
            f'<h1 class="title">{title}</h1>\n<table class="frame"><colgroup><col style="width:50%"><col style="width:50%"></colgroup>'
            f"<thead><tr><th>{esc(job.labels[0])}</th><th>{esc(job.labels[1])}</th></tr></thead><tbody>{trs}</tbody></table>"
        )
        css = page_css(job.title, landscape=True, running=False)
    head = f'<meta charset="utf-8"><title>{title}</title><style>{css}{CSS}</style>'
    return f'<!doctype html><html lang="ja"><head>{head}</head><body>{body}</body></html>'


SLIDE_CSS = f"""
@page {{ size: 960pt 540pt; margin: 0; }}
.slide {{ position: relative; width: 960pt; height: 540pt; overflow: hidden; break-after: page; font-family: {SANS}; }}
.slide h2 {{ margin: 0; padding: 18pt 40pt 0 40pt; height: 66pt; font-size: 24pt; font-weight: bold;
  border-bottom: 3pt solid #1f4e79; color: #1f4e79; }}
.slide .body {{ padding: 14pt 40pt 0 40pt; }}
.slide .row {{ display: flex; gap: 12pt; margin: 0 0 10pt 0; align-items: stretch; }}
.slide .labelbox {{ flex: 0 0 150pt; background: #1f4e79; color: #fff; font-size: 13pt; font-weight: bold;
  display: flex; align-items: center; justify-content: center; text-align: center; padding: 4pt; border-radius: 6pt; }}
.slide .content {{ flex: 1; border: 1pt solid #1f4e79; padding: 6pt 10pt; font-size: 13pt; line-height: 1.45; }}
.slide .content p {{ margin: 0 0 3pt 0; }}
.slide table.data {{ font-size: 12pt; margin: 6pt 0 6pt 0; }}
.slide .num {{ position: absolute; right: 24pt; bottom: 12pt; font-size: 10pt; }}
.slide .mark {{ position: absolute; right: 40pt; top: 20pt; width: 30pt; height: 30pt; border-radius: 50%; background: #f4b183; }}
"""


def slides_document(job: Job) -> str:
    """One page per slide: a title bar, label boxes beside their content boxes, tables, a slide number."""
    pages = []
    for n, slide in enumerate(slides_of(job.blocks), 1):
        head = slide[0]
        groups: list[tuple[str, list[Printed | list[list[str]]]]] = [("", [])]
        for b in slide[1:]:
            if b["kind"] == "heading":
                groups.append((b["text"], []))
            elif b["kind"] == "table":
                groups[-1][1].append(b["rows"])
            else:
                groups[-1][1].append(on_slide(b, size=13.0))
        rows = []
        for label, items in groups:
            if not label and not items:
                continue
            inner = "\n".join(paragraph(it) if isinstance(it, Printed) else data_table(it, "100%", 12.0) for it in items)
            box = f'<div class="labelbox">{esc(label)}</div>' if label else ""
            rows.append(f'<div class="row">{box}<div class="content">{inner}</div></div>')
        pages.append(
            f'<div class="slide"><h2>{esc(head.get("label", "") + head["text"])}</h2><div class="mark"></div>'
            f'<div class="body">{"".join(rows)}</div><div class="num">{n}</div></div>'
        )
    return (
        f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{esc(job.title)}</title>'
        f"<style>{CSS}{SLIDE_CSS}</style></head><body>{''.join(pages)}</body></html>"
    )


def render(job: Job, out: Path) -> None:
    exe = find_chromium()
    if exe is None:
        raise FileNotFoundError("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(document(job), encoding="utf-8")
        subprocess.run(
            [exe, *FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={out}", page.as_uri()],
            check=True,
            capture_output=True,
            timeout=180,
        )
