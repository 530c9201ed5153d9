from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"

#: ``PLANDIFF_REGEN=1 pytest`` rewrites the golden files instead of comparing with them.
REGEN = os.environ.get("PLANDIFF_REGEN") == "1"


@pytest.fixture(scope="session")
def scorer():
    """The reference scorer of ../shared/tools (the project is judged by it)."""
    import importlib.util

    path = SHARED / "tools" / "score.py"
    if not path.exists():
        pytest.skip("../shared/tools/score.py is not beside this checkout")
    spec = importlib.util.spec_from_file_location("plandiff_reference_score", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
