"""The bundled samples, end to end: PDF → plandiff.extract/1, against truth and golden files."""

from __future__ import annotations

import json

import pytest
from conftest import GOLDEN, REGEN, SAMPLES

from pipeline import api

PLANS = ["sample-r7", "sample-r6", "sample-hq-r7"]


@pytest.fixture(scope="module", params=PLANS)
def extracted(request):
    name = request.param
    return name, api.extract(SAMPLES / f"{name}.plan.pdf")


def test_sample_matches_its_ground_truth_block_for_block(extracted):
    name, result = extracted
    truth = json.loads((SAMPLES / f"{name}.plan.json").read_text(encoding="utf-8"))
    blocks = result.documents[0].blocks
    assert len(blocks) == len(truth["blocks"])
    for got, want in zip(blocks, truth["blocks"], strict=True):
        assert got.kind == want["kind"], want
        assert got.label == want.get("label", ""), want
        if want["kind"] == "table":
            assert [list(r) for r in got.rows] == want["rows"]
        else:
            assert got.text == want["text"]
        if want["kind"] == "heading":
            assert got.level == want["level"], want


def test_title_is_taken_and_running_header_and_page_numbers_dropped(extracted):
    name, result = extracted
    doc = result.documents[0]
    truth = json.loads((SAMPLES / f"{name}.plan.json").read_text(encoding="utf-8"))
    assert doc.title == truth["title"]
    assert all(b.text != truth["title"] for b in doc.blocks)
    assert not any(b.text.startswith("- ") and b.text.endswith(" -") for b in doc.blocks)


def test_every_block_has_provenance(extracted):
    _, result = extracted
    for b in result.documents[0].blocks:
        assert 1 <= b.page <= result.pages
        assert b.bbox is not None and b.bbox.x0 < b.bbox.x1 and b.bbox.top < b.bbox.bottom


def test_budget_table_broken_across_pages_is_one_table_with_one_header():
    # the budget table of sample-r7 starts at the foot of page 2 and continues,
    # header row repeated, on page 3
    result = api.extract(SAMPLES / "sample-r7.plan.pdf")
    tables = [b for b in result.documents[0].blocks if b.kind == "table"]
    budget = tables[0]
    assert budget.rows[0] == ("取組名", "予算額", "備考")
    assert [r[0] for r in budget.rows].count("取組名") == 1
    assert budget.rows[1] == ("健診の受診案内", "8,063千円", "年２回送付")
    assert budget.rows[-1] == ("職員研修", "420千円", "年２回")
    assert len(budget.rows) == 9
    assert tables[1].rows[-1] == ("郵送による申請の割合", "95.1％", "95.9％", "96.5％")


@pytest.mark.parametrize("name", PLANS)
@pytest.mark.parametrize("fmt", ["json", "md"])
def test_output_matches_golden_file(name, fmt):
    got = api.render_extract(api.extract(SAMPLES / f"{name}.plan.pdf"), fmt)
    golden = GOLDEN / f"{name}.extract.{fmt}"
    if REGEN or not golden.exists():
        if not REGEN:
            pytest.fail(f"{golden.name} is missing: run PLANDIFF_REGEN=1 pytest and review the diff")
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_extract_json_round_trips():
    result = api.extract(SAMPLES / "sample-r7.plan.pdf")
    text = api.render_extract(result, "json")
    again = type(result).from_dict(json.loads(text))
    assert api.render_extract(again, "json") == text


def test_a_plan_printed_in_one_font_still_has_its_numbered_headings_and_levels():
    # tests/data/plain-font.plan.pdf: sample-r7 with every line in one font and size
    from conftest import DATA

    truth = json.loads((SAMPLES / "sample-r7.plan.json").read_text(encoding="utf-8"))
    want = [(b["label"], b["text"], b["level"]) for b in truth["blocks"] if b["kind"] == "heading" and b["label"]]
    got = [(b.label, b.text, b.level) for b in api.extract(DATA / "plain-font.plan.pdf").documents[0].blocks if b.kind == "heading"]
    assert got == want


@pytest.mark.parametrize("name", ["sample-r7.plan", "sample-r7-vs-r6.sidebyside", "sample-r7.fieldtable", "sample-slides-r7.slides"])
def test_both_character_sources_read_the_same_documents(name):
    from extractors import ExtractConfig

    def view(source):
        r = api.extract(SAMPLES / f"{name}.pdf", config=ExtractConfig(source=source))
        return r.layout, [[(b.kind, b.level, b.label, b.text, b.rows, b.page) for b in d.blocks] for d in r.documents]

    assert view("pdfium") == view("pdfplumber")
