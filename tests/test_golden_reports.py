"""The reports of the bundled samples, byte for byte: a comparison of two years and of a branch against HQ, the matrix and the history.

A change to diffing or reports that moves a single character of what offices
print shows here.  ``PLANDIFF_REGEN=1 pytest tests/test_golden_reports.py``
rewrites the files; review the diff before committing it.
"""

from __future__ import annotations

import pytest
from conftest import GOLDEN, REGEN, SAMPLES

from pipeline import api, nway
from reports.view import ReportConfig

STILL = ReportConfig(timestamp=False)  # no date in the page: the same bytes every run


def _check(name: str, got: str | bytes) -> None:
    text = got.decode("utf-8-sig") if isinstance(got, bytes) else got
    golden = GOLDEN / name
    if REGEN:
        golden.write_text(text, encoding="utf-8")
    elif not golden.exists():
        pytest.fail(f"{golden.name} is missing: run PLANDIFF_REGEN=1 pytest and review the diff")
    assert text == golden.read_text(encoding="utf-8"), f"{golden.name} changed: if it should, regenerate it (PLANDIFF_REGEN=1)"


@pytest.fixture(scope="module")
def years():
    return api.compare(SAMPLES / "sample-r6.plan.pdf", SAMPLES / "sample-r7.plan.pdf")


@pytest.fixture(scope="module")
def branch():
    return api.compare(SAMPLES / "sample-hq-r7.plan.pdf", SAMPLES / "sample-r7.plan.pdf")


@pytest.mark.parametrize("fmt", ["json", "md", "csv", "html"])
def test_a_comparison_of_two_years_matches_its_golden_file(years, fmt):
    _check(f"sample-r6-r7.compare.{fmt}", api.render_compare(years, fmt, report=STILL))


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_branch_against_hq_matches_its_golden_file(branch, fmt):
    assert branch.kind == "branch"
    _check(f"sample-hq-r7.compare.{fmt}", api.render_compare(branch, fmt, report=STILL))


@pytest.mark.parametrize("fmt", ["json", "html"])
def test_the_matrix_and_the_history_match_their_golden_files(fmt):
    m, _ = nway.matrix(SAMPLES / "sample-hq-r7.plan.pdf", [SAMPLES / "sample-r7.plan.pdf", SAMPLES / "sample-r6.plan.pdf"], jobs=1)
    _check(f"sample-hq.matrix.{fmt}", nway.render_matrix(m, fmt, timestamp=False))
    plans = [SAMPLES / f"sample-{y}.plan.pdf" for y in ("r5", "r6", "r7")]
    _check(f"sample.history.{fmt}", nway.render_history(nway.history(plans, jobs=1), fmt, timestamp=False))
