"""Settings of the comparison stage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pipeline.exceptions import ConfigError
from pipeline.i18n import N_


@dataclass(frozen=True, slots=True, kw_only=True)
class AlignConfig:
    """How two documents are aligned and diffed.  Immutable.

    score_cutoff: least similarity (0–1, rapidfuzz ``ratio`` of the normalised
        texts without labels) for two items of matched sections to be one item.
    heading_cutoff: least similarity for two headings to be one heading.
    move_cutoff: least similarity for items left over after the section pass
        to be paired across the document (then reported as moved when out of order).
    label_bonus: added to the similarity of two headings with the same printed
        number at the same level, so a heading whose title was rewritten in place
        still anchors its section.
    mode: Sudachi split mode for word diffs: ``"A"`` short units, ``"B"``
        middle, ``"C"`` named entities and compounds whole (what a reader underlines).
    """

    score_cutoff: float = 0.5
    heading_cutoff: float = 0.6
    move_cutoff: float = 0.7
    label_bonus: float = 0.2
    mode: Literal["A", "B", "C"] = "C"

    def __post_init__(self) -> None:
        if not 0.0 <= self.label_bonus <= 1.0:
            raise ConfigError("label_bonus", self.label_bonus, N_("must be from 0 to 1"))
        for name in ("score_cutoff", "heading_cutoff", "move_cutoff"):
            v = getattr(self, name)
            if not 0.0 < v <= 1.0:
                raise ConfigError(name, v, N_("must be more than 0 and at most 1 (a similarity)"))
        if self.mode not in ("A", "B", "C"):
            raise ConfigError("mode", self.mode, N_("must be A, B or C"))
