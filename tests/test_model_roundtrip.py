"""Stored results load back: a comparison from its plandiff.compare/1 JSON, with both documents rebuilt."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from diffing import compare_documents
from pipeline.model import Block, Comparison, Document

words = st.text(alphabet=st.sampled_from(list("健診実施率を支部協会取組り組み、。１２３45.％千円年度令和")), min_size=1, max_size=20)
blocks = st.lists(
    st.one_of(
        st.builds(
            lambda t, k: Block(k, text=t, label="・" if k == "bullet" else "", level=1 if k == "heading" else None),
            words,
            st.sampled_from(["heading", "bullet", "paragraph", "kpi"]),
        ),
        st.builds(lambda a, b: Block("table", rows=(("項目", "KPI"), (a, b))), words, words),
    ),
    max_size=10,
)


@settings(max_examples=40, deadline=None)
@given(blocks, blocks)
def test_a_comparison_loads_back_from_its_json(a, b):
    c = compare_documents(
        Document(tuple(a), "旧", "令和６年度"), Document(tuple(b), "新", "令和７年度"), old_source="a.pdf", new_source="b.pdf"
    )
    again = Comparison.from_dict(json.loads(json.dumps(c.to_dict(), ensure_ascii=False)))
    assert again.old == c.old and again.new == c.new
    assert again.to_dict() == c.to_dict()
