"""Japanese era notation: 2025（令和７）年度, 令和７年度, 令和7年度 and R7年度 are one year.

Plans write the fiscal year in several ways, and 令和元年 is 令和1年.  A
comparison treats them as notation only, and history reads years from all of
them.  Western years from 2019 count as 令和 (2019年度 = 令和元年度).
"""

from __future__ import annotations

import re

from pipeline.model import normalize_text

_BASE = {"令和": 2018, "r": 2018, "平成": 1988, "h": 1988}
_N = r"([0-9]{1,2}|元)"
_ERA = re.compile(rf"(令和|平成|(?<![a-z])[rh])\s*{_N}\s*\)?年(度?)")
_WESTERN_WITH_ERA = re.compile(rf"(19[89][0-9]|20[0-9]{{2}})\((令和|平成|[rh]){_N}\)年(度?)")
_WESTERN = re.compile(r"(?<![0-9])(20[0-9]{2})年度")


def _number(n: str) -> int:
    return 1 if n == "元" else int(n)


def _reiwa(era: str, n: str) -> int:
    """The Reiwa number of an era year (平成31 = 令和1)."""
    return _number(n) + _BASE[era] - _BASE["令和"]


def _folded(text: str) -> str:
    return normalize_text(text).lower()


def canonical_eras(text: str) -> str:
    """The text normalised, every era year written 令和N年(度).

    >>> canonical_eras("2025（令和７）年度から") == canonical_eras("R7年度から") == canonical_eras("令和７年度から")
    True
    >>> canonical_eras("令和元年")
    '令和1年'
    """
    t = _folded(text)
    t = _WESTERN_WITH_ERA.sub(lambda m: f"令和{_reiwa(m.group(2), m.group(3))}年{m.group(4)}", t)
    t = _ERA.sub(lambda m: f"令和{_reiwa(m.group(1), m.group(2))}年{m.group(3)}", t)
    return _WESTERN.sub(lambda m: f"令和{int(m.group(1)) - _BASE['令和']}年度", t)


def reiwa_years(text: str) -> list[int]:
    """Every Reiwa year a text names, in order (2025（令和７）年度 counts once).

    >>> reiwa_years("2025（令和７）年度 事業計画（令和６年度との比較）、R5年度、令和元年")
    [7, 6, 5, 1]
    """
    return [int(m.group(1)) for m in re.finditer(r"令和([0-9]+)年", canonical_eras(text))]


def fiscal_year(text: str) -> str:
    """The first fiscal year a text names, as 令和N年度 ("" when none).

    >>> fiscal_year("R7年度 事業計画"), fiscal_year("事業計画")
    ('令和7年度', '')
    """
    years = reiwa_years(text)
    return f"令和{years[0]}年度" if years else ""
