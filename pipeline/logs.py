"""Where the PDF libraries' log records go: to our handler under ``-v``, else nowhere.

pdfminer logs a warning for every repaired cross-reference entry; with no
handler configured Python prints those on stderr ("last resort"), around the
one line a user should see.
"""

from __future__ import annotations

import logging

LIBRARIES = ("pdfminer", "pdfplumber", "pypdfium2")


def route_library_logs(handler: logging.Handler | None) -> None:
    """Send the libraries' records to ``handler``, or drop them when it is ``None``."""
    for name in LIBRARIES:
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler or logging.NullHandler()]
        logger.propagate = False
