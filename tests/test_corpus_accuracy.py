"""Extraction accuracy on the shared corpus, scored by the reference scorer."""

from __future__ import annotations

import json

import pytest
from conftest import CORPUS

from pipeline import api

PLAN_PDFS = (
    sorted(CORPUS.glob("pdf/*.plan.*.pdf")) + sorted(CORPUS.glob("pdf/split/*.plan.*.pdf")) + sorted(CORPUS.glob("pdf/*.fieldtable.*.pdf"))
)
SBS_PDFS = sorted(CORPUS.glob("pdf/*.sidebyside.*.pdf"))


@pytest.mark.skipif(not PLAN_PDFS, reason="../shared/corpus is not beside this checkout")
@pytest.mark.parametrize("pdf", PLAN_PDFS, ids=[p.name for p in PLAN_PDFS])
def test_single_column_plans_meet_the_targets(pdf, scorer):
    truth_path = CORPUS / ("split" if pdf.parent.name == "split" else "") / f"{pdf.name.split('.')[0]}.plan.json"
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pred = api.extract(pdf).to_dict()
    res = scorer.score_extract(truth, pred, 0)
    assert res["block_f1_fuzzy"] >= 0.97, res
    assert res["heading_level_acc"] >= 0.95, res
    assert res["text_similarity"] >= 0.99, res


@pytest.mark.skipif(not SBS_PDFS, reason="../shared/corpus is not beside this checkout")
@pytest.mark.parametrize("pdf", SBS_PDFS, ids=[p.name for p in SBS_PDFS])
def test_sidebyside_columns_meet_the_targets(pdf, scorer):
    pair = json.loads((CORPUS / f"{pdf.name.split('.')[0]}.pair.json").read_text(encoding="utf-8"))
    pred = api.extract(pdf).to_dict()
    assert pred["layout"] == "sidebyside"
    for doc, side in ((0, "left"), (1, "right")):
        truth = json.loads((CORPUS / "split" / f"{pair[side]['id']}.plan.json").read_text(encoding="utf-8"))
        res = scorer.score_extract(truth, pred, doc)
        assert res["block_f1_fuzzy"] >= 0.97, (side, res)
        assert res["heading_level_acc"] >= 0.95, (side, res)
        assert res["text_similarity"] >= 0.99, (side, res)
