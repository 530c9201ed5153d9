"""Which office, which fiscal year and which kind of document a plan is, from its own text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from diffing.era import reiwa_years

from .model import ExtractResult

PREFECTURES = [
    "北海道",
    "青森",
    "岩手",
    "宮城",
    "秋田",
    "山形",
    "福島",
    "茨城",
    "栃木",
    "群馬",
    "埼玉",
    "千葉",
    "東京",
    "神奈川",
    "新潟",
    "富山",
    "石川",
    "福井",
    "山梨",
    "長野",
    "岐阜",
    "静岡",
    "愛知",
    "三重",
    "滋賀",
    "京都",
    "大阪",
    "兵庫",
    "奈良",
    "和歌山",
    "鳥取",
    "島根",
    "岡山",
    "広島",
    "山口",
    "徳島",
    "香川",
    "愛媛",
    "高知",
    "福岡",
    "佐賀",
    "長崎",
    "熊本",
    "大分",
    "宮崎",
    "鹿児島",
    "沖縄",
]
_BRANCH = re.compile("(" + "|".join(sorted(PREFECTURES, key=len, reverse=True)) + ")支部")
_ANY_BRANCH = re.compile(r"([\u30A0-\u30FF\u4E00-\u9FFF]{2,6})支部")
_HQ = re.compile(r"本部|全国健康保険協会(?!.{0,6}支部)")


@dataclass(frozen=True, slots=True)
class Identity:
    """An office (本部 or a 支部), a fiscal year (令和N年度) and a kind."""

    org: str
    year: int | None  # the Reiwa year: 7 for 令和７年度
    kind: str  # plan, comparison or slides

    @property
    def fiscal_year(self) -> str:
        return f"令和{self.year}年度" if self.year else ""


def find_org(text: str) -> str:
    """The office a text speaks for: a prefecture's 支部 first, else any 支部, else 本部.

    >>> find_org("令和７年度 全国健康保険協会神奈川支部"), find_org("令和７年度 本部事業計画"), find_org("サンプル支部 事業計画")
    ('神奈川支部', '本部', 'サンプル支部')
    """
    m = _BRANCH.search(text)
    if m:
        return m.group(0)
    m = _ANY_BRANCH.search(text)
    if m:
        return m.group(0)
    return "本部" if _HQ.search(text) else ""


def find_years(text: str) -> list[int]:
    """Every Reiwa fiscal year named in a text, in order (2025（令和７）年度 counts once; R7年度, 令和元年 too).

    >>> find_years("2025（令和７）年度 事業計画（令和６年度との比較）")
    [7, 6]
    """
    return reiwa_years(text)


def identify(result: ExtractResult) -> Identity:
    """Office, year and kind of an extracted PDF, from its title, column labels and first blocks."""
    docs = result.documents
    head = " ".join([d.title for d in docs] + [d.label for d in docs])
    first = " ".join(b.text for d in docs[:1] for b in d.blocks[:8])
    org = find_org(head) or find_org(first)
    years = find_years(head) or find_years(first)
    kind = {"sidebyside": "comparison", "slides": "slides"}.get(result.layout, "plan")
    if "新旧対照表" in head or "対照表" in head:
        kind = "comparison"
    year = max(years) if years and kind == "comparison" else (years[0] if years else None)
    return Identity(org or "不明", year, kind)
