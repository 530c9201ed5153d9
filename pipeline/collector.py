"""How the cycle collector runs in a process of plandiff's own (the command, its workers).

A run builds one large document and keeps it to the end, so the collector's
passes, at Python's defaults every 700 new objects and over every module
object imported, cost 7 % of an extraction (56 ms of 826 for 60 pages);
with the imported objects set aside and a pass every 10,000 objects, 3 %.
A library embedding plandiff keeps its own settings: only the processes
plandiff starts call :func:`collect_seldom`.
"""

from __future__ import annotations

import gc

NEW_OBJECTS_PER_PASS = 10_000


def collect_seldom() -> None:
    """Set the objects alive now (the imports) aside from the collector's passes, and space the passes out."""
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(NEW_OBJECTS_PER_PASS, older, oldest)
