"""History over three fictional years of one branch, made from the R7 sample with known edits per year."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import lxml.html
import openpyxl
import pytest
from conftest import SAMPLES

from pipeline import api, cli, nway
from pipeline.model import Block, ExtractResult

# year → (how the cover writes it, the KPI target, the budget of 健診の受診案内, the mid-year-only item?)
YEARS = {
    5: ("2023（令和５）年度", "６０．０％", "7,500千円", False),
    6: ("R6年度", "６１．２％", "7,820千円", True),
    7: ("令和７年度", "６２．４％", "8,063千円", False),
}
ONLY_R6 = "オンライン説明会を試行する。"
KPI = "生活習慣病予防健診の実施率"


def _year(base: ExtractResult, year: int) -> ExtractResult:
    cover, target, budget, extra = YEARS[year]
    doc = base.documents[0]
    blocks: list[Block] = []
    for b in doc.blocks:
        if b.kind == "kpi" and KPI in b.text:
            b = replace(b, text=b.text.replace("６２．４％", target))
        if b.kind == "table" and b.rows[0][0] == "取組名":
            b = replace(b, rows=tuple((r[0], budget, *r[2:]) if r[0] == "健診の受診案内" else r for r in b.rows))
        blocks.append(b)
        if extra and "電子申請の利用方法" in b.text:
            blocks.append(Block("bullet", ONLY_R6, "・"))
    title = doc.title.replace("令和７年度", cover)
    return replace(base, source=f"r{year}.json", documents=(replace(doc, title=title, blocks=tuple(blocks)),))


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    base = api.extract(SAMPLES / "sample-r7.plan.pdf")
    out = tmp_path_factory.mktemp("history")
    paths = {}
    for year in (7, 5, 6):  # not in year order: history orders them
        paths[year] = out / f"r{year}.json"
        paths[year].write_text(json.dumps(_year(base, year).to_dict(), ensure_ascii=False), encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def history(plans):
    return nway.history(list(plans.values()), jobs=1)


def test_years_come_from_each_plan_in_any_notation(history):
    assert history.years == ("令和5年度", "令和6年度", "令和7年度")
    assert [d.source for d in history.documents] == ["r5.json", "r6.json", "r7.json"]
    assert {d.organisation for d in history.documents} == {"サンプル支部"}


def test_an_item_of_the_middle_year_only(history):
    items = [it for it in history.items if any(b is not None and b.text == ONLY_R6 for b in it.blocks)]
    assert len(items) == 1
    it = items[0]
    assert [b is not None for b in it.blocks] == [False, True, False]
    assert (history.first(it), history.last(it), it.changed_in) == ("令和6年度", "令和6年度", ())
    assert history.items[-1] is it  # gone before the newest year: listed after the newest plan's items


def test_an_item_that_changed_every_year(history):
    (it,) = [it for it in history.items if it.blocks[-1] is not None and KPI in it.blocks[-1].text]
    assert it.changed_in == ("令和6年度", "令和7年度")
    assert history.first(it) == "令和5年度" and history.last(it) == "令和7年度"
    same = [x for x in history.items if x.blocks[-1] is not None and "傷病手当金の申請" in x.blocks[-1].text]
    assert same[0].changed_in == () and all(b is not None for b in same[0].blocks)


def test_kpi_and_budget_series(history):
    (kpi,) = [s for s in history.kpis if s.source == "kpi" and s.name == KPI]
    assert kpi.values == ("６０．０％", "６１．２％", "６２．４％") and kpi.unit == "%" and kpi.wording_changed == ()
    (table,) = [s for s in history.kpis if s.source == "kpi-table" and s.name == "生活習慣病予防健診実施率"]
    assert table.values == ("62.4％", "62.4％", "62.4％")
    (budget,) = [s for s in history.budgets if s.name == "健診の受診案内"]
    assert budget.values == ("7,500千円", "7,820千円", "8,063千円") and budget.unit == "千円"
    flat = [s for s in history.kpis if s.name == "返納金債権の回収率を対前年度以上とする"]
    assert flat and flat[0].values == (None, None, None)


def test_json_schema(history):
    data = json.loads(nway.render_history(history, "json"))
    assert data["schema"] == "plandiff.history/1" and data["years"] == list(history.years)
    assert all(set(it["years"]) == set(history.years) for it in data["items"])
    (kpi,) = [k for k in data["kpis"] if k["name"] == KPI and k["source"] == "kpi"]
    assert kpi["values"] == {"令和5年度": "６０．０％", "令和6年度": "６１．２％", "令和7年度": "６２．４％"}


def test_html_has_an_svg_chart_per_numeric_kpi(history):
    page = lxml.html.fromstring(nway.render_history(history, "html"))
    rows = page.xpath('//table[contains(@class, "kpis")]/tbody/tr')
    (row,) = [r for r in rows if r.xpath("./th")[0].text_content() == KPI and r.get("class") == "src-kpi"]
    circles = row.xpath(".//*[local-name()='svg']//*[local-name()='circle']")
    assert len(circles) == 3
    labels = [t.text for t in row.xpath(".//*[local-name()='svg']//*[local-name()='text']")]
    assert labels[-3:] == ["60%", "61.2%", "62.4%"]
    assert not page.xpath("//script[@src]") and not page.xpath("//link[@href]")


def test_excel_has_a_line_chart_per_kpi(history):
    wb = openpyxl.load_workbook(io.BytesIO(nway.render_history(history, "xlsx", timestamp=False)))
    assert wb.sheetnames == ["items", "kpis", "budgets"]
    ws = wb["kpis"]
    numeric = sum(1 for s in history.kpis if any(s.values))
    assert len(ws._charts) == numeric


def test_two_plans_of_one_year_is_an_error_naming_both(plans, tmp_path, capsys):
    twin = tmp_path / "twin.json"
    twin.write_text(plans[6].read_text(encoding="utf-8"), encoding="utf-8")
    assert cli.main(["history", str(plans[6]), str(twin), "--jobs", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(plans[6]) in err[0] and str(twin) in err[0] and "令和6年度" in err[0]
