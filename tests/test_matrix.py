"""The HQ × branches matrix over the HQ sample and three fictional branch plans made from it with known edits."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import lxml.html
import openpyxl
import pytest
from conftest import SAMPLES

from pipeline import api, cli, nway
from pipeline.exceptions import PlandiffError
from pipeline.model import Block, Comparison, ExtractResult, Matrix
from reports.view import ReportConfig

HQ_PDF = SAMPLES / "sample-hq-r7.plan.pdf"
QUIET = ReportConfig(timestamp=False)


def _find(blocks: list[Block], text: str) -> int:
    hits = [i for i, b in enumerate(blocks) if text in b.text]
    assert len(hits) == 1, text
    return hits[0]


def _edit(blocks: list[Block], text: str, old: str, new: str) -> None:
    i = _find(blocks, text)
    assert old in blocks[i].text
    blocks[i] = replace(blocks[i], text=blocks[i].text.replace(old, new))


def _branch(hq: ExtractResult, org: str, edit) -> ExtractResult:
    doc = hq.documents[0]
    blocks = list(doc.blocks)
    edit(blocks)
    return replace(hq, source=f"{org}.json", documents=(replace(doc, blocks=tuple(blocks), title=f"{org} 令和７年度 事業計画"),))


def _akita(blocks: list[Block]) -> None:
    _edit(blocks, "根拠に基づく意見", "国や都道府県等の会議等", "県等の会議")  # localised wording
    _edit(blocks, "財政の安定に向けた取組", "取組", "取り組み")  # notation only: still 同文
    _edit(blocks, "生活習慣病予防健診の実施率", "６３．９％", "６２．４％")  # a localised KPI target
    del blocks[_find(blocks, "電子申請の利用方法")]  # omitted
    at = _find(blocks, "健診未実施の事業所")
    blocks.insert(at + 1, Block("bullet", "秋田県と協力し、集団健診の会場を５か所に増やす。", "・"))  # own item


def _iwate(blocks: list[Block]) -> None:
    moved = blocks.pop(_find(blocks, "差額通知を年２回送付する"))
    blocks.insert(_find(blocks, "傷病手当金の申請") + 1, moved)  # moved to another section
    del blocks[_find(blocks, "支部ごとの目標値")]  # omitted
    at = _find(blocks, "組織運営と広報")
    blocks.insert(at + 1, Block("bullet", "岩手県内の事業所向けにメールマガジンを毎月配信する。", "・"))
    blocks.insert(at + 2, Block("bullet", "地元の新聞に健康コラムを連載する。", "・"))


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    base = tmp_path_factory.mktemp("matrix")
    hq = api.extract(HQ_PDF)
    paths = []
    for org, edit in (("宮城支部", lambda b: None), ("秋田支部", _akita), ("岩手支部", _iwate)):
        path = base / f"{org}.json"
        path.write_text(json.dumps(_branch(hq, org, edit).to_dict(), ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return base, paths


@pytest.fixture(scope="module")
def built(plans):
    _, paths = plans
    return nway.matrix(HQ_PDF, paths, jobs=2)  # worker processes


def _cell(m: Matrix, hq_text: str, branch: int):
    rows = [r for r in m.rows if r.hq is not None and hq_text in r.hq.text]
    assert len(rows) == 1
    return rows[0].cells[branch]


def test_branches_are_named_from_their_own_text(built):
    m, _ = built
    assert [b.label for b in m.branches] == ["宮城支部", "秋田支部", "岩手支部"]
    assert (m.hq.organisation, m.hq.year) == ("本部", "令和7年度")
    assert all(b.year == "令和7年度" for b in m.branches)


def test_a_branch_equal_to_hq_is_all_same(built):
    m, _ = built
    assert m.summary[0] == {"same": 21, "changed": 0, "moved": 0, "omitted": 0, "own": 0}
    assert all(r.cells[0] is not None and r.cells[0].status == "same" for r in m.rows if r.hq is not None)


def test_every_edit_lands_in_its_cell(built):
    m, _ = built
    wording = _cell(m, "根拠に基づく意見", 1)
    assert wording.status == "changed" and wording.block is not None and "県等の会議" in wording.block.text
    assert 0.5 < wording.similarity < 1.0
    notation = _cell(m, "財政の安定に向けた取組", 1)
    assert (notation.status, notation.notation_only) == ("same", True)
    kpi = _cell(m, "生活習慣病予防健診の実施率", 1)
    assert kpi.status == "changed" and [(n.old, n.new) for n in kpi.numbers] == [("６３．９％", "６２．４％")]
    assert _cell(m, "電子申請の利用方法", 1).status == "omitted"
    assert _cell(m, "電子申請の利用方法", 1).block is None
    moved = _cell(m, "差額通知を年２回送付する", 2)
    assert moved.status == "moved" and moved.where == "（２）サービスの質の向上"
    assert _cell(m, "支部ごとの目標値", 2).status == "omitted"
    assert _cell(m, "電子申請の利用方法", 2).status == "same"


def test_own_items_stand_under_their_hq_section(built):
    m, _ = built
    own = [(k, r) for k, r in enumerate(m.rows) if r.hq is None]
    texts = [[c.block.text for c in r.cells if c is not None] for _, r in own]
    assert texts == [
        ["秋田県と協力し、集団健診の会場を５か所に増やす。"],
        ["岩手県内の事業所向けにメールマガジンを毎月配信する。"],
        ["地元の新聞に健康コラムを連載する。"],
    ]
    akita_at, iwate_at = own[0][0], own[1][0]
    # after the last item of 健診の受診促進, before the next HQ heading
    assert "支部ごとの目標値" in m.rows[akita_at - 1].hq.text and m.rows[akita_at + 1].hq.kind == "heading"
    assert "広報の基本方針" in m.rows[iwate_at - 1].hq.text
    assert [c is None for c in own[0][1].cells] == [True, False, True]


def test_summary_counts_match_the_edits(built):
    m, _ = built
    assert m.hq_items == 21
    assert m.summary[1] == {"same": 18, "changed": 2, "moved": 0, "omitted": 1, "own": 1}
    assert m.summary[2] == {"same": 19, "changed": 0, "moved": 1, "omitted": 1, "own": 2}


def test_each_column_is_what_compare_gives(plans, built):
    _, paths = plans
    _, comparisons = built
    for path, c in zip(paths, comparisons, strict=True):
        alone = api.compare(HQ_PDF, path)
        assert alone.kind == c.kind == "branch"
        assert alone.to_dict() == c.to_dict()


def test_json_round_trips(built):
    m, comparisons = built
    text = nway.render_matrix(m, "json")
    data = json.loads(text)
    assert data["schema"] == "plandiff.matrix/1"
    assert len(data["summary"]) == 3 and all(len(r["cells"]) == 3 for r in data["rows"])
    own = [r for r in data["rows"] if r["hq"] is None]
    assert all(sum(c is not None for c in r["cells"]) == 1 for r in own)
    assert Matrix.from_dict(data).to_dict() == data
    again = Comparison.from_dict(json.loads(api.render_compare(comparisons[1], "json")))
    assert again.to_dict() == comparisons[1].to_dict()


def test_html_cells_link_to_each_branch_report(tmp_path, built):
    m, comparisons = built
    out = tmp_path / "matrix.html"
    nway.write_matrix(m, comparisons, out, report=QUIET)
    page = lxml.html.fromstring(out.read_text(encoding="utf-8"))
    heads = [th.text_content() for th in page.xpath('//table[@class="matrix"]/thead/tr/th')]
    assert heads == ["本部", "宮城支部", "秋田支部", "岩手支部"]
    moved = page.xpath('//table[@class="matrix"]//td[@data-status="moved"]')
    assert len(moved) == 1
    href = moved[0].xpath(".//a/@href")[0]
    report, anchor = href.split("#")
    target = lxml.html.fromstring((tmp_path / report).read_text(encoding="utf-8"))
    row = target.get_element_by_id(anchor)
    assert "差額通知を年２回送付する" in row.text_content() and row.get("data-status") == "moved"
    assert page.xpath('//table[@aria-label="凡例"]//th/text()') == ["同文", "変更", "移動", "記載なし", "独自"]


def test_excel_has_matrix_summary_and_branch_sheets(built):
    m, _ = built
    wb = openpyxl.load_workbook(io.BytesIO(nway.render_matrix(m, "xlsx", timestamp=False)))
    assert wb.sheetnames == ["matrix", "summary", "宮城支部", "秋田支部", "岩手支部"]
    ws = wb["matrix"]
    assert ws.freeze_panes == "C5" and ws.auto_filter.ref.startswith("A4:E")
    assert [ws.cell(4, k).value for k in range(1, 6)] == ["区分", "本部の項目", "宮城支部", "秋田支部", "岩手支部"]
    fills = {ws.cell(1, k).value: ws.cell(1, k).fill.start_color.rgb[-6:] for k in range(2, 7)}
    assert len(set(fills.values())) == 5  # one colour per status, in the legend
    statuses = [ws.cell(r, 4).value for r in range(5, ws.max_row + 1) if ws.cell(r, 4).value]
    assert sum(s.startswith("変更") for s in statuses) == 2
    summary = wb["summary"]
    assert [c.value for c in summary[3]][:6] == ["秋田支部", 18, 2, 0, 1, 1]
    detail = wb["岩手支部"]
    assert [row[2].value for row in detail.iter_rows(min_row=2)].count("独自") == 2


def test_cli_matrix_writes_every_format_and_refuses_bad_input(tmp_path, plans, capsys):
    _, paths = plans
    outs = [tmp_path / "m.json", tmp_path / "m.xlsx"]
    args = ["matrix", str(HQ_PDF), *map(str, paths[:2]), "--jobs", "1", "--no-timestamp"]
    assert cli.main([*args, *(f"-o{p}" for p in outs)]) == 0
    assert all(p.stat().st_size > 0 for p in outs)
    capsys.readouterr()
    bad = tmp_path / "bad.pdf"
    bad.write_text("not a pdf")
    assert cli.main(["matrix", str(HQ_PDF), str(bad), "--jobs", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.pdf" in err[0]


def test_a_bad_branch_read_in_a_worker_is_one_clear_error(tmp_path):
    bad = tmp_path / "miyagi.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj <<")  # truncated
    with pytest.raises(PlandiffError) as e:
        nway.matrix(HQ_PDF, [SAMPLES / "sample-r7.plan.pdf", bad], jobs=2)
    assert str(e.value).startswith(f"{bad}: ") and str(e.value).count(str(bad)) == 1


def test_branch_reports_are_headed_by_office(plans):
    _, paths = plans
    c = api.compare(HQ_PDF, paths[2])
    page = lxml.html.fromstring(api.render_compare(c, "html", report=QUIET))
    heads = [th.text_content() for th in page.xpath('//table[@class="taisho"]/thead/tr/th')]
    assert heads == ["岩手支部（令和７年度）", "本部（令和７年度）", "備考"]
    own = [tr for tr in page.xpath('//table[@class="taisho"]/tbody/tr') if tr.get("data-status") == "added"]
    assert own and all(tr.xpath('./td[@class="old"]')[0].text_content() == "【独自】" for tr in own)
    assert "本部・支部対照表" in page.xpath("//h1")[0].text_content()
    years = api.compare(HQ_PDF, paths[2], kind="years")
    assert "【新設】" in api.render_compare(years, "html", report=QUIET)


def test_cli_compare_kind_overrides_the_offices(plans, capsys):
    _, paths = plans
    assert cli.main(["compare", str(HQ_PDF), str(paths[1]), "--format", "md"]) == 0
    branch = capsys.readouterr().out
    assert "- 支部: 秋田支部.json" in branch and "## [独自] ・秋田県と協力し" in branch and "[記載なし]" in branch
    assert cli.main(["compare", str(HQ_PDF), str(paths[1]), "--format", "md", "--kind", "years"]) == 0
    years = capsys.readouterr().out
    assert "- 新: 秋田支部.json" in years and "## [新設] ・秋田県と協力し" in years
