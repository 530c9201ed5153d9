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
    columns: tuple[float, ...] = ()
    for p in pages:
        # a page inside a frame's row may have no rule across it: the frame of the pages before goes on,
        # if it fills the page (not the last rows of a table that ended near the page's top)
        frame = find_frame(p) or (find_frame(p, columns=columns) if columns else None)
        if frame is not None and frame.bottom - frame.header_top < 0.2 * p.height:
            frame = None
        columns = frame.xs if frame is not None else ()
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
