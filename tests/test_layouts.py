"""Side-by-side and field-table samples: detected, split by column, scored against their truth."""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLES

from extractors import ExtractConfig
from pipeline import api


@pytest.fixture(scope="module")
def sbs():
    return api.extract(SAMPLES / "sample-r7-vs-r6.sidebyside.pdf")


def test_sidebyside_is_detected_with_column_labels(sbs):
    assert sbs.layout == "sidebyside"
    assert [d.label for d in sbs.documents] == ["令和７年度（新）", "令和６年度（旧）"]


@pytest.mark.parametrize(("doc", "truth"), [(0, "sample-r7"), (1, "sample-r6")])
def test_each_column_is_a_complete_plan(sbs, doc, truth, scorer):
    plan = json.loads((SAMPLES / f"{truth}.plan.json").read_text(encoding="utf-8"))
    res = scorer.score_extract(plan, sbs.to_dict(), doc)
    assert res["block_f1_strict"] == 1.0, res
    assert res["heading_level_acc"] == 1.0, res


def test_markers_go_on_rows_not_into_the_plans(sbs):
    texts = {b.text for d in sbs.documents for b in d.blocks}
    assert "【新設】" not in texts and "（削除）" not in texts
    new_rows = [r for r in sbs.rows if r.marker_right == "【新設】"]
    added = [sbs.documents[0].blocks[i].text for r in new_rows for i in r.left]
    assert "電子申請の利用方法を動画で紹介する。" in added
    gone = [sbs.documents[1].blocks[i].text for r in sbs.rows if r.marker_left == "（削除）" for i in r.right]
    assert "窓口の開設時間を延長する。" in gone


def test_rows_pair_what_the_author_put_side_by_side(sbs):
    left, right = sbs.documents
    pairs = {
        (left.blocks[r.left[0]].label + left.blocks[r.left[0]].text, right.blocks[r.right[0]].label + right.blocks[r.right[0]].text)
        for r in sbs.rows
        if r.left and r.right
    }
    assert ("②債権の回収", "③債権の回収") in pairs
    assert ("■ KPI：２）郵送による申請の割合を９６．５％以上とする", "■ KPI：２）郵送による申請の割合を９５．８％以上とする") in pairs
    covered = sorted(i for r in sbs.rows for i in r.left)
    assert covered == list(range(len(left.blocks)))


def test_layout_override_reads_a_sidebyside_pdf_as_a_plan():
    r = api.extract(SAMPLES / "sample-r7-vs-r6.sidebyside.pdf", config=ExtractConfig(layout="plan"))
    assert r.layout == "plan" and len(r.documents) == 1


def test_fieldtable_area_names_become_level_1_headings_once(scorer):
    r = api.extract(SAMPLES / "sample-r7.fieldtable.pdf")
    assert r.layout == "fieldtable"
    heads = [(b.label, b.text) for b in r.documents[0].blocks if b.kind == "heading" and b.level == 1]
    assert heads.count(("１．", "基本業務の確実な遂行")) == 1
    assert ("２．", "健康づくりと医療費の適正化") in heads
    plan = json.loads((SAMPLES / "sample-r7.plan.json").read_text(encoding="utf-8"))
    res = scorer.score_extract(plan, r.to_dict(), 0)
    assert res["block_f1_fuzzy"] >= 0.97, res


def test_slides_give_one_section_per_slide_with_tables(scorer):
    r = api.extract(SAMPLES / "sample-slides-r7.slides.pdf")
    assert r.layout == "slides"
    assert r.documents[0].title == "サンプル支部 令和７年度 事業の進捗状況"
    blocks = r.documents[0].blocks
    sections = [(b.label, b.text) for b in blocks if b.kind == "heading" and b.level == 1]
    assert sections == [("１．", "サービス水準の向上"), ("２．", "健診の受診促進"), ("３．", "支部保険者機能強化予算")]
    tables = [b for b in blocks if b.kind == "table"]
    assert len(tables) == 3  # same-shaped tables on consecutive slides stay apart
    assert tables[0].rows[1] == ("サンプル支部", "95.1％", "95.9％", "96.5％")
    truth = json.loads((SAMPLES / "sample-slides-r7.slides.json").read_text(encoding="utf-8"))
    res = scorer.score_extract(truth, r.to_dict(), 0)
    assert res["block_f1_strict"] == 1.0 and res["heading_level_acc"] == 1.0, res


def test_kpi_and_budget_tables_as_dataframes():
    r = api.extract(SAMPLES / "sample-slides-r7.slides.pdf")
    kpi = api.tables(r, kind="kpi", numeric=True)
    budget = api.tables(r, kind="budget", numeric=True)
    assert len(kpi) == 2 and len(budget) == 1
    assert list(kpi[0].columns) == ["列1", "令和５年度", "令和６年度", "令和７年度KPI"]
    assert kpi[1].loc[0, "令和７年度KPI"] == 62.4
    assert budget[0]["予算額"].sum() == 8063 + 2450 + 1200
    assert budget[0].attrs == {"kind": "budget", "page": 3, "document": 0}
