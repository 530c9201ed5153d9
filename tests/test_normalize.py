"""normalize_text is NFKC, the glyph folds and no whitespace, whatever way it is computed."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import GLYPH_FOLD, normalize_text

FOLD_TABLE = str.maketrans(GLYPH_FOLD)
# every whitespace character Python knows, the folded glyphs, kana, kanji and full-width forms among any others
SPACES = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u3000\ufeff"
texts = st.text(st.sampled_from("".join(GLYPH_FOLD) + SPACES) | st.characters())


def definition(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(FOLD_TABLE))


@settings(max_examples=500, deadline=None)
@given(texts)
def test_normalize_text_is_nfkc_folded_without_whitespace(text):
    assert normalize_text(text) == definition(text)


def test_the_folds_and_widths_of_a_plan():
    assert normalize_text("令和７年度\u3000〜　R7－8 ― 〇") == "令和7年度~R7-8-○"
