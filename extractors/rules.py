"""Ruling segments, whoever drew them: snapped, joined, and grouped into tables.

Producers draw the same grid differently: one long stroke per table edge
(LibreOffice, reportlab), one short stroke or one thin filled rectangle per
cell edge (Word, browsers), or rectangles drawn as outlines.  Collinear
pieces that touch or nearly touch become one line here, as pdfplumber's edge
snapping and joining do, so every later step sees the same grid.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from .page import Segment

SNAP = 1.5  # points: pieces whose centre lines are this close are collinear
JOIN = 3.0  # points: collinear pieces with a gap up to this are one line
_BUCKET = 24.0  # points: cell size of the spatial hash that groups touching rules


def _centre(s: Segment) -> float:
    return (s.top + s.bottom) / 2 if s.horizontal else (s.x0 + s.x1) / 2


def _join_axis(segs: Sequence[Segment], horizontal: bool) -> list[Segment]:
    out: list[Segment] = []
    cluster: list[Segment] = []

    def flush() -> None:
        if not cluster:
            return
        # pieces on one line, by where they start along it
        cluster.sort(key=lambda s: s.x0 if horizontal else s.top)
        cur = cluster[0]
        for s in cluster[1:]:
            start, end = (s.x0, cur.x1) if horizontal else (s.top, cur.bottom)
            if start <= end + JOIN:
                cur = Segment(min(cur.x0, s.x0), min(cur.top, s.top), max(cur.x1, s.x1), max(cur.bottom, s.bottom))
            else:
                out.append(cur)
                cur = s
        out.append(cur)
        cluster.clear()

    last = None
    for s in sorted(segs, key=_centre):
        c = _centre(s)
        if last is not None and c - last > SNAP:
            flush()
        cluster.append(s)
        last = c
    flush()
    return out


def join_segments(segs: Iterable[Segment]) -> tuple[Segment, ...]:
    """Collinear pieces within :data:`SNAP` whose ends are within :data:`JOIN` become one segment.

    >>> join_segments([Segment(0, 10, 50, 10.5), Segment(50, 10, 100, 10.5), Segment(101, 10.2, 150, 10.7)])
    (Segment(x0=0, top=10, x1=150, bottom=10.7),)
    """
    segs = list(segs)
    hs = [s for s in segs if s.horizontal]
    vs = [s for s in segs if not s.horizontal]
    return tuple(_join_axis(hs, True) + _join_axis(vs, False))


def touching_groups(rules: Sequence[Segment], *, tolerance: float) -> list[list[Segment]]:
    """Groups of rules that touch each other, directly or through others (one group per table).

    A spatial hash keeps this near-linear: a rule is only tested against the
    rules sharing one of its buckets.
    """
    n = len(rules)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    buckets: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
    t = tolerance
    for i, r in enumerate(rules):
        for bx in range(int((r.x0 - t) // _BUCKET), int((r.x1 + t) // _BUCKET) + 1):
            for by in range(int((r.top - t) // _BUCKET), int((r.bottom + t) // _BUCKET) + 1):
                buckets[(bx, by)].append(i)
    for members in buckets.values():
        for k, i in enumerate(members):
            a = rules[i]
            for j in members[k + 1 :]:
                if find(i) == find(j):
                    continue
                b = rules[j]
                if a.x0 - t <= b.x1 and b.x0 - t <= a.x1 and a.top - t <= b.bottom and b.top - t <= a.bottom:
                    parent[find(i)] = find(j)
    groups: dict[int, list[Segment]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(rules[i])
    return list(groups.values())
