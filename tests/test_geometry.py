"""Geometry as data: the same page drawn the ways different producers draw it reads the same.

Each PDF is drawn here with reportlab and read back through PDFium (and
pdfplumber), so the test exercises the real libraries on real files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from extractors import ExtractConfig
from pipeline import api

pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
FONT = "HeiseiMin-W3"
W, H = A4
ROWS = [["取組名", "予算額", "備考"], ["健診の受診勧奨", "8,063千円", "継続"], ["広報の強化", "2,450千円", "新規"]]
XS = [72.0, 252.0, 372.0, 522.0]
YS = [600.0, 580.0, 560.0, 540.0]  # PDF coordinates: bottom-up


def _grid(c: Canvas, style: str) -> None:
    """The ruling of a 3 × 3 table, drawn as one producer or another draws it."""
    c.setLineWidth(0.75)
    if style == "strokes":  # one long stroke per table edge (LibreOffice, reportlab)
        for y in YS:
            c.line(XS[0], y, XS[-1], y)
        for x in XS:
            c.line(x, YS[0], x, YS[-1])
    elif style == "cell-rectangles":  # one thin filled rectangle per cell edge (browsers, Word)
        for r in range(3):
            for k in range(3):
                x0, x1, top, bottom = XS[k], XS[k + 1], YS[r], YS[r + 1]
                c.rect(x0 - 0.375, top - 0.375, x1 - x0 + 0.75, 0.75, stroke=0, fill=1)
                c.rect(x0 - 0.375, bottom - 0.375, x1 - x0 + 0.75, 0.75, stroke=0, fill=1)
                c.rect(x0 - 0.375, bottom, 0.75, top - bottom, stroke=0, fill=1)
                c.rect(x1 - 0.375, bottom, 0.75, top - bottom, stroke=0, fill=1)
    elif style == "outlines":  # each cell a stroked rectangle
        for r in range(3):
            for k in range(3):
                c.rect(XS[k], YS[r + 1], XS[k + 1] - XS[k], YS[r] - YS[r + 1], stroke=1, fill=0)
    elif style == "broken-strokes":  # short segments per cell edge, with small gaps between them
        for y in YS:
            for k in range(3):
                c.line(XS[k] + 0.8, y, XS[k + 1] - 0.8, y)
        for x in XS:
            for r in range(3):
                c.line(x, YS[r] - 0.8, x, YS[r + 1] + 0.8)


def _table_pdf(path: Path, style: str) -> Path:
    c = Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 10.5)
    c.drawString(72, 700, "支部の予算は次のとおりとする。")
    _grid(c, style)
    for r, row in enumerate(ROWS):
        for k, text in enumerate(row):
            c.drawString(XS[k] + 4, YS[r] - 14, text)
    c.drawString(72, 500, "以上の予算により事業を実施する。")
    c.save()
    return path


@pytest.mark.parametrize("source", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("style", ["strokes", "cell-rectangles", "outlines", "broken-strokes"])
def test_a_grid_reads_the_same_whoever_drew_it(tmp_path, style, source):
    r = api.extract(_table_pdf(tmp_path / f"{style}.pdf", style), config=ExtractConfig(source=source))
    blocks = r.documents[0].blocks
    assert [b.kind for b in blocks] == ["paragraph", "table", "paragraph"]
    assert [list(row) for row in blocks[1].rows] == ROWS


@pytest.mark.parametrize(
    ("x", "mark", "row"),
    [
        # ぶら下げ組み: the 。 ending a full cell line is set beyond the line end; its centre lies 1.25 pt past the rule
        (XS[-1] - 4, "。", ("健診の受診勧奨", "8,063千円", "継続。")),
        # an opening bracket whose blank left half was trimmed at the line start reaches 3.5 pt across the rule
        (XS[2] - 3.5, "（", ("健診の受診勧奨", "8,063千円", "（継続")),
    ],
)
def test_punctuation_reaching_across_a_cell_rule_stays_in_its_cell(tmp_path, x, mark, row):
    path = tmp_path / "hanging.pdf"
    c = Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 10.5)
    _grid(c, "strokes")
    for r, cells in enumerate(ROWS):
        for k, text in enumerate(cells):
            c.drawString(XS[k] + (8 if (r, k) == (1, 2) else 4), YS[r] - 14, text)
    c.drawString(x, YS[1] - 14, mark)
    c.save()
    table = api.extract(path).documents[0].blocks[0]
    assert table.kind == "table"
    assert table.rows[1] == row


def _ruled_rows(
    c: Canvas, rows: list[list[list[str]]], top: float, *, open_top: bool = False, open_bottom: bool = False, foot: float = 0.0
) -> None:
    """A ruled 3-column table, ``top`` its top edge (PDF coordinates); ``open_*``: no rule there, as browsers slice a row they split.

    ``foot``: the last row reaches this much below its text (a browser slices a row at the page's margin).
    """
    c.setFont(FONT, 10.5)
    c.setLineWidth(0.75)
    ys = [top]
    for cells in rows:
        for k, lines in enumerate(cells):
            for i, text in enumerate(lines):
                c.drawString(XS[k] + 4, ys[-1] - 12 - i * 15, text)
        ys.append(ys[-1] - 15 * max(len(lines) for lines in cells) - 0.5)
    ys[-1] -= foot
    for y in ys[open_top : len(ys) - open_bottom]:
        c.line(XS[0], y, XS[-1], y)
    for x in XS:
        c.line(x, ys[0], x, ys[-1])


FULL_CELL = "あ" * 10 + "い" * 10  # two lines that fill the middle column


HEAD_ROW = [["取組"], ["内容"], ["目標"]]
FIRST_ROW = [["健診の受診勧奨"], ["受診勧奨を行う。"], ["60％"]]


def _cut_table(
    path: Path, last: list[list[str]], next_row: list[list[str]], *, closed: bool, header: bool | None = None, foot: float = 0.0
) -> list[tuple[str, ...]]:
    """A table whose row ``last`` ends page 1 and ``next_row`` starts page 2, closed at the break or open; its rows as read.

    ``header``: page 2 repeats the header row (by default where the break is closed); ``foot``: see ``_ruled_rows``.
    """
    header = closed if header is None else header
    c = Canvas(str(path), pagesize=A4)
    _ruled_rows(c, [HEAD_ROW, FIRST_ROW, last], 120, open_bottom=not closed, foot=foot)
    c.showPage()
    _ruled_rows(c, [HEAD_ROW, next_row] if header else [next_row], 800, open_top=not header)
    c.save()
    (table,) = api.extract(path).documents[0].blocks
    assert list(table.rows[:2]) == [("取組", "内容", "目標"), ("健診の受診勧奨", "受診勧奨を行う。", "60％")]
    return list(table.rows[2:])


RUNS_ON = [["広報の強化"], ["あ" * 10, "い" * 10], ["前年度以上"]]  # its middle cell's text fills its lines to the break


@pytest.mark.parametrize(
    ("next_row", "rows"),
    [
        # the rest of the cut row: text only under the cell that ran on to the page break
        ([[], ["続きの文章である。"], []], [("広報の強化", FULL_CELL + "続きの文章である。", "前年度以上")]),
        # a row that starts afresh: text under cells that were finished
        (
            [["重症化予防"], ["受診勧奨を行う。"], ["前年度以上"]],
            [("広報の強化", FULL_CELL, "前年度以上"), ("重症化予防", "受診勧奨を行う。", "前年度以上")],
        ),
    ],
)
def test_a_row_closed_at_the_break_goes_on_only_under_cells_that_run_on(tmp_path, next_row, rows):
    # Word and LibreOffice draw a rule at the break under a row they split (its text running on to
    # that rule) and repeat the header
    assert _cut_table(tmp_path / "cut.pdf", RUNS_ON, next_row, closed=True) == rows


@pytest.mark.parametrize(
    ("last", "rows"),
    [
        # a cell's text runs on: a cut row, even where the break falls between two items of another cell
        (RUNS_ON, [("広報の強化重症化予防", FULL_CELL + "受診勧奨を行う。", "前年度以上前年度以上")]),
        # every cell finished: a table broken between two rows and left open (LibreOffice, in a frame's cell)
        (
            [["広報の強化"], ["広報を行う。"], ["前年度以上"]],
            [("広報の強化", "広報を行う。", "前年度以上"), ("重症化予防", "受診勧奨を行う。", "前年度以上")],
        ),
    ],
)
def test_a_row_left_open_at_the_break_is_one_row_where_a_cell_runs_on(tmp_path, last, rows):
    # browsers leave a row they split open at the break on both pages
    assert _cut_table(tmp_path / "cut.pdf", last, [["重症化予防"], ["受診勧奨を行う。"], ["前年度以上"]], closed=False) == rows


def test_a_row_left_open_at_the_break_goes_on_under_the_header_repeated_on_the_next_page(tmp_path):
    # a browser repeats a table's header row (thead) on every page, so the rest of the cut row starts below its rule
    rows = _cut_table(tmp_path / "cut.pdf", RUNS_ON, [[], ["続きの文章である。"], []], closed=False, header=True, foot=20)
    assert rows == [("広報の強化", FULL_CELL + "続きの文章である。", "前年度以上")]


def _lines_pdf(path: Path, lines: list[tuple[float, str]], *, size: float = 10.5, pitch: float = 1.6) -> Path:
    """One page of text lines, each at (x, text), ``pitch`` line heights apart; a line of text None is left blank."""
    c = Canvas(str(path), pagesize=A4)
    c.setFont(FONT, size)
    y = 760.0
    for x, text in lines:
        if text is not None:
            c.drawString(x, y, text)
        y -= size * pitch
    c.save()
    return path


# A paragraph indented by one character on its first line, 40 characters to a full line (72 → 492 pt at 10.5 pt).
FULL = 40
_P = "あ" * (FULL - 1)


@pytest.mark.parametrize(
    "wrapped",
    ["※１の拡充により、さらに利用を広げる。", "（※４）以上とする。", "●％）以上とする。"],
)
def test_a_wrap_that_starts_with_a_label_like_token_stays_in_its_paragraph(tmp_path, wrapped):
    pdf = _lines_pdf(
        tmp_path / "wrap.pdf",
        [(82.5, _P), (72, "い" * FULL), (72, "う" * FULL), (72, wrapped), (72, "※１　振替サービスとは、レセプトを振り替える仕組み。")],
    )
    blocks = api.extract(pdf).documents[0].blocks
    assert [(b.kind, b.label) for b in blocks] == [("paragraph", ""), ("note", "※１")]
    assert blocks[0].text == _P + "い" * FULL + "う" * FULL + wrapped


def test_a_line_broken_by_hand_at_a_comma_stays_in_its_paragraph_or_item(tmp_path):
    # Shift+Enter in Word: the line stops short at a 、 and its sentence goes on at the wrap's place
    lines = [
        (82.5, "加入者及び事業主の意見に基づく運営を行い、"),
        (72, "健全な財政運営に努める。"),
        (82.5, "次の段落は字下げで始まる。"),
        (72, "・健診の受診勧奨を行い、"),
        (82.5, "受診率の向上を図る。"),
        (72, "・広報を強化する。"),
        (82.5, "財政状況を分析する。"),
    ]
    blocks = api.extract(_lines_pdf(tmp_path / "broken.pdf", lines)).documents[0].blocks
    assert [(b.kind, b.text) for b in blocks] == [
        ("paragraph", "加入者及び事業主の意見に基づく運営を行い、健全な財政運営に努める。"),
        ("paragraph", "次の段落は字下げで始まる。"),
        ("bullet", "健診の受診勧奨を行い、受診率の向上を図る。"),
        ("bullet", "広報を強化する。"),
        ("paragraph", "財政状況を分析する。"),
    ]


def test_a_wrap_pushed_down_inside_a_sentence_stays_in_its_paragraph(tmp_path):
    # QtWebKit pushes a line that would cross its page break down by a line height or so, on the same
    # page: a sentence cut at the margin goes on below the gap; after a finished sentence the gap parts two
    c = Canvas(str(tmp_path / "pushed.pdf"), pagesize=A4)
    c.setFont(FONT, 10.5)
    for x, y, text in [(82.5, 760, _P), (72, 743.2, "い" * FULL), (72, 716.2, "う" * 10 + "。"), (82.5, 689.2, "え" * 12 + "。")]:
        c.drawString(x, y, text)
    c.save()
    blocks = api.extract(tmp_path / "pushed.pdf").documents[0].blocks
    assert [b.text for b in blocks] == [_P + "い" * FULL + "う" * 10 + "。", "え" * 12 + "。"]


def test_a_numbered_line_after_a_finished_sentence_starts_a_block_even_where_the_wraps_sit(tmp_path):
    done, after = "あ" * (FULL - 2) + "。", "い" * 10 + "。"
    pdf = _lines_pdf(tmp_path / "after.pdf", [(82.5, done), (72, "（１）財政の安定に向けた取組"), (82.5, after)])
    blocks = api.extract(pdf).documents[0].blocks
    assert [(b.label, b.text) for b in blocks] == [("", done), ("（１）", "財政の安定に向けた取組"), ("", after)]


def test_headings_set_in_the_body_font_under_larger_ones_are_headings_where_the_next_block_nests(tmp_path):
    # an office that sets its level-1 headings larger and the levels below in the body's 明朝 and size
    c = Canvas(str(tmp_path / "plain.pdf"), pagesize=A4)
    y = 760.0
    for x, size, text in [
        (72, 12, "１．基本業務の確実な遂行"),
        (82.5, 10.5, "（１）財政の安定に向けた取組"),
        (93, 10.5, "①申請処理の迅速化"),
        (103.5, 10.5, "・傷病手当金の申請を受付から１０日以内に処理する。"),
        (93, 10.5, "②相談体制の充実"),
        (103.5, 10.5, "届出や申請の処理を正確に行い、問い合わせには一度で分かる説明を心がけ"),
        (103.5, 10.5, "る。"),
        (82.5, 10.5, "（２）次の取組を行う"),
        (93, 10.5, "①健診の受診勧奨"),
        (93, 10.5, "②広報の強化"),
    ]:
        c.setFont(FONT, size)
        c.drawString(x, y, text)
        y -= 16.8
    c.save()
    blocks = api.extract(tmp_path / "plain.pdf").documents[0].blocks
    assert [(b.kind, b.level, b.label) for b in blocks] == [
        ("heading", 1, "１．"),
        ("heading", 2, "（１）"),
        ("heading", 3, "①"),
        ("bullet", None, "・"),
        ("heading", 3, "②"),
        ("paragraph", None, ""),
        ("heading", 2, "（２）"),
        ("numbered", None, "①"),  # a list of short items nests nothing: numbered items
        ("numbered", None, "②"),
    ]


@pytest.mark.parametrize("pitch", [1.15, 1.6, 2.0, 2.2])
def test_double_spaced_wraps_stay_in_their_paragraph_and_a_blank_line_still_parts_two(tmp_path, pitch):
    # an office that sets its plan double-spaced puts each wrap a line height below the line it wraps
    first = [(82.5, _P), (72, "い" * FULL), (72, "う" * FULL), (72, "え" * 10 + "。")]
    second = [(82.5, _P), (72, "か" * FULL), (72, "き" * 12 + "。")]
    pdf = _lines_pdf(tmp_path / "spaced.pdf", [*first, (72, None), *second], pitch=pitch)
    blocks = api.extract(pdf).documents[0].blocks
    assert [b.text for b in blocks] == ["".join(t for _, t in first), "".join(t for _, t in second)]


def test_a_note_after_a_finished_sentence_starts_an_item(tmp_path):
    pdf = _lines_pdf(tmp_path / "note.pdf", [(82.5, _P), (72, "い" * (FULL - 1) + "。"), (72, "※１　振り替える仕組み。")])
    blocks = api.extract(pdf).documents[0].blocks
    assert [(b.kind, b.label) for b in blocks] == [("paragraph", ""), ("note", "※１")]


def test_a_bullet_that_fills_its_line_is_followed_by_the_next_bullet(tmp_path):
    pdf = _lines_pdf(tmp_path / "bullets.pdf", [(72, "・" + "え" * (FULL - 1)), (72, "・次の取組を行う"), (72, "・その次の取組を行う")])
    blocks = api.extract(pdf).documents[0].blocks
    assert [b.kind for b in blocks] == ["bullet", "bullet", "bullet"]


def test_a_line_left_of_an_item_that_fills_its_line_is_not_its_wrap(tmp_path):
    # ■ KPI：… runs to the margin; the outdented heading under it starts a block of its own
    pdf = _lines_pdf(tmp_path / "kpi.pdf", [(93, "■ＫＰＩ：" + "お" * (FULL - 7)), (72, "Ⅲ）ＤＸの推進"), (93, "・次の取組を行う")])
    blocks = api.extract(pdf).documents[0].blocks
    assert blocks[0].kind == "kpi"
    assert [(b.label, b.text) for b in blocks[1:]] == [("Ⅲ）", "ＤＸの推進"), ("・", "次の取組を行う")]


def test_a_field_table_with_a_short_last_page_keeps_every_page():
    table = SAMPLES / "sample-r7.fieldtable.pdf"
    r = api.extract(table)
    assert {b.page for b in r.documents[0].blocks} == set(range(1, r.pages + 1))
    assert r.documents[0].label == "" and r.documents[0].title == "サンプル支部 令和７年度 事業計画"
    c = api.compare(SAMPLES / "sample-r7.plan.pdf", table)
    assert c.summary["added"] == c.summary["deleted"] == 0, c.summary


def _field_page(c: Canvas, rows: list[tuple[str, list[str]]], *, closed: bool) -> None:
    """One page of a 分野 | 実施内容等 frame: its header, then (area, body lines) rows down to the page's last row.

    The last row is filled to its end: its last line sits 1.7 pt above the
    rule that closes it (``closed``, as Word and LibreOffice close a row
    they split) or above nothing (as browsers leave it).
    """
    xs, top, bottom = (56.0, 150.0, 540.0), 800.0, 80.0
    c.setFont(FONT, 10.5)
    c.setLineWidth(0.75)
    c.drawString(xs[0] + 4, top - 14, "分野")
    c.drawString(xs[1] + 4, top - 14, "実施内容等")
    ys = [top, top - 20]
    for k, (area, body) in enumerate(rows):
        last = k == len(rows) - 1
        height = 16.0 * len(body) + 4 if not last else ys[-1] - bottom
        y0 = ys[-1] - 14 if not last else bottom + 3 + 16.0 * (len(body) - 1)
        c.drawString(xs[0] + 4, y0, area)
        for i, text in enumerate(body):
            c.drawString(xs[1] + 4, y0 - 16 * i, text)
        ys.append(ys[-1] - height)
    for y in ys if closed else ys[:-1]:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, top, x, bottom)


@pytest.mark.parametrize("closed", [True, False])
@pytest.mark.parametrize(
    ("cut_name", "rest", "areas"),
    [
        ("３．保険者機能の", "強化を支える組織", ["１．基盤的業務", "３．保険者機能の強化を支える組織"]),  # the name runs on to the break
        ("３．組織運営", "４．その他", ["１．基盤的業務", "３．組織運営", "４．その他"]),  # the name ended
    ],
)
def test_an_area_name_the_page_break_cut_is_one_area(tmp_path, closed, cut_name, rest, areas):
    path = tmp_path / "field.pdf"
    c = Canvas(str(path), pagesize=A4)
    _field_page(c, [("１．基盤的業務", ["業務を適正に行う。"] * 3), (cut_name, ["Ⅰ）人事・組織"])], closed=closed)
    c.showPage()
    _field_page(c, [(rest, ["職員の育成を図る。"] * 3)], closed=True)
    c.save()
    r = api.extract(path, config=ExtractConfig(layout="fieldtable"))
    assert [b.text for b in r.documents[0].blocks if b.kind == "heading" and b.level == 1] == [a[2:] for a in areas]


def test_latin_words_placed_without_space_characters_keep_their_spaces(tmp_path):
    c = Canvas(str(tmp_path / "words.pdf"), pagesize=A4)
    c.setFont("Helvetica", 10.5)
    x = 72.0
    for word in ["Codes", "are", "assigned", "either", "manually", "or", "semi-automatically."]:
        c.drawString(x, 700, word)
        x += c.stringWidth(word, "Helvetica", 10.5) + 0.25 * 10.5  # a word space, but no space character
    c.save()
    assert api.extract(tmp_path / "words.pdf").documents[0].blocks[0].text == "Codes are assigned either manually or semi-automatically."


def test_in_a_plan_printed_in_gothic_only_the_heavier_face_makes_a_heading(tmp_path):
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    c = Canvas(str(tmp_path / "gothic.pdf"), pagesize=A4)
    text = c.beginText(72, 760)
    plan = [  # (stroked, label, text)
        (True, "１．", "基本業務の確実な遂行"),
        (False, "①", "給付を適正に行う。"),
        (False, "②", "債権を回収する。"),
        (True, "２．", "健康づくり"),
        (False, "①", "健診を勧める。"),
    ]
    for stroked, label, line in plan:
        text.setFont("HeiseiKakuGo-W5", 10.5)
        text.setTextRenderMode(2 if stroked else 0)  # Word's bold for a face without a bold weight: stroked outlines
        text.textLine(label + line)
        text.moveCursor(0, 6)
    c.drawText(text)
    c.save()
    blocks = api.extract(tmp_path / "gothic.pdf").documents[0].blocks
    assert [(b.kind, b.label, b.text) for b in blocks] == [("heading" if s else "numbered", label, t) for s, label, t in plan]


@pytest.mark.parametrize("source", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_a_page_turned_by_rotate_reads_as_displayed(tmp_path, rotation, source):
    """Content drawn turned in a portrait page, with /Rotate making it upright (as scanners and some printers write it)."""
    import pypdfium2 as pdfium

    path = tmp_path / "turned.pdf"
    c = Canvas(str(path), pagesize=A4)
    turn = {90: (W, 0, 90), 180: (W, H, 180), 270: (0, H, -90)}.get(rotation)
    if turn:
        c.translate(turn[0], turn[1])
        c.rotate(turn[2])
    c.setFont(FONT, 12)
    top = (W if rotation in (90, 270) else H) - 72
    plan = [("１．", "基本業務の確実な遂行"), ("①", "給付を適正に行う。"), ("②", "債権を回収する。")]
    for k, (label, text) in enumerate(plan):
        c.drawString(72, top - 20 * k, label + text)
    c.save()
    pdf = pdfium.PdfDocument(path)
    pdf[0].set_rotation(rotation)
    pdf.save(tmp_path / "rotated.pdf")
    pdf.close()
    blocks = api.extract(tmp_path / "rotated.pdf", config=ExtractConfig(source=source, layout="plan")).documents[0].blocks
    assert [(b.label, b.text) for b in blocks] == plan


def test_a_thin_glyph_keeps_the_height_of_its_line():
    """Chromium's print: PDFium's box of 一 is its 1.1 pt bar (no usable ascent/descent); the line stays one line."""
    from extractors.sources import open_source

    pdf = SAMPLES / "producers" / "chromium" / "sample-r7.plan.pdf"
    src = open_source(pdf)
    try:
        page = next(iter(src.pages()))
    finally:
        src.close()
    i = next(k for k, c in enumerate(page.chars) if c.text == "一")
    bar, before = page.chars[i], page.chars[i - 1]
    assert bar.bottom - bar.top == pytest.approx(before.bottom - before.top, rel=0.2)
    blocks = api.extract(pdf).documents[0].blocks
    assert ("heading", "KPI一覧表") in [(b.kind, b.text) for b in blocks]
    assert any(b.kind == "paragraph" and "問い合わせには一度で分かる説明を心がける。" in b.text for b in blocks)


def test_a_page_of_twenty_thousand_rectangles_reads_in_bounded_time(tmp_path):
    """Grouping touching rules is near-linear (a spatial hash): this page took minutes when every pair was compared."""
    import random
    import time

    rng = random.Random(1)
    c = Canvas(str(tmp_path / "rects.pdf"), pagesize=A4)
    for _ in range(20_000):
        c.rect(rng.uniform(20, 560), rng.uniform(20, 800), rng.uniform(3, 30), rng.uniform(3, 30), stroke=1, fill=0)
    c.setFont(FONT, 10.5)
    c.drawString(72, 60, "以上")
    c.save()
    start = time.monotonic()
    r = api.extract(tmp_path / "rects.pdf")
    assert time.monotonic() - start < 60  # a ceiling against the quadratic case, not a speed target
    assert any("以上" in b.text or any("以上" in cell for row in b.rows for cell in row) for b in r.documents[0].blocks)


@pytest.mark.parametrize("source", ["pdfium", "pdfplumber"])
def test_a_slanted_watermark_and_text_off_the_page_are_not_read(tmp_path, source):
    path = tmp_path / "watermark.pdf"
    c = Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 10.5)
    c.drawString(72, 760, "健全な財政運営について加入者へ情報提供を行う。")
    c.saveState()
    c.setFillGray(0.85)
    c.setFont(FONT, 60)
    c.translate(300, 700)
    c.rotate(40)  # 取扱注意 across the lines, as offices stamp drafts
    c.drawCentredString(0, 0, "取扱注意")
    c.restoreState()
    c.drawString(72, 740, "・加入者の利便性の向上を図る。")
    c.drawString(W + 20, 720, "版面の外の文字")
    c.save()
    blocks = api.extract(path, config=ExtractConfig(source=source)).documents[0].blocks
    assert [b.label + b.text for b in blocks] == ["健全な財政運営について加入者へ情報提供を行う。", "・加入者の利便性の向上を図る。"]


def _frame_pages_pdf(path: Path, pages: list[tuple[bool, list[tuple[str, str]]]]) -> Path:
    """A 分野 | 実施内容等 frame over pages: (header and row rules on the page?, rows of (area, text)) per page.

    A page without rules is how QtWebKit prints the middle of a row taller
    than a page: only the frame's three verticals, from the top margin to the bottom one.
    """
    c = Canvas(str(path), pagesize=A4)
    xs = (57.0, 150.0, 540.0)
    for ruled, rows in pages:
        c.setFont(FONT, 10.5)
        c.setLineWidth(0.75)
        top, bottom = 785.0, 60.0
        for x in xs:
            c.line(x, top, x, bottom)
        y = top
        if ruled:
            c.line(xs[0], y, xs[-1], y)
            c.drawString(xs[0] + 20, y - 15, "分野")
            c.drawString(xs[1] + 180, y - 15, "実施内容等")
            y -= 22
            c.line(xs[0], y, xs[-1], y)
        for area, text in rows:
            c.drawString(xs[0] + 4, y - 15, area)
            c.drawString(xs[1] + 4, y - 15, text)
            y -= 40
            if ruled:
                c.line(xs[0], y, xs[-1], y)
        c.showPage()
    c.save()
    return path


def test_a_frame_continued_over_a_page_without_any_rule_keeps_that_page(tmp_path):
    pdf = _frame_pages_pdf(
        tmp_path / "frame.pdf",
        [
            (True, [("１．基本業務", "・窓口の受付時間を延長する。"), ("２．健康づくり", "・健診の案内を送付する。")]),
            (False, [("", "・案内の効果を検証する。"), ("", "・次年度の計画に反映する。")]),
        ],
    )
    r = api.extract(pdf)
    assert r.layout == "fieldtable"
    blocks = r.documents[0].blocks
    assert [b.text for b in blocks if b.page == 2] == ["案内の効果を検証する。", "次年度の計画に反映する。"]


def test_a_field_table_whose_rows_fill_most_pages_is_detected_as_one(tmp_path):
    """Most pages inside one tall row, with no rule across them: they vote for the frame of the page before."""
    pdf = _frame_pages_pdf(
        tmp_path / "tall.pdf",
        [(True, [("１．基本業務", "・窓口の受付時間を延長する。")])] + [(False, [("", f"・第{k}の取組を行う。")]) for k in (2, 3)],
    )
    r = api.extract(pdf)
    assert r.layout == "fieldtable"
    assert [b.text for b in r.documents[0].blocks if b.page == 3] == ["第3の取組を行う。"]


def test_a_box_of_one_column_is_no_frame_of_two(tmp_path):
    """One boxed column read as a side-by-side table or a field table gives its text, not a traceback."""
    c = Canvas(str(tmp_path / "box.pdf"), pagesize=A4)
    c.setFont(FONT, 10.5)
    c.rect(57, 60, 483, 725, stroke=1, fill=0)
    for k, y in enumerate((700.0, 600.0, 500.0)):
        c.line(57, y, 540, y)
        c.drawString(70, y + 20, f"・第{k + 1}の取組を行う。")
    c.save()
    for layout in ("sidebyside", "fieldtable"):
        api.extract(tmp_path / "box.pdf", config=ExtractConfig(layout=layout))


PRINTS = SAMPLES / "producers"


def _pages(pdf: Path) -> list:
    from extractors.sources import open_source

    src = open_source(pdf)
    try:
        return list(src.pages())
    finally:
        src.close()


def test_rules_are_cut_to_their_clip_path():
    """QtWebKit paints a table's borders on every page it spans, clipped to the page's content area (top margin 57 pt)."""
    for page in _pages(PRINTS / "wkhtmltopdf" / "sample-r7-vs-r6.sidebyside.pdf"):
        assert min(r.top for r in page.rules) >= 57.0 - 3.0, page.number
        assert max(r.bottom for r in page.rules) <= page.height - 51.0 + 3.0, page.number


def test_a_page_background_filled_white_draws_no_frame():
    """QtWebKit fills the content area white first: its edges are on no paper, so the frame is the field table's own two columns."""
    from extractors.frames import framed_rows

    rows = framed_rows(_pages(PRINTS / "wkhtmltopdf" / "sample-hq-r7.fieldtable.pdf"))[0]
    assert rows and {len(r.cells) for r in rows} == {2}


def test_a_weight_made_up_from_stemv_does_not_make_the_body_bold():
    """Ghostscript writes no /FontWeight and a loose /StemV: PDFium's weight for its IPAex Mincho would be 740 (bold)."""
    from extractors.page import BOLD

    page = _pages(PRINTS / "ghostscript" / "sample-hq-r7.plan.pdf")[0]
    body = [c for c in page.chars if c.size == 10.5 and not c.text.isspace()]
    assert sum(c.weight == BOLD for c in body) < 0.2 * len(body)


def test_a_label_box_against_its_content_box_is_no_field_table():
    """QtWebKit leaves out the flex gap: a slide's label box touches its content box, a header row with nothing below it."""
    r = api.extract(PRINTS / "wkhtmltopdf" / "sample-slides-r7.slides.pdf")
    assert r.layout == "slides"
    headings = [b.text for b in r.documents[0].blocks if b.kind == "heading"]
    assert headings[:3] == ["サービス水準の向上", "令和７年度KPI", "今年度の取組み状況"]


@pytest.mark.parametrize("source", ["pdfium", "pdfplumber"])
def test_a_note_mark_set_small_and_raised_stays_in_its_line(tmp_path, source):
    # Word's superscript: 「…向上させる※１とともに…」 with ※１ at 6 pt, 4 pt above the baseline
    path = tmp_path / "superscript.pdf"
    c = Canvas(str(path), pagesize=A4)
    head, mark, tail = "特定健診の実施率を向上させる", "※１", "とともに、受診勧奨を行う。"
    x = 72 + pdfmetrics.stringWidth(head, FONT, 10.5)
    c.setFont(FONT, 10.5)
    c.drawString(72, 760, head)
    c.setFont(FONT, 6)
    c.drawString(x, 764, mark)
    c.setFont(FONT, 10.5)
    c.drawString(x + pdfmetrics.stringWidth(mark, FONT, 6), 760, tail)
    c.drawString(72, 740, "・次の取組を行う。")
    c.save()
    blocks = api.extract(path, config=ExtractConfig(source=source)).documents[0].blocks
    assert [(b.label, b.text) for b in blocks] == [("", head + mark + tail), ("・", "次の取組を行う。")]


def test_ruby_set_over_a_word_is_not_a_paragraph(tmp_path):
    # furigana: かにゅうしゃ at half size sitting on 加入者's line
    path = tmp_path / "ruby.pdf"
    c = Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 10.5)
    first = "加入者の" + "あ" * (FULL - 4)
    c.drawString(72, 760, first)
    c.setFont(FONT, 5.25)
    c.drawString(72, 770, "かにゅうしゃ")
    c.setFont(FONT, 10.5)
    c.drawString(72, 742, "ように行う。")
    c.drawString(72, 724, "・次の取組を行う。")
    c.save()
    blocks = api.extract(path).documents[0].blocks
    assert [(b.label, b.text) for b in blocks] == [("", first + "ように行う。"), ("・", "次の取組を行う。")]
