"""Comparison: alignment and word-diff cases as data, properties, the samples' known edits, the corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import CORPUS, DATA, SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from diffing import AlignConfig, Tokenizer, compare_documents
from diffing.worddiff import word_diff
from pipeline import api
from pipeline.model import Block, Document

CASES = json.loads((DATA / "compare_cases.json").read_text(encoding="utf-8"))


def one_item_doc(label: str, text: str) -> Document:
    kind = "paragraph" if not label else "kpi" if "KPI" in label else "heading" if label[0] in "（①❶" else "bullet"
    return Document(blocks=(Block(kind, text=text, label=label, level=2 if kind == "heading" else None),))


def case_params():
    for c in CASES:
        marks = [pytest.mark.xfail(reason=c["xfail"], strict=True)] if "xfail" in c else []
        yield pytest.param(c, id=c["label"], marks=marks)


@pytest.mark.parametrize("case", list(case_params()))
def test_compare_case(case):
    result = compare_documents(one_item_doc(*case["old"]), one_item_doc(*case["new"]))
    statuses = sorted(r.status for r in result.rows)
    if case["status"] == "added+deleted":
        assert statuses == ["added", "deleted"]
        return
    assert statuses == [case["status"]]
    row = result.rows[0]
    if "renumbered" in case:
        assert row.renumbered is case["renumbered"]
    if "notation_only" in case:
        assert row.notation_only is case["notation_only"]
    if "numbers" in case:
        assert [[n.old, n.new] for n in row.numbers] == case["numbers"]
    if row.status == "changed":
        assert "".join(c.old for c in row.changes) == row.old.text
        assert "".join(c.new for c in row.changes) == row.new.text


# -- properties ------------------------------------------------------------

TOKENIZER = Tokenizer()
ALPHABET = list("健診実施率をのは支部協会取組り組みする、。１２３456.％%千円年度令和 ・")
japanese = st.text(alphabet=st.sampled_from(ALPHABET), min_size=0, max_size=40)


@settings(max_examples=60, deadline=None)
@given(japanese, japanese)
def test_applying_changes_rebuilds_both_texts(a, b):
    changes = word_diff(TOKENIZER.tokenize(a), TOKENIZER.tokenize(b))
    assert "".join(c.old for c in changes) == a
    assert "".join(c.new for c in changes) == b
    assert all(c.op != "equal" or TOKENIZER.tokenize(c.old) is not None for c in changes)


@settings(max_examples=60, deadline=None)
@given(japanese)
def test_a_text_against_itself_is_all_equal(a):
    assert all(c.op == "equal" for c in word_diff(TOKENIZER.tokenize(a), TOKENIZER.tokenize(a)))


def _block(text: str, kind: str) -> Block:
    return Block(kind, text=text, level=1 if kind == "heading" else None)  # type: ignore[arg-type]


blocks = st.lists(st.builds(_block, japanese.filter(str.strip), st.sampled_from(["heading", "bullet", "paragraph"])), max_size=12)


@settings(max_examples=40, deadline=None)
@given(blocks, blocks)
def test_swapping_sides_swaps_added_and_deleted(a, b):
    fwd = compare_documents(Document(tuple(a)), Document(tuple(b))).summary
    back = compare_documents(Document(tuple(b)), Document(tuple(a))).summary
    assert (fwd["added"], fwd["deleted"]) == (back["deleted"], back["added"])
    assert fwd["unchanged"] + fwd["changed"] + fwd["moved"] == back["unchanged"] + back["changed"] + back["moved"]


@settings(max_examples=40, deadline=None)
@given(blocks)
def test_a_document_against_itself_is_all_unchanged(a):
    summary = compare_documents(Document(tuple(a)), Document(tuple(a))).summary
    assert summary["unchanged"] == len(a) and sum(summary.values()) == len(a)


# -- the samples: last year → this year, every known edit ---------------------


@pytest.fixture(scope="module")
def sample_comparison():
    return api.compare(SAMPLES / "sample-r6.plan.pdf", SAMPLES / "sample-r7.plan.pdf")


def _text(b: Block) -> str:
    return "|".join(c for r in b.rows for c in r) if b.kind == "table" else b.text


def _row(comparison, text, *, exact=False):
    hits = [r for r in comparison.rows if (text == _text(r.new or r.old) if exact else text in _text(r.new or r.old))]
    assert len(hits) == 1, (text, hits)
    return hits[0]


KNOWN = [
    ("説明会を年３回開催する", "changed", [("２回", "３回")]),
    ("根拠に基づく意見を伝える", "changed", []),
    ("郵送による申請の割合を９６．５％以上", "changed", [("９５．８％", "９６．５％")]),
    ("通訳サービスを活用して対応する", "changed", []),
    ("集団健診の会場を５か所に増やす", "changed", [("３か所", "５か所")]),
    ("生活習慣病予防健診の実施率を６２．４％以上", "changed", [("６１．２％", "６２．４％")]),
    ("差額通知を年２回送付する", "changed", [("１回", "２回")]),
    ("電子申請の利用方法を動画で紹介する", "added", []),
    ("SNSでの発信を週１回以上行う", "added", []),
    ("窓口の開設時間を延長する", "deleted", []),
    ("被扶養者資格の確認", "deleted", []),
    ("業務の手順書を見直し", "moved", []),
    ("傷病手当金の申請は受付から支給まで", "unchanged", []),  # １０日 / 10日: width only
    ("健診の受診案内", "changed", [("7,820千円", "8,063千円"), ("1,150千円", "1,200千円")]),
]


@pytest.mark.parametrize(("text", "status", "numbers"), KNOWN, ids=[k[0] for k in KNOWN])
def test_every_known_edit_of_the_samples_is_found(sample_comparison, text, status, numbers):
    row = _row(sample_comparison, text)
    assert row.status == status
    assert [(n.old, n.new) for n in row.numbers] == numbers


def test_notation_variant_and_renumbering_in_the_samples(sample_comparison):
    assert _row(sample_comparison, "保険運営の安定に取り組む").notation_only
    row = _row(sample_comparison, "債権の回収", exact=True)
    assert (row.status, row.renumbered, row.old.label, row.new.label) == ("unchanged", True, "③", "②")
    moved = _row(sample_comparison, "業務の手順書を見直し")
    assert "申請処理の迅速化" in moved.reason and "人材の育成" in moved.reason


def test_rows_follow_the_new_document_and_deleted_rows_follow_their_old_neighbour(sample_comparison):
    rows = sample_comparison.rows
    new_idx = [r.new_index for r in rows if r.new_index is not None]
    assert new_idx == sorted(new_idx) == list(range(len(sample_comparison.new.blocks)))
    assert sorted(r.old_index for r in rows if r.old_index is not None) == list(range(len(sample_comparison.old.blocks)))
    deleted = [k for k, r in enumerate(rows) if r.status == "deleted"]
    assert deleted
    for k in deleted:
        assert rows[k - 1].old_index == rows[k].old_index - 1


def test_sidebyside_sample_compares_like_the_two_plans(scorer, tmp_path):
    sbs = api.compare(None, SAMPLES / "sample-r7-vs-r6.sidebyside.pdf")
    two = api.compare(SAMPLES / "sample-r6.plan.pdf", SAMPLES / "sample-r7.plan.pdf")
    assert sbs.summary == two.summary
    flipped = api.compare(None, SAMPLES / "sample-r7-vs-r6.sidebyside.pdf", new_side="right")
    assert (flipped.summary["added"], flipped.summary["deleted"]) == (sbs.summary["deleted"], sbs.summary["added"])
    res = scorer.score_compare(str(SAMPLES / "sample-r7-vs-r6.pair.json"), sbs.to_dict())
    assert res["pairs"]["f1"] >= 0.95 and res["change_status_acc"] >= 0.97, res


def test_compare_accepts_extraction_json(tmp_path):
    for name in ("sample-r6", "sample-r7"):
        api.write_extract(api.extract(SAMPLES / f"{name}.plan.pdf"), tmp_path / f"{name}.json")
    from_json = api.compare(tmp_path / "sample-r6.json", tmp_path / "sample-r7.json")
    assert from_json.summary == api.compare(SAMPLES / "sample-r6.plan.pdf", SAMPLES / "sample-r7.plan.pdf").summary


def test_two_plans_read_in_parallel_compare_as_when_read_one_after_the_other():
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core: compare never forks")
    old, new = SAMPLES / "sample-r6.plan.pdf", SAMPLES / "sample-r7.plan.pdf"
    serial = json.loads(json.dumps(api.compare(old, new).to_dict()))
    # a fresh process: this one may hold threads of earlier tests, and then it never forks
    code = f"""if True:
        import json, threading
        from pathlib import Path
        from pipeline import api
        from pipeline.exceptions import EncryptedPdfError
        api.PARALLEL_MIN_BYTES = 0  # the samples are too small to be worth a process otherwise
        assert api._worth_a_process([Path({str(old)!r}), Path({str(new)!r})])
        in_thread = []
        t = threading.Thread(target=lambda: in_thread.append(api._worth_a_process([Path({str(old)!r}), Path({str(new)!r})])))
        t.start()
        t.join()
        assert in_thread == [False]  # a process with threads (a server) is not forked
        try:  # the child's failure is reported by the parent, as without it
            api.compare({str(DATA / "bad" / "encrypted.pdf")!r}, {str(new)!r})
            raise AssertionError("no error")
        except EncryptedPdfError:
            pass
        print(json.dumps(api.compare({str(old)!r}, {str(new)!r}).to_dict()))
    """
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(p.stdout) == serial


def test_config_is_validated_with_one_config_error():
    from pipeline.exceptions import ConfigError

    with pytest.raises(ConfigError, match="--score-cutoff 0: must be more than 0") as e:
        AlignConfig(score_cutoff=0)
    assert e.value.option == "score_cutoff" and isinstance(e.value, ValueError)


# -- the corpus: a real year-over-year table built by a person ---------------

PAIR = CORPUS / "kanagawa-r7-vs-r6.pair.json"
SPLIT = CORPUS / "pdf" / "split"


@pytest.mark.skipif(not PAIR.exists(), reason="../shared/corpus is not beside this checkout")
@pytest.mark.parametrize("engine", ["docx", "reportlab"])
@pytest.mark.parametrize("how", ["split", "sidebyside"])
def test_kanagawa_comparison_meets_the_targets(scorer, engine, how):
    if how == "split":
        c = api.compare(SPLIT / f"kanagawa-r6.plan.{engine}.pdf", SPLIT / f"kanagawa-r7.plan.{engine}.pdf")
    else:
        c = api.compare(None, CORPUS / "pdf" / f"kanagawa-r7-vs-r6.sidebyside.{engine}.pdf")
    res = scorer.score_compare(str(PAIR), c.to_dict())
    assert res["pairs"]["f1"] >= 0.95, res
    assert res["added"]["f1"] >= 0.93, res
    assert res["deleted"]["f1"] >= 0.93, res
    assert res["change_status_acc"] >= 0.97, res


# -- synthetic edits of a sample: each found, the rest undisturbed -----------------


def _edit(doc: Document, edits) -> Document:
    blocks = list(doc.blocks)
    for fn in edits:
        blocks = fn(blocks)
    return Document(tuple(blocks), title=doc.title)


def _find(blocks, text):
    return next(i for i, b in enumerate(blocks) if text in b.text)


def split_item(blocks):
    i = _find(blocks, "郵送による申請をホームページと広報誌で案内し")
    b = blocks[i]
    first, second = b.text.split("、", 1)
    return [*blocks[:i], Block("bullet", first + "。", b.label), Block("bullet", second, b.label), *blocks[i + 1 :]]


def merge_items(blocks):
    i = _find(blocks, "柔道整復の施術について")
    a, b = blocks[i], blocks[i + 1]
    return [*blocks[:i], Block("bullet", a.text.rstrip("。") + "。また、" + b.text, a.label), *blocks[i + 2 :]]


def renumber_all(blocks):
    table = str.maketrans("１２３", "２３４")
    return [
        Block(b.kind, b.text, b.label.translate(table), b.level, b.rows) if b.kind == "heading" and b.label.startswith("（") else b
        for b in blocks
    ]


def move_section(blocks):
    i = _find(blocks, "相談体制の充実")
    j = _find(blocks, "給付の適正化")  # the section ② runs until （３）
    section = blocks[i:j]
    rest = blocks[:i] + blocks[j:]
    k = _find(rest, "人材の育成")
    return rest[: k + 1] + section + rest[k + 1 :]


def insert_and_delete(blocks):
    i = _find(blocks, "健診未実施の事業所に対し")
    j = _find(blocks, "オンライン面談の予約枠を拡大する")
    out = [*blocks[: i + 1], Block("bullet", "健診結果の見方を解説する動画を公開する。", "・"), *blocks[i + 1 :]]
    return [b for b in out if b is not blocks[j]]


def test_synthetic_edits_are_each_found_and_do_not_derail_the_rest():
    base = api.extract(SAMPLES / "sample-r7.plan.pdf").documents[0]
    edited = _edit(base, [split_item, merge_items, renumber_all, move_section, insert_and_delete])
    c = compare_documents(base, edited)
    by_text = {}
    for r in c.rows:
        by_text.setdefault((r.new or r.old).text, []).append(r)

    def status(text):
        return [r.status for key, rows in by_text.items() if text in key for r in rows]

    assert sorted(status("郵送による申請をホームページ") + status("窓口での待ち時間を短くする")) == ["added", "changed"]  # split in two
    merged = [r.status for r in c.rows if r.old is not None and ("柔道整復の施術" in r.old.text or r.old.text.startswith("疑わしい申請"))]
    assert sorted(merged) == ["changed", "deleted"]  # two items merged into one
    assert all(
        r.renumbered and r.status == "unchanged" for r in c.rows if r.new is not None and r.new.label in ("（２）", "（３）", "（４）")
    )
    assert status("相談体制の充実") == ["moved"] and set(status("電話相談の応答率")) == {"moved"}
    assert status("健診結果の見方を解説する動画") == ["added"] and status("オンライン面談の予約枠") == ["deleted"]
    touched = {
        "郵送による申請をホームページ",
        "窓口での待ち時間",
        "柔道整復",
        "疑わしい申請",
        "相談体制",
        "電話相談",
        "外国語",
        "健診結果の見方",
        "オンライン面談",
    }
    others = [r for r in c.rows if not any(t in (r.new or r.old).text for t in touched)]
    assert len(others) > 40
    assert {r.status for r in others} == {"unchanged"}


# -- the row contract: opcodes on every row with both sides, reasons, table cells -------


def _rebuilds(row) -> bool:
    from diffing.compare import block_text

    return "".join(c.old for c in row.changes) == block_text(row.old) and "".join(c.new for c in row.changes) == block_text(row.new)


@settings(max_examples=40, deadline=None)
@given(blocks, blocks)
def test_every_row_with_both_sides_carries_opcodes_that_rebuild_both(a, b):
    for row in compare_documents(Document(tuple(a)), Document(tuple(b))).rows:
        if row.old is not None and row.new is not None:
            assert _rebuilds(row), row
        else:
            assert row.changes == ()


def test_sample_rows_rebuild_both_sides_unchanged_and_moved_included(sample_comparison):
    both = [r for r in sample_comparison.rows if r.old is not None and r.new is not None]
    assert {r.status for r in both} == {"unchanged", "changed", "moved"}
    assert all(r.changes and _rebuilds(r) for r in both)


def test_a_width_only_difference_is_unchanged_but_keeps_both_spellings():
    old = Document((Block("bullet", "達成率を１００％とする", "・"),))
    new = Document((Block("bullet", "達成率を100%とする", "・"),))
    row = compare_documents(old, new).rows[0]
    assert row.status == "unchanged" and {c.op for c in row.changes} == {"equal"}
    assert "".join(c.old for c in row.changes) == "達成率を１００％とする" and "".join(c.new for c in row.changes) == "達成率を100%とする"


def test_a_moved_row_keeps_its_pass_and_says_where_it_came_from(sample_comparison):
    moved = next(r for r in sample_comparison.rows if r.status == "moved")
    assert moved.reason == "document order; moved from ①申請処理の迅速化 to （２）人材の育成"


def test_table_changes_are_computed_in_diffing_and_stored_on_the_row(sample_comparison):
    kpi = next(r for r in sample_comparison.rows if r.new is not None and r.new.kind == "table" and r.new.rows[0][0] == "項目")
    t = kpi.table
    assert t is not None
    # the rolling year header is one column gone and one added, not a change in every header cell
    assert [kpi.old.rows[0][c] for c in t.deleted_columns] == ["令和４年度"]
    assert [kpi.new.rows[0][c] for c in t.added_columns] == ["令和６年度"]
    assert [(c.old_text, c.new_text, c.unit) for c in t.cells] == [
        ("61.2％", "62.4％", "%"),
        ("21.0％", "22.0％", "%"),
        ("95.8％", "96.5％", "%"),
    ]
    assert [round(c.delta, 3) for c in t.cells] == [1.2, 1.0, 0.7]
    budget = next(r for r in sample_comparison.rows if r.new is not None and r.new.kind == "table" and r.new.rows[0][0] == "取組名")
    assert [budget.new.rows[r][0] for r in budget.table.added_rows][:2] == ["集団健診会場の追加", "電子申請の紹介動画"]
    assert kpi.to_dict()["table"]["added_columns"] == [2]


def test_table_values_are_compared_as_numbers():
    old = Document((Block("table", rows=(("取組名", "予算額"), ("健診", "8063千円"), ("広報", "1,150千円"))),))
    new = Document((Block("table", rows=(("取組名", "予算額"), ("健診", "８，０６３千円"), ("広報", "1,200千円"))),))
    row = compare_documents(old, new).rows[0]
    assert [(c.old_text, c.new_text, c.delta) for c in row.table.cells] == [("1,150千円", "1,200千円", 50.0)]
    only_notation = Document((Block("table", rows=(("取組名", "予算額"), ("健診", "8,063千円"), ("広報", "1150千円"))),))
    same = compare_documents(old, only_notation).rows[0]
    assert same.table.cells == () and same.notation_only
