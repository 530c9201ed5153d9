"""Seeded mutation fuzzing over the samples (bench/fuzz.py runs hundreds more): whatever the bytes, the contract holds."""

from __future__ import annotations

import importlib.util
import sys
import time

from conftest import ROOT


def _fuzz():
    spec = importlib.util.spec_from_file_location("plandiff_bench_fuzz", ROOT / "bench" / "fuzz.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def test_mutants_never_traceback_exit_0_or_2_with_one_line_and_leave_nothing_behind():
    fuzz = _fuzz()
    t0 = time.perf_counter()
    outcomes = fuzz.run(32, seed=20261201, memory_mb=2048, timeout=120)
    assert len(outcomes) == 32
    broken = {o.mutant: (o.how, o.problems(max_seconds=10.0), o.stderr[:300]) for o in outcomes if o.problems(max_seconds=10.0)}
    assert broken == {}
    assert {o.code for o in outcomes} == {0, 2}  # both kinds of mutant were made: the test can see either
    assert time.perf_counter() - t0 < 60
