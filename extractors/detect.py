"""Which of the four layouts a PDF uses."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pipeline.model import Layout

from .frames import find_frame
from .page import PageContent


def detect_layout(pages: Sequence[PageContent]) -> Layout:
    """plan, fieldtable, sidebyside or slides, from the pages' geometry.

    A page-wide ruled frame with a narrow first column is a field table, with
    two wide columns a side-by-side table; landscape pages without a frame
    are slides; anything else is a single-column plan.
    """
    votes: Counter[str] = Counter()
    for p in pages:
        frame = find_frame(p)
        if frame is not None and len(frame.xs) >= 3:
            width = frame.xs[-1] - frame.xs[0]
            first = frame.xs[1] - frame.xs[0]
            votes["fieldtable" if first < 0.3 * width else "sidebyside"] += 1
        elif p.width > p.height * 1.1:
            votes["slides"] += 1
        else:
            votes["plan"] += 1
    layout, _ = votes.most_common(1)[0]
    return layout  # type: ignore[return-value]
