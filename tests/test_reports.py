"""Reports: the HTML table (parsed), the Word table, the Excel sheet, CSV, Markdown, JSON."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime

import lxml.html
import openpyxl
import pandas as pd
import pytest
from conftest import DATA, SAMPLES
from docx import Document as open_docx
from docx.oxml.ns import qn

from pipeline import api
from pipeline.exceptions import ConfigError
from reports.tabular import COLUMNS
from reports.view import ReportConfig

QUIET = ReportConfig(timestamp=False)


@pytest.fixture(scope="module")
def comparison():
    return api.compare(SAMPLES / "sample-r6.plan.pdf", SAMPLES / "sample-r7.plan.pdf")


@pytest.fixture(scope="module")
def page(comparison):
    return lxml.html.fromstring(api.render_compare(comparison, "html", report=QUIET))


def body_rows(page):
    return page.xpath('//table[@class="taisho"]/tbody[not(@class="omitted")]/tr')


def row_with(page, text):
    hits = [tr for tr in body_rows(page) if text in tr.text_content()]
    assert len(hits) == 1, text
    return hits[0]


def cell(tr, col):
    return tr.xpath(f'./td[@class="{col}"]')[0]


def test_header_row_says_new_and_old_with_their_years_then_remarks(page):
    heads = [th.text_content() for th in page.xpath('//table[@class="taisho"]/thead/tr/th')]
    assert heads == ["新（令和７年度）", "旧（令和６年度）", "備考"]


def test_a_legend_explains_the_marks(page):
    legend = page.xpath('//p[@class="legend"]')[0]
    assert legend.xpath('.//u[@class="ins"]')[0].text == "下線部"
    assert "【新設】＝新たに設けた項目" in legend.text_content() and "（削除）＝削除した項目" in legend.text_content()


def test_old_left_swaps_the_columns(comparison):
    page = lxml.html.fromstring(api.render_compare(comparison, "html", report=ReportConfig(old_left=True, timestamp=False)))
    heads = [th.get("class") for th in page.xpath('//table[@class="taisho"]/thead/tr/th')]
    assert heads == ["col-old", "col-new", "col-remarks"]
    first = body_rows(page)[0]
    assert [td.get("class") for td in first.xpath("./td")] == ["old", "new", "remarks"]


def test_one_row_per_item_in_the_new_documents_order(page, comparison):
    rows = body_rows(page)
    assert len(rows) == len(comparison.rows)
    assert [tr.get("data-status") for tr in rows] == [r.status for r in comparison.rows]


def test_changed_words_underlined_on_the_new_side_and_marked_on_the_old(page):
    tr = row_with(page, "郵送による申請の割合を９６．５％")
    assert [u.text for u in cell(tr, "new").xpath(".//u")] == ["９６．５％"]
    assert [d.text for d in cell(tr, "old").xpath(".//del")] == ["９５．８％"]
    assert "９５．８％ → ９６．５％" in cell(tr, "remarks").text_content()


def test_added_deleted_moved_and_renumbered_rows(page):
    added = row_with(page, "電子申請の利用方法を動画で紹介する")
    assert cell(added, "old").text_content().strip() == "【新設】"
    assert cell(added, "new").xpath(".//u")
    deleted = row_with(page, "窓口の開設時間を延長する")
    assert cell(deleted, "new").text_content().strip() == "（削除）"
    assert cell(deleted, "old").xpath(".//del")
    moved = row_with(page, "業務の手順書を見直し")
    assert "移動（旧: ①申請処理の迅速化 → 新: （２）人材の育成）" in cell(moved, "remarks").text_content()
    renumbered = next(tr for tr in body_rows(page) if cell(tr, "new").text_content() == "②債権の回収")
    assert cell(renumbered, "new").xpath(".//u")[0].text == "②"
    assert cell(renumbered, "old").xpath(".//del")[0].text == "③"
    assert "番号変更 ③ → ②" in cell(renumbered, "remarks").text_content()


def test_headings_are_rows_of_their_own_with_their_labels(page):
    heads = page.xpath('//tr[contains(@class, "heading")]/td[@class="new"]')
    assert [h.text_content() for h in heads[:3]] == ["【サンプル支部の使命】", "１．基本業務の確実な遂行", "（１）財政の安定に向けた取組"]


def test_summary_counts_and_links_to_every_change(page, comparison):
    total = page.xpath('//table[@class="counts"]/tbody/tr[@class="total"]/td')
    assert [int(td.text) for td in total] == list(comparison.summary.values())
    links = {a.get("href")[1:] for a in page.xpath('//details[@class="links"]//a')}
    changes = {tr.get("id") for tr in body_rows(page) if tr.get("data-status") != "unchanged"}
    assert links == changes


def test_unchanged_runs_collapse_to_ryaku_in_the_changes_only_view(page):
    bodies = page.xpath('//table[@class="taisho"]/tbody')
    for k, tb in enumerate(bodies):
        if tb.get("class") == "run-same":
            assert bodies[k + 1].get("class") == "omitted"
            assert bodies[k + 1].text_content().strip() == "（略）"
            assert {tr.get("data-status") for tr in tb.xpath("./tr")} == {"unchanged"}
    assert page.xpath('//input[@id="changes-only"]') and page.xpath('//input[@id="hide-notation"]')
    notation = page.xpath('//tbody[@class="run-notation"]/tr')
    assert notation and all("notation" in tr.get("class") for tr in notation)


def test_page_is_self_contained_and_prints_a4_landscape(comparison):
    html = api.render_compare(comparison, "html", report=QUIET)
    page = lxml.html.fromstring(html)
    assert not page.xpath("//link | //script[@src] | //img")
    assert "http://" not in html and "https://" not in html
    css = page.xpath("//style")[0].text
    assert "size: A4 landscape" in css and "display: table-header-group" in css and "break-inside: avoid" in css


def test_reports_are_deterministic_and_the_timestamp_can_be_switched_off(comparison):
    import time

    formats = ("html", "docx", "xlsx", "csv", "md", "json")
    first = [api.render_compare(comparison, fmt, report=QUIET) for fmt in formats]
    time.sleep(1.1)  # writers that stamp the clock at save time would differ now
    again = [api.render_compare(comparison, fmt, report=QUIET) for fmt in formats]
    for fmt, a, b in zip(formats, first, again, strict=True):
        assert a == b, fmt
    stamped = api.render_compare(comparison, "html", report=ReportConfig(now=datetime(2026, 4, 1, 9, 30)))
    assert "作成: 2026-04-01 09:30" in stamped
    assert "作成:" not in api.render_compare(comparison, "html", report=QUIET)


# -- Word ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def word(comparison):
    return open_docx(io.BytesIO(api.render_compare(comparison, "docx", report=QUIET)))


def test_docx_is_a4_landscape_with_a_repeating_header_row(word, comparison):
    sec = word.sections[0]
    assert sec.page_width > sec.page_height
    assert round(sec.page_width.mm) == 297 and round(sec.page_height.mm) == 210
    table = word.tables[0]
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in header.cells] == ["新（令和７年度）", "旧（令和６年度）", "備考"]
    assert len(table.rows) == 1 + len(comparison.rows)
    footer = sec.footer.paragraphs[0]
    assert footer.text.startswith("サンプル支部 令和７年度 事業計画 新旧対照表")
    assert [i.text.strip() for i in footer._p.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]


def test_docx_underlines_changed_words_on_both_sides_and_writes_markers(word, comparison):
    rows = word.tables[0].rows[1:]
    kpi = next(r for r in rows if "郵送による申請の割合を９６．５％" in r.cells[0].text)
    assert [run.text for run in kpi.cells[0].paragraphs[0].runs if run.underline] == ["９６．５％"]
    assert [run.text for run in kpi.cells[1].paragraphs[0].runs if run.underline] == ["９５．８％"]
    assert not [run for run in kpi.cells[1].paragraphs[0].runs if run.font.strike]
    struck = open_docx(io.BytesIO(api.render_compare(comparison, "docx", report=ReportConfig(timestamp=False, old_marks="strike"))))
    kpi = next(r for r in struck.tables[0].rows[1:] if "郵送による申請の割合を９６．５％" in r.cells[0].text)
    assert [run.text for run in kpi.cells[1].paragraphs[0].runs if run.font.strike] == ["９５．８％"]
    added = next(r for r in rows if "電子申請の利用方法を動画で紹介する" in r.cells[0].text)
    assert added.cells[1].text == "【新設】"
    deleted = next(r for r in rows if "窓口の開設時間を延長する" in r.cells[1].text)
    assert deleted.cells[0].text == "（削除）"


# -- Excel and CSV -------------------------------------------------------------


def test_xlsx_has_a_frozen_filterable_header_and_one_row_per_item(comparison):
    data = api.render_compare(comparison, "xlsx", report=QUIET)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == ws.dimensions
    assert [c.value for c in ws[1]] == COLUMNS
    df = pd.read_excel(io.BytesIO(data))
    assert len(df) == len(comparison.rows)
    kpi = df[df["新"].fillna("").str.contains("郵送による申請の割合を９６．５％")].iloc[0]
    assert (kpi["状態"], kpi["数値"], kpi["旧頁"], kpi["新頁"]) == ("変更", "９５．８％→９６．５％", 1, 1)
    assert kpi["区分"] == "１．基本業務の確実な遂行 > （２）サービスの質の向上 > ①申請処理の迅速化"
    assert (df["表記のみ"] == "○").sum() == 1 and (df["番号変更"] == "○").sum() >= 1
    assert set(df["状態"]) == {"変更なし", "変更", "新設", "削除", "移動"}
    assert df["コメント"].isna().all()
    moved = df[df["状態"] == "移動"].iloc[0]
    assert moved["理由"] == "文書の順序で対応、移動（旧: ①申請処理の迅速化 → 新: （２）人材の育成）"


def test_xlsx_header_is_bold_and_filled_changed_words_are_marked_and_it_prints_a4_landscape(comparison):
    data = api.render_compare(comparison, "xlsx", report=QUIET)
    ws = openpyxl.load_workbook(io.BytesIO(data), rich_text=True).active
    assert all(c.font.bold and c.fill.fgColor.rgb.endswith("D9D9D9") for c in ws[1])
    new_col, old_col = COLUMNS.index("新"), COLUMNS.index("旧")
    row = next(r for r in ws.iter_rows(min_row=2) if "郵送による申請の割合を９６．５％" in str(r[new_col].value))
    marked = [(b.text, b.font.u) for b in row[new_col].value if not isinstance(b, str)]
    assert marked == [("９６．５％", "single")]
    assert [b.text for b in row[old_col].value if not isinstance(b, str) and b.font.u == "single"] == ["９５．８％"]
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.print_title_rows == "$1:$1" and ws.sheet_properties.pageSetUpPr.fitToPage


def test_csv_is_utf8_with_bom_and_matches_the_sheet(comparison):
    data = api.render_compare(comparison, "csv", report=QUIET)
    assert data.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(df.columns) == COLUMNS and len(df) == len(comparison.rows)
    assert set(df["状態"]) == {"変更なし", "変更", "新設", "削除", "移動"}


def test_xlsx_and_docx_packages_have_fixed_entry_times(comparison):
    for fmt in ("xlsx", "docx"):
        z = zipfile.ZipFile(io.BytesIO(api.render_compare(comparison, fmt, report=QUIET)))
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# -- text from a PDF is data -----------------------------------------------------


@pytest.fixture(scope="module")
def markup():
    return api.compare(DATA / "markup-r6.plan.pdf", DATA / "markup-r7.plan.pdf")


def test_markup_in_a_pdf_stays_text_in_html(markup):
    html = api.render_compare(markup, "html", report=QUIET)
    page = lxml.html.fromstring(html)
    assert len(page.xpath("//script")) == 1  # our own view switches, nothing from the PDF
    assert not page.xpath("//b")
    text = page.text_content()
    assert "<script>alert(2)</script>を表示しない。" in text
    assert "{{ 7*7 }}と{% if x %}を2回書く。" in text and "49" not in text
    assert "A&B社と&amp;連携する。" in text


def test_markup_in_a_pdf_stays_text_in_every_other_format(markup):
    word = open_docx(io.BytesIO(api.render_compare(markup, "docx", report=QUIET)))
    cells = [c.text for r in word.tables[0].rows for c in r.cells]
    assert "・<script>alert(2)</script>を表示しない。" in cells
    df = pd.read_excel(io.BytesIO(api.render_compare(markup, "xlsx", report=QUIET)))
    assert "・テンプレート{{ 7*7 }}と{% if x %}を2回書く。" in set(df["新"])
    data = json.loads(api.render_compare(markup, "json"))
    assert any(r["new"]["text"] == "<script>alert(2)</script>を表示しない。" for r in data["rows"])
    md = api.render_compare(markup, "md")
    assert "<script>" not in md and "\\<script\\>alert(" in md


def test_cli_writes_several_reports_by_extension(tmp_path):
    from pipeline import cli

    outs = [tmp_path / f"対照表.{ext}" for ext in ("html", "docx", "xlsx", "csv")]
    args = ["-q", "compare", str(SAMPLES / "sample-r6.plan.pdf"), str(SAMPLES / "sample-r7.plan.pdf"), "--no-timestamp"]
    for o in outs:
        args += ["-o", str(o)]
    assert cli.main(args) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(o.name for o in outs)
    assert outs[0].read_text(encoding="utf-8").startswith("<!doctype html>")


def test_a_deleted_item_is_filed_under_its_own_documents_section(comparison):
    from reports.tabular import comparison_frame

    df = comparison_frame(comparison, QUIET)
    deleted = df[df["旧"].str.contains("扶養している家族の状況", na=False)].iloc[0]
    assert deleted["区分"] == "１．基本業務の確実な遂行 > （３）給付の適正化 > ②被扶養者資格の確認"


def test_table_remarks_name_the_row_and_column_the_difference_and_new_rows(page):
    kpi = next(tr for tr in body_rows(page) if "特定保健指導実施率" in tr.text_content() and tr.xpath(".//table"))
    remarks = [d.text_content() for d in cell(kpi, "remarks").xpath("./div")]
    assert "特定保健指導実施率・KPI: 21.0％ → 22.0％（+1.0ポイント）" in remarks
    assert "表頭の列: 令和４年度 → 令和６年度" in remarks
    marked = [td.text_content() for td in cell(kpi, "new").xpath(".//td[u]")]
    assert marked == ["令和６年度", "61.1％", "62.4％", "20.5％", "22.0％", "95.9％", "96.5％"]  # the new column and the changed KPIs
    budget = next(tr for tr in body_rows(page) if "集団健診会場の追加" in tr.text_content())
    assert "行の追加: 集団健診会場の追加" in cell(budget, "remarks").text_content()
    assert "健診の受診案内・予算額: 7,820千円 → 8,063千円（+243千円）" in cell(budget, "remarks").text_content()


def test_old_side_is_underlined_by_default_and_struck_on_request(comparison):
    css = lxml.html.fromstring(api.render_compare(comparison, "html", report=QUIET)).xpath("//style")[0].text
    assert ".old-underline del.del { text-decoration-line: underline;" in css
    for marks in ("underline", "strike"):
        page = lxml.html.fromstring(api.render_compare(comparison, "html", report=ReportConfig(timestamp=False, old_marks=marks)))
        assert page.xpath("//main")[0].get("class") == f"old-{marks}"
    struck = lxml.html.fromstring(api.render_compare(comparison, "html", report=ReportConfig(timestamp=False, old_marks="strike")))
    assert struck.xpath('//p[@class="legend"]//del')[0].text == "取消線部"
    with pytest.raises(ConfigError, match="--old-marks bold: must be underline or strike"):
        ReportConfig(old_marks="bold")  # type: ignore[arg-type]


def test_wrapped_items_hang_under_their_text_in_html_and_word(page, word):
    tr = row_with(page, "郵送による申請をホームページと広報誌で案内し")
    hang = cell(tr, "new").xpath('./span[@class="hang"]')[0]
    assert [s.get("class") for s in hang.xpath("./span")] == ["lbl", "txt"] and hang.xpath('./span[@class="lbl"]')[0].text == "・"
    para = next(r for r in word.tables[0].rows if "郵送による申請をホームページと広報誌で案内し" in r.cells[0].text).cells[0].paragraphs[0]
    assert para.paragraph_format.left_indent > 0 and para.paragraph_format.first_line_indent == -para.paragraph_format.left_indent


def test_kpi_and_budget_tables_are_real_tables_in_word(word):
    inner = [t for r in word.tables[0].rows for t in r.cells[0].tables]
    heads = [[c.text for c in t.rows[0].cells] for t in inner]
    assert ["項目", "令和５年度", "令和６年度", "KPI"] in heads and ["取組名", "予算額", "備考"] in heads
    kpi = next(t for t in inner if t.rows[0].cells[0].text == "項目")
    underlined = [c.text for r in kpi.rows for c in r.cells if any(run.underline for p in c.paragraphs for run in p.runs)]
    assert underlined[:2] == ["令和６年度", "61.1％"]


def test_markdown_outline_has_no_doubled_bullets():
    md = api.render_extract(api.extract(SAMPLES / "sample-r7.plan.pdf"), "md")
    assert "- 支部の収支状況を四半期ごとに点検し、評議会で分かりやすく報告する。" in md
    assert not [line for line in md.splitlines() if line.startswith(("- ・", "- ○", "- ●"))]


def test_a_branch_against_hq_of_one_year_is_headed_by_the_two_offices():
    c = api.compare(SAMPLES / "sample-hq-r7.plan.pdf", SAMPLES / "sample-r7.plan.pdf")
    page = lxml.html.fromstring(api.render_compare(c, "html", report=QUIET))
    heads = [th.text_content() for th in page.xpath('//table[@class="taisho"]/thead/tr/th')]
    assert heads == ["サンプル支部（令和７年度）", "本部（令和７年度）", "備考"]
