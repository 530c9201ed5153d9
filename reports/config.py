"""How a comparison is printed: the one config of the reports stage.

Its own small module, so that the CLI builds it before any work without
importing the report views.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pipeline.exceptions import ConfigError
from pipeline.i18n import N_

OldMarks = Literal["underline", "strike"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportConfig:
    """How a comparison is printed.

    title: the report's title (default: the new plan's title + 新旧対照表).
    old_left: put the old plan in the left column (offices print new | old).
    remarks: print the 備考 column (changed numbers, renumbering, moves).
    timestamp: print when the report was made; off gives byte-identical files.
    old_marks: how changed words are marked on the old side: ``"underline"``
        (傍線, as most offices print it, the old wording stays readable) or
        ``"strike"`` (取消線).  The new side is always underlined.
    """

    title: str | None = None
    old_left: bool = False
    remarks: bool = True
    timestamp: bool = True
    now: datetime | None = None
    old_marks: OldMarks = "underline"

    def __post_init__(self) -> None:
        if self.old_marks not in ("underline", "strike"):
            raise ConfigError("old_marks", self.old_marks, N_("must be underline or strike"))
