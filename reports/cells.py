"""Text made safe for the cells of a spreadsheet: never a formula.

Excel (and LibreOffice) read a CSV cell starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return as a formula: ``=HYPERLINK(...)`` becomes
a live link, ``=cmd|...`` a command.  The OWASP rule is to prefix such a
cell with ``'``, which the spreadsheet shows as text.  In xlsx the cells are
written as strings instead, and the text stays as printed; JSON and HTML
keep it unchanged too.
"""

from __future__ import annotations

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs.

    >>> csv_safe('=HYPERLINK("http://evil.example/","クリック")')
    '\\'=HYPERLINK("http://evil.example/","クリック")'
    >>> csv_safe("56.0％→56.6％")
    '56.0％→56.6％'
    """
    return "'" + text if text.startswith(_FORMULA_START) else text
