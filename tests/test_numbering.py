"""Numbering, bullets, tags and heading levels, as data (tests/data/numbering_cases.json)."""

from __future__ import annotations

import json

import pytest
from conftest import DATA

from extractors.levels import HeadingFacts, assign_levels
from extractors.numbering import is_tag, split_label

CASES = json.loads((DATA / "numbering_cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES["split_label"], ids=[c["label"] for c in CASES["split_label"]])
def test_split_label(case):
    got = split_label(case["line"])
    if case["kind"] is None:
        assert got is None
        return
    assert got is not None
    assert (got.kind, got.label, got.family, got.rest) == (case["kind"], case["token"], case["family"], case["rest"])


@pytest.mark.parametrize("case", CASES["is_tag"], ids=[c["line"] for c in CASES["is_tag"]])
def test_is_tag(case):
    assert is_tag(case["line"]) is case["tag"]


@pytest.mark.parametrize("case", CASES["levels"], ids=[c["label"] for c in CASES["levels"]])
def test_heading_levels_follow_the_documents_nesting(case):
    # "~…" stands for an unlabelled heading, as extractors.document names them
    facts = [HeadingFacts(f, s, x, labelled=not f.startswith("~")) for f, s, x in case["headings"]]
    assert assign_levels(facts) == case["levels"]
