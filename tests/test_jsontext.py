"""The fast indented JSON writer gives exactly json.dumps(..., ensure_ascii=False, indent=1)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.jsontext import dumps_indented

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()  # floats: nan and ±inf too; text: lone surrogates too
trees = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(trees)
def test_any_json_data_is_written_as_json_dumps_writes_it(data):
    assert dumps_indented(data) == json.dumps(data, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("data", [{1: "a", "b": [True]}, {"x": {None: 1.5}}, [{2.5: 0}]])
def test_keys_that_are_not_strings_are_converted_as_json_dumps_converts_them(data):
    assert dumps_indented(data) == json.dumps(data, ensure_ascii=False, indent=1)


def test_what_json_cannot_write_fails_as_json_dumps_fails():
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps_indented({"a": [object()]})
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps_indented({"a": loop})
