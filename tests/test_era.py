"""Era notation as data: every way a plan writes its fiscal year reads as the same Reiwa year."""

from __future__ import annotations

import json

import pytest
from conftest import DATA

from diffing.era import canonical_eras, reiwa_years

CASES = json.loads((DATA / "era_cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_era_case(case):
    assert reiwa_years(case["text"]) == case["years"]


def test_all_notations_of_one_year_are_one_text():
    forms = ["2025（令和７）年度から", "令和７年度から", "令和7年度から", "R7年度から", "2025年度から"]
    assert len({canonical_eras(f) for f in forms}) == 1
    assert canonical_eras("令和元年") == canonical_eras("令和1年") != canonical_eras("令和2年")
