"""Order-preserving alignment and the longest in-order chain of pairs."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

#: pairs from which a matrix is worth rapidfuzz's threads (the leftovers of two long plans: 50,000 pairs, 20 ms)
PARALLEL_PAIRS = 20_000


def similarity_matrix(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """rapidfuzz ``ratio`` of every ``a`` against every ``b``, in 0–1 (the same values on any number of threads)."""
    if not a or not b:
        return np.zeros((len(a), len(b)))
    workers = -1 if len(a) * len(b) >= PARALLEL_PAIRS else 1
    return process.cdist(a, b, scorer=fuzz.ratio, dtype=np.float32, workers=workers) / 100.0


def monotone_pairs(sim: np.ndarray, score_cutoff: float) -> list[tuple[int, int, float]]:
    """Pairs (i, j, score), increasing in both i and j, maximising the summed score.

    Only pairs scoring at least ``score_cutoff`` are used (a weighted LCS).

    >>> import numpy as np
    >>> monotone_pairs(np.array([[0.9, 0.1], [0.2, 0.3], [0.1, 0.95]]), 0.5)
    [(0, 0, 0.9), (2, 1, 0.95)]
    """
    n, m = sim.shape
    if not n or not m:
        return []
    gain = np.where(sim >= score_cutoff, sim, -np.inf)
    score = np.zeros((n + 1, m + 1))
    for i in range(1, n + 1):
        diag = score[i - 1, :-1] + gain[i - 1]
        row = np.maximum(score[i - 1, 1:], diag)
        score[i, 1:] = np.maximum.accumulate(row)
    out: list[tuple[int, int, float]] = []
    i, j = n, m
    while i and j:
        if score[i, j] == score[i - 1, j]:
            i -= 1
        elif score[i, j] == score[i, j - 1]:
            j -= 1
        else:
            out.append((i - 1, j - 1, round(float(sim[i - 1, j - 1]), 4)))
            i -= 1
            j -= 1
    return out[::-1]


def in_order(pairs: Sequence[tuple[int, int]]) -> set[tuple[int, int]]:
    """The largest set of pairs increasing in both coordinates (the rest moved).

    >>> sorted(in_order([(0, 0), (1, 1), (5, 2), (2, 3), (3, 4)]))
    [(0, 0), (1, 1), (2, 3), (3, 4)]
    """
    ordered = sorted(pairs, key=lambda p: p[1])
    tails: list[int] = []  # smallest old index ending a chain of each length
    tail_at: list[int] = []
    back: list[int] = []
    for k, (i, _) in enumerate(ordered):
        pos = bisect.bisect_left(tails, i)
        if pos == len(tails):
            tails.append(i)
            tail_at.append(k)
        else:
            tails[pos] = i
            tail_at[pos] = k
        back.append(tail_at[pos - 1] if pos else -1)
    keep: set[tuple[int, int]] = set()
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        keep.add(ordered[k])
        k = back[k]
    return keep
