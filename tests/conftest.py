from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
sys.path.insert(0, str(ROOT / "bench"))  # bench/accuracy.py: the scorer's loader and the per-print scoring

#: ``PLANDIFF_REGEN=1 pytest`` rewrites the golden files instead of comparing with them.
REGEN = os.environ.get("PLANDIFF_REGEN") == "1"


@pytest.fixture(scope="session")
def scorer():
    """The reference scorer of ../shared/tools (the project is judged by it), loaded as bench/accuracy.py loads it."""
    import accuracy

    try:
        return accuracy.load_scorer(SHARED)
    except FileNotFoundError:
        pytest.skip("../shared/tools/score.py is not beside this checkout")
